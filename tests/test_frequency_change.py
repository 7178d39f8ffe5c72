"""Monthly to annual (or back) from the end of the period already paid for: nothing charged early,
the billing date kept, and a cancellation in between wins."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from supporters.exceptions import IllegalTransition
from supporters.models import Plan
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.security_helpers import sign_in_by_link
from tests.stripe_webhook_helpers import deliver, make_event
from tests.supporters_helpers import give
from tests.test_stripe import paid_member

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes connections


def sent(subject_start):
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return [m for m in mail.outbox if m.subject.startswith(subject_start)]


def long_date(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


@pytest.mark.usefixtures("stripe_settings")
def test_monthly_to_annual_waits_for_the_period_end_through_a_schedule(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    fake_stripe.subscriptions[plan.provider_subscription_id]["start_date"] -= 90 * 86400  # three months in
    page = client.post(
        f"/account/plans/{plan.pk}/frequency/",
        {f"often{plan.pk}-frequency": "annual", f"often{plan.pk}-amount": "60"},
        follow=True,
    )
    ends = long_date(plan.current_period_end)
    assert f"From {ends} you give £60 a year. Nothing changes before then." in page.content.decode()

    (created,) = fake_stripe.calls_to("POST", "/v1/subscription_schedules")
    assert created.params == {"from_subscription": plan.provider_subscription_id}
    (schedule_id,) = fake_stripe.schedules
    (update,) = fake_stripe.calls_to("POST", f"/v1/subscription_schedules/{schedule_id}")
    now_phase, next_phase = update.params["phases"]
    item = fake_stripe.subscriptions[plan.provider_subscription_id]["items"]["data"][0]
    subscription = fake_stripe.subscriptions[plan.provider_subscription_id]
    assert now_phase["start_date"] == str(subscription["start_date"])  # the phase under way, as it began
    assert now_phase["end_date"] == str(item["current_period_end"])  # today's price to the end
    assert next_phase["items"][0]["price_data"]["unit_amount"] == "6000"
    assert next_phase["items"][0]["price_data"]["recurring"] == {"interval": "year"}
    assert next_phase["proration_behavior"] == "none"
    assert not fake_stripe.calls_to("POST", f"/v1/subscriptions/{plan.provider_subscription_id}")

    plan.refresh_from_db()
    assert (plan.frequency, plan.amount_pence, plan.next_frequency, plan.next_amount_pence) == (
        "monthly",
        500,
        "annual",
        6000,
    )
    (told,) = sent(f"From {ends} you give £60 a year")
    assert "instead of £5 a month" in told.body
    assert "Change amount" not in client.get("/account/").content.decode()  # one change at a time

    # The period runs out: Stripe moves the subscription to the new phase and says so.
    subscription = fake_stripe.start_next_phase(schedule_id)
    event = make_event("customer.subscription.updated", subscription)
    assert deliver(Client(), event, settings.STRIPE_WEBHOOK_SECRET).status_code == 200
    plan.refresh_from_db()
    assert (plan.frequency, plan.amount_pence, plan.next_frequency) == ("annual", 6000, "")
    (now,) = sent("Your gift is now £60 a year")
    assert "it was £5 a month" in now.body


@pytest.mark.usefixtures("stripe_settings")
def test_cancelling_while_a_change_waits_drops_the_change_and_stops_the_gift(client, fake_stripe, settings):
    plan = paid_member(client, fake_stripe, settings)
    client.post(
        f"/account/plans/{plan.pk}/frequency/",
        {f"often{plan.pk}-frequency": "annual", f"often{plan.pk}-amount": "60"},
    )
    (schedule_id,) = fake_stripe.schedules
    client.post(f"/account/plans/{plan.pk}/cancel/")
    assert fake_stripe.calls_to("POST", f"/v1/subscription_schedules/{schedule_id}/release")
    assert fake_stripe.subscriptions[plan.provider_subscription_id]["cancel_at_period_end"]
    plan.refresh_from_db()
    assert plan.cancel_at_period_end and (plan.next_frequency, plan.provider_schedule_id) == ("", "")
    # The emailed confirmation of the change, not sent yet, no longer holds: it is dropped.
    assert sent("From ") == []


def test_the_model_refuses_what_makes_no_sense():
    donation, _ = give(Client(), email="mo@example.com")
    plan = donation.plan
    for frequency, amount in [("monthly", 500), ("weekly", 500), ("annual", 0)]:
        with pytest.raises(IllegalTransition), transaction.atomic():
            plan.change_frequency(frequency, amount)
    with transaction.atomic():
        plan.change_frequency("annual", 6000)
    with pytest.raises(IllegalTransition, match="waiting for the end of this period"), transaction.atomic():
        plan.change_amount(700)
    assert Plan.objects.get(pk=plan.pk).amount_pence == 500


def test_the_account_page_offers_the_other_frequency_at_the_same_yearly_sum():
    donation, _ = give(Client(), email="mo@example.com", amount="5")
    page = sign_in_by_link(donation.supporter, Client()).get("/account/").content.decode()
    assert f'name="often{donation.plan_id}-amount" value="60"' in page
    assert "Give yearly from" in page
