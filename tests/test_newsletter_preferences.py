"""From the "choose your newsletters" link a reader picks letters, pauses or leaves them all;
the link proves the address, but never lifts a bounce, a complaint or an erasure by itself."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from newsletters.factories import make_members_letter, make_newsletter
from newsletters.links import preferences_url
from newsletters.models import Consent, Subscriber, Subscription, Suppression, address_hash
from newsletters.wording import CURRENT
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def daily():
    return make_newsletter()


@pytest.fixture
def weekly():
    return make_newsletter("The Weekly", "weekly", schedule="weekly", weekday=4)


def subscribed(newsletter, email="reader@example.com"):
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Subscription.objects.create(
        subscriber=subscriber,
        newsletter=newsletter,
        status=Subscription.Status.SUBSCRIBED,
        confirmed_at=timezone.now(),
    )


def link(subscriber):
    return preferences_url(subscriber).removeprefix("http://127.0.0.1:8000")


def statuses(email="reader@example.com"):
    return dict(
        Subscription.objects.filter(subscriber__email=email).values_list("newsletter__slug", "status")
    )


def test_the_page_shows_what_the_reader_gets_and_sets_no_cookie(
    anonymous, daily, weekly, django_assert_max_num_queries
):
    subscriber = subscribed(daily).subscriber
    anonymous.get(link(subscriber))  # the site's shared parts (navigation, appeals) are cached now
    # The subscriber, a member look-up, their subscriptions and the letters offered: no more.
    with django_assert_max_num_queries(4):
        response = anonymous.get(link(subscriber))
    page = response.content.decode()
    assert response.status_code == 200
    assert "reader@example.com" in page and "The Weekly" in page
    assert re.search(rf'value="{daily.pk}" checked', page) and not re.search(
        rf'value="{weekly.pk}" checked', page
    )
    assert "csrfmiddlewaretoken" not in page
    assert response.cookies == {} and anonymous.cookies == {}


def test_choosing_swaps_letters_at_once_with_a_consent_record_and_no_email(anonymous, daily, weekly):
    subscriber = subscribed(daily).subscriber
    # The link carries the second it was signed in: the consent records the one that was posted.
    posted = link(subscriber)
    response = anonymous.post(posted, {"action": "choose", "newsletters": [weekly.pk]}, follow=True)
    assert "Your choices are saved" in response.content.decode()
    assert statuses() == {"daily": "unsubscribed", "weekly": "subscribed"}
    consent = Consent.objects.get(newsletter=weekly)
    assert consent.wording_version == CURRENT and consent.confirmed_at is not None
    assert consent.endpoint == posted and consent.page == posted
    assert mail.outbox == [] and anonymous.cookies == {}
    # The reader's own leave is theirs to undo from the same page.
    anonymous.post(link(subscriber), {"action": "choose", "newsletters": [daily.pk, weekly.pk]})
    assert statuses() == {"daily": "subscribed", "weekly": "subscribed"}
    assert not Suppression.applies("reader@example.com", daily)


def test_a_pause_keeps_the_sender_away_until_it_ends_and_can_be_ended_early(anonymous, daily, weekly):
    subscription = subscribed(daily)
    subscribed(weekly)
    page = link(subscription.subscriber)
    assert anonymous.post(page, {"action": "pause", "pause": "1m"}).status_code == 302
    assert Subscription.objects.active().count() == 0
    in_a_month = timezone.now() + timedelta(days=31)
    assert Subscription.objects.active(now=in_a_month).count() == 2
    shown = anonymous.get(page).content.decode()
    assert "Paused until" in shown and "Start again now" in shown
    anonymous.post(page, {"action": "resume"})
    assert Subscription.objects.active().count() == 2


def test_a_pause_that_is_not_offered_is_refused_clearly_and_changes_nothing(anonymous, daily):
    subscription = subscribed(daily)
    response = anonymous.post(link(subscription.subscriber), {"action": "pause", "pause": "forever"})
    assert response.status_code == 400 and "Choose a pause" in response.content.decode()
    assert Subscription.objects.active().count() == 1


def test_leave_them_all_ends_every_letter_at_once(anonymous, daily, weekly):
    subscriber = subscribed(daily).subscriber
    subscribed(weekly)
    response = anonymous.post(link(subscriber), {"action": "leave-all"}, follow=True)
    assert "You have left every newsletter" in response.content.decode()
    assert statuses() == {"daily": "unsubscribed", "weekly": "unsubscribed"}
    assert anonymous.cookies == {}


def test_a_members_letter_is_offered_only_to_a_current_member(daily):
    members = make_members_letter()
    reader = subscribed(daily).subscriber
    page = Client().get(link(reader)).content.decode()
    assert "From the members" not in page
    forged = Client().post(link(reader), {"action": "choose", "newsletters": [daily.pk, members.pk]})
    assert forged.status_code == 400 and "Nothing was changed" in forged.content.decode()
    assert statuses() == {"daily": "subscribed"}

    give(Client(), email="member@example.com")
    member = subscribed(daily, "member@example.com").subscriber
    assert "From the members" in Client().get(link(member)).content.decode()
    Client().post(link(member), {"action": "choose", "newsletters": [daily.pk, members.pk]})
    assert statuses("member@example.com") == {"daily": "subscribed", "members": "subscribed"}


def test_a_bounced_address_is_not_brought_back_without_a_fresh_opt_in(daily, weekly):
    subscriber = subscribed(daily).subscriber
    Suppression.objects.create(address_hash=address_hash(subscriber.email), reason="bounced")
    response = Client().post(link(subscriber), {"action": "choose", "newsletters": [daily.pk, weekly.pk]})
    assert response.status_code == 200
    assert "press the button in the email" in response.content.decode()
    assert statuses()["weekly"] == "pending"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [message.to for message in mail.outbox] == [["reader@example.com"]]


def test_an_unknown_button_changes_nothing(anonymous, daily):
    subscriber = subscribed(daily).subscriber
    response = anonymous.post(link(subscriber), {"action": "delete-everyone"})
    assert response.status_code == 400 and "Nothing was changed" in response.content.decode()
    assert statuses() == {"daily": "subscribed"}
