"""The providers' tracking webhooks: anymail's own views, verified as anymail verifies them,
mounted under /newsletters/provider/<provider>/tracking/.

Each request goes through anymail's own `post`, so whatever anymail checks runs: the basic auth
of ANYMAIL_WEBHOOK_SECRET (Amazon SNS is first answered 401 with a challenge, as it needs before
it sends the credentials), and the provider's own signature where anymail knows one (Mailgun's,
SendGrid's...) once its key is set. Around it, three changes. Nothing is accepted until
ANYMAIL_WEBHOOK_SECRET is set, so an address found by a stranger cannot feed us bounces; the
secret is checked before anything else, so a stranger's body is never even parsed. And each event
of a batch is applied on its own: one that fails is logged and the answer is a 500, so the
provider sends the batch again, and the events already stored are not applied twice
(newsletters/tracking.py).
"""

import importlib.util
import logging

from anymail import urls as anymail_urls
from anymail.webhooks.amazon_ses import AmazonSESBaseWebhookView
from anymail.webhooks.base import AnymailBaseWebhookView, AnymailBasicAuthMixin
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path

logger = logging.getLogger("canary.newsletters")

# boto3 comes with django-storages[s3] (media in a bucket); the SES views are built without it too.
HAVE_BOTO3 = importlib.util.find_spec("boto3") is not None


class EachEventOnItsOwn:
    provider = ""  # the URL's name for it, as in anymail://<provider>

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The shared secret first (sorted is stable: the provider's own checks follow in order).
        secret = AnymailBasicAuthMixin.validate_request
        self.validators = sorted(self.validators, key=lambda check: check is not secret)

    def post(self, request, *args, **kwargs):
        # Only the providers we send through answer: some (Postmark, SES) check no signature of
        # their own, so a mounted but unused route would take forged events on the secret alone.
        if self.provider not in settings.ANYMAIL_PROVIDERS:
            raise Http404("No such provider is configured.")
        if not getattr(self, "basic_auth", None):
            logger.error("ANYMAIL_WEBHOOK_SECRET is not set: %s tracking events are refused", self.esp_name)
            return HttpResponse("Webhook not configured.", status=500, content_type="text/plain")
        # anymail's post validates (a forgery raises, and Django answers 400), parses, and sends
        # each event through self.signal: this request's, which applies them one by one.
        self.signal = OneByOne(type(self).signal, self.esp_name)
        response = super().post(request, *args, **kwargs)
        if self.signal.failed:
            return HttpResponse(
                f"{self.signal.failed} of {self.signal.sent} events failed.",
                status=500,
                content_type="text/plain",
            )
        return response


class OneByOne:
    """Stands in for anymail's tracking signal for one request: an event that fails is logged
    and counted, and the events after it are applied all the same."""

    def __init__(self, signal, esp_name):
        self.signal, self.esp_name = signal, esp_name
        self.sent = self.failed = 0

    def send(self, sender, **named):
        self.sent += 1
        try:
            self.signal.send(sender=sender, **named)
        except Exception:
            self.failed += 1
            event = named.get("event")
            logger.exception(
                "%s event %s failed; the provider will send it again",
                self.esp_name,
                getattr(event, "event_id", None),
            )


class SnsWithoutBoto3:
    """anymail's SES views ask for boto3 as they are built, though a tracking view needs it only
    to confirm an SNS subscription by calling AWS's API. Without boto3 the view is built without
    it (every check runs as before), and a confirmation request, once its credentials pass, is
    logged for the operator to confirm by hand: no address in it is fetched."""

    def __init__(self, **kwargs):
        if HAVE_BOTO3:
            super().__init__(**kwargs)
            return
        self.auto_confirm_enabled = False
        self.session_params, self.client_params = {}, {}
        AnymailBaseWebhookView.__init__(self, **kwargs)  # the basic auth, the validators, View

    def auto_confirm_sns_subscription(self, sns_message):
        reason = "Without boto3 Canary does not confirm it"
        if HAVE_BOTO3:
            try:
                return super().auto_confirm_sns_subscription(sns_message)
            except Exception as error:  # noqa: BLE001 (no AWS credentials, or AWS refused: the operator confirms)
                # anymail confirms through AWS's API with the server's AWS credentials; without
                # them (or with a bucket's, which may not reach SNS) SNS would retry a 500 forever.
                reason = f"Confirming through AWS's API failed ({type(error).__name__})"
        logger.warning(
            "Amazon SNS asks to confirm the subscription of topic %s to the tracking webhook. "
            "%s: confirm it in the SNS console with token %s",
            str(sns_message.get("TopicArn"))[:300],
            reason,
            str(sns_message.get("Token"))[:300],
        )
        return None


def tracking_urls():
    """anymail's tracking URLs, each view given the handling above."""
    found = []
    for pattern in anymail_urls.urlpatterns:
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not (pattern.name or "").endswith("tracking_webhook"):
            continue
        provider = str(pattern.pattern).split("/", 1)[0]
        bases = (EachEventOnItsOwn, view)
        if issubclass(view, AmazonSESBaseWebhookView):
            bases = (EachEventOnItsOwn, SnsWithoutBoto3, view)
        ours = type(view.__name__, bases, {"provider": provider})
        found.append(path(str(pattern.pattern), ours.as_view(), name=pattern.name))
    return found
