"""Background email: rendered and delivered by the worker, never separable from the write that
asked for it, retried with back-off, swept when a worker dies, and forgotten on request."""

import io
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mailroom.models import Email
from mailroom.services import queue_email, sweep
from mailroom.tasks import backoff, claim

pytestmark = pytest.mark.django_db(transaction=True)

LEGACY = "mailroom/legacy"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def note(body="Thanks for writing.", subject="Your comment"):
    return {"subject": subject, "body": body}


def test_queued_email_is_delivered_by_the_worker_to_a_real_smtp_server(smtp_server, settings):
    settings.COOP_LEGAL_NAME = "Canary News Co-operative Ltd"
    queue_email("reader@example.com", LEGACY, note())
    run_worker()
    [message] = smtp_server.messages
    assert message.recipients == ["reader@example.com"]
    assert message["Subject"] == "Your comment"
    text, html = smtp_server.parts(message)
    assert "Thanks for writing." in text and "Thanks for writing." in html
    assert "Canary News Co-operative Ltd" in text and "Canary News Co-operative Ltd" in html
    assert Email.objects.get().status == Email.Status.SENT


def test_the_email_and_its_delivery_task_commit_together_or_not_at_all():
    with transaction.atomic():
        email = queue_email("reader@example.com", LEGACY, note())
        # The task row is written on the same connection, inside the caller's transaction.
        assert DBTaskResult.objects.filter(args_kwargs__args=[email.pk]).exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email("other@example.com", LEGACY, note())
        raise RuntimeError("the write that asked for the email failed")
    assert Email.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_the_outbox_stores_no_text_and_no_live_link(client):
    from tests.supporters_helpers import give

    give(Client(), email="member@example.com", name="Mo Member")
    client.post("/account/login/", {"email": "member@example.com"})
    sign_in = Email.objects.get(template="supporters/sign_in")
    assert sign_in.params == {}
    from supporters.models import SignInToken

    # The link is made when the email is sent, by the worker.
    assert not SignInToken.objects.exists()
    run_worker()
    assert SignInToken.objects.count() == 1
    assert "/account/login/" in mail.outbox[-1].body


def test_mail_server_down_keeps_the_email_and_schedules_a_retry(settings):
    # A real SMTP connection to a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    queue_email("reader@example.com", LEGACY, note())
    run_worker()
    email = Email.objects.get()
    assert email.status == Email.Status.QUEUED
    assert email.attempts == 1 and email.claimed_at is None
    assert "refused" in email.last_error.lower() or "connect" in email.last_error.lower()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()


def test_retry_delivers_once_the_server_is_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    queue_email("reader@example.com", LEGACY, note())
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert Email.objects.get().status == Email.Status.SENT
    assert len(mail.outbox) == 1


def test_an_expired_email_is_not_sent():
    queue_email("reader@example.com", LEGACY, note(), expires_at=timezone.now())
    run_worker()
    assert Email.objects.get().status == Email.Status.EXPIRED
    assert mail.outbox == []


def test_back_off_doubles_and_is_capped(settings):
    settings.TASK_RETRY_MAX_DELAY = 600
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 480, 600]


def test_an_email_whose_worker_died_mid_send_is_swept_and_sent(smtp_server):
    email = queue_email("reader@example.com", LEGACY, note())
    # A worker takes the task and the email, then dies: the backend leaves its task running
    # for good, and the email claimed but unsent.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    assert claim(email.pk) is not None
    run_worker()
    assert smtp_server.messages == []

    assert sweep()["requeued"] == 0  # a worker may still be busy with it
    Email.objects.update(claimed_at=timezone.now() - timedelta(minutes=10))
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    assert sweep()["requeued"] == 1
    run_worker()
    assert len(smtp_server.messages) == 1
    assert Email.objects.get().status == Email.Status.SENT
    assert sweep()["requeued"] == 0


def test_how_long_an_email_may_sit_before_it_is_swept_is_a_setting(settings):
    queue_email("reader@example.com", LEGACY, note())
    DBTaskResult.objects.update(status="FAILED")
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=90))
    assert sweep()["requeued"] == 0  # the default: five minutes
    settings.MAIL_STRANDED_SECONDS = 60
    assert sweep()["requeued"] == 1


def test_an_email_whose_task_failed_outside_it_is_swept(smtp_server):
    queue_email("reader@example.com", LEGACY, note())
    # The task itself crashed before claiming (a database blip): the email was never tried.
    DBTaskResult.objects.update(status="FAILED")
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=6))
    assert sweep()["requeued"] == 1
    run_worker()
    assert len(smtp_server.messages) == 1


def test_the_admin_retries_a_given_up_email_now(smtp_server, settings):
    email = queue_email("reader@example.com", LEGACY, note())
    DBTaskResult.objects.all().delete()
    Email.objects.update(status=Email.Status.FAILED, attempts=8, last_error="SMTPServerDisconnected")
    admin = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    browser = Client()
    browser.force_login(admin)
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    response = browser.post(
        "/admin/mailroom/email/", {"action": "retry_now", "_selected_action": [email.pk]}, follow=True
    )
    assert "1 email(s) queued to be sent now" in response.content.decode()
    run_worker()
    assert len(smtp_server.messages) == 1
    assert Email.objects.get().status == Email.Status.SENT


def test_sent_emails_lose_their_address_after_30_days():
    old = queue_email("old@example.com", LEGACY, note())
    recent = queue_email("recent@example.com", LEGACY, note())
    run_worker()
    Email.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=31))
    assert sweep()["trimmed"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.to, old.params, old.status, old.template) == ("", {}, Email.Status.SENT, LEGACY)
    assert recent.to == "recent@example.com"


def test_the_worker_command_runs_tasks_and_sweep_outbox_sweeps_once(smtp_server):
    queue_email("reader@example.com", LEGACY, note())
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(smtp_server.messages) == 1
    out = io.StringIO()
    call_command("sweep_outbox", stdout=out)
    assert "Re-queued 0 stranded emails" in out.getvalue()


def ready_tasks():
    try:
        return DBTaskResult.objects.filter(status="READY").count()
    except OperationalError:  # in-memory SQLite refuses a reader while the ticking thread writes
        return 0


def test_the_worker_s_clock_sweeps_on_its_own_while_it_runs():
    from canary.management.commands.worker import tick_forever
    from core.models import Occurrence

    queue_email("reader@example.com", LEGACY, note())
    DBTaskResult.objects.update(status="FAILED")
    Email.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=6))
    stop = threading.Event()
    ticker = threading.Thread(target=tick_forever, args=(stop, 0.05), daemon=True)
    ticker.start()
    try:
        deadline = time.monotonic() + 10
        while not ready_tasks() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        ticker.join(5)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert Occurrence.objects.get(job="mailroom.sweep").state == Occurrence.State.DONE


def test_an_email_to_be_forgotten_drops_its_address_however_it_ends(settings, smtp_server):
    sent = queue_email("bye@example.com", LEGACY, note(), forget_when_done=True)
    kept = queue_email("stays@example.com", LEGACY, note())
    run_worker()
    sent.refresh_from_db(), kept.refresh_from_db()
    assert (sent.status, sent.to, sent.params) == (Email.Status.SENT, "", {})
    assert kept.to == "stays@example.com"  # ordinary mail keeps it for the usual 30 days

    # A mail server that never comes back: the last attempt gives up, and forgets too.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    failing = queue_email("gone@example.com", LEGACY, note(), forget_when_done=True)
    Email.objects.filter(pk=failing.pk).update(attempts=settings.TASK_RETRY_LIMIT - 1)
    run_worker()
    failing.refresh_from_db()
    assert (failing.status, failing.to, failing.params) == (Email.Status.FAILED, "", {})
