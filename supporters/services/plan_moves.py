"""A member's moves on a plan (cancel, resume, amount, frequency), each asked of the provider
in the transaction that makes it, and the end of an overdue plan."""

from django.db import transaction

from mailroom.services import queue_email

from ..payments import get_provider
from .events import apply_event
from .notices import tell_about_ending

# --- Membership changes -------------------------------------------------------------------------


def cancel_plan(plan, *, reason="", note="", tell=True):
    """Cancel at the end of the paid period: Plan.cancel refuses an illegal move
    (IllegalTransition) before the provider is asked; a provider that fails undoes it.
    tell=False when nobody can be told (a disowned plan's payer is unknown)."""
    with transaction.atomic():
        plan.cancel(reason=reason, note=note)
        if tell:
            tell_about_ending(plan, was_ending=False)
        if plan.provider_schedule_id:  # a change of frequency was waiting: stopping wins
            get_provider(plan.provider).release_change(plan)
            plan.provider_schedule_id = ""
            plan.save(update_fields=["provider_schedule_id"])
        event = get_provider(plan.provider).cancel_plan(plan)
        if event is not None:
            apply_event(event)


def end_overdue_plan(plan, since):
    """The card was never fixed in the grace period: stop the gift at the provider as well, so
    nothing is taken after we have told the supporter their membership paused."""
    with transaction.atomic():
        queue_email(plan.supporter.email, "supporters/grace_ended", {"plan": plan.pk, "since": since})
        event = get_provider(plan.provider).cancel_plan(plan, immediately=True)
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


def change_frequency(plan, frequency, amount_pence):
    """Monthly to annual or back, from the end of the paid period; confirmed by email."""
    with transaction.atomic():
        plan.change_frequency(frequency, amount_pence)
        plan.provider_schedule_id = (
            get_provider(plan.provider).change_frequency(plan, frequency, amount_pence) or ""
        )
        plan.save(update_fields=["provider_schedule_id"])
        queue_email(
            plan.supporter.email,
            "supporters/frequency_changing",
            {"plan": plan.pk, "frequency": frequency, "amount_pence": amount_pence},
        )


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
