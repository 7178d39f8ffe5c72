"""The gift memberships' emails, gathered when each is sent (see supporters/emails.py).

The buyer's name and message are a stranger's words in our mail: the templates show them as
the buyer's, quoted and escaped, and the form has refused links in them.
"""

from django.utils import timezone

from mailroom.kinds import email_kind

from .emails import site_link
from .forms import money
from .gifts import claim_token
from .models import GiftMembership


def _gift(params):
    return (
        GiftMembership.objects.select_related("purchase__supporter", "claimed_by")
        .filter(pk=params.get("gift"))
        .first()
    )


@email_kind("supporters/gift_receipt")
def gift_receipt(params, to):
    gift = GiftMembership.objects.select_related("purchase__supporter").filter(
        purchase=params.get("donation")
    )
    gift = gift.first()
    if gift is None or gift.purchase.supporter.erased_at is not None:
        return None
    donation = gift.purchase
    return {
        "donation": donation,
        "name": gift.buyer_name,
        "amount": money(donation.amount_pence),
        "paid_on": timezone.localtime(donation.paid_at or donation.created_at),
        "recipient": gift.recipient_name,
        "send_on": timezone.localtime(gift.send_at),
        "sign_in_url": site_link("supporters:sign-in"),
    }


@email_kind("supporters/gift")
def gift_email(params, to):
    """The present itself; nothing once it is claimed, lapsed or refunded."""
    gift = _gift(params)
    if gift is None or gift.claimed_at or gift.erased_at or gift.purchase.status != "paid":
        return None
    return {
        "buyer": gift.buyer_name,
        "recipient": gift.recipient_name,
        "message": gift.message,
        "claim_url": site_link("supporters:claim-gift", claim_token(gift)),
        "claim_until": timezone.localtime(gift.claim_until),
    }


@email_kind("supporters/gift_claimed")
def gift_claimed(params, to):
    gift = _gift(params)
    if gift is None or not gift.claimed_at or gift.purchase.supporter.erased_at is not None:
        return None
    return {"name": gift.buyer_name, "recipient": gift.recipient_name}


@email_kind("supporters/gift_ending")
def gift_ending(params, to):
    gift = _gift(params)
    if gift is None or gift.claimed_by is None or gift.claimed_by.erased_at is not None:
        return None
    return {
        "ends_on": timezone.localtime(gift.member_until),
        "buyer": gift.buyer_name,
        "support_url": site_link("supporters:support"),
    }
