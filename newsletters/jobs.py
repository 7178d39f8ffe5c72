"""The newsletters' work on the clock (core/clock.py)."""

from django.conf import settings
from django.utils import timezone

from core.clock import every

from . import sending


@every("newsletters.reclaim", seconds=settings.NEWSLETTER_RECLAIM_SECONDS)
def reclaim_expired_batches(due_at):
    """Batches whose worker died past its lease go to a new task; finished sends are closed."""
    sending.reclaim_expired_batches(timezone.now())


@every("newsletters.start_scheduled", seconds=60)
def start_scheduled_issues(due_at):
    """Scheduled issues start sending when their time comes."""
    sending.start_due_issues(timezone.now())
