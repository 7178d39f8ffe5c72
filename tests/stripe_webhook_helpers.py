"""Stripe's side of a conversation with us: events from the fixtures in tests/stripe_events/, signed
and delivered as Stripe does, and a reader's way through checkout."""

import copy
import hashlib
import hmac
import json
import time
import uuid

from django.test import Client

from tests.fake_stripe import fixture_event


def make_event(name, obj=None, *, event_id=None, created=None, **changes):
    """A Stripe event from a fixture: its object replaced or changed, a fresh id, created now."""
    event = fixture_event(name)
    if obj is not None:
        event["data"]["object"] = copy.deepcopy(obj)
    event["data"]["object"].update(changes)
    event["id"] = event_id or f"evt_test_{uuid.uuid4().hex[:24]}"
    event["created"] = int(time.time()) if created is None else int(created)
    return event


def sign(payload, secret, timestamp=None):
    """The Stripe-Signature header, computed as Stripe does: HMAC-SHA256 of "{t}.{body}"."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    body = payload.decode() if isinstance(payload, bytes) else payload
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(client, event, secret, *, timestamp=None, signed_with=None):
    """POST an event to the webhook the way Stripe delivers it."""
    payload = json.dumps(event, indent=2)
    return client.post(
        "/support/stripe/webhook/",
        data=payload,
        content_type="application/json; charset=utf-8",
        HTTP_STRIPE_SIGNATURE=sign(payload, signed_with or secret, timestamp),
        HTTP_USER_AGENT="Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    )


def give(client, frequency="monthly", amount="5", email="reader@example.com", name="Rae Reader"):
    """Submit the support form; returns the pending donation and where the reader was sent."""
    from supporters.models import Donation

    response = client.post(
        "/support/",
        {"frequency": frequency, "amount": amount, "name": name, "email": email, "consent": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Donation.objects.latest("id"), response["Location"]


def finish_checkout(fake, donation, secret, paid=True, created=None):
    """The reader pays on Stripe's page, then Stripe sends checkout.session.completed."""
    from django.test import Client

    session = fake.complete(donation.provider_checkout_id, paid=paid)
    event = make_event("checkout.session.completed", session, created=created)
    return deliver(Client(), event, secret), session


def subscription_invoice(
    donation, subscription_id, customer, *, invoice_id, billing_reason, metadata=True, **changes
):
    """Changes to an invoice fixture for one of our plans: the subscription sits under parent here."""
    parent = {
        "quote_details": None,
        "subscription_details": {
            "metadata": {"canary_donation": str(donation.pk)} if metadata else {},
            "subscription": subscription_id,
            "subscription_proration_date": None,
        },
        "type": "subscription_details",
    }
    return {
        "id": invoice_id,
        "billing_reason": billing_reason,
        "customer": customer,
        "parent": parent,
        **changes,
    }


def paid_plan(fake, secret, created=None):
    donation, _ = give(Client())
    response, session = finish_checkout(fake, donation, secret, created=created)
    assert response.status_code == 200
    donation.refresh_from_db()
    return donation, donation.plan, session


def at(seconds_from_now):
    return int(time.time()) + seconds_from_now
