"""The links every newsletter email carries, absolute from SITE_URL and signed (see tokens)."""

from django.conf import settings
from django.urls import reverse

from .tokens import leave_token, preferences_token


def leave_url(subscriber, newsletter):
    """One-click unsubscribe (RFC 8058): a POST here leaves; a GET shows one button."""
    return settings.SITE_URL + reverse("newsletters:leave", args=[leave_token(subscriber, newsletter)])


def preferences_url(subscriber):
    """Choose newsletters, pause, or leave them all."""
    return settings.SITE_URL + reverse("newsletters:preferences", args=[preferences_token(subscriber)])
