"""The development provider behaves as Stripe does where a member can tell: its checkout says
what is bought, and its plans renew at their period end through the same events, taking up a
change of frequency then, and ending a cancelled plan without taking anything."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from supporters.models import Donation, Plan
from tests.gift_helpers import inbox, order_gift, run_clock
from tests.security_helpers import sign_in_by_link
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)


def long_date(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def test_the_test_checkout_of_a_gift_says_what_is_bought():
    day = timezone.localdate() + timedelta(days=5)
    checkout = order_gift(Client(), send="date", send_on=day.isoformat())["Location"]
    page = Client().get(checkout).content.decode()
    assert "A gift membership of 12 months for Robin Recipient</h1>" in page
    assert "£60, paid once" in page and "Nothing renews" in page
    assert f"emailed on {day.day} {day:%B %Y}" in page
    assert "Pay £60 once" not in page


def member(frequency="monthly", amount="5"):
    donation, _ = give(Client(), email="mo@example.com", frequency=frequency, amount=amount)
    plan = Plan.objects.get(pk=donation.plan_id)
    return plan, sign_in_by_link(plan.supporter, Client())


def test_a_plan_renews_at_its_period_end_once_with_a_receipt():
    plan, _ = member()
    ends = plan.current_period_end
    run_clock(ends - timedelta(minutes=2))
    assert plan.donations.count() == 1  # nothing before the date
    run_clock(ends + timedelta(minutes=1))
    run_clock(ends + timedelta(minutes=2))  # a later tick, another worker: still one renewal
    plan.refresh_from_db()
    renewal = plan.donations.exclude(pk=plan.donations.earliest("created_at").pk).get()
    assert (renewal.amount_pence, renewal.status, renewal.frequency) == (500, Donation.Status.PAID, "monthly")
    assert plan.current_period_end == ends + timedelta(days=30)
    first, receipt = inbox("mo@example.com", "Your receipt")  # one per payment, the renewal's once
    assert f"Reference: {renewal.pk}" in receipt.body and "Amount: £5" in receipt.body


def test_a_change_of_frequency_is_taken_up_at_the_period_end_and_not_before():
    plan, browser = member()
    ends = plan.current_period_end
    page = browser.post(
        f"/account/plans/{plan.pk}/frequency/",
        {f"often{plan.pk}-frequency": "annual", f"often{plan.pk}-amount": "60"},
        follow=True,
    ).content.decode()
    assert f"From {long_date(ends)} you give £60 a year" in page
    run_clock(ends - timedelta(minutes=2))
    plan.refresh_from_db()
    assert (plan.frequency, plan.amount_pence, plan.next_frequency) == ("monthly", 500, "annual")

    run_clock(ends + timedelta(minutes=1))
    plan.refresh_from_db()
    assert (plan.frequency, plan.amount_pence, plan.next_frequency) == ("annual", 6000, "")
    assert plan.current_period_end == ends + timedelta(days=365)  # the billing date kept, a year on
    renewal = plan.donations.order_by("-created_at").first()
    assert (renewal.amount_pence, renewal.frequency, renewal.paid_at) == (6000, "annual", ends)
    (told,) = inbox("mo@example.com", "Your gift is now £60 a year")
    assert "it was £5 a month" in told.body
    account = browser.get("/account/").content.decode()
    assert "£60 a year" in account and f"next payment {long_date(plan.current_period_end)}" in account

    # A year on, it renews at the new terms, with no second change.
    run_clock(plan.current_period_end + timedelta(minutes=1))
    assert list(plan.donations.order_by("created_at").values_list("amount_pence", flat=True)) == [
        500,
        6000,
        6000,
    ]
    assert len(inbox("mo@example.com", "Your gift is now")) == 1


def test_a_cancelled_plan_ends_at_its_period_end_and_nothing_is_taken():
    plan, browser = member()
    browser.post(
        f"/account/plans/{plan.pk}/frequency/",
        {f"often{plan.pk}-frequency": "annual", f"often{plan.pk}-amount": "60"},
    )
    browser.post(f"/account/plans/{plan.pk}/cancel/")
    run_clock(plan.current_period_end + timedelta(minutes=1))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CANCELLED and plan.frequency == "monthly"
    assert plan.donations.count() == 1
    assert inbox("mo@example.com", "Your gift is now") == []


def test_with_another_provider_configured_the_clock_renews_nothing(settings):
    plan, _ = member()
    settings.PAYMENT_PROVIDER = "stripe"
    run_clock(plan.current_period_end + timedelta(minutes=1))
    assert plan.donations.count() == 1


def test_change_card_on_the_account_page_opens_the_test_card_form_for_that_plan_only():
    plan, browser = member()
    form = browser.post(f"/account/plans/{plan.pk}/card/", follow=True)
    assert "Update the card for £5 a month" in form.content.decode()
    # Another person's plan is not theirs to open.
    other, _ = give(Client(), email="other@example.com")
    assert browser.post(f"/account/plans/{other.plan_id}/card/").status_code == 404


def test_the_account_page_writes_dates_one_way():
    plan, browser = member()
    page = browser.get("/account/").content.decode()
    paid = timezone.localtime(plan.donations.get().paid_at)
    assert f"<td>{paid.day} {paid:%B %Y}</td>" in page
