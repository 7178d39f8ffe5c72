"""The supporters' dated work on the clock (core/clock.py)."""

from core.clock import job
from mailroom.services import queue_email

from .models import Plan
from .services import notices, plan_moves
from .services.failed_payments import still_failing


@job("supporters.renewal_reminder")
def renewal_reminder(due_at, *, plan, period_end):
    """Remind an annual member before the next gift, if the plan still renews as planned."""
    found = Plan.objects.select_related("supporter").filter(pk=plan).first()
    if found is None or not found.renews_on(period_end):
        return "not due"
    queue_email(
        found.supporter.email, "supporters/renewal_reminder", {"plan": found.pk, "period_end": period_end}
    )
    return "sent"


@job("supporters.grace_reminder")
def grace_reminder(due_at, *, plan, since):
    """A few days before an overdue plan's benefits stop, if the card is still not fixed."""
    found = Plan.objects.select_related("supporter").filter(pk=plan).first()
    if found is None or found.supporter.erased_at or not still_failing(found, since):
        return "recovered"
    queue_email(found.supporter.email, "supporters/payment_reminder", {"plan": plan, "since": since})
    return "sent"


@job("supporters.grace_ended")
def grace_ended(due_at, *, plan, since):
    """The grace period is over and the card was never fixed: the gift stops, and we say so once."""
    found = Plan.objects.select_related("supporter").filter(pk=plan).first()
    if found is None or found.supporter.erased_at or not still_failing(found, since):
        return "recovered"
    plan_moves.end_overdue_plan(found, since)
    return "ended"


@job("supporters.giving_reminder")
def giving_reminder(due_at, *, plan, mark):
    """Every six months of a monthly gift: what it gave, and how to change or stop it."""
    found = Plan.objects.select_related("supporter").filter(pk=plan).first()
    if (
        found is None
        or found.supporter.erased_at
        or found.status != Plan.Status.ACTIVE
        or found.cancel_at_period_end
    ):
        return "not due"
    queue_email(found.supporter.email, "supporters/giving_reminder", {"plan": plan, "mark": mark})
    notices.schedule_giving_reminder(found, after=due_at)  # the next six-month mark
    return "sent"
