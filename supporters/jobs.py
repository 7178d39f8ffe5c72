"""The supporters' dated work on the clock (core/clock.py)."""

from core.clock import job
from mailroom.services import queue_email

from .models import Plan, Supporter
from .models.giving import RUNNING
from .services import notices, personal_data, plan_moves
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


# Saved with the plan's cancel note, for Finance.
DISOWNED_NOTE = (
    "Stopped by Canary: the address's owner disowned it, so nobody can manage it or get its receipts."
)


# Tries before the clock gives up on a provider that is down: its back-off doubles from 30 s to an
# hour (TASK_RETRY_MAX_DELAY), so 30 tries last about a day.
OUTAGE_ATTEMPTS = 30


@job("supporters.stop_disowned_plan", attempts=OUTAGE_ATTEMPTS)
def stop_disowned_plan(due_at, *, plan):
    """A disowned gift's plan charges nobody again: its payer typed an address that is not theirs,
    cannot manage it and gets no receipts. What was paid stands; it ends with its paid period.
    A provider that fails raises, and the clock tries again later."""
    found = Plan.objects.select_related("supporter").filter(pk=plan).first()
    if found is None or found.status not in RUNNING or found.cancel_at_period_end:
        return "nothing to stop"
    plan_moves.cancel_plan(found, note=DISOWNED_NOTE, tell=False)
    return "stopped"


@job("supporters.erase_supporter", attempts=OUTAGE_ATTEMPTS)
def erase_supporter(due_at, *, supporter):
    """Finish an account deletion the payment provider held up (personal_data.request_deletion)."""
    found = Supporter.objects.filter(pk=supporter, erased_at__isnull=True).first()
    if found is None:
        return "already erased"
    personal_data.delete_supporter(found)  # a provider still down raises: tried again later
    return "erased"
