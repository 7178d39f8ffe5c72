"""The newsletters' work on the clock (core/clock.py)."""

from django.conf import settings
from django.utils import timezone

from core.clock import every, job

from . import digest, sending, signup
from .models import Newsletter


@every("newsletters.reclaim", seconds=settings.NEWSLETTER_RECLAIM_SECONDS)
def reclaim_expired_batches(due_at):
    """Batches whose worker died past its lease go to a new task; finished sends are closed."""
    sending.reclaim_expired_batches(timezone.now())


@every("newsletters.start_scheduled", seconds=60)
def start_scheduled_issues(due_at):
    """Scheduled issues start sending when their time comes."""
    sending.start_due_issues(due_at)


@every("newsletters.digests", seconds=60)
def schedule_due_digests(due_at):
    """Each scheduled letter's digest is scheduled once a day, at its London time."""
    digest.send_due_digests(due_at)


@every("newsletters.expire_unconfirmed", seconds=3600)
def expire_unconfirmed(due_at):
    """Sign-ups nobody confirmed within NEWSLETTER_PENDING_DAYS go, with the address."""
    signup.expire_unconfirmed(due_at)


@job(digest.DIGEST_JOB)
def send_digest(due_at, newsletter):
    """Build the day's digest and start it, unless nothing is new (or the letter was deleted)."""
    letter = Newsletter.objects.filter(pk=newsletter).first()
    if letter is not None:
        digest.send(letter)
