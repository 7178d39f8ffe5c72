"""Leaving, pausing and choosing newsletters, from a signed email link or a signed-in account.

The link (or the sign-in by emailed link) proves that the reader reads mail at the address, so
a newsletter chosen here is confirmed at once, with a consent record of where and in which
words, unless a suppression that is not the reader's own "leave" stands in the way (a bounce,
a complaint, an erasure, an imported unsubscribe): then only a fresh double opt-in by email
brings the address back.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from supporters.models import Supporter

from . import signup, tokens, wording
from .exceptions import AlreadyLeft
from .models import Consent, Newsletter, Subscriber, Subscription, Suppression

# The pauses a reader may choose: key, words, days.
PAUSES = {"2w": ("two weeks", 14), "1m": ("a month", 30), "3m": ("three months", 91)}


def subscription_for_leave_token(token):
    """The subscription a leave link names, or None for a forged, foreign or outdated link."""
    found = tokens.read_leave_token(token)
    if found is None:
        return None
    subscriber_id, newsletter_id, binding = found
    subscription = (
        Subscription.objects.select_related("subscriber", "newsletter")
        .filter(subscriber_id=subscriber_id, newsletter_id=newsletter_id)
        .first()
    )
    if subscription is None or not tokens.binds(subscription.subscriber, binding):
        return None
    return subscription


def subscriber_for_preferences_token(token):
    found = tokens.read_preferences_token(token)
    if found is None:
        return None
    subscriber_id, binding = found
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not tokens.binds(subscriber, binding):
        return None
    return subscriber


def leave(subscription, now=None):
    """Honoured at once; leaving twice is no error for the reader (True if this call ended it)."""
    try:
        subscription.leave(now)
    except AlreadyLeft:
        return False
    return True


def leave_all(subscriber, now=None):
    now = now or timezone.now()
    ended = []
    for subscription in subscriber.subscriptions.select_related("subscriber", "newsletter").exclude(
        status=Subscription.Status.UNSUBSCRIBED
    ):
        if leave(subscription, now):
            ended.append(subscription.newsletter)
    return ended


def pause_all(subscriber, pause, now=None):
    """Pause every confirmed subscription for one of PAUSES; the time it ends."""
    now = now or timezone.now()
    until = now + timedelta(days=PAUSES[pause][1])
    for subscription in subscriber.subscriptions.current():
        subscription.pause(until, now)
    return until


def resume_all(subscriber):
    for subscription in subscriber.subscriptions.current().filter(paused_until__isnull=False):
        subscription.resume()


def is_member(email):
    """A current member, by the address: members-only letters are offered only to them."""
    supporter = Supporter.objects.filter(email=email, erased_at__isnull=True).first()
    return supporter is not None and supporter.is_member


def offered(subscriber, member):
    """What a reader may choose here: the public letters offered to them, and any they hold."""
    held = subscriber.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED).values("newsletter")
    return (
        Newsletter.objects.public().offered_to(member) | Newsletter.objects.filter(pk__in=held)
    ).distinct()


def subscribe_proved(subscriber, newsletter, *, endpoint, page, now=None, ask=True):
    """Subscribe an address its reader has just proved; "subscribed", "already" or "confirm".

    "confirm" means a suppression stood in the way: a confirmation email was queued instead, or
    with ask=False is left for the caller to ask for with others in one email.
    """
    now = now or timezone.now()
    if Suppression.blocks_proved_sign_up(subscriber.email, newsletter):
        if ask:
            signup.sign_up(subscriber.email, "", [newsletter], endpoint=endpoint, page=page, now=now)
        return "confirm"
    version, text = wording.current()
    with transaction.atomic():
        subscription = _subscription(subscriber, newsletter)
        if subscription.status == Subscription.Status.SUBSCRIBED:
            return "already"
        if subscription.status != Subscription.Status.PENDING:
            subscription.status = Subscription.Status.PENDING
            subscription.save(update_fields=["status"])
        Consent.objects.create(
            subscription=subscription,
            newsletter=newsletter,
            asked_at=now,
            confirmed_at=now,
            endpoint=endpoint[:300],
            page=page[:300],
            wording_version=version,
            wording=text,
        )
        subscription.confirm(now)
    return "subscribed"


def choose(subscriber, chosen, *, endpoint, page, now=None):
    """Make the reader's confirmed letters exactly `chosen`: (joined, left, to confirm by email)."""
    now = now or timezone.now()
    chosen = set(chosen)
    joined, left, to_confirm = [], [], []
    for subscription in subscriber.subscriptions.current().select_related("subscriber", "newsletter"):
        if subscription.newsletter not in chosen and leave(subscription, now):
            left.append(subscription.newsletter)
    for newsletter in sorted(chosen, key=lambda letter: (letter.position, letter.name)):
        outcome = subscribe_proved(subscriber, newsletter, endpoint=endpoint, page=page, now=now, ask=False)
        if outcome == "subscribed":
            joined.append(newsletter)
        elif outcome == "confirm":
            to_confirm.append(newsletter)
    if to_confirm:  # one email asks for every letter a suppression held back
        signup.sign_up(subscriber.email, "", to_confirm, endpoint=endpoint, page=page, now=now)
    return joined, left, to_confirm


def _subscription(subscriber, newsletter):
    """The one row for this pair, locked; made once even when two requests race."""
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    except IntegrityError:
        subscription = Subscription.objects.get(subscriber=subscriber, newsletter=newsletter)
    return Subscription.objects.select_for_update().select_related("subscriber").get(pk=subscription.pk)
