"""Use cases where several supporter rows change together, each in one transaction."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Comment
from core.clock import schedule
from mailroom.services import forget_address, queue_email

from . import gifts
from .exceptions import GivingError, IllegalTransition
from .models import Donation, Plan, ProviderEvent, Supporter
from .payments import get_provider

logger = logging.getLogger("canary.supporters")


# --- Starting to give -------------------------------------------------------------------------


def start_giving(*, email, name, frequency, amount_pence, proven=False, article=None, call_to_action_id=None):
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
        )
    return donation


def checkout_url(donation, *, success_url, cancel_url):
    return get_provider(donation.provider).start_checkout(
        donation, donation.plan, success_url=success_url, cancel_url=cancel_url
    )


# --- Applying what the provider says ----------------------------------------------------------


def apply_event(event):
    """Apply one provider event exactly once.

    The event row and its effect commit together: a duplicate (retried, replayed or
    arriving at the same moment) fails on the unique constraint and changes nothing, and
    an effect that fails rolls the event row back so the provider's retry can try again.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProviderEvent.objects.create(
                    provider=event.provider,
                    event_id=event.event_id,
                    type=event.type,
                    occurred_at=event.occurred_at,
                )
        except IntegrityError:
            return "duplicate"
        handler = HANDLERS.get(event.kind)
        if handler is None:
            return "ignored"
        try:
            with transaction.atomic():
                handler(event)
        except IllegalTransition as error:
            # The donation or plan has moved past what this event would change (a payment
            # confirmed after its refund, say): no retry could ever apply it. The event stays
            # recorded, so a replay is a duplicate, and the provider is told it was received.
            logger.warning("Event %s no longer applies: %s", event.event_id, error)
            return "stale"
    return "applied"


def _donation_for_checkout(event):
    donation = None
    if event.checkout_id:
        donation = Donation.objects.select_for_update().filter(provider_checkout_id=event.checkout_id).first()
    if donation is None and event.donation_id:
        donation = Donation.objects.select_for_update().filter(pk=event.donation_id).first()
    if donation is None:
        raise GivingError(f"No donation for checkout {event.checkout_id or event.donation_id}")
    return donation


def _plan_for(event):
    plan = None
    if event.subscription_id:
        plan = Plan.objects.select_for_update().filter(provider_subscription_id=event.subscription_id).first()
    if plan is None and event.donation_id:
        plan = Plan.objects.select_for_update().filter(donations__pk=event.donation_id).first()
    return plan


def checkout_paid(event):
    donation = _donation_for_checkout(event)
    plan = donation.plan
    if plan is not None:
        if event.subscription_id and not plan.provider_subscription_id:
            plan.provider_subscription_id = event.subscription_id
        if event.customer_id:
            plan.provider_customer_id = event.customer_id
        plan.save()
        plan.apply_state(Plan.Status.ACTIVE, event.occurred_at, period_end=event.period_end)
        schedule_renewal_reminder(plan)
    if donation.mark_paid(payment_id=_free_payment_id(event.payment_id, donation), paid_at=event.occurred_at):
        if donation.frequency == Donation.Frequency.GIFT:
            gifts.paid(donation)  # the buyer's receipt; the gift email goes on its date
        else:
            thank(donation)


def checkout_processing(event):
    donation = _donation_for_checkout(event)
    donation.mark_processing(payment_id=_free_payment_id(event.payment_id, donation))


def checkout_failed(event):
    donation = _donation_for_checkout(event)
    donation.mark_failed()
    if donation.plan and donation.plan.status == Plan.Status.PENDING:
        donation.plan.apply_state(Plan.Status.CANCELLED, event.occurred_at)


def checkout_expired(event):
    donation = _donation_for_checkout(event)
    if donation.status == Donation.Status.PENDING:
        donation.mark_declined()
        if donation.plan and donation.plan.status == Plan.Status.PENDING:
            donation.plan.apply_state(Plan.Status.CANCELLED, event.occurred_at)


def invoice_paid(event):
    """A plan's payment: the first one completes its checkout donation, each renewal is a new row."""
    plan = _plan_for(event)
    if plan is None:
        # Stripe may send the invoice before the checkout: fail so that it retries later.
        raise GivingError(f"No plan yet for subscription {event.subscription_id}")
    if event.subscription_id and not plan.provider_subscription_id:
        plan.provider_subscription_id = event.subscription_id
        plan.save(update_fields=["provider_subscription_id"])
    if Donation.objects.filter(provider_payment_id=event.payment_id).exists():
        return
    first = (
        plan.donations.select_for_update()
        .filter(provider_payment_id__isnull=True)
        .order_by("created_at")
        .first()
    )
    if event.first_payment and first is not None:
        if first.mark_paid(payment_id=event.payment_id, paid_at=event.occurred_at):
            thank(first)
    else:
        renewal = Donation.objects.create(
            supporter=plan.supporter,
            plan=plan,
            frequency=plan.frequency,
            amount_pence=event.amount_pence or plan.amount_pence,
            provider=plan.provider,
            provider_payment_id=event.payment_id,
            status=Donation.Status.PAID,
            paid_at=event.occurred_at or timezone.now(),
        )
        send_receipt(renewal)
    plan.apply_state(Plan.Status.ACTIVE, event.occurred_at, period_end=event.period_end)
    schedule_renewal_reminder(plan)


def invoice_failed(event):
    plan = _plan_for(event)
    if plan is not None and plan.status in (Plan.Status.ACTIVE, Plan.Status.PAST_DUE):
        plan.apply_state(Plan.Status.PAST_DUE, event.occurred_at)


SUBSCRIPTION_STATUSES = {
    "active": Plan.Status.ACTIVE,
    "trialing": Plan.Status.ACTIVE,
    "past_due": Plan.Status.PAST_DUE,
    "unpaid": Plan.Status.PAST_DUE,
    "canceled": Plan.Status.CANCELLED,
    "incomplete_expired": Plan.Status.CANCELLED,
}


def subscription_updated(event):
    plan = _plan_for(event)
    status = SUBSCRIPTION_STATUSES.get(event.subscription_status)
    if plan is None or status is None:
        return
    if plan.status == Plan.Status.PENDING and status != Plan.Status.CANCELLED:
        return  # the checkout events make a pending plan active, with its first payment
    ending_before = plan.cancel_at_period_end
    applied = plan.apply_state(
        status,
        event.occurred_at,
        period_end=event.period_end,
        cancel_at_period_end=event.cancel_at_period_end,
    )
    if applied:
        # The provider's own pages cancel and resume too: the member hears of it either way,
        # once, because only the move from one state to the other sends anything.
        tell_about_ending(plan, ending_before)


def subscription_cancelled(event):
    plan = _plan_for(event)
    if plan is not None:
        plan.apply_state(Plan.Status.CANCELLED, event.occurred_at, cancel_at_period_end=False)


def refunded(event):
    donation = Donation.objects.select_for_update().filter(provider_payment_id=event.payment_id).first()
    if donation is not None:
        donation.mark_refunded()


HANDLERS = {
    "checkout_paid": checkout_paid,
    "checkout_processing": checkout_processing,
    "checkout_failed": checkout_failed,
    "checkout_expired": checkout_expired,
    "invoice_paid": invoice_paid,
    "invoice_failed": invoice_failed,
    "subscription_updated": subscription_updated,
    "subscription_cancelled": subscription_cancelled,
    "refunded": refunded,
}


def _free_payment_id(payment_id, donation):
    """A payment id that no other donation holds (the unique constraint would refuse it)."""
    if (
        not payment_id
        or Donation.objects.filter(provider_payment_id=payment_id).exclude(pk=donation.pk).exists()
    ):
        return None
    return payment_id


# --- Emails -------------------------------------------------------------------------------------


def send_receipt(donation):
    """Queued with the payment's own transaction; rendered by the worker (supporters/emails.py)."""
    queue_email(donation.supporter.email, "supporters/receipt", {"donation": donation.pk})


def thank(donation):
    """A receipt for every payment, and a welcome with the first gift a supporter ever makes."""
    # A gift membership bought for someone else made nobody here a member: it is not a first gift.
    earlier = donation.supporter.donations.paid().exclude(frequency=Donation.Frequency.GIFT)
    if not earlier.exclude(pk=donation.pk).exists():
        queue_email(donation.supporter.email, "supporters/welcome", {"donation": donation.pk})
    send_receipt(donation)


def tell_about_ending(plan, was_ending):
    """Email the member when their gift starts or stops ending; the builder drops a stale one."""
    if plan.cancel_at_period_end and not was_ending:
        queue_email(plan.supporter.email, "supporters/cancelled", {"plan": plan.pk})
    elif (
        was_ending
        and not plan.cancel_at_period_end
        and plan.status in (Plan.Status.ACTIVE, Plan.Status.PAST_DUE)
    ):
        queue_email(plan.supporter.email, "supporters/resumed", {"plan": plan.pk})


def schedule_renewal_reminder(plan):
    """Annual members hear from us a week before we take the next year's gift."""
    if (
        plan.frequency != "annual"
        or not plan.current_period_end
        or plan.renewal_reminder_for == plan.current_period_end
    ):
        return
    plan.renewal_reminder_for = plan.current_period_end
    plan.save(update_fields=["renewal_reminder_for"])
    period_end = plan.current_period_end.isoformat()
    # The occurrence commits with the plan; its key makes a second scheduling a no-op.
    schedule(
        "supporters.renewal_reminder",
        plan.current_period_end - timedelta(days=7),
        key=f"{plan.pk}:{period_end}",
        params={"plan": plan.pk, "period_end": period_end},
    )


# --- Membership changes -------------------------------------------------------------------------


def cancel_plan(plan, *, reason="", note=""):
    """Cancel at the end of the paid period: Plan.cancel refuses an illegal move
    (IllegalTransition) before the provider is asked; a provider that fails undoes it."""
    with transaction.atomic():
        plan.cancel(reason=reason, note=note)
        tell_about_ending(plan, was_ending=False)
        event = get_provider(plan.provider).cancel_plan(plan)
        if event is not None:
            apply_event(event)


def resume_plan(plan):
    """Take a cancellation back before the period ends; nothing is charged until the usual date."""
    with transaction.atomic():
        plan.resume()
        tell_about_ending(plan, was_ending=True)
        event = get_provider(plan.provider).resume_plan(plan)
        if event is not None:
            apply_event(event)


def change_amount(plan, amount_pence):
    with transaction.atomic():
        before = plan.amount_pence
        plan.change_amount(amount_pence)
        get_provider(plan.provider).change_amount(plan, amount_pence)
        if plan.amount_pence != before:
            queue_email(
                plan.supporter.email,
                "supporters/amount_changed",
                {"plan": plan.pk, "amount_pence": plan.amount_pence, "was_pence": before},
            )


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
            }
            for d in supporter.donations.all()
        ],
        **gifts.export(supporter),
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
    logger.info("Supporter %s disowned donation %s", supporter.pk, donation.pk)
    return donation


def delete_supporter(supporter):
    """Cancel any running plan, then erase the person; donation rows stay for the accounts."""
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
        user = supporter.user
        address = supporter.email
        Comment.objects.by_person(address, user).anonymise()
        forget_address(address)
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
