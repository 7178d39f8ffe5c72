"""A declined renewal, recovered by the supporter alone: the email, the card link, the reminders.

The card link is the only thing it opens: signed for one plan and one failure, it leads to the
provider's card form and nowhere else, and it stops working when the grace period ends or the
plan recovers. It is not a sign-in: nothing else of the account can be reached with it.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from core.clock import schedule
from mailroom.services import queue_email

from ..models import Plan

SALT = "supporters.card-update"


def card_token(plan):
    return signing.dumps([plan.pk, plan.past_due_since.isoformat()], salt=SALT)


def plan_for_card_token(token, now=None):
    """The plan a card link names, while its payment is still overdue and in grace; else None."""
    try:
        plan_id, since = signing.loads(token, salt=SALT)
        plan_id, since = int(plan_id), str(since)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    plan = Plan.objects.select_related("supporter").filter(pk=plan_id).first()
    if plan is None or plan.supporter.erased_at is not None or not still_failing(plan, since):
        return None
    return plan if (now or timezone.now()) < plan.grace_ends_at() else None


def still_failing(plan, since):
    """Whether the plan is still overdue from the same failure (a recovery starts a new one)."""
    return (
        plan.status == Plan.Status.PAST_DUE
        and plan.past_due_since
        and plan.past_due_since.isoformat() == since
    )


def payment_failed(plan):
    """Called in the transaction that moved the plan to overdue: the email and the dated follow-ups."""
    since = plan.past_due_since.isoformat()
    params = {"plan": plan.pk, "since": since}
    queue_email(plan.supporter.email, "supporters/payment_failed", params)
    ends = plan.grace_ends_at()
    before = min(timedelta(days=settings.PAST_DUE_REMINDER_DAYS), (ends - plan.past_due_since) / 2)
    schedule("supporters.grace_reminder", ends - before, key=f"{plan.pk}:{since}", params=params)
    schedule("supporters.grace_ended", ends, key=f"{plan.pk}:{since}", params=params)
