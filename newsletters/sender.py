"""Sending one batch: one SMTP connection for all its messages, one message per reader.

What may go twice: a message is recorded as sent in groups of NEWSLETTER_RECORD_EVERY, when
the lease is renewed too. A worker that dies has sent at most that many messages it had not
recorded yet (and the one on the wire), and whoever takes its batch sends those again; nobody
is skipped, because only a recorded message is never sent again. A worker whose lease ran out
while it was stalled learns at its next renewal and stops, after the same few at most.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import audience, mime, rendering
from .models import Batch, Delivery, Issue, Suppression, address_hash
from .models.deliveries import abandon

logger = logging.getLogger("canary.newsletters")

# A retried batch waits this long after its first failure, doubling each time, capped.
FIRST_RETRY_SECONDS = 30
# Renders kept by a worker: an issue's copies for members and for everyone else, as text and as
# prebuilt message bytes (see mime).
_renders = {}


def bulk_connection():
    """The connection newsletters use: NEWSLETTER_EMAIL_URL's if set, else EMAIL_URL's."""
    conf = settings.NEWSLETTER_EMAIL
    if conf is None:
        return get_connection()
    names = {
        "EMAIL_HOST": "host",
        "EMAIL_PORT": "port",
        "EMAIL_HOST_USER": "username",
        "EMAIL_HOST_PASSWORD": "password",
        "EMAIL_USE_SSL": "use_ssl",
        "EMAIL_USE_TLS": "use_tls",
        "EMAIL_TIMEOUT": "timeout",
    }
    return get_connection(
        conf["EMAIL_BACKEND"], **{names[key]: value for key, value in conf.items() if key in names}
    )


def rendered(issue, member):
    # The start time too: on SQLite a deleted issue's id can come back for a new one.
    key = (issue.pk, issue.started_at, member)
    if key not in _renders:
        if len(_renders) > 16:
            _renders.clear()
        _renders[key] = rendering.render(issue, member=member)
    return _renders[key]


def prebuilt(issue, member, connection):
    """The copy's message as bytes for this connection, or None where Django must build each."""
    if not mime.usable(connection):
        return None
    key = (issue.pk, issue.started_at, member, "mime")
    if key not in _renders:
        built = mime.Prebuilt(rendered(issue, member), issue.newsletter)
        _renders[key] = built if built.fits else None
    return _renders[key]


@task()
def send_batch(batch_id):
    return send(batch_id)


def send(batch_id, now=None):
    """Claim the batch and send what is left of it; what happened, in a word."""
    lease = timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    batch = Batch.objects.select_related("issue__newsletter").filter(pk=batch_id).first()
    if batch is None or batch.state == Batch.State.DONE:
        return "nothing to send"
    if batch.issue.status != Issue.Status.SENDING:
        return "not sending"
    token = Batch.take(batch_id, lease, now)
    if token is None:
        return "taken"
    return BatchRun(batch, token, lease).go()


class Refused(Exception):
    """The server refused this one message: hard (5xx) or for now (4xx)."""

    def __init__(self, code, reason):
        super().__init__(f"{code} {reason}")
        self.code = code


class Lost(Exception):
    """The lease was taken over, or the issue paused: stop here."""


class BatchRun:
    def __init__(self, batch, token, lease):
        self.batch, self.token, self.lease = batch, token, lease
        self.issue = batch.issue
        self.newsletter = batch.issue.newsletter
        self.unrecorded = []

    def go(self):
        try:
            todo, members = self.prepare()
            self.send_all(todo, members)
            self.record()
        except Lost as stop:
            self.record(renew=False)
            return str(stop)
        except (smtplib.SMTPException, OSError) as error:
            # The server or the network failed, not one reader: the batch is tried again later.
            self.record(renew=False)
            return self.retry_later(error)
        if Batch.complete(self.batch.pk, self.token):
            Issue.finish_if_done(self.issue.pk)
        return "sent"

    def prepare(self):
        """What is left to send, less those who left or were suppressed since the freeze."""
        deliveries = list(
            Delivery.objects.filter(batch=self.batch, status=Delivery.Status.QUEUED)
            .select_related("subscriber")
            .order_by("pk")
        )
        subscribers = [delivery.subscriber for delivery in deliveries]
        keep = audience.still_receiving(self.newsletter, subscribers)
        gone = [delivery.pk for delivery in deliveries if delivery.subscriber_id not in keep]
        mark(gone, Delivery.Status.SKIPPED)
        todo = [delivery for delivery in deliveries if delivery.subscriber_id in keep]
        if self.newsletter.members_only:
            members = {delivery.subscriber_id for delivery in todo}
        else:
            members = audience.members_among([delivery.subscriber for delivery in todo])
        return todo, members

    def send_all(self, todo, members):
        if not todo:
            return
        connection = bulk_connection()
        connection.open()
        try:
            for delivery in todo:
                self.send_one(connection, delivery, delivery.subscriber_id in members)
                if len(self.unrecorded) >= settings.NEWSLETTER_RECORD_EVERY:
                    self.record()
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # a dead one needs no goodbye
                connection.close()

    def send_one(self, connection, delivery, member):
        subscriber = delivery.subscriber
        copy = rendered(self.issue, member)
        leave, preferences = rendering.links_for(subscriber, self.newsletter)
        built = prebuilt(self.issue, member, connection)
        if built is not None and built.fits_links((leave, preferences)):
            send = partial(built.send, connection, subscriber.email, leave, preferences)
        else:
            message = mime.message(copy, self.newsletter, subscriber.email, leave, preferences, connection)
            send = partial(connection.send_messages, [message])
        try:
            refusing(send)
        except Refused as refusal:
            self.refused(delivery, refusal)
            return
        self.unrecorded.append(delivery.pk)

    def refused(self, delivery, refusal):
        if refusal.code >= 500:
            bounce(delivery, str(refusal))
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, at=timezone.now(), error=str(refusal)[:300]
            )

    def record(self, renew=True):
        """Mark what went as sent, renew the lease and look whether to go on."""
        mark(self.unrecorded, Delivery.Status.SENT)
        self.unrecorded = []
        if not renew:
            return
        if not self.still_sending():
            Batch.release(self.batch.pk, self.token)
            # Resumed while this worker was giving the batch back: it needs a task of its own.
            if self.still_sending():
                send_batch.enqueue(self.batch.pk)
            raise Lost("paused")
        if not Batch.renew(self.batch.pk, self.token, self.lease):
            raise Lost("lost")

    def still_sending(self):
        return Issue.objects.filter(pk=self.issue.pk, status=Issue.Status.SENDING).exists()

    def retry_later(self, error):
        logger.warning("Newsletter batch %s stopped: %s", self.batch, error)
        attempts = Batch.objects.filter(pk=self.batch.pk).values_list("attempts", flat=True).first() or 0
        with transaction.atomic():
            if not Batch.release(self.batch.pk, self.token, f"{type(error).__name__}: {error}"):
                return "lost"
            if attempts >= settings.TASK_RETRY_LIMIT:
                abandon(self.batch.pk, f"{type(error).__name__}: {error}")
                transaction.on_commit(lambda: Issue.finish_if_done(self.issue.pk))
                return "gave up"
            delay = min(settings.TASK_RETRY_MAX_DELAY, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))
            send_batch.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(self.batch.pk)
        return "will retry"


def refusing(send):
    """Run a send, turning a refusal of this one message into Refused; anything else passes."""
    try:
        send()
    except smtplib.SMTPRecipientsRefused as error:
        code, reason = next(iter(error.recipients.values()), (550, b"refused"))
        raise Refused(code, _text(reason)) from error
    except smtplib.SMTPDataError as error:
        raise Refused(error.smtp_code, _text(error.smtp_error)) from error


def _text(reason):
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def mark(ids, status):
    if ids:
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=status, at=timezone.now()
        )


def bounce(delivery, reason):
    """A hard refusal: recorded at once, and the address gets no newsletter again."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.BOUNCED, at=timezone.now(), error=reason[:300]
        )
        Suppression.objects.bulk_create(
            [
                Suppression(
                    address_hash=address_hash(delivery.subscriber.email), reason=Suppression.Reason.BOUNCED
                )
            ],
            ignore_conflicts=True,
        )
