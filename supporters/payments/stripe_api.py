"""Talking to Stripe: one client pinned to STRIPE_API_VERSION, one way to call it, and the few
readers of Stripe's objects that the provider and its subscription changes share.

The pinned `stripe` library speaks STRIPE_API_VERSION; Stripe's webhook endpoint must be set to
the same version in the dashboard: the payload shapes read here and in `supporters.views.webhooks` are
that version's (an invoice's subscription under parent.subscription_details, period ends on
subscription items).
"""

import functools
import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings

from ..exceptions import ProviderError

logger = logging.getLogger("canary.supporters")

# The API version of stripe==16.1.0 (stripe.api_version); change both together.
STRIPE_API_VERSION = "2026-10-28.endive"
METADATA_KEY = "canary_donation"
INTERVALS = {"monthly": "month", "annual": "year"}
FREQUENCIES = {interval: frequency for frequency, interval in INTERVALS.items()}
PAID_STATUSES = {"paid", "no_payment_required"}
# Seconds to connect and to read: a reader waits on these at checkout, so fail fast and say so.
TIMEOUT = (3, 10)
NETWORK_RETRIES = 2
# ProviderError's text may reach the reader (the account page shows it): the detail goes to the log.
UNREACHABLE = "We couldn’t reach our payment provider. Nothing changed; please try again shortly."


def from_timestamp(value):
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def object_id(value):
    """An expandable field's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


def donation_id_from(metadata):
    value = str((metadata or {}).get(METADATA_KEY, ""))
    return int(value) if value.isdigit() else None


def price_of(subscription):
    items = (subscription.get("items") or {}).get("data") or []
    return (items[0].get("price") or {}) if len(items) == 1 else {}


def period_end_of(subscription):
    """In this API version the billing period lives on each subscription item, not the subscription."""
    items = (subscription.get("items") or {}).get("data") or []
    ends = [item["current_period_end"] for item in items if item.get("current_period_end")]
    return from_timestamp(max(ends)) if ends else None


def client():
    if not settings.STRIPE_SECRET_KEY:
        logger.error("STRIPE_SECRET_KEY is not set: Stripe payments cannot start")
        raise ProviderError(UNREACHABLE)
    # STRIPE_API_BASE is not a documented setting: tests point the client at a local fake of the API.
    return _client(settings.STRIPE_SECRET_KEY, getattr(settings, "STRIPE_API_BASE", None))


@functools.lru_cache(maxsize=4)
def _client(secret_key, api_base):
    # One client per key, shared by threads (its HTTP sessions are per thread), so connections are reused.
    return stripe.StripeClient(
        secret_key,
        stripe_version=STRIPE_API_VERSION,
        max_network_retries=NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
        base_addresses={"api": api_base} if api_base else None,
    )


def call(action, request):
    """Run one API request; any Stripe failure becomes a ProviderError (the caller says so kindly)."""
    try:
        return request(client()).to_dict()
    except stripe.StripeError as error:
        logger.warning(
            "Stripe refused or could not be reached to %s: %s (status %s, request %s)",
            action,
            type(error).__name__,
            error.http_status,
            error.request_id,
        )
        raise ProviderError(UNREACHABLE) from error


def digits(value):
    value = str(value or "")
    return int(value) if value.isdigit() else None
