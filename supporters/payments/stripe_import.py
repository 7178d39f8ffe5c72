"""Stripe's side of bringing existing supporters over (supporters/importing.py).

Reading a subscription or a customer changes nothing. The one write, a subscription for a
customer the old shop billed itself, starts with a free period to the next payment date, so
nothing is charged before the day the shop would have charged; its idempotency key and its
metadata both come from the row, so a rerun (or a crash between Stripe's answer and our write)
never makes a second subscription.
"""

import stripe
from django.conf import settings

from ..exceptions import ProviderError
from .stripe import INTERVALS, call, object_id, period_end_of

IMPORT_KEY = "canary_import"
FREQUENCIES = {interval: frequency for frequency, interval in INTERVALS.items()}
RUNNING = ("active", "trialing")
PAGE = 100  # Stripe's largest page


class NotAtStripe(ProviderError):
    """Stripe answered, and has no such object."""


def _read(action, request):
    try:
        return call(action, request)
    except ProviderError as error:
        cause = error.__cause__
        if isinstance(cause, stripe.InvalidRequestError) and cause.http_status == 404:
            raise NotAtStripe(str(cause.user_message or cause)) from cause
        raise


def subscription(subscription_id):
    return _read("read a subscription to import", lambda c: c.v1.subscriptions.retrieve(subscription_id))


def terms(sub):
    """(pence, frequency, currency) of a one-item subscription; frequency None if not ours to take."""
    items = (sub.get("items") or {}).get("data") or []
    if len(items) != 1:
        return None, None, None
    price = items[0].get("price") or {}
    recurring = price.get("recurring") or {}
    frequency = (
        FREQUENCIES.get(recurring.get("interval")) if recurring.get("interval_count", 1) == 1 else None
    )
    pence = (price.get("unit_amount") or 0) * (items[0].get("quantity") or 1)
    return pence, frequency, (price.get("currency") or "").upper()


def active_subscriptions():
    """Every active subscription of the account, a page of 100 at a time, with its customer."""
    after = None
    while True:
        params = {"status": "active", "limit": PAGE, "expand": ["data.customer"]}
        if after:
            params["starting_after"] = after
        page = call("list active subscriptions", lambda c, p=params: c.v1.subscriptions.list(p))
        data = page.get("data") or []
        yield from data
        if not page.get("has_more") or not data:
            return
        after = data[-1]["id"]


def saved_card(customer_id):
    """The customer's default card for invoices, else the first card saved on them; None if none."""
    customer = _read("read a customer to import", lambda c: c.v1.customers.retrieve(customer_id))
    if customer.get("deleted"):
        raise NotAtStripe(f"No such customer: '{customer_id}'")
    default = object_id((customer.get("invoice_settings") or {}).get("default_payment_method"))
    if default:
        return default
    cards = call(
        "list a customer's cards",
        lambda c: c.v1.payment_methods.list({"customer": customer_id, "type": "card", "limit": 1}),
    )
    for card in cards.get("data") or []:
        return card["id"]
    return None


def made_for(customer_id, key):
    """A subscription an earlier run made for this row, found by its metadata (keys last a day)."""
    found = call(
        "look for an imported subscription",
        lambda c: c.v1.subscriptions.list({"customer": customer_id, "status": "all", "limit": 100}),
    )
    for sub in found.get("data") or []:
        if (sub.get("metadata") or {}).get(IMPORT_KEY) == key:
            return sub
    return None


def create_subscription(*, customer_id, card, pence, frequency, first_charge_at, key):
    params = {
        "customer": customer_id,
        "default_payment_method": card,
        "items": [
            {
                "price_data": {
                    "currency": "gbp",
                    "product": settings.STRIPE_PRODUCT_ID,
                    "unit_amount": pence,
                    "recurring": {"interval": INTERVALS[frequency]},
                }
            }
        ],
        # Free until the shop's next payment date: the first charge is then, in full, not prorated.
        "trial_end": int(first_charge_at.timestamp()),
        "proration_behavior": "none",
        "off_session": True,
        "metadata": {IMPORT_KEY: key},
    }
    return call(
        "create an imported subscription",
        lambda c: c.v1.subscriptions.create(params, {"idempotency_key": f"canary-import-{key}"}),
    )


__all__ = [
    "NotAtStripe",
    "RUNNING",
    "active_subscriptions",
    "create_subscription",
    "made_for",
    "period_end_of",
    "saved_card",
    "subscription",
    "terms",
]
