"""Queueing email, finding what a failure left behind, and forgetting a person."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .kinds import known
from .models import Email

# Sent emails keep only what the outbox needs for counting: no address after this.
KEEP_ADDRESSES = timedelta(days=30)


def queue_email(to, template, params=None, *, expires_at=None, forget_when_done=False):
    """Record an email and its delivery task, in the caller's transaction.

    The task backend writes its task row on the same connection, so the email and the task
    that delivers it commit together or not at all: no failure after the commit can leave an
    email with nobody to send it.
    """
    from .tasks import deliver_email

    if not known(template):
        raise LookupError(f"No app registers the email {template!r}")
    with transaction.atomic():
        email = Email.objects.create(
            to=to,
            template=template,
            params=params or {},
            expires_at=expires_at,
            forget_when_done=forget_when_done,
        )
        deliver_email.enqueue(email.pk)
    return email


def retry(emails, now=None):
    """Try these emails again now (the admin's "retry now" and the sweep): queued, attempts kept."""
    from .tasks import deliver_email

    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for email in emails.select_for_update().exclude(status=Email.Status.SENT).exclude(to=""):
            email.status = Email.Status.QUEUED
            email.next_attempt_at = now
            email.claimed_at = None
            email.save(update_fields=["status", "next_attempt_at", "claimed_at"])
            deliver_email.enqueue(email.pk)
            count += 1
    return count


def stranded_after():
    """How long an email may sit neither attempted nor in a worker's hands before it has lost
    its task (MAIL_STRANDED_SECONDS)."""
    return timedelta(seconds=settings.MAIL_STRANDED_SECONDS)


def sweep(now=None):
    """Periodic upkeep: hand stranded emails a new task, and clear old addresses.

    Run by the worker every minute or so (`manage.py worker`). A second task for the same
    email is harmless: a delivery claims its email with a conditional update, so only one
    attempt runs at a time.
    """
    now = now or timezone.now()
    requeued = retry(Email.objects.stranded(now, stranded_after()), now)
    trimmed = (
        Email.objects.filter(sent_at__lt=now - KEEP_ADDRESSES)
        .exclude(to="", params={})
        .update(to="", params={})
    )
    return {"requeued": requeued, "trimmed": trimmed}


def forget_address(address):
    """Erasure: every email queued or sent to this address goes, with its row."""
    return Email.objects.to_address(address).delete()[0]
