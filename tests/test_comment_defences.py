"""Abuse rules on comments refuse and store nothing: the honeypot, timing and form stamps, rate
limits, bad fields, blocked people. Addresses are kept only as a keyed hash."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from articles.comment_forms import RENDER_SALT
from articles.factories import make_article
from articles.models import BlockedCommenter, Comment
from tests.comment_helpers import comment_data, csrf_secret, post, stamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return make_article("Open for discussion", comments="open")


def test_honeypot_refuses_and_stores_nothing(client, article):
    response = post(client, article, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be posted" in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_too_fast_is_refused_and_keeps_the_text(client, article, settings):
    settings.COMMENT_MIN_SECONDS = 3
    response = post(client, article, rendered=stamp(client, seconds_ago=0), body="My careful words")
    assert response.status_code == 400
    page = response.content.decode()
    assert "That was very quick" in page
    assert "My careful words" in page
    assert not Comment.objects.exists()


def test_missing_or_forged_render_time_is_refused(client, article):
    for rendered in ("", "forged:value"):
        assert post(client, article, rendered=rendered).status_code == 400
    assert not Comment.objects.exists()


def test_a_form_stamp_taken_by_another_browser_is_refused(client, article):
    """A bot fetched one stamp and replays it: it belongs to the CSRF cookie it came with."""
    bot = Client()
    replayed = bot.get("/comments/token/").json()["rendered"]
    csrf_secret(client)  # this browser has a CSRF cookie of its own
    response = post(client, article, rendered=replayed, body="My own words")
    assert response.status_code == 400
    assert "Please post your comment again" in response.content.decode()
    assert not Comment.objects.exists()
    cookieless = Client()
    response = cookieless.post(f"/comments/{article.pk}/post/", {**comment_data(bot), "rendered": replayed})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_stamp_from_before_stamps_named_their_browser_is_refused(client, article):
    old_style = signing.dumps(time.time() - 10, salt=RENDER_SALT)
    assert post(client, article, rendered=old_style).status_code == 400
    assert not Comment.objects.exists()


def test_a_form_stamp_lasts_the_configured_time_not_a_day(client, article, settings):
    settings.COMMENT_FORM_MAX_MINUTES = 60
    response = post(client, article, rendered=stamp(client, seconds_ago=61 * 60), body="Typed slowly")
    assert response.status_code == 400
    page = response.content.decode()
    assert "more than 60 minutes ago" in page and "Typed slowly" in page
    assert not Comment.objects.exists()
    # The page that says so carries a fresh stamp for this browser: posting it again works.
    fresh = re.search(r'name="rendered" id="id_rendered" value="([^"]+)"', page).group(1)
    assert post(client, article, rendered=fresh, body="Typed slowly").status_code == 302
    assert post(client, article, rendered=stamp(client, seconds_ago=59 * 60)).status_code == 302
    assert Comment.objects.count() == 2


def test_rate_limit_per_address(client, article, settings, fresh_minute):
    settings.COMMENT_RATE_LIMIT = 2
    for n in range(2):
        assert post(client, article, email=f"r{n}@example.com").status_code == 302
    response = post(client, article, email="r9@example.com")
    assert response.status_code == 429
    assert "Please wait a minute" in response.content.decode()
    assert Comment.objects.count() == 2


def test_rate_limit_counts_the_client_behind_the_proxy(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = client.post(
        f"/comments/{article.pk}/post/",
        comment_data(client, email="a@example.com"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    second = client.post(
        f"/comments/{article.pk}/post/",
        comment_data(client, email="b@example.com"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert (first.status_code, second.status_code) == (302, 302)


def test_rate_limit_per_email(client, article, settings, fresh_minute):
    settings.COMMENT_RATE_LIMIT = 1
    assert post(client, article, email="same@example.com").status_code == 302
    response = client.post(
        f"/comments/{article.pk}/post/",
        comment_data(client, email="same@example.com"),
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "x" * 5001, "at most 5000 characters"),
        ("name", "n" * 81, "at most 80 characters"),
        ("email", "not-an-email", "valid email"),
        ("body", "   ", "This field is required"),
    ],
)
def test_bad_fields_are_refused_with_a_message(client, article, field, value, message):
    response = post(client, article, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_blocked_commenter_cannot_comment(client, article):
    BlockedCommenter.objects.create(email="ADA@example.com")
    response = post(client, article)
    assert response.status_code == 403
    assert "not accepted" in response.content.decode()
    assert not Comment.objects.exists()


def test_ip_address_is_kept_only_as_a_keyed_hash_and_dropped_after_30_days(client, article):
    old = Comment.objects.create(
        article=article,
        name="Old",
        email="o@example.com",
        body="old",
        ip_hash="abc",
        created_at=timezone.now() - timedelta(days=31),
    )
    client.post(f"/comments/{article.pk}/post/", comment_data(client), REMOTE_ADDR="203.0.113.77")
    new = Comment.objects.latest("id")
    assert new.ip_hash and "203.0.113.77" not in new.ip_hash and len(new.ip_hash) == 64
    old.refresh_from_db()
    assert old.ip_hash == ""
