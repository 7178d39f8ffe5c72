"""A gift membership through Stripe Checkout: one payment, no subscription, applied by the
webhook (not by the page the buyer returns to), and emailed once whatever Stripe repeats."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from supporters.models import Donation, GiftMembership, ProviderEvent
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.gift_helpers import inbox, order_gift, run_clock
from tests.stripe_webhook_helpers import deliver, finish_checkout, make_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stripe_settings")]


def test_a_gift_through_stripe_is_one_payment_and_its_webhook_sends_everything_once(fake_stripe, settings):
    response = order_gift(Client())
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert response["Location"] == fake_stripe.sessions[donation.provider_checkout_id]["url"]
    sent = fake_stripe.calls_to("POST", "/v1/checkout/sessions")[0].params
    assert sent["mode"] == "payment" and "subscription_data" not in sent
    assert sent["line_items"][0]["price_data"]["unit_amount"] == "6000"
    assert sent["customer_email"] == "bea@example.com"  # the buyer pays; the recipient is not Stripe's

    # Paid at Stripe, but until the webhook nothing is sent.
    reply, session = finish_checkout(fake_stripe, donation, settings.STRIPE_WEBHOOK_SECRET)
    assert reply.status_code == 200
    again = make_event("checkout.session.completed", session)
    assert deliver(Client(), again, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    assert ProviderEvent.objects.count() == 2
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID and donation.plan is None
    assert len(inbox("bea@example.com", "gift")) == 1
    run_clock(timezone.now())
    assert len(inbox("robin@example.com", "has given you")) == 1
    assert GiftMembership.objects.get().sent_at is not None


def test_a_gift_refunded_before_its_date_is_never_sent(fake_stripe, settings):
    order_gift(Client(), send="date", send_on=(timezone.localdate() + timedelta(days=3)).isoformat())
    donation = Donation.objects.get()
    _, session = finish_checkout(fake_stripe, donation, settings.STRIPE_WEBHOOK_SECRET)
    refund = make_event("charge.refunded", payment_intent=session["payment_intent"])
    assert deliver(Client(), refund, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    run_clock(timezone.now() + timedelta(days=4))
    assert inbox("robin@example.com") == []
