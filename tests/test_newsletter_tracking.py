"""The provider's tracking webhooks: a hard bounce or a complaint stops every newsletter to the
address, soft bounces after several in a row, an unsubscribe the newsletter it came from. Each
event is stored once; a forged or unauthenticated request stores nothing."""

import pytest
from anymail.signals import tracking
from django.test import Client

from newsletters import sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.models import Delivery, Subscriber, Subscription, Suppression, TrackingEvent, address_hash
from tests.mail_server import Inbox, free_port
from tests.test_newsletter_sending import refusing_server  # noqa: F401 (a fixture)
from tests.tracking_helpers import (
    MAILGUN_KEY,
    MAILGUN_URL,
    SENDGRID_URL,
    auth,
    mailgun_event,
    permanent_failure,
    post,
    temporary_failure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def provider(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ["canary:hook-secret"], "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.ANYMAIL_PROVIDERS = {"mailgun", "sendgrid"}
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 3


@pytest.fixture
def letters():
    daily, weekly = make_newsletter(), make_newsletter("Weekly", "weekly")
    for address in ("reader@example.com", "other@example.com"):
        subscribed(daily, address)
        subscribed(weekly, address)
    return daily, weekly


def suppressed(address):
    return sorted(
        (s.newsletter.slug if s.newsletter else "all", s.reason)
        for s in Suppression.objects.filter(address_hash=address_hash(address))
    )


def test_a_hard_bounce_suppresses_every_newsletter_and_marks_the_delivery(letters):
    client = Client(enforce_csrf_checks=True)  # the provider has no CSRF token: its signature counts
    daily, _ = letters
    issue = make_issue(daily)
    sending.start(issue)
    Delivery.objects.update(status=Delivery.Status.SENT)
    delivery = Delivery.objects.get(subscriber__email="reader@example.com")
    Delivery.objects.filter(pk=delivery.pk).update(message_id="20261203.1.abc@mg.example.org")
    response = post(
        client, MAILGUN_URL, permanent_failure("reader@example.com", "20261203.1.abc@mg.example.org")
    )
    assert response.status_code == 200
    assert suppressed("reader@example.com") == [("all", "bounced")]
    assert suppressed("other@example.com") == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.BOUNCED
    [event] = TrackingEvent.objects.all()
    assert (event.provider, event.event, event.delivery) == ("Mailgun", "bounced", delivery)
    assert "does not exist" in event.detail
    assert event.address_hash == address_hash("reader@example.com")
    # The next issue of either letter leaves the address out.
    assert sending.start(make_issue(letters[1])) == 1


def test_a_forged_signature_is_refused_and_nothing_is_stored(client, letters):
    forged = permanent_failure("reader@example.com")
    forged["signature"]["signature"] = "0" * 64
    assert post(client, MAILGUN_URL, forged).status_code == 400
    signed_with_another_key = mailgun_event("complained", "reader@example.com", key="guessed")
    assert post(client, MAILGUN_URL, signed_with_another_key).status_code == 400
    # Rightly signed, but without our basic auth (a stranger replaying what they saw elsewhere).
    body = permanent_failure("reader@example.com")
    assert post(client, MAILGUN_URL, body, HTTP_AUTHORIZATION="").status_code == 400
    assert post(client, MAILGUN_URL, body, **auth("canary:wrong")).status_code == 400
    assert TrackingEvent.objects.count() == 0 and Suppression.objects.count() == 0


def test_a_provider_we_do_not_send_through_takes_no_events(client, letters):
    """Postmark signs nothing: with the secret known, its route must not be a way in."""
    bounce = {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Email": "reader@example.com",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "BouncedAt": "2026-12-03T10:00:00Z",
        "Description": "The server was unable to deliver your message.",
    }
    assert post(client, "/newsletters/provider/postmark/tracking/", bounce).status_code == 404
    assert TrackingEvent.objects.count() == 0 and Suppression.objects.count() == 0


def test_nothing_is_accepted_until_the_webhook_secret_is_set(client, settings, letters):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    response = post(client, MAILGUN_URL, permanent_failure("reader@example.com"))
    assert response.status_code == 500 and response.content == b"Webhook not configured."
    assert TrackingEvent.objects.count() == 0 and Suppression.objects.count() == 0


def test_a_replayed_event_is_stored_and_applied_once(client, letters):
    daily, weekly = letters
    body = mailgun_event(
        "unsubscribed", "reader@example.com", **{"user-variables": {"canary_newsletter": "daily"}}
    )
    assert post(client, MAILGUN_URL, body).status_code == 200
    Subscription.objects.filter(subscriber__email="reader@example.com", newsletter=daily).update(
        status=Subscription.Status.SUBSCRIBED, left_at=None
    )  # the reader signs up again afterwards; the old event, replayed, must not undo that
    assert post(client, MAILGUN_URL, body).status_code == 200
    assert TrackingEvent.objects.count() == 1
    assert (
        Subscription.objects.get(subscriber__email="reader@example.com", newsletter=daily).status
        == "subscribed"
    )


def test_an_unsubscribe_ends_the_newsletter_it_came_from_only(client, letters):
    daily, weekly = letters
    body = mailgun_event("unsubscribed", "reader@example.com", tags=["newsletter-weekly"])
    assert post(client, MAILGUN_URL, body).status_code == 200
    statuses = dict(
        Subscription.objects.filter(subscriber__email="reader@example.com").values_list(
            "newsletter__slug", "status"
        )
    )
    assert statuses == {"daily": "subscribed", "weekly": "unsubscribed"}
    assert suppressed("reader@example.com") == [("weekly", "unsubscribed")]


def test_a_complaint_suppresses_every_newsletter(client, letters):
    assert post(client, MAILGUN_URL, mailgun_event("complained", "Reader@Example.com")).status_code == 200
    assert suppressed("reader@example.com") == [("all", "complained")]
    assert sending.start(make_issue(letters[0])) == 1


def test_soft_bounces_suppress_after_several_in_a_row_and_a_delivery_resets_the_run(client, letters):
    for _ in range(2):
        post(client, MAILGUN_URL, temporary_failure("reader@example.com"))
    post(client, MAILGUN_URL, mailgun_event("delivered", "reader@example.com"))
    for _ in range(2):
        post(client, MAILGUN_URL, temporary_failure("reader@example.com"))
    assert suppressed("reader@example.com") == []
    post(client, MAILGUN_URL, temporary_failure("reader@example.com"))
    assert suppressed("reader@example.com") == [("all", "soft_bounced")]
    assert list(TrackingEvent.objects.order_by("pk").values_list("outcome", flat=True))[-1] == (
        "soft bounce 3 in a row: suppressed for every newsletter"
    )


def test_retries_of_one_message_count_as_one_soft_bounce(client, letters):
    for attempt in range(5):  # the provider tries again and again, and says so each time
        body = temporary_failure("reader@example.com")
        body["event-data"]["message"]["headers"]["message-id"] = "20261203.9.slow@mg.example.org"
        body["event-data"]["id"] = f"retry-{attempt}"
        post(client, MAILGUN_URL, body)
    assert suppressed("reader@example.com") == []
    assert Subscriber.objects.get(email="reader@example.com").soft_bounces == 1


def sendgrid_batch():
    """Six events in one post, as SendGrid's Event Webhook sends them."""
    base = {
        "timestamp": 1764745200,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "category": ["newsletter-daily"],
    }
    return [
        {**base, "email": "gone@example.com", "event": "bounce", "sg_event_id": "sg-1", "type": "bounce",
         "reason": "550 5.1.1 unknown recipient", "status": "5.1.1"},
        {**base, "email": "angry@example.com", "event": "spamreport", "sg_event_id": "sg-2"},
        {**base, "email": "reader@example.com", "event": "unsubscribe", "sg_event_id": "sg-3"},
        {**base, "email": "full@example.com", "event": "bounce", "sg_event_id": "sg-4", "type": "blocked",
         "reason": "452 4.2.2 mailbox full", "status": "4.2.2"},
        # No sg_event_id: stored once all the same, by its message, event, time and recipient.
        {**base, "email": "other@example.com", "event": "deferred", "response": "450 try later", "attempt": "1"},
        # Not stored (one comes for every message), but it ends a run of soft bounces.
        {**base, "email": "full@example.com", "event": "delivered", "sg_event_id": "sg-6", "response": "250 OK"},
    ]  # fmt: skip


def test_a_batch_applies_each_of_its_events(client, letters):
    assert post(client, SENDGRID_URL, sendgrid_batch()).status_code == 200
    assert post(client, SENDGRID_URL, sendgrid_batch()).status_code == 200  # a replay of the batch
    outcomes = dict(TrackingEvent.objects.values_list("key", "outcome"))
    assert len(outcomes) == 5 and "sg-6" not in outcomes
    [digested] = [key for key in outcomes if key.startswith("digest:")]
    assert outcomes[digested] == "soft bounce 1 in a row"  # once, though posted twice
    assert outcomes["sg-1"] == "hard bounce: suppressed for every newsletter"
    assert outcomes["sg-2"] == "complaint: suppressed for every newsletter"
    assert outcomes["sg-3"] == "unsubscribed from daily"
    assert outcomes["sg-4"] == "soft bounce: not a subscriber"
    assert suppressed("gone@example.com") == [("all", "bounced")]
    assert suppressed("angry@example.com") == [("all", "complained")]
    assert suppressed("full@example.com") == []
    assert suppressed("reader@example.com") == [("daily", "unsubscribed")]


def test_one_event_that_fails_does_not_drop_the_others_and_the_retry_applies_nothing_twice(client, letters):
    def fails_once(sender, event, esp_name, **kwargs):
        if event.event_id == "sg-2" and not failed:
            failed.append(event.event_id)
            raise RuntimeError("the database went away for this one")

    failed = []
    tracking.connect(fails_once, dispatch_uid="test-fails-once")
    try:
        # Receivers run in the order connected: ours first, then this one, which fails.
        response = post(client, SENDGRID_URL, sendgrid_batch())
        assert response.status_code == 500  # the provider sends the whole batch again later
        assert TrackingEvent.objects.count() == 5
        assert post(client, SENDGRID_URL, sendgrid_batch()).status_code == 200
    finally:
        tracking.disconnect(dispatch_uid="test-fails-once")
    assert TrackingEvent.objects.count() == 5
    assert suppressed("angry@example.com") == [("all", "complained")]


@pytest.mark.django_db(transaction=True)
def test_at_smtp_time_a_4xx_is_a_soft_bounce_and_a_message_that_goes_through_ends_the_run(refusing_server):  # noqa: F811
    from django.core.management import call_command

    daily = make_newsletter()
    for address in ("first@example.com", "full@example.com", "gone@example.com"):
        subscribed(daily, address)
    Subscriber.objects.update(soft_bounces=2)
    issue = make_issue(daily)
    sending.start(issue)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    runs = dict(Subscriber.objects.values_list("email", "soft_bounces"))
    assert runs["first@example.com"] == 0 and runs["full@example.com"] == 3
    assert suppressed("full@example.com") == [("all", "soft_bounced")]  # the third in a row
    assert suppressed("gone@example.com") == [("all", "bounced")]  # a 5xx: at once
    # The message that went is recorded under the Message-ID it carried, for later events.
    [message] = refusing_server.messages
    assert Delivery.objects.get(subscriber__email="first@example.com").message_id == message[
        "Message-ID"
    ].strip("<>")


class RefusingMessages:
    """A server that takes every recipient but refuses some messages once it has read them."""

    def __init__(self):
        self.inbox = Inbox()

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos[0].startswith("trap@"):
            return "554 5.7.1 Message refused as spam"
        if envelope.rcpt_tos[0].startswith("gone@"):
            return "550 5.1.1 No such user here"
        if envelope.rcpt_tos[0].startswith("full@"):
            return "452 4.2.2 Mailbox full"
        if envelope.rcpt_tos[0].startswith("busy@"):
            return "451 4.3.0 Try again later"
        return await self.inbox.handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_a_message_refused_after_its_data_suppresses_only_when_the_server_blames_the_address(settings):
    from aiosmtpd.controller import Controller
    from django.core.management import call_command

    handler = RefusingMessages()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.NEWSLETTER_EMAIL = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    settings.NEWSLETTER_EMAIL.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=controller.port, EMAIL_TIMEOUT=5)
    readers = (
        "trap@example.com",
        "gone@example.com",
        "full@example.com",
        "busy@example.com",
        "reader@example.com",
    )
    try:
        daily = make_newsletter()
        for address in readers:
            subscribed(daily, address)
        sending.start(make_issue(daily))
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        controller.stop()
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {
        "trap@example.com": "failed",  # a content filter refused the message, not the reader
        "gone@example.com": "bounced",
        "full@example.com": "failed",
        "busy@example.com": "failed",
        "reader@example.com": "sent",
    }
    assert suppressed("gone@example.com") == [("all", "bounced")]
    assert suppressed("trap@example.com") == [] and suppressed("busy@example.com") == []
    runs = dict(Subscriber.objects.values_list("email", "soft_bounces"))
    assert runs["full@example.com"] == 1 and runs["busy@example.com"] == 0 and runs["trap@example.com"] == 0
    assert [message.recipients for message in handler.inbox.messages] == [["reader@example.com"]]
