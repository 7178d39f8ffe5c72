"""A sign-up nobody confirms lapses: after NEWSLETTER_PENDING_DAYS the clock deletes it, its
consent record and the typed name with it, and the address when it has nothing else here, so
nothing about the person is kept. Its link then says plainly that it has expired, and offers a
new sign-up."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core import clock
from newsletters import signup
from newsletters.factories import make_newsletter, subscribed
from newsletters.models import Consent, Subscriber, Subscription, Suppression
from newsletters.tokens import confirmation_token
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db(transaction=True)

DAY = timedelta(days=1)


def deliver():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def sign_up(letters, email="reader@example.com", name="Someone Typed This"):
    data = {"email": email, "name": name, "newsletters": [letter.pk for letter in letters], "page": "/"}
    assert Client().post("/newsletters/sign-up/", data).status_code == 302


def confirm_path(message):
    return re.search(r"http://127\.0\.0\.1:8000(/newsletters/confirm/\S+/)", message.body).group(1)


def says_expired(response):
    page = response.content.decode()
    return (
        response.status_code == 400
        and "This link has expired" in page
        and "deleted after 30 days" in page
        and '<a href="/newsletters/">Sign up again</a>' in page
        and "Yes, subscribe me" not in page
        and "You are subscribed" not in page
    )


def test_an_unconfirmed_sign_up_goes_with_the_address_and_its_link_says_it_has_expired():
    daily, weekly = make_newsletter(), make_newsletter("Weekly", "weekly")
    sign_up([daily, weekly])
    deliver()
    [message] = mail.outbox
    started = timezone.now()

    clock.tick(started + 29 * DAY)
    assert Subscription.objects.filter(status="pending").count() == 2  # not yet

    clock.tick(started + 31 * DAY)
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists() and not Consent.objects.exists()
    assert not Suppression.objects.exists()  # not even a hash is kept

    # The emailed link is past its week by now; one still within it (an email held back by a
    # mail outage is signed when it finally goes) finds nothing to confirm either.
    late = f"/newsletters/confirm/{confirmation_token('reader@example.com', [1, 2])}/"
    for path in (confirm_path(message), late):
        assert says_expired(Client().get(path))
        assert says_expired(Client().post(path))
    assert not Subscriber.objects.exists()  # confirming an expired link brings nothing back


def test_a_link_whose_sign_up_was_deleted_says_so_while_still_within_its_week():
    daily = make_newsletter()
    sign_up([daily])
    deliver()
    path = confirm_path(mail.outbox[0])
    signup.expire_unconfirmed(timezone.now() + 31 * DAY)
    assert says_expired(Client().get(path))
    assert says_expired(Client().post(path))
    assert not Subscription.objects.exists()


def test_the_address_stays_when_it_has_another_newsletter_and_a_fresh_sign_up_is_kept():
    daily, weekly = make_newsletter(), make_newsletter("Weekly", "weekly")
    subscribed(weekly, "reader@example.com")
    sign_up([daily])  # never confirmed
    sign_up([daily], email="recent@example.com")
    later = timezone.now() + 31 * DAY
    # The second reader asks again, a day before the job: that ask is new, and kept.
    signup.sign_up("recent@example.com", "", [daily], endpoint="/newsletters/sign-up/", now=later - DAY)

    assert signup.expire_unconfirmed(later) == 1

    reader = Subscriber.objects.get(email="reader@example.com")
    assert list(reader.subscriptions.values_list("newsletter__slug", "status")) == [("weekly", "subscribed")]
    assert reader.name == ""  # the stranger's typed name never reached the row, and is gone
    assert not Consent.objects.filter(subscription__subscriber=reader).exists()
    assert list(
        Subscription.objects.filter(subscriber__email="recent@example.com").values_list("status")
    ) == [("pending",)]


def test_a_letter_confirmed_once_keeps_its_evidence_and_loses_only_the_unanswered_ask():
    daily = make_newsletter()
    sign_up([daily])
    deliver()
    assert Client().post(confirm_path(mail.outbox[0])).status_code == 200
    subscription = Subscription.objects.get()
    subscription.leave()
    sign_up([daily], name="Typed the second time")  # asks again, and nobody answers

    assert signup.expire_unconfirmed(timezone.now() + 31 * DAY) == 0

    subscription.refresh_from_db()
    assert subscription.status == "pending"  # never sent to, and the reader may sign up again
    [kept] = Consent.objects.all()
    assert kept.confirmed_at is not None  # what the reader once agreed to, and when
    assert not Consent.objects.filter(typed_name="Typed the second time").exists()


def test_expiring_many_sign_ups_takes_a_few_queries(django_assert_max_num_queries):
    daily = make_newsletter()
    for n in range(40):
        signup.sign_up(f"reader{n}@example.com", "A name", [daily], endpoint="/newsletters/sign-up/")
    with django_assert_max_num_queries(12):  # a fixed few, not one a sign-up
        assert signup.expire_unconfirmed(timezone.now() + 31 * DAY) == 40
    assert not Subscriber.objects.exists()


def test_a_pending_period_shorter_than_the_links_week_is_refused_with_a_reason():
    result = manage("check", env={**PRODUCTION, "NEWSLETTER_PENDING_DAYS": "5"})
    assert result.returncode != 0
    assert "NEWSLETTER_PENDING_DAYS must be 8 or more: a confirmation link lasts a week" in result.stderr
