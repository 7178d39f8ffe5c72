"""The supporters' dated work on the clock (core/clock.py)."""

from core.clock import job
from mailroom.services import queue_email

from .models import Plan


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
