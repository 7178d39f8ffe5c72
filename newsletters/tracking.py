"""What the provider tells us after a message left: bounces, complaints and unsubscribes.

Each event of anymail's `tracking` signal is stored once (TrackingEvent, unique on the provider
and the event's id, or a digest of what identifies it where the provider gives no id) in the
same transaction as its effect, so a replayed webhook changes nothing and one that failed half
way changed nothing either. A hard bounce or a complaint stops every newsletter to the address;
soft bounces do after NEWSLETTER_SOFT_BOUNCE_LIMIT in a row; an unsubscribe ends the newsletter
the message came from.
"""

import contextlib
import hashlib
import logging

from anymail.signals import EventType, RejectReason
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .exceptions import AlreadyLeft
from .models import (
    Delivery,
    Newsletter,
    Subscriber,
    Subscription,
    Suppression,
    TrackingEvent,
    address_hash,
    normalise,
)

logger = logging.getLogger("canary.newsletters")

HANDLED = {
    EventType.BOUNCED,
    EventType.DEFERRED,
    EventType.COMPLAINED,
    EventType.UNSUBSCRIBED,
    EventType.REJECTED,
    EventType.DELIVERED,
}
# anymail calls these "bounced", but the provider says the failure may pass: Postmark's bounce
# Types, and SendGrid's "blocked" (a refusal for now, by the receiving server).
SOFT_PROVIDER_TYPES = {"SoftBounce", "Transient", "DnsError", "blocked"}
# Set on each message we send (sender.py); a provider's events carry them back. Not "newsletter":
# SendGrid keeps that name for its own.
METADATA_KEY = "canary_newsletter"
TAG_PREFIX = "newsletter-"


def on_tracking(sender, event, esp_name, **kwargs):
    outcome = record(event, esp_name)
    logger.info("%s %s event %s: %s", esp_name, event.event_type, event.event_id or "-", outcome)


def record(event, provider):
    """Apply one event, once; what was done, in a few words."""
    if event.event_type not in HANDLED:
        return "ignored"
    recipient = normalise(event.recipient or "")
    message_id = plain_id(event.message_id)
    if event.event_type == EventType.DELIVERED:
        # One for every message sent, so not stored (the table would grow by the list's size
        # each issue); ending a run of soft bounces twice does no harm.
        Subscriber.objects.filter(email=recipient, soft_bounces__gt=0).update(soft_bounces=0)
        return "delivered"
    with transaction.atomic():
        delivery = find_delivery(message_id, recipient)
        if delivery is not None and not recipient:
            recipient = delivery.subscriber.email
        stored = TrackingEvent(
            provider=provider[:30],
            key=event_key(event, provider, message_id, recipient),
            event=event.event_type[:20],
            address_hash=address_hash(recipient) if recipient else "",
            message_id=message_id[:200],
            delivery=delivery,
            occurred_at=event.timestamp,
            detail=(event.description or event.mta_response or "")[:300],
        )
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            return "already seen"
        stored.outcome = apply(event, recipient, delivery) if recipient else "no recipient"
        stored.save(update_fields=["outcome"])
    return stored.outcome


def plain_id(message_id):
    return str(message_id or "").strip().strip("<>")


def event_key(event, provider, message_id, recipient):
    if event.event_id:
        return str(event.event_id)[:200]
    at = event.timestamp.isoformat() if event.timestamp else ""
    identity = "\n".join([provider, message_id, event.event_type, at, recipient])
    return "digest:" + hashlib.sha256(identity.encode()).hexdigest()


def find_delivery(message_id, recipient):
    if not message_id:
        return None
    found = Delivery.objects.select_related("subscriber", "issue__newsletter").filter(message_id=message_id)
    for delivery in found[:2]:
        if not recipient or delivery.subscriber.email == recipient:
            return delivery
    return None


def apply(event, recipient, delivery):
    kind = event.event_type
    if kind == EventType.REJECTED:
        kind = {
            RejectReason.SPAM: EventType.COMPLAINED,
            RejectReason.UNSUBSCRIBED: EventType.UNSUBSCRIBED,
            RejectReason.INVALID: EventType.BOUNCED,
            RejectReason.BOUNCED: EventType.BOUNCED,
        }.get(event.reject_reason, EventType.DEFERRED)
    elif kind == EventType.BOUNCED and provider_type(event) in SOFT_PROVIDER_TYPES:
        kind = EventType.DEFERRED
    if kind == EventType.COMPLAINED:
        suppress_everywhere(recipient, Suppression.Reason.COMPLAINED)
        return "complaint: suppressed for every newsletter"
    if kind == EventType.BOUNCED:
        suppress_everywhere(recipient, Suppression.Reason.BOUNCED)
        if delivery is not None:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.BOUNCED, error=(event.description or "bounced")[:300]
            )
        return "hard bounce: suppressed for every newsletter"
    if kind == EventType.DEFERRED:
        # A provider reports each retry of one message (greylisting, a full mailbox for an hour):
        # a message counts once in a run, or one slow delivery would suppress a reader.
        message_id = plain_id(event.message_id)
        if (
            message_id
            and TrackingEvent.objects.filter(
                message_id=message_id[:200],
                address_hash=address_hash(recipient),
                outcome__startswith="soft bounce",
            ).exists()
        ):
            return "deferred again: this message is counted once"
        return soft_bounce(recipient)
    return unsubscribe(recipient, newsletter_of(event, delivery))


def provider_type(event):
    esp_event = event.esp_event
    return (esp_event.get("Type") or esp_event.get("type")) if isinstance(esp_event, dict) else None


def suppress_everywhere(address, reason):
    Suppression.objects.bulk_create(
        [Suppression(address_hash=address_hash(address), reason=reason)], ignore_conflicts=True
    )


def soft_bounce(address):
    """One more in the address's run; the run at the limit suppresses it."""
    if not Subscriber.objects.filter(email=address).update(soft_bounces=F("soft_bounces") + 1):
        return "soft bounce: not a subscriber"
    run = Subscriber.objects.filter(email=address).values_list("soft_bounces", flat=True).first() or 0
    if run >= settings.NEWSLETTER_SOFT_BOUNCE_LIMIT:
        suppress_everywhere(address, Suppression.Reason.SOFT_BOUNCED)
        return f"soft bounce {run} in a row: suppressed for every newsletter"
    return f"soft bounce {run} in a row"


def newsletter_of(event, delivery):
    """The newsletter a message was: its delivery's, else our metadata's or tag's slug."""
    if delivery is not None:
        return delivery.issue.newsletter
    slugs = [str((event.metadata or {}).get(METADATA_KEY, ""))]
    slugs += [tag.removeprefix(TAG_PREFIX) for tag in event.tags or [] if tag.startswith(TAG_PREFIX)]
    return Newsletter.objects.filter(slug__in=[slug for slug in slugs if slug]).first()


def unsubscribe(address, newsletter):
    """Ends that newsletter's subscription; with no newsletter known, every one (the reader
    asked the provider to stop, and we cannot tell which letter they meant)."""
    letters = [newsletter] if newsletter else list(Newsletter.objects.all())
    subscriptions = Subscription.objects.filter(
        subscriber__email=address, newsletter__in=letters
    ).select_related("subscriber")
    for subscription in subscriptions:
        with contextlib.suppress(AlreadyLeft):
            subscription.leave()
    Suppression.objects.bulk_create(
        [
            Suppression(
                address_hash=address_hash(address), newsletter=letter, reason=Suppression.Reason.UNSUBSCRIBED
            )
            for letter in letters
        ],
        ignore_conflicts=True,
    )
    return f"unsubscribed from {newsletter.slug}" if newsletter else "unsubscribed from every newsletter"
