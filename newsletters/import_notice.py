"""The one mailing an import may lead to, sent only when asked for and never by the import itself.

Asking an address for consent by email is itself marketing, so only imported subscriptions whose
consent the old list recorded (a consent date in the file) are written to: once each, to say
they now get the newsletter from here, with the link to leave at once.
"""

from django.db import transaction
from django.utils import timezone

from mailroom.kinds import email_kind
from mailroom.services import queue_email

from .audience import unsuppressed
from .importing import SOURCE, WORDING_VERSION
from .links import leave_url, preferences_url
from .models import Consent, Subscription

IMPORTED_EMAIL = "newsletters/imported"
CHUNK = 500


def waiting(newsletter):
    """Imported consents with a recorded date, still subscribed, not yet told."""
    return Consent.objects.filter(
        newsletter=newsletter,
        wording_version=WORDING_VERSION,
        confirmed_at__isnull=False,
        notice_sent_at__isnull=True,
        subscription__source=SOURCE,
        subscription__status=Subscription.Status.SUBSCRIBED,
    )


def send_confirmations(newsletter, now=None):
    """Queue the mailing for this newsletter's imported readers with a recorded consent; how many."""
    now = now or timezone.now()
    queued = 0
    while True:
        with transaction.atomic():
            chunk = list(
                waiting(newsletter).select_related("subscription__subscriber").order_by("pk")[:CHUNK]
            )
            if not chunk:
                return queued
            allowed = {s.pk for s in unsuppressed(newsletter, [c.subscription.subscriber for c in chunk])}
            told = set()
            for consent in chunk:
                subscriber = consent.subscription.subscriber
                # One email per reader even when two imports recorded a consent for them.
                if subscriber.pk in allowed and subscriber.pk not in told:
                    queue_email(subscriber.email, IMPORTED_EMAIL, {"subscription": consent.subscription_id})
                    told.add(subscriber.pk)
            # Suppressed ones are marked too: they are never written to, and not looked at again.
            Consent.objects.filter(pk__in=[c.pk for c in chunk]).update(notice_sent_at=now)
            queued += len(told)


@email_kind(IMPORTED_EMAIL)
def imported(params, to):
    """Nothing if the reader left (or the address changed) between queueing and sending."""
    subscription = (
        Subscription.objects.current()
        .select_related("subscriber", "newsletter")
        .filter(pk=params.get("subscription"), subscriber__email=to)
        .first()
    )
    if subscription is None:
        return None
    return {
        "newsletter": subscription.newsletter.name,
        "leave": leave_url(subscription.subscriber, subscription.newsletter),
        "preferences": preferences_url(subscription.subscriber),
    }
