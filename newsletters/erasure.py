"""Erasing a supporter: their subscriptions end and the address goes, leaving only its hash.

Received from supporters.signals.erasing, inside the erasure's transaction. The all-letters
suppression keeps the hash so that no import or later sign-up brings the address back
without a fresh confirmed opt-in (Subscription.confirm lifts it for the letter confirmed).
"""

from django.utils import timezone

from .models import Subscriber, Suppression, address_hash, normalise


def erase(sender, address, **kwargs):
    email = normalise(address)
    Suppression.objects.bulk_create(
        [
            Suppression(
                address_hash=address_hash(email),
                newsletter=None,
                reason=Suppression.Reason.ERASED,
                created_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    # Subscriptions and their consent records go with the row: nothing keeps the address.
    Subscriber.objects.filter(email=email).delete()
