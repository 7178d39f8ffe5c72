"""Applying what the payment provider says, each event exactly once, with its effects."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from mailroom.services import queue_email

from .. import gifts
from ..exceptions import GivingError, IllegalTransition
from ..models import Donation, Plan, ProviderEvent
from . import failed_payments
from .notices import schedule_renewal_reminder, send_receipt, tell_about_ending, thank

logger = logging.getLogger("canary.supporters")


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
        was_overdue = plan.status == Plan.Status.PAST_DUE
        # The provider retries a declined renewal several times; only the first failure writes.
        if plan.apply_state(Plan.Status.PAST_DUE, event.occurred_at) and not was_overdue:
            failed_payments.payment_failed(plan)


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
    if applied and event.frequency and plan.next_frequency:
        before = (plan.amount_pence, plan.frequency)
        if plan.take_up_new_frequency(event.frequency, event.amount_pence):
            queue_email(
                plan.supporter.email,
                "supporters/amount_changed",
                {
                    "plan": plan.pk,
                    "amount_pence": plan.amount_pence,
                    "was_pence": before[0],
                    "was": before[1],
                },
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
