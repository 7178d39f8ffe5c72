"""What supporters are told and when: receipts, the welcome, endings, dated reminders."""

import calendar
from datetime import timedelta

from django.utils import timezone

from core.clock import schedule
from mailroom.services import queue_email

from ..models import Donation, Plan

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
    """Annual members hear from us a week before we take the next year's gift; monthly givers
    every six months, with what they gave and how to stop (subscription-contract reminders)."""
    if plan.frequency == "monthly":
        schedule_giving_reminder(plan)
        return
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


GIVING_REMINDER_MONTHS = 6


def next_giving_reminder(started, now):
    """The first six-month mark of a monthly gift after now, counted from the day it started."""
    months = GIVING_REMINDER_MONTHS
    while True:
        year, month = divmod(started.month - 1 + months, 12)
        day = min(started.day, calendar.monthrange(started.year + year, month + 1)[1])
        mark = started.replace(year=started.year + year, month=month + 1, day=day)
        if mark > now:
            return mark
        months += GIVING_REMINDER_MONTHS


def schedule_giving_reminder(plan, after=None):
    started = timezone.localtime(plan.created_at)
    mark = next_giving_reminder(started, after or timezone.now())
    schedule(
        "supporters.giving_reminder",
        mark,
        key=f"{plan.pk}:{mark.date().isoformat()}",
        params={"plan": plan.pk, "mark": mark.isoformat()},
    )
