"""Background email: delivered by the worker, retried with back-off when the server is down."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mailroom.models import Email
from mailroom.services import queue_email
from mailroom.tasks import backoff

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_queued_email_is_delivered_by_the_worker():
    queue_email("reader@example.com", "Your comment", "Thanks for writing.")
    run_worker()
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]
    assert Email.objects.get().status == Email.Status.SENT


def test_mail_server_down_keeps_the_email_and_schedules_a_retry(settings):
    # A real SMTP connection to a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    queue_email("reader@example.com", "Sign in", "Your link")
    run_worker()
    email = Email.objects.get()
    assert email.status == Email.Status.QUEUED
    assert email.attempts == 1
    assert "refused" in email.last_error.lower() or "connect" in email.last_error.lower()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()


def test_retry_delivers_once_the_server_is_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    queue_email("reader@example.com", "Receipt", "Thank you")
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert Email.objects.get().status == Email.Status.SENT
    assert len(mail.outbox) == 1


def test_an_expired_email_is_not_sent():
    queue_email("reader@example.com", "Old link", "Too late", expires_at=timezone.now())
    run_worker()
    assert Email.objects.get().status == Email.Status.EXPIRED
    assert mail.outbox == []


def test_back_off_doubles_and_is_capped(settings):
    settings.TASK_RETRY_MAX_DELAY = 600
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 480, 600]
