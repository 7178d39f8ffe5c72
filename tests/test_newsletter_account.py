"""Signed-in supporters subscribe or leave with one press on their account page; deleting the
account ends their subscriptions and keeps only a hash of the address."""

import json
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from mailroom.models import Email
from newsletters.factories import make_members_letter, make_newsletter
from newsletters.links import leave_url, preferences_url
from newsletters.models import Consent, Subscriber, Subscription, Suppression, address_hash
from supporters.models import SignInToken
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "member@example.com"


def path(url):
    return url.removeprefix("http://127.0.0.1:8000")


def deliver():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def daily():
    return make_newsletter()


@pytest.fixture
def supporter():
    donation, _ = give(Client(), email=ADDRESS, name="Mo Member")
    return donation.supporter


def signed_in(supporter):
    client = Client()
    client.post(f"/account/login/{SignInToken.issue(supporter)}/")
    client.handler.enforce_csrf_checks = True  # from here on, as a browser: every POST needs the token
    return client


def press(client, page, name):
    """Post the form whose button is labelled `name`, with the CSRF token the page carries."""
    form = re.search(
        rf'<form method="post" action="([^"]+)"[^>]*>(?:(?!</form>).)*aria-label="{name}"', page, re.S
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    return client.post(form.group(1), {"csrfmiddlewaretoken": token}, follow=True)


def statuses(email=ADDRESS):
    return dict(
        Subscription.objects.filter(subscriber__email=email).values_list("newsletter__slug", "status")
    )


def test_a_member_subscribes_and_leaves_with_one_press_each(supporter, daily):
    make_members_letter()
    client = signed_in(supporter)
    page = client.get("/account/").content.decode()
    assert "The Daily Canary" in page and "From the members" in page
    after = press(client, page, "Subscribe to The Daily Canary").content.decode()
    assert "You are subscribed to The Daily Canary" in after
    press(client, after, "Subscribe to From the members&#39; desk")
    assert statuses() == {"daily": "subscribed", "members": "subscribed"}
    consent = Consent.objects.get(newsletter=daily)
    assert consent.page == "/account/" and consent.confirmed_at
    page = client.get("/account/").content.decode()
    assert "You have left The Daily Canary" in press(client, page, "Leave The Daily Canary").content.decode()
    assert statuses() == {"daily": "unsubscribed", "members": "subscribed"}
    # The sign-in proved the address: no confirmation email.
    assert not Email.objects.filter(template="newsletters/confirm").exists()


def test_the_buttons_need_the_pages_csrf_token_and_the_supporters_own_sign_in(supporter, daily):
    client = signed_in(supporter)
    assert client.post(f"/newsletters/account/{daily.pk}/subscribe/").status_code == 403
    stranger = Client()
    assert stranger.post(f"/newsletters/account/{daily.pk}/subscribe/").status_code == 302
    assert Subscription.objects.count() == 0


def test_a_members_letter_is_not_offered_to_a_supporter_who_is_not_a_member(daily):
    members = make_members_letter()
    donation, _ = give(Client(), email="lapsed@example.com", pay=False)
    client = signed_in(donation.supporter)
    page = client.get("/account/").content.decode()
    assert "The Daily Canary" in page and "From the members" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(f"/newsletters/account/{members.pk}/subscribe/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 404 and Subscription.objects.count() == 0


def test_the_data_export_holds_the_subscriptions_and_their_consent(supporter, daily):
    client = signed_in(supporter)
    press(client, client.get("/account/").content.decode(), "Subscribe to The Daily Canary")
    data = json.loads(client.get("/account/data/").content)
    [letter] = data["newsletters"]
    assert letter["newsletter"] == "The Daily Canary" and letter["status"] == "subscribed"
    assert letter["consents"][0]["where"] == "/account/"


def test_deleting_the_account_leaves_only_a_hash_until_a_fresh_confirmed_opt_in(supporter, daily):
    weekly = make_newsletter("The Weekly", "weekly", schedule="weekly", weekday=4)
    client = signed_in(supporter)
    page = client.get("/account/").content.decode()
    press(client, page, "Subscribe to The Daily Canary")
    Client().post("/newsletters/sign-up/", {"email": ADDRESS, "newsletters": [weekly.pk]})
    assert Email.objects.to_address(ADDRESS).exists()
    subscriber = Subscriber.objects.get(email=ADDRESS)
    old_links = [path(leave_url(subscriber, daily)), path(preferences_url(subscriber))]

    page = client.get("/account/delete/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.post("/account/delete/", {"confirm": "delete", "csrfmiddlewaretoken": token})
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert Subscription.objects.count() == 0 and Consent.objects.count() == 0
    # The outbox keeps no copy: only the goodbye waits, and it forgets the address once sent.
    assert list(Email.objects.to_address(ADDRESS).values_list("template", flat=True)) == [
        "supporters/account_deleted"
    ]
    deliver()
    assert not Email.objects.to_address(ADDRESS).exists()
    [kept] = Suppression.objects.all()
    assert kept.reason == "erased" and kept.newsletter is None and kept.address_hash == address_hash(ADDRESS)
    assert ADDRESS not in str(list(Suppression.objects.values()))
    # The links in old emails now reach nobody.
    assert [Client().post(link).status_code for link in old_links] == [400, 400]

    # A later sign-up waits for its confirmation, suppressed meanwhile.
    Client().post("/newsletters/sign-up/", {"email": ADDRESS, "newsletters": [daily.pk]})
    assert statuses() == {"daily": "pending"} and Suppression.applies(ADDRESS, daily)
    mail.outbox.clear()  # the goodbye went out above
    deliver()
    [message] = mail.outbox
    link = re.search(r"http://127\.0\.0\.1:8000(/newsletters/confirm/\S+/)", message.body).group(1)
    Client().post(link)
    assert statuses() == {"daily": "subscribed"}
    assert not Suppression.applies(ADDRESS, daily)
    # Only the letter confirmed comes back: the other stays closed to an import.
    assert Suppression.applies(ADDRESS, weekly)


def test_a_crash_during_the_erasure_erases_nothing_by_halves(supporter, daily):
    from supporters import signals
    from supporters.services import personal_data

    client = signed_in(supporter)
    press(client, client.get("/account/").content.decode(), "Subscribe to The Daily Canary")

    def crash(**kwargs):
        raise RuntimeError("the power went out")

    # Connected after newsletters' own receiver, so it fails once the subscriptions are gone.
    signals.erasing.connect(crash, dispatch_uid="test-crash")
    try:
        with pytest.raises(RuntimeError):
            personal_data.delete_supporter(supporter)
    finally:
        signals.erasing.disconnect(dispatch_uid="test-crash")
    assert statuses() == {"daily": "subscribed"}
    assert Suppression.objects.count() == 0
    supporter.refresh_from_db()
    assert supporter.email == ADDRESS and supporter.erased_at is None
