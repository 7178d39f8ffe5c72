"""Who receives an issue: the one definition, used when the audience is frozen and again
just before each message goes, so a reader who left, was suppressed or stopped being a member
after the freeze gets nothing.

The audience of a newsletter is its active subscriptions (Subscription.objects.active()), less
every address suppressed for it or for all newsletters, and for a members-only letter only the
subscribers whose address is a current member's (supporters' Supporter.objects.members()).
Suppressions keep a hash, not the address, so that test runs on a chunk of addresses at a time.
"""

from django.db.models import Q
from django.utils import timezone

from supporters.models import Supporter

from .models import Subscriber, Subscription, Suppression, address_hash

CHUNK = 1000


def candidates(newsletter, now=None):
    """Subscribers of the newsletter who may receive it, suppression apart (see unsuppressed)."""
    subscribed = Subscription.objects.active().filter(newsletter=newsletter).values("subscriber_id")
    found = Subscriber.objects.filter(pk__in=subscribed)
    if newsletter.members_only:
        found = found.filter(email__in=member_addresses(now))
    return found


def member_addresses(now=None):
    return Supporter.objects.members(now or timezone.now()).values("email")


def unsuppressed(newsletter, subscribers):
    """Those of these subscribers whose address is not suppressed for this newsletter."""
    hashes = {subscriber.pk: address_hash(subscriber.email) for subscriber in subscribers}
    blocked = set(
        Suppression.objects.filter(
            Q(newsletter__isnull=True) | Q(newsletter=newsletter), address_hash__in=set(hashes.values())
        ).values_list("address_hash", flat=True)
    )
    return [subscriber for subscriber in subscribers if hashes[subscriber.pk] not in blocked]


def recipients(newsletter, now=None):
    """Every subscriber who should receive an issue of this newsletter now, in id order, a chunk at a time."""
    chunk = []
    for subscriber in candidates(newsletter, now).only("pk", "email").order_by("pk").iterator(CHUNK):
        chunk.append(subscriber)
        if len(chunk) == CHUNK:
            yield from unsuppressed(newsletter, chunk)
            chunk = []
    yield from unsuppressed(newsletter, chunk)


def still_receiving(newsletter, subscribers, now=None):
    """The ids of these subscribers still in the audience: checked again as a batch is sent."""
    ids = [subscriber.pk for subscriber in subscribers]
    current = set(candidates(newsletter, now).filter(pk__in=ids).values_list("pk", flat=True))
    return {subscriber.pk for subscriber in unsuppressed(newsletter, subscribers) if subscriber.pk in current}


def members_among(subscribers, now=None):
    """The ids of these subscribers who are members now (their copy carries no appeal)."""
    emails = {subscriber.email: subscriber.pk for subscriber in subscribers}
    found = Supporter.objects.members(now or timezone.now()).filter(email__in=list(emails))
    return {emails[email] for email in found.values_list("email", flat=True)}


def count(newsletter, now=None):
    """How many would receive an issue sent now: what the send confirmation names."""
    return sum(1 for _ in recipients(newsletter, now))
