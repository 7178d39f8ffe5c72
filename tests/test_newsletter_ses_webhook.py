"""Amazon SES's tracking webhook, and every provider's, runs anymail's own checks: a post without
ANYMAIL_WEBHOOK_SECRET is challenged (SES) or refused and changes nothing; SES's events come as
Amazon SNS sends them, an SNS Notification wrapping an SES notification (the shapes in AWS's
"Amazon SNS notification contents for Amazon SES" and "HTTP/HTTPS notification JSON format").
An SNS SubscriptionConfirmation fetches nothing: without boto3, which Canary does not install,
the operator is told to confirm it by hand."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from newsletters import sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.models import Delivery, Suppression, TrackingEvent, address_hash
from newsletters.webhooks import tracking_urls
from tests.tracking_helpers import SECRET, auth

pytestmark = pytest.mark.django_db

SES_URL = "/newsletters/provider/amazon_ses/tracking/"
TOPIC = "arn:aws:sns:eu-west-2:123456789012:canary-ses-tracking"
SES_MESSAGE_ID = "0102019395ab1c2d-5e6f7a8b-1c2d-4e5f-8a9b-0c1d2e3f4a5b-000000"


@pytest.fixture(autouse=True)
def provider(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET]}
    settings.ANYMAIL_PROVIDERS = {"amazon_ses"}


def ses_bounce(recipient):
    return {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": recipient,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
            ],
            "timestamp": "2026-12-04T03:10:00.000Z",
            "feedbackId": "0102019395ab1c2d-feedback-000000",
            "reportingMTA": "dsn; a8-50.smtp-out.eu-west-2.amazonses.com",
        },
        "mail": {
            "timestamp": "2026-12-04T03:09:58.000Z",
            "source": "letters@example.org",
            "sourceArn": "arn:aws:ses:eu-west-2:123456789012:identity/example.org",
            "sendingAccountId": "123456789012",
            "messageId": SES_MESSAGE_ID,
            "destination": [recipient],
        },
    }


def sns(kind, **fields):
    """An SNS message of `kind`, as its body and the headers SNS sends with it."""
    body = {
        "Type": kind,
        "MessageId": str(uuid.uuid4()),
        "TopicArn": TOPIC,
        "Timestamp": "2026-12-04T03:10:01.000Z",
        "SignatureVersion": "1",
        "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
        "SigningCertURL": "https://sns.eu-west-2.amazonaws.com/SimpleNotificationService-example.pem",
        **fields,
    }
    headers = {
        "HTTP_X_AMZ_SNS_MESSAGE_TYPE": kind,
        "HTTP_X_AMZ_SNS_MESSAGE_ID": body["MessageId"],
        "HTTP_X_AMZ_SNS_TOPIC_ARN": TOPIC,
        "HTTP_USER_AGENT": "Amazon Simple Notification Service Agent",
    }
    return json.dumps(body), headers


def notification(recipient):
    return sns("Notification", Message=json.dumps(ses_bounce(recipient)))


def post(body, headers, **credentials):
    client = Client(enforce_csrf_checks=True)  # SNS has no CSRF token: the secret is what counts
    return client.post(SES_URL, body, content_type="text/plain; charset=UTF-8", **headers, **credentials)


def nothing_changed():
    return TrackingEvent.objects.count() == 0 and Suppression.objects.count() == 0


def test_a_forged_ses_bounce_without_the_secret_is_challenged_or_refused_and_changes_nothing():
    letter = make_newsletter()
    subscribed(letter, "reader@example.com")
    body, headers = notification("reader@example.com")
    # No credentials: the 401 challenge SNS needs before it sends the ones in its URL.
    challenged = post(body, headers)
    assert challenged.status_code == 401
    assert challenged["WWW-Authenticate"].startswith("Basic ")
    # Wrong credentials, or a body that is not even JSON: refused before the body is read.
    assert post(body, headers, **auth("canary:guessed")).status_code == 400
    assert post("<not json>", headers, **auth("canary:guessed")).status_code == 400
    # The right secret, but not as SNS sends it: the header and the body disagree.
    assert post(body, {**headers, "HTTP_X_AMZ_SNS_MESSAGE_ID": "another"}, **auth()).status_code == 400
    assert nothing_changed()
    assert sending.start(make_issue(letter)) == 1  # the reader still gets the next issue


def test_a_real_ses_bounce_with_the_secret_suppresses_the_address_once():
    letter = make_newsletter()
    subscribed(letter, "reader@example.com")
    subscribed(letter, "other@example.com")
    issue = make_issue(letter)
    sending.start(issue)
    Delivery.objects.update(status=Delivery.Status.SENT)
    Delivery.objects.filter(subscriber__email="reader@example.com").update(message_id=SES_MESSAGE_ID)
    body, headers = notification("reader@example.com")
    assert post(body, headers, **auth()).status_code == 200
    assert post(body, headers, **auth()).status_code == 200  # SNS delivers at least once
    [event] = TrackingEvent.objects.all()
    assert (event.provider, event.event, event.delivery.subscriber.email) == (
        "Amazon SES",
        "bounced",
        "reader@example.com",
    )
    assert list(Suppression.objects.values_list("address_hash", "reason")) == [
        (address_hash("reader@example.com"), "bounced")
    ]
    assert Delivery.objects.get(subscriber__email="reader@example.com").status == Delivery.Status.BOUNCED
    assert sending.start(make_issue(letter)) == 1  # only other@ now


class Watched(BaseHTTPRequestHandler):
    """Counts every request made to it."""

    def do_GET(self):
        self.server.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def watched_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Watched)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/?Action=ConfirmSubscription", server.requests
    server.shutdown()
    server.server_close()


def test_a_subscription_confirmation_fetches_nothing_and_asks_the_operator(watched_url, caplog):
    url, requests = watched_url
    body, headers = sns(
        "SubscriptionConfirmation",
        Token="2336412f37fb687f5d51e6e241d164b0533302ec696efc8f113cd2252ce8a925",
        Message=f"You have chosen to subscribe to the topic {TOPIC}.",
        SubscribeURL=url,
    )
    assert post(body, headers).status_code == 401
    assert post(body, headers, **auth("canary:guessed")).status_code == 400
    with caplog.at_level("WARNING", logger="canary.newsletters"):
        assert post(body, headers, **auth()).status_code == 200
    assert requests == []
    assert "confirm it in the SNS console with token 2336412f" in caplog.text
    assert nothing_changed()


TRACKING_ROUTES = sorted(str(pattern.pattern).split("/", 1)[0] for pattern in tracking_urls())


@pytest.mark.parametrize("name", TRACKING_ROUTES)
def test_every_providers_tracking_webhook_refuses_a_post_without_the_secret(settings, name):
    """What anymail checks of each provider runs: the secret first, then its own signature."""
    settings.ANYMAIL_PROVIDERS = set(TRACKING_ROUTES)
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": [SECRET],
        # The keys some providers' views cannot be built without.
        "MAILERSEND_SIGNING_SECRET": "mailersend-signing-secret",
        "MAILGUN_WEBHOOK_SIGNING_KEY": "mailgun-signing-key",
        "POSTAL_WEBHOOK_KEY": "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC",
        "UNISENDER_GO_API_KEY": "unisender-go-api-key",
    }
    subscribed(make_newsletter(), "reader@example.com")
    url = f"/newsletters/provider/{name}/tracking/"
    forged = json.dumps([{"event": "bounce", "email": "reader@example.com", "type": "bounce"}])
    client = Client(enforce_csrf_checks=True)
    for credentials in ({}, auth("canary:guessed")):
        response = client.post(url, forged, content_type="application/json", **credentials)
        assert response.status_code == (401 if name == "amazon_ses" and not credentials else 400)
    assert nothing_changed()
