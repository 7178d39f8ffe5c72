"""Signing up: record what was asked and the consent wording, and send one confirmation email."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from mailroom.services import queue_email

from . import wording
from .models import Consent, Subscriber, Subscription, Suppression, normalise

CONFIRM_EMAIL = "newsletters/confirm"
# Lapsed sign-ups deleted in one run of the clock's job (a flood of them goes over several runs).
EXPIRE_AT_ONCE = 5000


def subscriber_for(email):
    """The subscriber row for an address, made once even when two sign-ups race."""
    try:
        with transaction.atomic():
            return Subscriber.objects.get_or_create(email=email)[0]
    except IntegrityError:
        return Subscriber.objects.get(email=email)


def sign_up(email, name, newsletters, *, endpoint, page="", now=None):
    """Ask for these newsletters for this address; the caller answers the same whatever happens.

    A letter already subscribed to is left as it is (re-signing someone up must not change
    anything for them); every other one becomes pending with a consent record, and one email
    asks the address to confirm them all. The typed name waits on the consent record until
    the address confirms, so a stranger's words never reach the subscriber row or our mail.
    """
    email = normalise(email)
    now = now or timezone.now()
    version, text = wording.current()
    with transaction.atomic():
        subscriber = subscriber_for(email)
        consents = []
        for newsletter in newsletters:
            subscription, _ = Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
            # Held back by a bounce, a complaint or an old list's unsubscribe, a subscription
            # asks again: only the reader's confirmation lifts that (Subscription.confirm).
            if subscription.status == Subscription.Status.SUBSCRIBED and not Suppression.applies(
                email, newsletter
            ):
                continue
            if subscription.status != Subscription.Status.PENDING:
                subscription.status = Subscription.Status.PENDING
                subscription.save(update_fields=["status"])
            consents.append(
                Consent.objects.create(
                    subscription=subscription,
                    newsletter=newsletter,
                    asked_at=now,
                    endpoint=endpoint[:300],
                    page=page[:300],
                    wording_version=version,
                    wording=text,
                    typed_name=name[:120],
                )
            )
        if consents:
            queue_email(email, CONFIRM_EMAIL, {"consents": [consent.pk for consent in consents]})
    return consents


def confirm(email, consent_ids, now=None):
    """Confirm the pending subscriptions these consents asked for; the newsletters confirmed."""
    now = now or timezone.now()
    confirmed = []
    with transaction.atomic():
        consents = (
            Consent.objects.select_for_update()
            .select_related("subscription__subscriber", "newsletter")
            .filter(pk__in=consent_ids, subscription__subscriber__email=email, confirmed_at__isnull=True)
        )
        for consent in consents:
            subscription = consent.subscription
            if subscription.status == Subscription.Status.PENDING:
                subscription.confirm(now)
            consent.confirmed_at = now
            consent.save(update_fields=["confirmed_at"])
            if consent.typed_name and not subscription.subscriber.name:
                subscription.subscriber.name = consent.typed_name
                subscription.subscriber.save(update_fields=["name"])
            confirmed.append(consent.newsletter)
    return confirmed


def pending_newsletters(email, consent_ids):
    return [
        consent.newsletter
        for consent in Consent.objects.select_related("newsletter").filter(
            pk__in=consent_ids, subscription__subscriber__email=email
        )
    ]


def expire_unconfirmed(now=None):
    """Sign-ups nobody confirmed within NEWSLETTER_PENDING_DAYS are deleted, consent records and
    the typed name with them, and the address too when it has no other subscription; nothing is
    kept, not even a hash. How many subscriptions went.

    The rows are locked first: a reader who confirms at that moment either wins (the subscription
    is no longer pending and stays) or finds the link expired.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.NEWSLETTER_PENDING_DAYS)
    with transaction.atomic():
        lapsed = list(
            Subscription.objects.unconfirmed_since(cutoff)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "subscriber_id")[:EXPIRE_AT_ONCE]
        )
        Subscription.objects.filter(
            pk__in=[pk for pk, _ in lapsed], status=Subscription.Status.PENDING
        ).delete()
        # Old unanswered requests of a subscription that stays (a letter confirmed once before and
        # asked for again, or an ask since): only the request goes, the typed name with it.
        unanswered = Consent.objects.filter(
            subscription__status=Subscription.Status.PENDING, confirmed_at__isnull=True, asked_at__lt=cutoff
        )
        Consent.objects.filter(pk__in=list(unanswered.values_list("pk", flat=True)[:EXPIRE_AT_ONCE])).delete()
        Subscriber.objects.filter(
            pk__in={subscriber for _, subscriber in lapsed}, subscriptions=None
        ).delete()
    return len(lapsed)
