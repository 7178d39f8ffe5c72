"""The Stripe provider end to end: Checkout Sessions, the thanks page, the account page.

Stripe itself is faked only at its HTTP boundary (tests/fake_stripe.py): the real library sends
real requests to a loopback server, and webhooks are signed as Stripe signs them.
"""

import importlib.metadata
import json
from datetime import timedelta

import pytest
import stripe
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from mailroom.models import Email
from supporters.models import Donation, Plan, ProviderEvent, Supporter
from supporters.payments import get_provider
from supporters.payments.stripe import STRIPE_API_VERSION, StripeProvider
from tests.fake_stripe import (  # noqa: F401 - fixtures
    closed_port,
    fake_stripe_fixture,
    stripe_settings_fixture,
)
from tests.fake_stripe_billing import EVENTS
from tests.security_helpers import sign_in_by_link
from tests.stripe_webhook_helpers import deliver, finish_checkout, give, make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def test_library_and_api_version_are_pinned_together():
    assert importlib.metadata.version("stripe") == "16.1.0"
    assert stripe.api_version == STRIPE_API_VERSION
    for path in EVENTS.glob("*.json"):
        assert json.loads(path.read_text())["api_version"] == STRIPE_API_VERSION, path.name


def test_the_setting_chooses_stripe():
    assert isinstance(get_provider(), StripeProvider)


@pytest.mark.parametrize(
    ("frequency", "interval", "days"), [("monthly", "month", 30), ("annual", "year", 365)]
)
def test_a_plan_through_stripe_checkout_makes_a_signed_in_member(
    client, fake_stripe, settings, django_capture_on_commit_callbacks, frequency, interval, days
):
    donation, location = give(client, frequency=frequency, amount="5")
    (created,) = fake_stripe.calls_to("POST", "/v1/checkout/sessions")
    session_id = donation.provider_checkout_id
    assert location == fake_stripe.sessions[session_id]["url"]
    assert location.startswith("https://checkout.stripe.com/")
    # What we asked Stripe for, as it went over the wire.
    assert created.headers["Stripe-Version"] == STRIPE_API_VERSION
    assert created.headers["Authorization"] == f"Bearer {settings.STRIPE_SECRET_KEY}"
    sent = created.params
    assert sent["mode"] == "subscription"
    assert sent["line_items"] == [
        {
            "price_data": {
                "currency": "gbp",
                "product": "prod_TEST",
                "unit_amount": "500",
                "recurring": {"interval": interval},
            },
            "quantity": "1",
        }
    ]
    assert sent["metadata"] == {"canary_donation": str(donation.pk)}
    assert sent["subscription_data"] == {"metadata": {"canary_donation": str(donation.pk)}}
    assert "payment_intent_data" not in sent
    assert sent["client_reference_id"] == str(donation.pk)
    assert sent["customer_email"] == "reader@example.com"
    assert sent["success_url"] == f"http://testserver/support/thanks/?donation={donation.pk}"
    assert sent["cancel_url"] == "http://testserver/support/?declined=1"

    # Back before Stripe has said anything: still confirming, nothing paid.
    thanks = f"/support/thanks/?donation={donation.pk}"
    assert "Confirming your payment" in client.get(thanks).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response, session = finish_checkout(fake_stripe, donation, settings.STRIPE_WEBHOOK_SECRET)
    assert response.status_code == 200
    # The first invoice's own event follows; it must not add a second payment.
    first_invoice = make_event(
        "invoice.paid",
        id=session["invoice"],
        billing_reason="subscription_create",
        customer=session["customer"],
        parent={
            "quote_details": None,
            "subscription_details": {
                "metadata": {"canary_donation": str(donation.pk)},
                "subscription": session["subscription"],
                "subscription_proration_date": None,
            },
            "type": "subscription_details",
        },
    )
    assert deliver(Client(), first_invoice, settings.STRIPE_WEBHOOK_SECRET).status_code == 200

    page = client.get(thanks).content.decode()
    assert "Thank you, Rae Reader" in page
    assert "You are reading without ads in this browser" in page
    assert "Email me a sign-in link" in page  # paying opens no account
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.provider_payment_id == session["invoice"]
    plan = donation.plan
    assert plan.status == Plan.Status.ACTIVE
    assert plan.provider_subscription_id == session["subscription"]
    assert plan.provider_customer_id == session["customer"]
    assert abs(plan.current_period_end - (timezone.now() + timedelta(days=days))) < timedelta(minutes=5)
    assert Donation.objects.count() == 1
    assert Supporter.objects.get().is_member
    assert Email.objects.filter(template="supporters/receipt").count() == 1


def test_a_one_off_gift_through_stripe_and_its_refund(client, fake_stripe, settings):
    donation, _ = give(client, frequency="one_off", amount="20")
    sent = fake_stripe.calls_to("POST", "/v1/checkout/sessions")[0].params
    assert sent["mode"] == "payment"
    assert sent["submit_type"] == "donate"
    assert sent["line_items"][0]["price_data"] == {
        "currency": "gbp",
        "product": "prod_TEST",
        "unit_amount": "2000",
    }
    assert sent["payment_intent_data"] == {"metadata": {"canary_donation": str(donation.pk)}}
    assert "subscription_data" not in sent

    response, session = finish_checkout(fake_stripe, donation, settings.STRIPE_WEBHOOK_SECRET)
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    # A one-off is known by its payment intent, which is what a refund names.
    assert donation.provider_payment_id == session["payment_intent"]
    assert donation.plan is None
    supporter = donation.supporter
    assert supporter.is_member

    refund = make_event("charge.refunded", payment_intent=session["payment_intent"])
    assert deliver(Client(), refund, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert not supporter.is_member


def test_back_before_the_webhook_the_thanks_page_asks_stripe_and_the_webhook_changes_nothing(
    client, fake_stripe, settings, django_capture_on_commit_callbacks
):
    donation, _ = give(client)
    session = fake_stripe.complete(donation.provider_checkout_id)  # paid, but no webhook yet
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/support/thanks/?donation={donation.pk}").content.decode()
    assert "You are reading without ads in this browser" in page
    retrieved = fake_stripe.calls_to("GET", f"/v1/checkout/sessions/{session['id']}")
    assert retrieved and retrieved[0].params == {"expand": ["subscription"]}
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert donation.plan.current_period_end is not None
    assert ProviderEvent.objects.get().event_id == f"sync:{session['id']}:paid"

    with django_capture_on_commit_callbacks(execute=True):
        late = deliver(
            Client(), make_event("checkout.session.completed", session), settings.STRIPE_WEBHOOK_SECRET
        )
    assert late.status_code == 200
    assert Donation.objects.filter(status=Donation.Status.PAID).count() == 1
    assert Email.objects.filter(template="supporters/receipt").count() == 1
    assert ProviderEvent.objects.count() == 2


@pytest.mark.parametrize("outage", ["server error", "connection refused"])
def test_stripe_down_at_checkout_takes_nothing_and_says_so(client, fake_stripe, settings, outage):
    if outage == "server error":
        fake_stripe.fail_with = 500
    else:
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{closed_port()}"
    response = client.post(
        "/support/",
        {
            "frequency": "monthly",
            "amount": "5",
            "name": "Rae",
            "email": "reader@example.com",
            "consent": "on",
        },
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "couldn’t reach our payment provider" in page
    assert 'value="reader@example.com"' in page  # the form keeps what the reader typed
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PENDING
    assert donation.provider_checkout_id is None
    assert not donation.supporter.is_member
    if outage == "server error":
        # The library retried twice (with one idempotency key) before we gave up.
        calls = fake_stripe.calls_to("POST", "/v1/checkout/sessions")
        assert len(calls) == 3
        assert len({c.headers["Idempotency-Key"] for c in calls}) == 1


@pytest.mark.parametrize("missing", ["STRIPE_SECRET_KEY", "STRIPE_PRODUCT_ID"])
def test_missing_stripe_configuration_is_logged_and_the_reader_told(
    client, fake_stripe, settings, caplog, missing
):
    setattr(settings, missing, None)
    response = client.post(
        "/support/",
        {
            "frequency": "one_off",
            "amount": "5",
            "name": "Rae",
            "email": "reader@example.com",
            "consent": "on",
        },
    )
    assert response.status_code == 503
    assert f"{missing} is not set" in caplog.text
    assert fake_stripe.calls == []


def paid_member(client, fake, settings):
    donation, _ = give(client)
    finish_checkout(fake, donation, settings.STRIPE_WEBHOOK_SECRET)
    client.get(f"/support/thanks/?donation={donation.pk}")
    donation.refresh_from_db()
    sign_in_by_link(donation.supporter, client)  # paying opens no account: the emailed link does
    return donation.plan


def test_cancelling_on_the_account_page_cancels_at_the_period_end_with_stripe(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    response = client.post(f"/account/plans/{plan.pk}/cancel/", follow=True)
    (update,) = fake_stripe.calls_to("POST", f"/v1/subscriptions/{plan.provider_subscription_id}")
    assert update.params == {"cancel_at_period_end": "true"}
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert plan.cancel_at_period_end
    page = response.content.decode()
    local_end = timezone.localtime(plan.current_period_end)
    assert f"Your membership continues until {local_end.day} {local_end:%B %Y}" in page
    assert f"ends {local_end.day} {local_end:%B %Y}" in page
    assert plan.supporter.is_member

    # Stripe's own event for the same change follows; it agrees and changes nothing.
    subscription = fake_stripe.subscriptions[plan.provider_subscription_id]
    echo = make_event("customer.subscription.updated", subscription)
    assert deliver(Client(), echo, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    plan.refresh_from_db()
    assert plan.cancel_at_period_end and plan.status == Plan.Status.ACTIVE


def test_resuming_with_stripe_undoes_the_cancellation_and_charges_nothing(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    client.post(f"/account/plans/{plan.pk}/cancel/")
    client.post(f"/account/plans/{plan.pk}/resume/")
    updates = fake_stripe.calls_to("POST", f"/v1/subscriptions/{plan.provider_subscription_id}")
    assert [update.params for update in updates] == [
        {"cancel_at_period_end": "true"},
        {"cancel_at_period_end": "false"},
    ]
    assert not fake_stripe.subscriptions[plan.provider_subscription_id]["cancel_at_period_end"]
    assert not fake_stripe.calls_to("POST", "/v1/invoices") and not fake_stripe.calls_to(
        "POST", "/v1/charges"
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and not plan.cancel_at_period_end

    # Stripe's own event for the resumption agrees and changes nothing.
    echo = make_event(
        "customer.subscription.updated", fake_stripe.subscriptions[plan.provider_subscription_id]
    )
    assert deliver(Client(), echo, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    assert not Plan.objects.get(pk=plan.pk).cancel_at_period_end


def test_changing_the_amount_updates_the_subscription_item_without_proration(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    item = fake_stripe.subscriptions[plan.provider_subscription_id]["items"]["data"][0]["id"]
    client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "12.50"})
    (update,) = fake_stripe.calls_to("POST", f"/v1/subscription_items/{item}")
    assert update.params == {
        "price_data": {
            "currency": "gbp",
            "product": "prod_TEST",
            "unit_amount": "1250",
            "recurring": {"interval": "month"},
        },
        "proration_behavior": "none",
    }
    plan.refresh_from_db()
    assert plan.amount_pence == 1250


def test_the_customer_portal_is_where_cards_change(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    url = StripeProvider().manage_url(plan, "http://testserver/account/")
    (created,) = fake_stripe.calls_to("POST", "/v1/billing_portal/sessions")
    assert created.params == {
        "customer": plan.provider_customer_id,
        "return_url": "http://testserver/account/",
    }
    assert url.startswith("https://billing.stripe.com/p/session/")


def test_deleting_an_account_cancels_the_subscription_now(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    response = client.post("/account/delete/", {"confirm": "delete"})
    assert response.status_code == 302
    assert fake_stripe.calls_to("DELETE", f"/v1/subscriptions/{plan.provider_subscription_id}")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CANCELLED
    # Cancelling again (a retried deletion) is what Stripe refuses; it is still cancelled.
    event = StripeProvider().cancel_plan(plan, immediately=True)
    assert event.kind == "subscription_cancelled" and event.subscription_status == "canceled"


def test_stripe_down_on_the_account_page_changes_nothing(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    fake_stripe.fail_with = 503
    cancelled = client.post(f"/account/plans/{plan.pk}/cancel/", follow=True).content.decode()
    assert "couldn’t reach our payment provider. Nothing changed" in cancelled
    changed = client.post(f"/account/plans/{plan.pk}/amount/", {f"plan{plan.pk}-amount": "9"}, follow=True)
    assert "couldn’t reach our payment provider. Nothing changed" in changed.content.decode()
    plan.refresh_from_db()
    assert not plan.cancel_at_period_end
    assert plan.amount_pence == 500


def test_change_card_is_refused_clearly_when_stripe_cannot_make_the_page(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    fake_stripe.fail_with = 503
    response = client.post(f"/account/plans/{plan.pk}/card/", follow=True)
    assert "Card details can’t be changed online" in response.content.decode()


def test_the_card_link_opens_a_portal_that_can_only_change_the_card(client, fake_stripe, settings):
    from supporters.services import failed_payments

    plan = paid_member(client, fake_stripe, settings)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PAST_DUE, past_due_since=timezone.now())
    plan.refresh_from_db()
    link = f"/support/card/{failed_payments.card_token(plan)}/"
    for _ in range(2):
        response = Client().post(link)
        assert response.status_code == 302 and response["Location"].startswith("https://billing.stripe.com/")
        cache.clear()  # another app server, or a cache restarted: the configuration is found by its metadata

    (configuration,) = fake_stripe.portal_configurations.values()  # made once, then found again
    enabled = {name for name, feature in configuration["features"].items() if feature["enabled"]}
    assert enabled == {"payment_method_update", "invoice_history"}
    sessions = fake_stripe.calls_to("POST", "/v1/billing_portal/sessions")
    assert len(sessions) == 2
    assert sessions[0].params["configuration"] == configuration["id"]
    assert sessions[0].params["flow_data"]["type"] == "payment_method_update"
    assert sessions[0].params["return_url"] == f"{settings.SITE_URL}/support/card/done/"
