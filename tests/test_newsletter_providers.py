"""Bulk mail through a provider's HTTP API (django-anymail), configured from the environment,
while transactional mail keeps EMAIL_URL. The provider is faked at its HTTP boundary only."""

from collections import Counter

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from canary.connections import anymail_provider, anymail_settings, email_settings
from mailroom.services import queue_email
from newsletters import sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.links import leave_url
from newsletters.models import Batch, Delivery, Suppression, address_hash
from tests.fake_providers import FakePostal, FakePostmark

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_an_anymail_url_selects_the_providers_backend():
    assert email_settings("anymail://postmark") == {"EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend"}
    assert (
        email_settings("anymail://amazon-ses")["EMAIL_BACKEND"] == "anymail.backends.amazon_ses.EmailBackend"
    )
    assert anymail_provider("anymail://mailgun") == "mailgun"
    assert anymail_provider("smtp://relay.example.com") is None
    with pytest.raises(ImproperlyConfigured, match="names no provider"):
        email_settings("anymail://pigeon")


def test_the_providers_keys_come_from_its_usual_variables():
    environ = {
        "POSTMARK_SERVER_TOKEN": "from-postmark",
        "MAILGUN_API_KEY": "key-1",
        "MAILGUN_SENDER_DOMAIN": "mg.example.org",
        "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY": "signing",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "the bare one loses",
        "AMAZON_SES_CLIENT_PARAMS": '{"region_name": "eu-west-2"}',
        "AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": "False",
        "SENDGRID_API_KEY": "",
        "ANYMAIL_WEBHOOK_SECRET": "canary:first, canary:second",
        "PATH": "/usr/bin",
    }
    assert anymail_settings({"mailgun", "amazon_ses", "sendgrid"}, environ) == {
        "MAILGUN_API_KEY": "key-1",
        "MAILGUN_SENDER_DOMAIN": "mg.example.org",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "signing",
        "AMAZON_SES_CLIENT_PARAMS": {"region_name": "eu-west-2"},
        "AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": False,
        "WEBHOOK_SECRET": ["canary:first", "canary:second"],
    }
    # Another provider's keys stay out: only the providers in use are read.
    assert anymail_settings(set(), environ) == {"WEBHOOK_SECRET": ["canary:first", "canary:second"]}


def reader_named(readers, address):
    return next(reader for reader in readers if reader.email == address)


@pytest.fixture
def postmark(settings):
    fake = FakePostmark().start()
    settings.NEWSLETTER_EMAIL = email_settings("anymail://postmark")
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "server-token", "POSTMARK_API_URL": fake.url}
    yield fake
    fake.stop()


def test_bulk_mail_goes_through_the_provider_with_our_headers_and_transactional_mail_does_not(
    postmark, smtp_server
):
    daily = make_newsletter()
    readers = [subscribed(daily, f"reader{n}@example.com") for n in range(3)]
    issue = make_issue(daily, "Library saved")
    sending.start(issue)
    run_worker()
    assert Counter(payload["To"] for _, _, payload in postmark.calls) == {r.email: 1 for r in readers}
    for path, headers, payload in postmark.calls:
        assert path == "/email"
        assert headers["X-Postmark-Server-Token"] == "server-token"
        assert payload["Subject"] == "Library saved"
        sent = {header["Name"]: header["Value"] for header in payload["Headers"]}
        # The reader's own way out (its signature's time aside), in the header and both bodies.
        leave = sent["List-Unsubscribe"].strip("<>")
        assert leave.split(":")[:3] == leave_url(reader_named(readers, payload["To"]), daily).split(":")[:3]
        assert leave in payload["TextBody"] and leave in payload["HtmlBody"]
        assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert sent["List-Id"] == "The Daily Canary <daily.127.0.0.1>"
        assert payload["Metadata"] == {"canary_newsletter": "daily", "canary_issue": str(issue.pk)}
        assert payload["Tag"] == "newsletter-daily"
    # Each delivery keeps the provider's id for the message, which its later events carry.
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["sent"] * 3
    assert all(len(message_id) == 36 for message_id in Delivery.objects.values_list("message_id", flat=True))
    # A sign-in link or a receipt still goes by EMAIL_URL (here the SMTP server), not the provider.
    queue_email(
        "reader0@example.com", "mailroom/legacy", {"subject": "Your sign-in link", "body": "Follow it."}
    )
    run_worker()
    assert [message["Subject"] for message in smtp_server.messages] == ["Your sign-in link"]
    assert len(postmark.calls) == 3


def test_an_address_the_provider_refuses_is_a_hard_bounce(postmark):
    daily = make_newsletter()
    other = make_newsletter("Weekly", "weekly")
    for address in ("inactive@example.com", "reader@example.com"):
        subscribed(daily, address)
        subscribed(other, address)
    issue = make_issue(daily)
    sending.start(issue)
    run_worker()
    statuses = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    assert statuses == {"inactive@example.com": "bounced", "reader@example.com": "sent"}
    assert Suppression.objects.get(address_hash=address_hash("inactive@example.com")).newsletter is None
    assert sending.start(make_issue(other)) == 1


def test_a_provider_that_is_down_leaves_the_batch_for_a_later_try(postmark):
    postmark.down = True
    daily = make_newsletter()
    subscribed(daily, "reader@example.com")
    issue = make_issue(daily)
    sending.start(issue)
    run_worker()
    batch = Batch.objects.get(issue=issue)
    assert batch.state == Batch.State.WAITING and "AnymailRequestsAPIError" in batch.last_error
    assert Delivery.objects.get().status == Delivery.Status.QUEUED


def test_a_provider_that_takes_no_metadata_still_gets_every_message_once(settings):
    fake = FakePostal().start()
    settings.NEWSLETTER_EMAIL = email_settings("anymail://postal")
    settings.ANYMAIL = {"POSTAL_API_KEY": "postal-key", "POSTAL_API_URL": fake.url}
    try:
        daily = make_newsletter()
        for n in range(2):
            subscribed(daily, f"reader{n}@example.com")
        sending.start(make_issue(daily))
        run_worker()
    finally:
        fake.stop()
    assert sorted(payload["to"][0] for _, _, payload in fake.calls) == [
        "reader0@example.com",
        "reader1@example.com",
    ]
    assert all(payload["tag"] == "newsletter-daily" for _, _, payload in fake.calls)
    assert all(headers["X-Server-API-Key"] == "postal-key" for _, headers, _ in fake.calls)
    assert sorted(Delivery.objects.values_list("message_id", flat=True)) == ["1001", "1002"]
