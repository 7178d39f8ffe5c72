"""Importing supporters whose cards Stripe already holds: nobody is asked for a card again.

Stripe is faked at its HTTP boundary (tests/fake_stripe.py): the real library sends its real
requests to a loopback server, which records them, so the tests see exactly what reached Stripe.
"""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from mailroom.models import Email
from supporters.models import Donation, Plan, Supporter
from tests.fake_stripe import fake_stripe_fixture, stripe_settings_fixture  # noqa: F401 - fixtures
from tests.stripe_webhook_helpers import deliver, make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "fake_stripe")]

HEADER = "email,name,amount,currency,frequency,status,start_date,next_payment_date,stripe_customer_id,stripe_subscription_id"
NEXT = date.today() + timedelta(days=12)


def run(tmp_path, *rows, args=()):
    path = tmp_path / "supporters.csv"
    path.write_text(HEADER + "\n" + "".join(row + "\n" for row in rows))
    out = io.StringIO()
    call_command("import_supporters", str(path), *args, stdout=out)
    return out.getvalue()


def writes(fake):
    """Every request that could change something at Stripe."""
    return [c for c in fake.calls if c.method != "GET"]


def renewal(subscription_id, customer, amount=500, billing_reason="subscription_cycle", period_end=None):
    invoice = {
        "id": f"in_renewal{subscription_id[-8:]}{billing_reason[-4:]}",
        "billing_reason": billing_reason,
        "customer": customer,
        "amount_paid": amount,
        "parent": {
            "quote_details": None,
            "subscription_details": {
                "metadata": {},
                "subscription": subscription_id,
                "subscription_proration_date": None,
            },
            "type": "subscription_details",
        },
    }
    event = make_event("invoice.paid", **invoice)
    if period_end:
        event["data"]["object"]["lines"]["data"][0]["period"]["end"] = period_end
    return event


# --- (a) Subscriptions Stripe already bills: linked -------------------------------------------


def test_a_row_with_a_stripe_subscription_is_linked_and_its_next_renewal_lands_on_that_plan(
    tmp_path, fake_stripe, settings
):
    customer = fake_stripe.add_customer("ann@example.com")
    sub = fake_stripe.add_subscription(customer, 500, "month")
    out = run(tmp_path, f"Ann@Example.com,Ann Old,5,GBP,monthly,active,2022-01-09,,{customer},{sub}")
    assert f"line 2: linked: ann@example.com to {sub}" in out
    plan = Plan.objects.get()
    period_end = fake_stripe.subscriptions[sub]["items"]["data"][0]["current_period_end"]
    assert (plan.status, plan.provider, plan.provider_subscription_id, plan.provider_customer_id) == (
        "active", "stripe", sub, customer,
    )  # fmt: skip
    assert plan.current_period_end == datetime.fromtimestamp(period_end, tz=UTC)
    assert plan.supporter.is_member
    assert writes(fake_stripe) == []  # nothing charged, nothing created at Stripe
    assert not Email.objects.filter(template__in=["supporters/welcome", "supporters/receipt"]).exists()

    response = deliver(Client(), renewal(sub, customer), settings.STRIPE_WEBHOOK_SECRET)
    assert response.status_code == 200, response.content
    paid = Donation.objects.get()
    assert (paid.supporter, paid.plan, paid.amount_pence, paid.status) == (plan.supporter, plan, 500, "paid")
    assert Email.objects.filter(template="supporters/receipt", to="ann@example.com").count() == 1


@pytest.mark.parametrize(
    "row, message",
    [
        ("5,GBP,monthly,active,,,,sub_missing1", "line 2: Stripe has no subscription sub_missing1"),
        (
            "6,GBP,monthly,active,,,,{sub}",
            "line 2: Stripe takes £5 monthly for {sub}; the file says £6 monthly",
        ),
        (
            "5,GBP,annual,active,,,,{sub}",
            "line 2: Stripe takes £5 monthly for {sub}; the file says £5 annual",
        ),
        (
            "5,GBP,monthly,active,,,cus_someoneelse,{sub}",
            "belongs to customer {customer}, not cus_someoneelse",
        ),
    ],
)
def test_a_subscription_that_does_not_match_the_row_is_not_linked(tmp_path, fake_stripe, row, message):
    customer = fake_stripe.add_customer("ann@example.com")
    sub = fake_stripe.add_subscription(customer, 500, "month")
    out = run(tmp_path, "ann@example.com,Ann," + row.format(sub=sub))
    assert message.format(sub=sub, customer=customer) in out
    assert "1 invalid" in out
    assert not Plan.objects.exists() and not Supporter.objects.exists()


def test_a_cancelled_subscription_is_not_linked(tmp_path, fake_stripe):
    sub = fake_stripe.add_subscription(fake_stripe.add_customer("a@example.com"), 500, status="canceled")
    out = run(tmp_path, f"a@example.com,,5,GBP,monthly,active,,,,{sub}")
    assert f"line 2: Stripe subscription {sub} is canceled, not active" in out


def test_linking_twice_links_once_and_another_persons_row_cannot_take_the_subscription(tmp_path, fake_stripe):
    sub = fake_stripe.add_subscription(fake_stripe.add_customer("a@example.com"), 1000, "year")
    run(tmp_path, f"a@example.com,,10,GBP,annual,active,,,,{sub}")
    assert "line 2: skipped: imported before" in run(
        tmp_path, f"a@example.com,,10,GBP,annual,active,,,,{sub}"
    )
    out = run(tmp_path, f"mallory@example.com,,10,GBP,annual,active,,,,{sub}")
    assert "already another supporter's plan" in out
    assert Plan.objects.get().supporter.email == "a@example.com"
    assert not Supporter.objects.filter(email="mallory@example.com").exists()


def test_from_stripe_links_every_active_subscription_and_makes_supporters_for_new_addresses(fake_stripe):
    known = Supporter.objects.create(email="known@example.com", name="Known")
    subs = [
        fake_stripe.add_subscription(fake_stripe.add_customer("known@example.com"), 500, "month"),
        fake_stripe.add_subscription(
            fake_stripe.add_customer("New@Example.com", name="New One"), 6000, "year"
        ),
    ]
    fake_stripe.add_subscription(fake_stripe.add_customer("gone@example.com"), 500, status="canceled")
    out = io.StringIO()
    call_command("import_supporters", "--from-stripe", stdout=out)
    assert "0 added, 2 linked, 0 created, 0 updated, 0 skipped, 0 invalid." in out.getvalue()
    assert set(Plan.objects.values_list("provider_subscription_id", flat=True)) == set(subs)
    assert known.plans.get().amount_pence == 500
    assert Supporter.objects.get(email="new@example.com").name == "New One"
    assert not Supporter.objects.filter(email="gone@example.com").exists()
    assert writes(fake_stripe) == []
    again = io.StringIO()
    call_command("import_supporters", "--from-stripe", stdout=again)
    assert "2 skipped" in again.getvalue() and Plan.objects.count() == 2


# --- (b) Subscriptions the shop billed itself: created on the saved card -----------------------


def test_a_customer_row_gets_a_subscription_on_the_saved_card_charging_first_on_the_next_payment_date(
    tmp_path, fake_stripe
):
    customer = fake_stripe.add_customer("bo@example.com")
    row = f"bo@example.com,Bo,5,GBP,monthly,active,2021-06-01,{NEXT.isoformat()},{customer},"
    out = run(tmp_path, row)
    assert "line 2: created: sub_" in out and f"first charge on {NEXT:%-d %B %Y}" in out
    [made] = fake_stripe.calls_to("POST", "/v1/subscriptions")
    card = fake_stripe.customers[customer]["invoice_settings"]["default_payment_method"]
    first_charge = int(datetime(NEXT.year, NEXT.month, NEXT.day, 12, tzinfo=UTC).timestamp())
    assert made.params["customer"] == customer and made.params["default_payment_method"] == card
    assert made.params["trial_end"] == str(first_charge) and made.params["proration_behavior"] == "none"
    assert made.params["items"][0]["price_data"] == {
        "currency": "gbp", "product": "prod_TEST", "unit_amount": "500", "recurring": {"interval": "month"},
    }  # fmt: skip
    assert made.headers["Idempotency-Key"].startswith("canary-import-")
    plan = Plan.objects.get()
    assert plan.status == "active" and plan.current_period_end.timestamp() == first_charge
    assert fake_stripe.subscriptions[plan.provider_subscription_id]["status"] == "trialing"

    assert "line 2: skipped: imported before" in run(tmp_path, row)
    assert len(fake_stripe.calls_to("POST", "/v1/subscriptions")) == 1


def test_a_crash_after_stripe_answered_does_not_make_a_second_subscription(tmp_path, fake_stripe):
    customer = fake_stripe.add_customer("bo@example.com")
    row = f"bo@example.com,Bo,5,GBP,monthly,active,2021-06-01,{NEXT.isoformat()},{customer},"
    run(tmp_path, row)
    made = Plan.objects.get().provider_subscription_id
    Plan.objects.all().delete()  # as if our write had never committed
    assert "line 2: created:" in run(tmp_path, row)
    assert Plan.objects.get().provider_subscription_id == made
    assert len(fake_stripe.subscriptions) == 1
    assert len(fake_stripe.calls_to("POST", "/v1/subscriptions")) == 1  # found by its metadata


def test_the_free_period_invoice_is_no_gift_and_the_first_real_charge_is(tmp_path, fake_stripe, settings):
    customer = fake_stripe.add_customer("bo@example.com", default=False)  # a card saved, not the default
    run(tmp_path, f"bo@example.com,Bo,5,GBP,monthly,active,,{NEXT.isoformat()},{customer},")
    made = fake_stripe.calls_to("POST", "/v1/subscriptions")[0].params
    assert made["default_payment_method"] in fake_stripe.payment_methods
    plan = Plan.objects.get()
    secret = settings.STRIPE_WEBHOOK_SECRET
    opening = renewal(plan.provider_subscription_id, customer, amount=0, billing_reason="subscription_create")
    assert deliver(Client(), opening, secret).content == b"Ignored."
    assert not Donation.objects.exists() and not Email.objects.exists()
    assert deliver(Client(), renewal(plan.provider_subscription_id, customer), secret).status_code == 200
    assert Donation.objects.get().amount_pence == 500


def test_a_customer_without_a_card_or_unknown_to_stripe_is_reported_and_nothing_is_created(
    tmp_path, fake_stripe
):
    bare = fake_stripe.add_customer("bare@example.com", card=False)
    out = run(
        tmp_path,
        f"bare@example.com,,5,GBP,monthly,active,,{NEXT.isoformat()},{bare},",
        f"lost@example.com,,5,GBP,monthly,active,,{NEXT.isoformat()},cus_notthere,",
    )
    assert f"line 2: Stripe customer {bare} has no saved card; invite them to give again" in out
    assert "line 3: Stripe has no customer cus_notthere" in out
    assert writes(fake_stripe) == [] and not Plan.objects.exists()


def test_a_dry_run_reads_stripe_and_creates_nothing(tmp_path, fake_stripe):
    customer = fake_stripe.add_customer("bo@example.com")
    sub = fake_stripe.add_subscription(fake_stripe.add_customer("an@example.com"), 500)
    out = run(
        tmp_path,
        f"bo@example.com,Bo,5,GBP,monthly,active,,{NEXT.isoformat()},{customer},",
        f"an@example.com,An,5,GBP,monthly,active,,,,{sub}",
        args=["--dry-run"],
    )
    assert "line 2: created: would start £5 monthly" in out and "line 3: linked: would link" in out
    assert "Dry run, nothing changed: would have 0 added, 1 linked, 1 created" in out
    assert writes(fake_stripe) == [] and not Supporter.objects.exists()


def test_stripe_unreachable_leaves_the_row_for_a_rerun(tmp_path, fake_stripe):
    customer = fake_stripe.add_customer("bo@example.com")
    fake_stripe.fail_with = 500
    out = run(tmp_path, f"bo@example.com,,5,GBP,monthly,active,,{NEXT.isoformat()},{customer},")
    assert "line 2: Stripe could not be reached; nothing changed for this row, import the file again" in out
    fake_stripe.fail_with = None
    assert "line 2: created:" in run(
        tmp_path, f"bo@example.com,,5,GBP,monthly,active,,{NEXT.isoformat()},{customer},"
    )


# --- The welcome mailing, only when Finance asks -----------------------------------------------


def test_a_welcome_goes_only_when_asked_once_each_and_invites_those_who_cannot_renew_to_give_again(
    tmp_path, fake_stripe, settings
):
    from mailroom.kinds import render

    sub = fake_stripe.add_subscription(fake_stripe.add_customer("an@example.com"), 500)
    rows = (f"an@example.com,An,5,GBP,monthly,active,,,,{sub}", "old@example.com,Old,5,GBP,annual,active,,,,")
    run(tmp_path, *rows)
    assert not Email.objects.filter(template="supporters/imported").exists()
    out = run(tmp_path, *rows, args=["--welcome"])
    assert "Welcome emails queued: 2." in out
    carries_on = render(Email.objects.get(to="an@example.com", template="supporters/imported"))
    assert carries_on.subject == f"Your gift to {settings.SITE_NAME} carries on as before"
    assert "£5 a month" in carries_on.text and f"{settings.SITE_URL}/account/login/" in carries_on.html
    invited = render(Email.objects.get(to="old@example.com", template="supporters/imported"))
    assert invited.subject.startswith("Will you give to")
    assert f"{settings.SITE_URL}/support/" in invited.text and "Support us again" in invited.html
    assert "Welcome emails queued: 0." in run(tmp_path, *rows, args=["--welcome"])
    assert Email.objects.filter(template="supporters/imported").count() == 2


def test_from_stripe_reads_every_page_of_subscriptions(fake_stripe, monkeypatch):
    from supporters.payments import stripe_import

    monkeypatch.setattr(stripe_import, "PAGE", 2)
    for n in range(5):
        fake_stripe.add_subscription(fake_stripe.add_customer(f"p{n}@example.com"), 500)
    out = io.StringIO()
    call_command("import_supporters", "--from-stripe", stdout=out)
    assert "5 linked" in out.getvalue()
    assert len(fake_stripe.calls_to("GET", "/v1/subscriptions")) == 3


def test_from_stripe_leaves_the_plans_canary_already_has_alone(fake_stripe, settings):
    from tests.stripe_webhook_helpers import finish_checkout, give

    donation, _ = give(Client(), email="reader@example.com")
    finish_checkout(fake_stripe, donation, settings.STRIPE_WEBHOOK_SECRET)
    own = Plan.objects.get()
    fake_stripe.customers[own.provider_customer_id] = {
        "id": own.provider_customer_id,
        "email": "reader@example.com",
    }
    out = io.StringIO()
    call_command("import_supporters", "--from-stripe", stdout=out)
    assert f"subscription {own.provider_subscription_id}: skipped: already a plan here" in out.getvalue()
    assert Plan.objects.get() == own and own.imported_at is None
