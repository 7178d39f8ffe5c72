"""The newsletters' models: the lists and their readers, the issues, and their deliveries."""

from .clicks import IssueLink
from .deliveries import Batch, Delivery
from .imports import SubscriberImport, SubscriberImportChunk
from .issues import Issue, Story
from .lists import Consent, Newsletter, Subscriber, Subscription, Suppression, address_hash, normalise

__all__ = [
    "Batch",
    "Consent",
    "Delivery",
    "Issue",
    "IssueLink",
    "Newsletter",
    "Story",
    "Subscriber",
    "SubscriberImport",
    "SubscriberImportChunk",
    "Subscription",
    "Suppression",
    "address_hash",
    "normalise",
]
