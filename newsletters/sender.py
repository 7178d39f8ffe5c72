"""Sending one batch: one SMTP connection for all its messages, one message per reader.

What may go twice: a message is recorded as sent, and the lease renewed, after every
NEWSLETTER_RECORD_EVERY messages or once a third of the lease has passed since the last renewal,
whichever comes first, and that is checked before each message goes. So at a low shared rate or
on a slow server the lease never runs out under a worker that is still sending, and a worker
stalled past its lease learns so before its next message, which it does not send. A worker that
dies has sent at most that many messages it had not recorded yet (and the one on the wire), and
whoever takes its batch sends those again; nobody is skipped, because only a recorded message is
never sent again.
"""

import contextlib
import logging
import re
import smtplib
from datetime import timedelta
from email.utils import make_msgid
from functools import partial

from anymail.exceptions import AnymailError, AnymailRecipientsRefused, AnymailUnsupportedFeature
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import audience, mime, rendering
from .models import Batch, Delivery, Issue, Subscriber, Suppression, address_hash
from .models.deliveries import abandon
from .throttle import Throttle
from .tracking import METADATA_KEY, TAG_PREFIX, soft_bounce

logger = logging.getLogger("canary.newsletters")
# An enhanced status code about the recipient's address (X.1.X) or mailbox (X.2.X), RFC 3463.
ABOUT_READER = re.compile(r"\b[45]\.[12]\.\d{1,3}\b")

# A retried batch waits this long after its first failure, doubling each time, capped.
FIRST_RETRY_SECONDS = 30
# The lease is renewed once this share of it has passed since the last renewal, even short of
# NEWSLETTER_RECORD_EVERY messages: the rest covers the next message (a few commands of EMAIL_TIMEOUT).
RENEW_AFTER = 1 / 3
# Renders kept by a worker: an issue's copies for members and for everyone else, as text and as
# prebuilt message bytes (see mime).
_renders = {}


def bulk_connection():
    """The connection newsletters use: NEWSLETTER_EMAIL_URL's if set, else EMAIL_URL's (an SMTP
    server, or a provider's API through anymail, whose keys are in the ANYMAIL setting)."""
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
        _renders[key] = rendering.render(issue, member=member, tracked=True)
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


def send(batch_id, clock=timezone.now):
    """Claim the batch and send what is left of it; what happened, in a word.

    `clock` tells the lease's time (the tests' moves forward as a slow server would take it)."""
    lease = timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    batch = Batch.objects.select_related("issue__newsletter").filter(pk=batch_id).first()
    if batch is None or batch.state == Batch.State.DONE:
        return "nothing to send"
    if batch.issue.status != Issue.Status.SENDING:
        return "not sending"
    taken_at = clock()
    token = Batch.take(batch_id, lease, taken_at)
    if token is None:
        return "taken"
    return BatchRun(batch, token, lease, clock, taken_at).go()


class Refused(Exception):
    """The server refused this one message: hard (5xx) or for now (4xx); about the reader's address
    or mailbox, or about the message itself."""

    def __init__(self, code, reason, about_reader=True):
        super().__init__(f"{code} {reason}")
        self.code, self.about_reader = code, about_reader


class Lost(Exception):
    """The lease was taken over, or the issue paused: stop here."""


class BatchRun:
    def __init__(self, batch, token, lease, clock, taken_at):
        self.batch, self.token, self.lease = batch, token, lease
        self.clock, self.renewed_at = clock, taken_at
        self.issue = batch.issue
        self.newsletter = batch.issue.newsletter
        self.unrecorded = []  # (delivery id, subscriber id, message id) sent and not yet marked
        self.throttle = Throttle(settings.NEWSLETTER_MAX_RATE)
        self.metadata = True  # until the provider says it takes none (Postal)

    def go(self):
        try:
            todo, members = self.prepare()
            self.send_all(todo, members)
            self.record()
        except Lost as stop:
            self.record(renew=False)
            return str(stop)
        except (smtplib.SMTPException, OSError, AnymailError) as error:
            # The server, the provider or the network failed, not one reader: tried again later.
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
                self.throttle.wait()
                # A long wait for the shared rate, or a slow server, must not outlast the lease.
                if self.clock() - self.renewed_at >= self.lease * RENEW_AFTER:
                    self.record()
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
        provider = hasattr(connection, "esp_name")  # an anymail backend: the provider names it
        message_id = None if provider else make_msgid(domain=DNS_NAME)
        built = prebuilt(self.issue, member, connection)
        try:
            if built is not None and built.fits_links((leave, preferences)):
                refusing(partial(built.send, connection, subscriber.email, leave, preferences, message_id))
            else:
                message = mime.message(
                    copy,
                    self.newsletter,
                    subscriber.email,
                    leave,
                    preferences,
                    connection,
                    message_id=message_id,
                )
                # Read by anymail (ignored over SMTP): the provider's events name the newsletter.
                if self.metadata:
                    message.metadata = {
                        METADATA_KEY: self.newsletter.slug,
                        "canary_issue": str(self.issue.pk),
                    }
                message.tags = [TAG_PREFIX + self.newsletter.slug]
                self.deliver(connection, message)
                if provider:
                    message_id = getattr(getattr(message, "anymail_status", None), "message_id", None) or ""
        except Refused as refusal:
            self.refused(delivery, refusal)
            return
        self.unrecorded.append((delivery.pk, subscriber.pk, str(message_id).strip("<>")[:200]))

    def deliver(self, connection, message):
        try:
            refusing(lambda: connection.send_messages([message]))
        except AnymailUnsupportedFeature:
            # Raised before anything is sent. Without metadata the provider's events still
            # find the delivery by its message id, and the newsletter by the tag.
            if not hasattr(message, "metadata"):
                raise
            del message.metadata
            self.metadata = False
            refusing(lambda: connection.send_messages([message]))

    def refused(self, delivery, refusal):
        if not refusal.about_reader:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, at=timezone.now(), error=str(refusal)[:300]
            )
            return
        if refusal.code >= 500:
            bounce(delivery, str(refusal))
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, at=timezone.now(), error=str(refusal)[:300]
            )
            soft_bounce(delivery.subscriber.email)  # a 4xx: a soft bounce, suppressing after several

    def record(self, renew=True):
        """Mark what went as sent, renew the lease and look whether to go on."""
        if self.unrecorded:
            mark([pk for pk, _, _ in self.unrecorded], Delivery.Status.SENT)
            Delivery.objects.bulk_update(
                [
                    Delivery(pk=pk, message_id=message_id)
                    for pk, _, message_id in self.unrecorded
                    if message_id
                ],
                ["message_id"],
            )
            # A message that went through ends a run of soft bounces.
            Subscriber.objects.filter(
                pk__in=[subscriber for _, subscriber, _ in self.unrecorded], soft_bounces__gt=0
            ).update(soft_bounces=0)
        self.unrecorded = []
        if not renew:
            return
        if not self.still_sending():
            Batch.release(self.batch.pk, self.token)
            # Resumed while this worker was giving the batch back: it needs a task of its own.
            if self.still_sending():
                send_batch.enqueue(self.batch.pk)
            raise Lost("paused")
        now = self.clock()
        if not Batch.renew(self.batch.pk, self.token, self.lease, now):
            raise Lost("lost")
        self.renewed_at = now

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
        text = _text(error.smtp_error)
        # Refused once the message was read: about the reader only when the server says so
        # (X.1.X the address, X.2.X the mailbox); a content filter, a size limit or a blocklist
        # refuses the message, and suppressing readers for it would empty the list.
        raise Refused(error.smtp_code, text, about_reader=ABOUT_READER.search(text) is not None) from error
    except AnymailRecipientsRefused as error:
        # The provider refused the address (invalid, or on its own bounce or complaint list).
        raise Refused(550, str(error).splitlines()[0][:200]) from error


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
