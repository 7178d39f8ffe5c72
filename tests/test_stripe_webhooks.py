"""Stripe's webhook: signatures, exactly-once processing, order, and each event type we act on.

Events are the hand-written fixtures in tests/stripe_events/ (shapes of the pinned API version),
signed with a secret made up for the test exactly as Stripe signs them.
"""

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from supporters.models import Donation, Plan, ProviderEvent
from tests.fake_stripe import (  # noqa: F401 - fixtures
    deliver,
    fake_stripe_fixture,
    finish_checkout,
    give,
    make_event,
    sign,
    stripe_settings_fixture,
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


# --- Renewals -----------------------------------------------------------------------------------


def test_each_renewal_is_its_own_donation_row(stripe_client, fake_stripe, secret):
    donation, plan, session = paid_plan(fake_stripe, secret, created=at(-3600))
    period_end = at(60 * 24 * 3600)
    renewal = make_event(
        "invoice.paid",
        **subscription_invoice(
            donation,
            session["subscription"],
            session["customer"],
            invoice_id="in_cycle2",
            billing_reason="subscription_cycle",
        ),
    )
    renewal["data"]["object"]["lines"]["data"][0]["period"]["end"] = period_end
    assert deliver(stripe_client, renewal, secret).status_code == 200
    second = Donation.objects.get(provider_payment_id="in_cycle2")
    assert second.pk != donation.pk
    assert (second.plan, second.status, second.amount_pence) == (plan, Donation.Status.PAID, 500)
    plan.refresh_from_db()
    assert plan.current_period_end == datetime.fromtimestamp(period_end, tz=UTC)
    assert deliver(stripe_client, renewal, secret).status_code == 200  # a replay
    assert Donation.objects.filter(plan=plan).count() == 2


@pytest.mark.parametrize("metadata", [True, False], ids=["with-donation-metadata", "without"])
def test_a_first_invoice_before_its_checkout_makes_exactly_one_paid_donation(
    stripe_client, fake_stripe, secret, metadata
):
    donation, _ = give(Client())
    session = fake_stripe.complete(donation.provider_checkout_id)
    invoice = make_event(
        "invoice.paid",
        **subscription_invoice(
            donation,
            session["subscription"],
            session["customer"],
            invoice_id=session["invoice"],
            billing_reason="subscription_create",
            metadata=metadata,
        ),
        created=at(-5),
    )
    early = deliver(stripe_client, invoice, secret)
    if metadata:
        # The subscription's metadata names our donation: the invoice alone is enough.
        assert early.status_code == 200
    else:
        # Nothing names the plan yet: 500, and Stripe retries after the checkout's event.
        assert early.status_code == 500
        assert Donation.objects.get().status == Donation.Status.PENDING
    completed = make_event("checkout.session.completed", session)
    assert deliver(stripe_client, completed, secret).status_code == 200
    if not metadata:
        assert deliver(stripe_client, invoice, secret).status_code == 200  # Stripe's retry
    donation.refresh_from_db()
    assert Donation.objects.count() == 1
    assert donation.status == Donation.Status.PAID
    assert donation.provider_payment_id == session["invoice"]
    assert donation.plan.status == Plan.Status.ACTIVE
    assert donation.plan.provider_subscription_id == session["subscription"]


# --- Refunds, failed payments, cancellation -----------------------------------------------------------


def test_refunding_a_plan_payment_finds_it_through_its_invoice(stripe_client, fake_stripe, secret):
    donation, _, session = paid_plan(fake_stripe, secret)
    payment_intent = fake_stripe.invoice_payments[0]["payment"]["payment_intent"]
    refund = make_event("charge.refunded", payment_intent=payment_intent, customer=session["customer"])
    assert deliver(stripe_client, refund, secret).status_code == 200
    listed = fake_stripe.calls_to("GET", "/v1/invoice_payments")
    assert listed[0].params["payment"] == {"type": "payment_intent", "payment_intent": payment_intent}
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED


def test_a_partial_refund_leaves_the_gift_standing(stripe_client, fake_stripe, secret):
    donation, _ = give(Client(), frequency="one_off", amount="20")
    _, session = finish_checkout(fake_stripe, donation, secret)
    partial = make_event(
        "charge.refunded", payment_intent=session["payment_intent"], refunded=False, amount_refunded=500
    )
    assert deliver(stripe_client, partial, secret).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert ProviderEvent.objects.filter(event_id=partial["id"]).exists()


def test_past_due_keeps_benefits_for_the_grace_period_then_cancellation_ends_them(
    stripe_client, fake_stripe, secret, settings
):
    settings.PAST_DUE_GRACE_DAYS = 14
    donation, plan, session = paid_plan(fake_stripe, secret, created=at(-3600))
    failed = make_event(
        "invoice.payment_failed",
        **subscription_invoice(
            donation,
            session["subscription"],
            session["customer"],
            invoice_id="in_failed3",
            billing_reason="subscription_cycle",
        ),
        created=at(-1800),
    )
    assert deliver(stripe_client, failed, secret).status_code == 200
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PAST_DUE
    assert donation.supporter.is_member
    Plan.objects.filter(pk=plan.pk).update(past_due_since=timezone.now() - timedelta(days=15))
    assert not donation.supporter.is_member

    subscription = fake_stripe.subscriptions[plan.provider_subscription_id]
    still_past_due = make_event(
        "customer.subscription.updated", subscription, created=at(-900), status="past_due"
    )
    assert deliver(stripe_client, still_past_due, secret).status_code == 200
    deleted = make_event("customer.subscription.deleted", subscription, created=at(-60), status="canceled")
    assert deliver(stripe_client, deleted, secret).status_code == 200
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CANCELLED
    assert plan.cancelled_at is not None
    assert not donation.supporter.is_member


def test_a_payment_confirmed_after_its_refund_is_acknowledged_and_changes_nothing(
    stripe_client, fake_stripe, secret
):
    """No retry could ever apply it: a 500 would have Stripe send it again for three days."""
    donation, _ = give(Client(), frequency="one_off", amount="20")
    _, session = finish_checkout(fake_stripe, donation, secret, paid=False)
    donation.refresh_from_db()
    donation.mark_paid(payment_id=session["payment_intent"])
    refund = make_event("charge.refunded", payment_intent=session["payment_intent"])
    assert deliver(stripe_client, refund, secret).status_code == 200
    session["payment_status"] = "paid"
    late = make_event("checkout.session.async_payment_succeeded", session)
    response = deliver(stripe_client, late, secret)
    assert (response.status_code, response.content) == (200, b"Stale.")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert deliver(stripe_client, late, secret).content == b"Duplicate."
