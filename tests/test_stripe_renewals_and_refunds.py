"""Stripe's webhook over a plan's life: each renewal its own gift, refunds, failed payments, the
grace period and cancellation (signatures, exactly-once and order are in test_stripe_webhooks.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from supporters.models import Donation, Plan, ProviderEvent
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.stripe_webhook_helpers import (
    at,
    deliver,
    finish_checkout,
    give,
    make_event,
    paid_plan,
    subscription_invoice,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "fake_stripe")]


@pytest.fixture
def secret(settings):
    return settings.STRIPE_WEBHOOK_SECRET


@pytest.fixture
def stripe_client():
    """Stripe's side of the conversation: no cookies, no CSRF token."""
    return Client(enforce_csrf_checks=True)


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


def test_a_disowned_plan_is_stopped_at_stripe_and_tried_again_while_stripe_is_down(fake_stripe, secret):
    from core import clock
    from core.models import Occurrence
    from tests.security_helpers import sign_in_by_link

    donation, _ = give(Client())  # by a browser that never signed in: the owner may disown it
    finish_checkout(fake_stripe, donation, secret)
    donation.refresh_from_db()
    owner = Client()
    sign_in_by_link(donation.supporter, owner)
    fake_stripe.fail_with = 503
    owner.post(f"/account/gifts/{donation.pk}/disown/")
    path = f"/v1/subscriptions/{donation.plan.provider_subscription_id}"
    now = timezone.now()
    clock.tick(now)
    plan = Plan.objects.get()
    assert not plan.cancel_at_period_end  # Stripe refused: nothing half-done here
    stop = Occurrence.objects.get(job="supporters.stop_disowned_plan")
    assert stop.state == Occurrence.State.DUE and "ProviderError" in stop.last_error
    fake_stripe.fail_with = None
    clock.tick(now + timedelta(minutes=5))
    plan.refresh_from_db()
    assert plan.cancel_at_period_end and plan.status == Plan.Status.ACTIVE
    assert fake_stripe.calls_to("POST", path)[-1].params == {"cancel_at_period_end": "true"}
    assert fake_stripe.subscriptions[plan.provider_subscription_id]["cancel_at_period_end"]


def test_an_account_deleted_while_stripe_is_down_is_finished_by_the_clock(fake_stripe, secret):
    from core import clock
    from mailroom.models import Email
    from supporters.models import Supporter
    from tests.security_helpers import sign_in_by_link

    donation, _ = give(Client())
    finish_checkout(fake_stripe, donation, secret)
    supporter = Supporter.objects.get()
    address = supporter.email
    owner = Client()
    sign_in_by_link(supporter, owner)
    fake_stripe.fail_with = 503
    page = owner.post("/account/delete/", {"confirm": "delete"}, follow=True).content.decode()
    assert "We will keep trying, then delete your account" in page
    assert owner.get("/account/").status_code == 302  # signed out all the same
    supporter.refresh_from_db()
    assert supporter.erased_at is None and supporter.email == address
    now = timezone.now()
    clock.tick(now + timedelta(minutes=6))  # the clock's first try: Stripe still down
    supporter.refresh_from_db()
    assert supporter.erased_at is None and Plan.objects.get().status == Plan.Status.ACTIVE
    fake_stripe.fail_with = None
    clock.tick(now + timedelta(hours=1))
    supporter.refresh_from_db()
    assert supporter.erased_at is not None and supporter.email != address
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.CANCELLED
    assert fake_stripe.calls_to("DELETE", f"/v1/subscriptions/{plan.provider_subscription_id}")
    assert Email.objects.filter(template="supporters/account_deleted").count() == 1
    assert Donation.objects.count() == 1  # the accounts keep the gift
