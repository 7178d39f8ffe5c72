"""The providers' tracking webhooks: anymail's own views, verified as anymail verifies them,
mounted under /newsletters/provider/<provider>/tracking/.

Two changes to anymail's handling. Nothing is accepted until ANYMAIL_WEBHOOK_SECRET is set (the
basic auth in the URL given to the provider), so an address found by a stranger cannot feed us
bounces; a provider's own signature (Mailgun's, SendGrid's...) is checked as well where its key
is set. And each event of a batch is applied on its own: one that fails is logged and the
answer is a 500, so the provider sends the batch again, and the events already stored are
not applied twice (newsletters/tracking.py).
"""

import logging

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path

logger = logging.getLogger("canary.newsletters")


class EachEventOnItsOwn:
    provider = ""  # the URL's name for it, as in anymail://<provider>

    def post(self, request, *args, **kwargs):
        # Only the providers we send through answer: some (Postmark, SES) check no signature of
        # their own, so a mounted but unused route would take forged events on the secret alone.
        if self.provider not in settings.ANYMAIL_PROVIDERS:
            raise Http404("No such provider is configured.")
        if not getattr(self, "basic_auth", None):
            logger.error("ANYMAIL_WEBHOOK_SECRET is not set: %s tracking events are refused", self.esp_name)
            return HttpResponse("Webhook not configured.", status=500, content_type="text/plain")
        self.run_validators(request)  # a forgery raises, and Django answers 400
        events = self.parse_events(request)
        failed = 0
        for event in events:
            try:
                self.signal.send(sender=type(self), event=event, esp_name=self.esp_name)
            except Exception:
                failed += 1
                logger.exception(
                    "%s event %s failed; the provider will send it again", self.esp_name, event.event_id
                )
        if failed:
            return HttpResponse(
                f"{failed} of {len(events)} events failed.", status=500, content_type="text/plain"
            )
        return HttpResponse("OK", content_type="text/plain")


def tracking_urls():
    """anymail's tracking URLs, each view given the handling above."""
    found = []
    for pattern in anymail_urls.urlpatterns:
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not (pattern.name or "").endswith("tracking_webhook"):
            continue
        provider = str(pattern.pattern).split("/", 1)[0]
        ours = type(view.__name__, (EachEventOnItsOwn, view), {"provider": provider})
        found.append(path(str(pattern.pattern), ours.as_view(), name=pattern.name))
    return found
