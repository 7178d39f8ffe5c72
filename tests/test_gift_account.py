"""A claimed gift membership on its recipient's account page: what, from whom, until when, and
what happens when the gifted year ends."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from supporters.models import Supporter
from supporters.models.gifts import REMINDER_DAYS
from tests.gift_helpers import buy_gift, claim_path, inbox, run_clock
from tests.security_helpers import sign_in_by_link
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)


def long_date(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def claimed(**changes):
    """A gift bought, sent by the clock and claimed by Robin; returns the gift."""
    donation, _ = buy_gift(Client(), **changes)
    run_clock(timezone.now())
    gift_email = inbox("robin@example.com", "has given you")[-1]
    assert Client().post(claim_path(gift_email)).status_code == 200
    gift = donation.gift
    gift.refresh_from_db()
    return gift


def account_page(email):
    supporter = Supporter.objects.get(email=email)
    return sign_in_by_link(supporter, Client()).get("/account/").content.decode()


def test_the_recipient_sees_the_gift_who_gave_it_until_when_and_that_nothing_renews():
    gift = claimed()
    page = account_page("robin@example.com")
    assert "Your gift membership" in page
    assert "A year of membership from Bea Buyer" in page
    assert f"You are a member on this gift until {long_date(gift.member_until)}" in page
    assert f"You are a member until {long_date(gift.member_until)}." in page  # the banner agrees
    assert "nothing renews and nothing is charged" in page
    reminder = gift.member_until - timedelta(days=REMINDER_DAYS)
    assert f"We will email you on {long_date(reminder)}" in page
    # The buyer's message and the buyer's address are not repeated on the recipient's page.
    assert "Happy birthday" not in page and "bea@example.com" not in page


def test_the_buyer_does_not_see_it_as_their_own_membership():
    claimed()
    page = account_page("bea@example.com")
    assert "Your gift membership" not in page and "You are not a member" in page


def test_a_gift_that_extends_a_membership_says_when_it_starts():
    donation, _ = give(Client(), email="robin@example.com", frequency="one_off", amount="10")
    own_until = donation.supporter.membership_until()
    gift = claimed()
    page = account_page("robin@example.com")
    assert f"it runs from {long_date(own_until)} to {long_date(gift.member_until)}" in page


def test_a_recipient_whose_own_regular_gift_carries_on_is_told_so():
    give(Client(), email="robin@example.com", frequency="monthly", amount="5")
    claimed()
    page = account_page("robin@example.com")
    assert "your own regular gift carries on as before" in page
    assert "nothing renews" not in page


def test_a_gift_from_a_buyer_who_erased_their_account_is_from_a_reader():
    from supporters.services.personal_data import delete_supporter

    gift = claimed()
    delete_supporter(gift.purchase.supporter)
    page = account_page("robin@example.com")
    assert "A year of membership from a reader" in page and "Bea Buyer" not in page


def test_an_ended_gift_says_when_it_ran_and_promises_nothing():
    gift = claimed()
    later = gift.member_until + timedelta(days=1)
    from supporters.gift_account import received

    (shown,) = received(Supporter.objects.get(email="robin@example.com"), now=later)
    assert shown.state == "ended"


def test_the_account_page_costs_the_same_queries_for_one_gift_or_three():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claimed()
    robin = sign_in_by_link(Supporter.objects.get(email="robin@example.com"), Client())
    with CaptureQueriesContext(connection) as one:
        robin.get("/account/")
    for _ in range(2):
        claimed()
    with CaptureQueriesContext(connection) as three:
        page = robin.get("/account/").content.decode()
    assert page.count("A year of membership from Bea Buyer") == 3
    assert len(three.captured_queries) == len(one.captured_queries)
