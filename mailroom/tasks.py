"""Delivering queued email, with retries the tasks backport does not provide itself."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .kinds import render
from .models import Email

logger = logging.getLogger("canary.mail")

FIRST_RETRY_SECONDS = 30


def backoff(attempts):
    """Seconds to wait after the given number of failed attempts: doubling, capped."""
    return min(settings.TASK_RETRY_MAX_DELAY, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def claim(email_id):
    """Take the email for one attempt; no other worker can send it at the same time."""
    email = Email.objects.filter(pk=email_id, status=Email.Status.QUEUED).first()
    if email is None:
        return None
    if email.expired:
        Email.objects.filter(pk=email.pk).update(status=Email.Status.EXPIRED, params={}, **forgotten(email))
        return None
    now = timezone.now()
    taken = Email.objects.filter(pk=email.pk, status=Email.Status.QUEUED, attempts=email.attempts).update(
        attempts=email.attempts + 1, claimed_at=now
    )
    if not taken:
        return None
    email.attempts += 1
    email.claimed_at = now
    return email


@task()
def deliver_email(email_id):
    email = claim(email_id)
    if email is None:
        return "nothing to send"
    try:
        rendered = render(email)
        if rendered is None:
            Email.objects.filter(pk=email.pk).update(
                status=Email.Status.SKIPPED, params={}, claimed_at=None, **forgotten(email)
            )
            return "skipped"
        message = EmailMultiAlternatives(
            rendered.subject, rendered.text, settings.DEFAULT_FROM_EMAIL, [email.to]
        )
        message.attach_alternative(rendered.html, "text/html")
        message.send()
    except Exception as error:  # noqa: BLE001 - whatever went wrong, keep the email and try again later
        return record_failure(email, error)
    # If the worker dies between the server's acceptance and this line, the sweep sends the
    # email again: a rare duplicate is the price of never losing one.
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        **forgotten(email),
    )
    return "sent"


def forgotten(email):
    """The fields that drop an email's address and ids, if it was queued to be forgotten when done."""
    return {"to": "", "params": {}} if email.forget_when_done else {}


def record_failure(email, error):
    logger.warning("Email %s not delivered (attempt %s): %s", email.pk, email.attempts, error)
    email.last_error = f"{type(error).__name__}: {error}"[:500]
    email.claimed_at = None
    if email.attempts >= settings.TASK_RETRY_LIMIT:
        email.status = Email.Status.FAILED
        email.next_attempt_at = None
        for name, value in forgotten(email).items():
            setattr(email, name, value)
    else:
        email.next_attempt_at = timezone.now() + timedelta(seconds=backoff(email.attempts))
    with transaction.atomic():
        email.save(update_fields=["status", "last_error", "next_attempt_at", "claimed_at", "to", "params"])
        if email.status == Email.Status.QUEUED:
            deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
    return "will retry" if email.status == Email.Status.QUEUED else "gave up"
