"""Giving through the dev checkout: the same code path that Stripe's events drive."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.factories import make_article
from articles.models import Article
from supporters.models import CallToAction, Donation, Plan, Supporter
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than zero"),
        ("-5", "can’t be negative"),
        ("0.50", "smallest gift we can take is £1"),
        ("10000.01", "largest gift we can take online is £10,000"),
        ("5.555", "at most two decimal places"),
        ("five pounds", "Enter an amount in pounds"),
        ("", "This field is required"),
        ("1e3", "Enter an amount in pounds"),
        ("NaN", "Enter an amount in pounds"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message_and_the_form_kept(client, amount, message):
    response = client.post(
        "/support/",
        {
            "frequency": "monthly",
            "amount": amount,
            "name": "Kim",
            "email": "kim@example.com",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="kim@example.com"' in page
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("typed", "pence"), [("5", 500), ("£12.50", 1250), ("1,000", 100000), (" 7.5 ", 750)]
)
def test_amounts_are_read_the_way_people_write_them(client, typed, pence):
    donation, _ = give(client, amount=typed)
    assert donation.amount_pence == pence


def test_consent_is_required(client):
    response = client.post(
        "/support/", {"frequency": "one_off", "amount": "5", "name": "K", "email": "k@example.com"}
    )
    assert "agree to the privacy notice" in response.content.decode()
    assert not Donation.objects.exists()


def test_button_says_what_will_happen(client):
    assert "Give £5 a month" in client.get("/support/").content.decode()
    response = client.post(
        "/support/", {"frequency": "one_off", "amount": "20", "name": "", "email": "x@example.com"}
    )
    assert "Give £20 once" in response.content.decode()


def test_monthly_gift_through_the_dev_checkout_makes_a_member(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        donation, finished = give(client, amount="5", frequency="monthly")
    assert finished["Location"].endswith(f"/support/thanks/?donation={donation.pk}")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    plan = donation.plan
    assert plan.status == Plan.Status.ACTIVE and plan.provider_subscription_id.startswith("dev_sub_")
    assert plan.current_period_end > timezone.now() + timedelta(days=25)
    thanks = client.get(finished["Location"]).content.decode()
    assert "Thank you, New Supporter" in thanks
    assert "You are reading without ads in this browser" in thanks
    assert "Email me a sign-in link" in thanks
    assert Supporter.objects.get().is_member


@pytest.mark.django_db(transaction=True)
def test_receipt_email_is_sent_by_the_worker(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        give(client, amount="20", frequency="one_off", email="once@example.com")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    receipt = next(m for m in mail.outbox if "receipt" in m.subject.lower())
    assert receipt.to == ["once@example.com"]
    assert "Amount: £20" in receipt.body and "Frequency: One-off" in receipt.body
    assert "nothing more will be taken" in receipt.body


def test_declined_checkout_charges_nothing_and_shows_the_appeal_again(client):
    donation, finished = give(client, pay=False)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.DECLINED
    assert donation.plan.status == Plan.Status.CANCELLED
    page = client.get(finished["Location"]).content.decode()
    assert "nothing was taken" in page
    assert not Supporter.objects.get().is_member


def test_paying_twice_on_the_same_checkout_changes_nothing(client):
    donation, _ = give(client)
    checkout_page = client.get(f"/support/thanks/?donation={donation.pk}")
    assert checkout_page.status_code == 200
    assert Donation.objects.filter(status="paid").count() == 1


def test_someone_elses_email_is_never_signed_in(client):
    give(Client(), email="owner@example.com", name="Owner")
    stranger = Client()
    donation, finished = give(
        stranger, amount="1", frequency="one_off", email="owner@example.com", name="Stranger"
    )
    assert Donation.objects.get(pk=donation.pk).status == "paid"
    page = stranger.get(finished["Location"]).content.decode()
    assert "Email me a sign-in link" in page
    assert "You are signed in" not in page
    assert stranger.get("/account/").status_code == 302


def test_a_gift_with_someone_elses_email_never_shows_their_name(client):
    give(Client(), email="dana@example.com", name="Dana Donor")
    stranger = Client()
    _, finished = give(stranger, amount="1", frequency="one_off", email="dana@example.com", name="Eve")
    page = stranger.get(finished["Location"]).content.decode()
    assert "<h1>Thank you, Eve</h1>" in page  # what this browser typed, shown back to it only
    assert "Dana" not in page


def test_after_a_declined_payment_the_form_comes_back_as_typed_with_its_appeal(client):
    make_article("Why we strike")
    article = Article.objects.get()
    call = CallToAction.objects.create(name="Winter", headline="Keep us going", link="/support/")
    form = {"cta": str(call.pk), "from": str(article.pk)}
    _, finished = give(
        client, amount="40", frequency="annual", name="Ali Khan", email="ali@example.com", pay=False, **form
    )
    retry = client.get(finished["Location"]).content.decode()
    assert "nothing was taken" in retry
    assert f'name="cta" value="{call.pk}"' in retry and f'name="from" value="{article.pk}"' in retry
    assert 'value="40"' in retry and 'value="Ali Khan"' in retry and 'value="ali@example.com"' in retry
    assert re.search(r'value="annual"[^>]*checked', retry)
    assert not re.search(r'name="consent"[^>]*checked', retry)  # consent is asked for again
    donation, _ = give(
        client, amount="40", frequency="annual", name="Ali Khan", email="ali@example.com", **form
    )
    assert (donation.call_to_action_id, donation.article_id) == (call.pk, article.pk)


def test_another_browser_is_never_given_what_someone_typed(client):
    give(client, name="Ali Khan", email="ali@example.com", pay=False)
    page = Client().get("/support/?declined=1").content.decode()
    assert "Ali Khan" not in page and "ali@example.com" not in page


def test_thanks_page_is_only_for_the_browser_that_paid(client):
    donation, _ = give(client)
    other = Client().get(f"/support/thanks/?donation={donation.pk}").content.decode()
    assert "New Supporter" not in other
    assert "new@example.com" not in other


def test_dev_checkout_is_refused_in_production(client, settings):
    donation, _ = give(client, pay=False)
    settings.PAYMENT_PROVIDER = "stripe"
    response = Client().get("/support/checkout/test/anything/")
    assert response.status_code == 404


def test_one_off_membership_expires(client, settings):
    settings.ONE_OFF_MEMBERSHIP_DAYS = 30
    donation, _ = give(client, frequency="one_off")
    supporter = donation.supporter
    assert supporter.is_member
    Donation.objects.filter(pk=donation.pk).update(paid_at=timezone.now() - timedelta(days=31))
    assert not supporter.is_member


def test_past_due_plan_keeps_benefits_for_the_grace_period(client, settings):
    settings.PAST_DUE_GRACE_DAYS = 14
    donation, _ = give(client)
    plan = donation.plan
    Plan.objects.filter(pk=plan.pk).update(
        status="past_due", past_due_since=timezone.now() - timedelta(days=10)
    )
    assert donation.supporter.is_member
    Plan.objects.filter(pk=plan.pk).update(past_due_since=timezone.now() - timedelta(days=15))
    assert not donation.supporter.is_member


def test_member_sees_no_ads_or_appeals_and_never_a_cached_page(client):
    from articles.factories import make_article

    call_command("seed_appeals", verbosity=0)
    article = make_article("A story", comments="closed")
    anonymous = Client()
    anonymous.get(article.get_absolute_url())
    assert "Support us and go ad-free" in anonymous.get(article.get_absolute_url()).content.decode()
    give(client)
    client.get(f"/support/thanks/?donation={Donation.objects.latest('id').pk}")
    response = client.get(article.get_absolute_url())
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Support us and go ad-free" not in page
    assert 'href="/support/"' not in page
    again = Client().get(article.get_absolute_url())
    assert "Support us and go ad-free" in again.content.decode()


def test_the_form_opens_on_the_amount_the_newsroom_ticked_as_the_default(client):
    from supporters.models import AmountPreset

    AmountPreset.objects.create(frequency="monthly", amount_pence=300, position=0)
    AmountPreset.objects.create(frequency="monthly", amount_pence=1200, position=1, is_default=True)
    page = client.get("/support/").content.decode()
    assert 'value="12"' in page
    assert "Give £12 a month" in page
    assert re.search(r'data-amount="1200" data-default[^>]*>£12<', page)
    assert not re.search(r'data-amount="300" data-default', page)


def test_the_giving_pages_do_not_appeal_for_what_the_reader_is_doing(client):
    call_command("seed_appeals", verbosity=0)
    appeal = "Support us and go ad-free"
    masthead_button = 'class="button" href="/support/">Support us</a>'
    story = client.get(make_article("Why the ferry matters").get_absolute_url()).content.decode()
    assert appeal in story and masthead_button in story
    form = client.get("/support/").content.decode()
    assert appeal not in form and masthead_button not in form
    Supporter.objects.create(email="known@example.com", name="Known Reader")
    donation, _ = give(client, email="known@example.com")
    thanks = client.get(f"/support/thanks/?donation={donation.pk}").content.decode()
    assert "Thank you" in thanks
    assert appeal not in thanks and masthead_button not in thanks
