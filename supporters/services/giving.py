"""Starting to give: the pending donation and plan, and the way to the provider's checkout."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Donation, Plan, Supporter
from ..payments import get_provider

# --- Starting to give -------------------------------------------------------------------------


def start_giving(
    *,
    email,
    name,
    frequency,
    amount_pence,
    proven=False,
    article=None,
    call_to_action_id=None,
    newsletter_issue_id=None,
):
    """A pending donation (and for monthly or annual giving a pending plan); nothing is paid yet.

    `proven` says the browser signed in by emailed link as this address's owner. Otherwise the
    gift joins the address's supporter as an unproven one, and the typed name stays on the
    donation: the owner's record and mail never carry a stranger's words.
    """
    email = email.strip().lower()
    with transaction.atomic():
        supporter, created = Supporter.objects.get_or_create(email=email)
        if proven and name and not supporter.name:
            supporter.name = name
            supporter.save(update_fields=["name"])
        plan = None
        if frequency != Donation.Frequency.ONE_OFF:
            plan = Plan.objects.create(
                supporter=supporter,
                frequency=frequency,
                amount_pence=amount_pence,
                provider=settings.PAYMENT_PROVIDER,
            )
        donation = Donation.objects.create(
            supporter=supporter,
            plan=plan,
            frequency=frequency,
            amount_pence=amount_pence,
            provider=settings.PAYMENT_PROVIDER,
            consent_at=timezone.now(),
            created_supporter=created,
            unproven=not proven,
            given_name=name,
            article=article,
            call_to_action_id=call_to_action_id,
            newsletter_issue_id=newsletter_issue_id,
        )
    return donation


def checkout_url(donation, *, success_url, cancel_url):
    return get_provider(donation.provider).start_checkout(
        donation, donation.plan, success_url=success_url, cancel_url=cancel_url
    )
