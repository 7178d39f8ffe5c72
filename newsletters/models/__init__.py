"""The newsletters' models: the lists and their readers, the issues, and their deliveries."""

from .clicks import IssueLink
from .deliveries import Batch, Delivery
from .imports import SubscriberImport, SubscriberImportChunk
from .issues import Issue, Story
from .lists import Consent, Newsletter, Subscriber, Subscription, Suppression, address_hash, normalise
from .throttle import SendingSecond
from .tracking import TrackingEvent

__all__ = [
    "Batch",
    "Consent",
    "Delivery",
    "Issue",
    "IssueLink",
    "Newsletter",
    "SendingSecond",
    "Story",
    "Subscriber",
    "SubscriberImport",
    "SubscriberImportChunk",
    "Subscription",
    "Suppression",
    "TrackingEvent",
    "address_hash",
    "normalise",
]
