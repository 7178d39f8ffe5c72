"""Gift memberships: bought like any one-off gift, sent on the clock, claimed once, lapsing unclaimed.

The payment is an ordinary Donation (frequency "gift") on the buyer's record, applied by the
usual event handler (events.checkout_paid calls `paid` here); everything dated runs on the
clock (core/clock.py), one occurrence per gift and job.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from core.clock import job, schedule
from mailroom.services import queue_email

from .models import Donation, GiftMembership, GivingPage, Supporter
from .models.gifts import CLAIM_DAYS, REMINDER_DAYS

CLAIM_SALT = "canary.supporters.gift-claim"


def start_gift(*, buyer_email, buyer_name, recipient_name, recipient_email, send_at, message, proven=False):
    """A pending payment at Finance's price and the gift it buys; nothing is paid or sent yet.

    As with any gift (services.start_giving), the buyer's typed name stays on the donation and
    the gift unless the browser proved the address: it never becomes the supporter's name.
    """
    buyer_email = buyer_email.strip().lower()
    with transaction.atomic():
        buyer, created = Supporter.objects.get_or_create(email=buyer_email)
        donation = Donation.objects.create(
            supporter=buyer,
            frequency=Donation.Frequency.GIFT,
            amount_pence=GivingPage.current().gift_price_pence,
            provider=settings.PAYMENT_PROVIDER,
            consent_at=timezone.now(),
            created_supporter=created,
            unproven=not proven,
            given_name=buyer_name,
        )
        GiftMembership.objects.create(
            purchase=donation,
            buyer_name=buyer_name,
            recipient_name=recipient_name,
            recipient_email=recipient_email.strip().lower(),
            message=message,
            send_at=send_at,
        )
    return donation


def paid(donation):
    """In the payment's own transaction: the buyer's receipt, and the gift email on the clock."""
    gift = donation.gift
    queue_email(donation.supporter.email, "supporters/gift_receipt", {"donation": donation.pk})
    schedule("supporters.send_gift", max(gift.send_at, timezone.now()), key=gift.pk, params={"gift": gift.pk})


def claim_token(gift):
    return signing.dumps({"gift": gift.pk}, salt=CLAIM_SALT, compress=True)


def gift_for_token(token):
    """The gift a claim link names, or None for a tampered, foreign or expired link."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=timedelta(days=CLAIM_DAYS + 1))
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("gift"), int):
        return None
    return GiftMembership.objects.select_related("purchase", "claimed_by").filter(pk=data["gift"]).first()


def claim(gift, now=None):
    """GiftMembership.claim refuses an illegal claim (IllegalTransition); the emails follow it."""
    with transaction.atomic():
        gift.claim(now)
        queue_email(gift.purchase.supporter.email, "supporters/gift_claimed", {"gift": gift.pk})
        schedule(
            "supporters.gift_ending",
            gift.member_until - timedelta(days=REMINDER_DAYS),
            key=gift.pk,
            params={"gift": gift.pk},
        )
    return gift


def export(supporter):
    """A supporter's gift memberships, given and received, for their data export."""
    return {
        "gift_memberships_given": [
            {
                "reference": g.purchase_id,
                "to": g.recipient_name,
                "message": g.message,
                "send_at": g.send_at.isoformat(),
                "claimed": g.claimed_at is not None,
            }
            for g in GiftMembership.objects.filter(purchase__supporter=supporter)
        ],
        "gift_memberships_received": [
            {
                "from": g.buyer_name,
                "member_from": g.member_from.isoformat(),
                "until": g.member_until.isoformat(),
            }
            for g in supporter.gifts_received.all()
        ],
    }


def forget(supporter):
    """Erasing a person: the buyer's words and a recipient's details go with them (payments stay)."""
    GiftMembership.objects.filter(purchase__supporter=supporter).update(buyer_name="", message="")
    supporter.gifts_received.update(recipient_name="", recipient_email="", message="")


# --- The clock's part ---------------------------------------------------------------------------


@job("supporters.send_gift")
def send_gift(due_at, *, gift):
    """The gift email, once, on its date; then the claim window runs and its lapse is scheduled."""
    found = GiftMembership.objects.select_for_update().select_related("purchase").filter(pk=gift).first()
    if found is None or found.sent_at or found.erased_at or found.purchase.status != Donation.Status.PAID:
        return "not due"
    found.mark_sent()
    queue_email(found.recipient_email, "supporters/gift", {"gift": found.pk})
    schedule("supporters.gift_lapse", found.claim_until, key=found.pk, params={"gift": found.pk})
    return "sent"


@job("supporters.gift_lapse")
def gift_lapse(due_at, *, gift):
    """An unclaimed gift's recipient details are erased when its claim window closes."""
    found = GiftMembership.objects.select_for_update().filter(pk=gift).first()
    if found is None or not found.lapse(due_at):
        return "claimed"
    return "erased"


@job("supporters.gift_ending")
def gift_ending(due_at, *, gift):
    """Before the gifted year ends, offer the recipient to go on with a gift of their own.

    Not sent if something else keeps them a member past the gift's end (a plan, another gift).
    """
    found = GiftMembership.objects.select_related("claimed_by").filter(pk=gift).first()
    if found is None or found.claimed_by is None or found.claimed_by.erased_at is not None:
        return "not due"
    until = found.claimed_by.membership_until(due_at)
    if until == "ongoing" or (until is not None and until > found.member_until):
        return "not due"
    queue_email(found.claimed_by.email, "supporters/gift_ending", {"gift": found.pk})
    return "sent"
