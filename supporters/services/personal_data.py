"""A supporter's own data: the download, disowning a gift, and erasure."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Comment
from core import clock
from mailroom.services import forget_address, queue_email

from .. import account_sections, gifts, signals
from ..exceptions import GivingError, IllegalTransition
from ..models import Donation, Plan, Supporter
from ..payments import get_provider
from .events import apply_event

logger = logging.getLogger("canary.supporters")


def export_supporter(supporter):
    return {
        "email": supporter.email,
        "name": supporter.name,
        "supporter_since": supporter.created_at.isoformat(),
        "plans": [
            {
                "frequency": p.frequency,
                "amount_pence": p.amount_pence,
                "status": p.status,
                "renews_or_ends": p.current_period_end.isoformat() if p.current_period_end else None,
                "cancel_reason": p.get_cancel_reason_display() if p.cancel_reason else "",
                "cancel_note": p.cancel_note,
            }
            for p in supporter.plans.all()
        ],
        "donations": [
            {
                "reference": d.pk,
                "amount_pence": d.amount_pence,
                "frequency": d.frequency,
                "status": d.status,
                "created_at": d.created_at.isoformat(),
                "paid_at": d.paid_at.isoformat() if d.paid_at else None,
                # The privacy notice agreed to with this gift: a consent record of its own.
                "agreed_to_privacy_notice_at": d.consent_at.isoformat() if d.consent_at else None,
            }
            for d in supporter.donations.all()
        ],
        "comments": [
            {
                "article": c.article.headline,
                "name": c.name,
                "body": c.body,
                "status": c.status,
                "written_at": c.created_at.isoformat(),
            }
            for c in Comment.objects.by_person(supporter.email, supporter.user)
            .select_related("article")
            .order_by("created_at")
        ],
        **gifts.export(supporter),
        # What other apps keep for this supporter (newsletters: their subscriptions).
        **account_sections.exported(supporter),
    }


def disown_gift(supporter, donation_id):
    """The address's owner says a gift made with it by a browser that never proved it is not theirs.

    The gift (with its plan and the plan's other payments) moves to an anonymous record of its
    own: the money stays in the accounts and its payer's card is not touched, but it no longer
    shows on, counts towards or can be managed from the owner's account.
    """
    with transaction.atomic():
        donation = supporter.donations.disownable().select_for_update().filter(pk=donation_id).first()
        if donation is None:
            raise IllegalTransition("Only a gift made by a browser that had not signed in can be disowned.")
        now = timezone.now()
        stranger = Supporter.objects.create(email=f"disowned-{donation.pk}@invalid", erased_at=now)
        moved = Donation.objects.filter(pk=donation.pk)
        if donation.plan_id:
            Plan.objects.filter(pk=donation.plan_id).update(supporter=stranger)
            moved = Donation.objects.filter(plan_id=donation.plan_id) | moved
        moved.update(supporter=stranger)
        Donation.objects.filter(pk=donation.pk).update(disowned_at=now)
        if donation.plan_id:
            # Its payer cannot manage it or get its receipts: the clock stops it at the provider,
            # retrying if the provider fails (supporters.jobs.stop_disowned_plan).
            clock.schedule(
                "supporters.stop_disowned_plan", now, key=donation.plan_id, params={"plan": donation.plan_id}
            )
    logger.info("Supporter %s disowned donation %s", supporter.pk, donation.pk)
    return donation


# The clock's turn comes this long after the owner's request: the request does the work at once
# when the payment provider answers, and the clock then finds nothing left to do.
ERASE_LATER = timedelta(minutes=5)


def request_deletion(supporter):
    """The owner asks for their account to go: True when it is gone now, False when the payment
    provider could not cancel a plan and the clock will finish it (supporters.erase_supporter,
    tried again for about a day, the goodbye email sent when it is done).

    The clock's occurrence commits before anything is asked of the provider, so a request can
    never be half-done and forgotten.
    """
    clock.schedule(
        "supporters.erase_supporter",
        timezone.now() + ERASE_LATER,
        key=supporter.pk,
        params={"supporter": supporter.pk},
    )
    try:
        delete_supporter(supporter)
    except GivingError as error:
        logger.warning("Supporter %s: deletion left to the clock (%s)", supporter.pk, error)
        return False
    return True


def delete_supporter(supporter):
    """Cancel any running plan, then erase the person; donation rows stay for the accounts.

    Run again after a failure, it picks up where it stopped: cancelled plans are skipped, and a
    supporter already erased (by the clock meanwhile) is left as they are.
    """
    for plan in supporter.plans.filter(
        status__in=[Plan.Status.ACTIVE, Plan.Status.PAST_DUE, Plan.Status.PENDING]
    ):
        if plan.status == Plan.Status.PENDING:
            plan.apply_state(Plan.Status.CANCELLED, None)
            continue
        provider = get_provider(plan.provider)
        event = provider.cancel_plan(plan, immediately=True)
        if event is not None:
            apply_event(event)
    with transaction.atomic():
        # The row locked whatever its state: a request and the clock erasing at once take turns.
        if Supporter.objects.select_for_update().only("erased_at").get(pk=supporter.pk).erased_at:
            return
        user = supporter.user
        address = supporter.email
        Comment.objects.by_person(address, user).anonymise()
        signals.erasing.send(sender=Supporter, supporter=supporter, address=address)
        forget_address(address)
        # The goodbye names nobody and keeps nothing: its row loses the address once it is sent.
        queue_email(
            address,
            "supporters/account_deleted",
            expires_at=timezone.now() + timedelta(days=3),
            forget_when_done=True,
        )
        supporter.email = f"erased-{supporter.pk}@invalid"
        supporter.name = ""
        supporter.user = None
        supporter.erased_at = timezone.now()
        supporter.save()
        supporter.sign_in_tokens.all().delete()
        supporter.donations.update(given_name="")
        gifts.forget(supporter)
        if user is not None and not user.is_staff:
            user.delete()
