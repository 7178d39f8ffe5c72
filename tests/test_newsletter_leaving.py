"""Leaving a newsletter is one press (or one POST from the mail client, RFC 8058), honoured at
once; a link scanner, a tampered link or someone else's link changes nothing."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.utils import timezone

from newsletters.exceptions import AlreadyLeft, NotSubscribed
from newsletters.factories import make_newsletter
from newsletters.links import leave_url, preferences_url
from newsletters.models import Subscriber, Subscription, Suppression, address_hash
from newsletters.tokens import LEAVE_SALT, leave_token

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "http://127.0.0.1:8000"
MINE = "reader@example.com"


@pytest.fixture
def daily():
    return make_newsletter()


def subscribed(newsletter, email="reader@example.com"):
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Subscription.objects.create(
        subscriber=subscriber,
        newsletter=newsletter,
        status=Subscription.Status.SUBSCRIBED,
        confirmed_at=timezone.now(),
    )


def path_of(url):
    return url.removeprefix(SITE)


def reread(subscription):
    subscription.refresh_from_db()
    return subscription


def test_a_mail_client_one_click_post_leaves_at_once_with_no_csrf_cookie_or_sign_in(daily):
    for body in ["urlencoded", "multipart"]:
        subscription = subscribed(daily, f"{body}@example.com")
        client = Client(enforce_csrf_checks=True)
        link = path_of(leave_url(subscription.subscriber, daily))
        if body == "urlencoded":
            response = client.post(
                link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
            )
        else:
            response = client.post(link, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200, body
        assert response.cookies == {} and client.cookies == {}
        subscription = reread(subscription)
        assert subscription.status == Subscription.Status.UNSUBSCRIBED and subscription.left_at
        assert not Subscription.objects.active().filter(pk=subscription.pk).exists()
        # Remembered without the address, so an import cannot bring it back.
        assert Suppression.applies(subscription.subscriber.email, daily)


def test_a_link_scanner_following_the_link_leaves_nobody_and_sees_one_button(anonymous, daily):
    subscription = subscribed(daily)
    link = path_of(leave_url(subscription.subscriber, daily))
    page = anonymous.get(link)
    anonymous.head(link)
    html = page.content.decode()
    assert page.status_code == 200 and "Leave The Daily Canary?" in html
    assert html.count('method="post"') == 1 and f'action="{link}"' in html
    assert "csrfmiddlewaretoken" not in html
    assert page.cookies == {} and anonymous.cookies == {}
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert reread(subscription).status == Subscription.Status.SUBSCRIBED


def test_pressing_the_button_twice_leaves_once_and_says_so_both_times(anonymous, daily):
    subscription = subscribed(daily)
    link = path_of(leave_url(subscription.subscriber, daily))
    first = anonymous.post(link, {"List-Unsubscribe": "One-Click"})
    left_at = reread(subscription).left_at
    second = anonymous.post(link, {"List-Unsubscribe": "One-Click"})
    for response in (first, second):
        assert response.status_code == 200
        assert "You have left The Daily Canary" in response.content.decode()
    assert reread(subscription).left_at == left_at
    assert Suppression.objects.count() == 1
    again = anonymous.get(link).content.decode()
    assert "You have left The Daily Canary" in again and 'method="post"' not in again


def test_a_tampered_foreign_or_outdated_link_changes_nothing_and_says_so_plainly(daily):
    mine = subscribed(daily)
    other = subscribed(daily, "other@example.com")
    token = leave_token(mine.subscriber, daily)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other_salt = signing.dumps([mine.subscriber.pk, daily.pk, "x"], salt="newsletters.confirm")
    # Someone else's subscription under my address's binding: a forged mix of two links.
    wrong_binding = signing.dumps([other.subscriber.pk, daily.pk, address_hash(MINE)[:12]], salt=LEAVE_SALT)
    not_subscribed = leave_token(mine.subscriber, make_newsletter("The Weekly", "weekly"))
    with override_settings(SECRET_KEY="a-stranger-key-" + "y" * 50, SECRET_KEY_FALLBACKS=[]):
        foreign = leave_token(mine.subscriber, daily)
    for bad in [tampered, other_salt, wrong_binding, foreign, not_subscribed, "not-a-token"]:
        response = Client().post(f"/newsletters/leave/{bad}/", {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400, bad
        assert "This link does not work" in response.content.decode()
        assert response.cookies == {}
    assert Subscription.objects.active().count() == 2


def test_a_link_stops_working_once_its_address_is_no_longer_the_subscribers(daily):
    subscription = subscribed(daily)
    link = path_of(leave_url(subscription.subscriber, daily))
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(email="someone-else@example.com")
    assert Client().post(link, {"List-Unsubscribe": "One-Click"}).status_code == 400
    assert reread(subscription).status == Subscription.Status.SUBSCRIBED


def test_an_old_emails_link_still_works_after_a_key_rotation_while_the_old_key_is_kept(daily, settings):
    subscription = subscribed(daily)
    link = path_of(leave_url(subscription.subscriber, daily))
    choose = path_of(preferences_url(subscription.subscriber))
    old_key = settings.SECRET_KEY
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        assert Client().post(link).status_code == 400
        assert Client().get(choose).status_code == 400
    with override_settings(SECRET_KEY="a-new-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[old_key]):
        assert Client().get(choose).status_code == 200
        assert Client().post(link).status_code == 200
    assert reread(subscription).status == Subscription.Status.UNSUBSCRIBED


def test_leaving_is_a_move_only_a_live_subscription_makes(daily):
    subscription = subscribed(daily)
    subscription.leave()
    with pytest.raises(AlreadyLeft):
        subscription.leave()
    with pytest.raises(NotSubscribed):
        subscription.pause(timezone.now() + timedelta(days=14))
    pending = Subscription.objects.create(
        subscriber=Subscriber.objects.create(email="pending@example.com"), newsletter=daily
    )
    with pytest.raises(NotSubscribed):
        pending.pause(timezone.now() + timedelta(days=14))
    pending.leave()
    assert reread(pending).status == Subscription.Status.UNSUBSCRIBED


def test_the_leave_page_links_to_the_readers_preferences(anonymous, daily):
    subscription = subscribed(daily)
    page = anonymous.get(path_of(leave_url(subscription.subscriber, daily))).content.decode()
    link = re.search(r'href="(/newsletters/preferences/[^"]+/)"', page).group(1)
    assert "Your newsletters" in anonymous.get(link).content.decode()
