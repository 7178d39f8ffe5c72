"""Stripe's webhook: signatures, exactly-once processing, order, and each event type we act on.

Events are the hand-written fixtures in tests/stripe_events/ (shapes of the pinned API version),
signed with a secret made up for the test exactly as Stripe signs them.
"""

import json
import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client

from supporters.models import Donation, Plan, ProviderEvent
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.stripe_webhook_helpers import (
    at,
    deliver,
    finish_checkout,
    give,
    make_event,
    paid_plan,
    sign,
    subscription_invoice,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "fake_stripe")]

WEBHOOK = "/support/stripe/webhook/"


@pytest.fixture
def secret(settings):
    return settings.STRIPE_WEBHOOK_SECRET


@pytest.fixture
def stripe_client():
    """Stripe's side of the conversation: no cookies, no CSRF token."""
    return Client(enforce_csrf_checks=True)


# --- Who may talk to us -----------------------------------------------------------------------


def test_a_forged_signature_is_refused_and_changes_nothing(stripe_client, fake_stripe, secret):
    donation, _ = give(Client())
    session = fake_stripe.complete(donation.provider_checkout_id)
    event = make_event("checkout.session.completed", session)
    response = deliver(stripe_client, event, secret, signed_with="whsec_not_the_secret")
    assert response.status_code == 400
    assert response.content == b"Invalid signature."
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING
    assert not ProviderEvent.objects.exists()


def test_a_body_changed_after_signing_is_refused(stripe_client, fake_stripe, secret):
    donation, _ = give(Client())
    session = fake_stripe.complete(donation.provider_checkout_id)
    signed = json.dumps(make_event("checkout.session.completed", session, payment_status="unpaid"))
    forged = signed.replace('"unpaid"', '"paid"')
    response = stripe_client.post(
        WEBHOOK, data=forged, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(signed, secret)
    )
    assert response.status_code == 400
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_no_signature_is_refused(stripe_client):
    response = stripe_client.post(
        WEBHOOK, data=json.dumps(make_event("customer.created")), content_type="application/json"
    )
    assert response.status_code == 400


def test_a_stale_timestamp_is_refused(stripe_client, fake_stripe, secret):
    donation, _ = give(Client())
    session = fake_stripe.complete(donation.provider_checkout_id)
    event = make_event("checkout.session.completed", session)
    response = deliver(stripe_client, event, secret, timestamp=at(-301))
    assert response.status_code == 400
    assert Donation.objects.get().status == Donation.Status.PENDING
    assert deliver(stripe_client, event, secret, timestamp=at(-240)).status_code == 200


def test_a_signed_body_that_is_not_json_is_refused(stripe_client, secret):
    response = stripe_client.post(
        WEBHOOK,
        data="not json",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign("not json", secret),
    )
    assert response.status_code == 400


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "5", '{"type": ["a"]}', '{"id": 7, "type": "x"}'])
def test_a_signed_body_that_is_not_an_event_object_is_refused(stripe_client, secret, body):
    response = stripe_client.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, secret)
    )
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(stripe_client, secret):
    event = make_event("customer.created", description="x" * 300_000)
    assert deliver(stripe_client, event, secret).status_code == 413


def test_only_post_is_accepted(stripe_client):
    assert stripe_client.get(WEBHOOK).status_code == 405


def test_without_a_webhook_secret_events_are_refused_loudly(stripe_client, settings, caplog):
    secret = settings.STRIPE_WEBHOOK_SECRET
    settings.STRIPE_WEBHOOK_SECRET = None
    response = deliver(stripe_client, make_event("customer.created"), secret)
    assert response.status_code == 500  # Stripe retries once the secret is set
    assert "STRIPE_WEBHOOK_SECRET is not set" in caplog.text


def test_an_event_of_another_api_version_is_logged(stripe_client, secret, caplog):
    event = make_event("customer.created")
    event["api_version"] = "2024-06-20"
    assert deliver(stripe_client, event, secret).status_code == 200
    assert "set the webhook endpoint's version" in caplog.text


# --- Exactly once ---------------------------------------------------------------------------------


def test_unknown_event_types_are_acknowledged_and_ignored(stripe_client, secret):
    response = deliver(stripe_client, make_event("customer.created"), secret)
    assert response.status_code == 200
    assert response.content == b"Ignored."
    assert not ProviderEvent.objects.exists()


def test_a_replayed_event_changes_nothing(stripe_client, fake_stripe, secret):
    donation, plan, session = paid_plan(fake_stripe, secret)
    renewal = make_event(
        "invoice.paid",
        **subscription_invoice(
            donation,
            session["subscription"],
            session["customer"],
            invoice_id="in_renewal1",
            billing_reason="subscription_cycle",
        ),
    )
    first = deliver(stripe_client, renewal, secret)
    assert (first.status_code, first.content) == (200, b"Applied.")
    again = deliver(stripe_client, renewal, secret)
    assert (again.status_code, again.content) == (200, b"Duplicate.")
    assert Donation.objects.filter(plan=plan).count() == 2
    assert ProviderEvent.objects.filter(event_id=renewal["id"]).count() == 1


def test_a_processing_failure_answers_500_so_stripe_retries_and_keeps_the_reason_private(
    stripe_client, secret, caplog
):
    session = make_event("checkout.session.expired")["data"]["object"]
    session.update(id="cs_test_unknown_to_us", metadata={}, client_reference_id=None)
    response = deliver(stripe_client, make_event("checkout.session.expired", session), secret)
    assert response.status_code == 500
    assert b"cs_test_unknown_to_us" not in response.content
    assert "No donation for checkout cs_test_unknown_to_us" in caplog.text
    assert not ProviderEvent.objects.exists()  # so that the retry is applied, not a duplicate


@pytest.mark.django_db(transaction=True)
def test_duplicates_arriving_at_the_same_time_are_applied_once(fake_stripe, secret):
    donation, plan, session = paid_plan(fake_stripe, secret)
    renewal = make_event(
        "invoice.paid",
        **subscription_invoice(
            donation,
            session["subscription"],
            session["customer"],
            invoice_id="in_race1",
            billing_reason="subscription_cycle",
        ),
    )
    start = threading.Barrier(2)
    statuses = []

    def stripe_delivers():
        try:
            start.wait()
            statuses.append(deliver(Client(), renewal, secret).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=stripe_delivers) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "postgresql":
        # The second insert of the event id waits for the first transaction, then finds it.
        assert statuses == [200, 200]
    else:
        # SQLite serializes writers. The in-memory test database refuses a second writer at once
        # instead of waiting as the file database does: that delivery answers 500 with nothing
        # changed, and Stripe's retry finds the event already applied.
        assert sorted(statuses) in ([200, 200], [200, 500])
        if 500 in statuses:
            assert deliver(Client(), renewal, secret).content == b"Duplicate."
    assert Donation.objects.filter(provider_payment_id="in_race1").count() == 1
    assert Donation.objects.filter(plan=plan).count() == 2
    assert ProviderEvent.objects.filter(event_id=renewal["id"]).count() == 1


# --- Order ------------------------------------------------------------------------------------------


def test_an_older_event_arriving_late_never_moves_a_plan_back(stripe_client, fake_stripe, secret):
    _, plan, _ = paid_plan(fake_stripe, secret, created=at(-3600))
    subscription = fake_stripe.subscriptions[plan.provider_subscription_id]
    active = make_event("customer.subscription.updated", subscription, created=at(-60), status="active")
    past_due = make_event("customer.subscription.updated", subscription, created=at(-600), status="past_due")
    assert deliver(stripe_client, active, secret).status_code == 200
    assert deliver(stripe_client, past_due, secret).status_code == 200
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert plan.past_due_since is None
    assert plan.state_as_of == datetime.fromtimestamp(active["created"], tz=UTC)


def test_an_expiry_after_payment_does_not_decline_a_paid_gift(stripe_client, fake_stripe, secret):
    donation, plan, session = paid_plan(fake_stripe, secret)
    expired = make_event("checkout.session.expired", session, status="expired", payment_status="unpaid")
    assert deliver(stripe_client, expired, secret).status_code == 200
    donation.refresh_from_db()
    plan.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert plan.status == Plan.Status.ACTIVE


def test_an_abandoned_checkout_expires(stripe_client, fake_stripe, secret):
    donation, _ = give(Client())
    session = fake_stripe.sessions[donation.provider_checkout_id]
    expired = make_event("checkout.session.expired", session, status="expired")
    assert deliver(stripe_client, expired, secret).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.DECLINED
    assert donation.plan.status == Plan.Status.CANCELLED


# --- Delayed payment (Bacs Direct Debit) ------------------------------------------------------------


def test_a_delayed_payment_is_processing_until_stripe_confirms_it(stripe_client, fake_stripe, secret):
    donation, _ = give(Client(), frequency="one_off", amount="20")
    response, session = finish_checkout(fake_stripe, donation, secret, paid=False)
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PROCESSING
    assert donation.provider_payment_id == session["payment_intent"]
    assert not donation.supporter.is_member

    session["payment_status"] = "paid"
    succeeded = make_event("checkout.session.async_payment_succeeded", session)
    assert deliver(stripe_client, succeeded, secret).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.supporter.is_member


def test_a_delayed_payment_that_fails_takes_nothing(stripe_client, fake_stripe, secret):
    donation, _ = give(Client())
    _, session = finish_checkout(fake_stripe, donation, secret, paid=False)
    failed = make_event("checkout.session.async_payment_failed", session)
    assert deliver(stripe_client, failed, secret).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED
    assert donation.plan.status == Plan.Status.CANCELLED
    assert not donation.supporter.is_member
