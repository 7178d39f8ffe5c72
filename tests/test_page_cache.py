"""The page-cache contract that every reader page keeps."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.utils import timezone

from articles.factories import make_article
from canary import page_cache

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_from_cache_without_queries(anonymous, django_assert_num_queries):
    make_article("The first story")
    first = anonymous.get("/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = anonymous.get("/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert b"The first story" in second.content


def test_anonymous_pages_can_be_held_briefly_by_a_proxy(anonymous):
    make_article()
    cache_control = anonymous.get("/")["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=30" in cache_control
    assert "max-age=0" in cache_control


def test_anonymous_reader_gets_no_cookie(anonymous):
    make_article()
    for _ in range(2):
        response = anonymous.get("/")
        assert not response.cookies
        assert "Set-Cookie" not in response


def test_tracking_parameters_do_not_split_the_cache(anonymous):
    make_article()
    anonymous.get("/")
    shared = anonymous.get("/?utm_source=newsletter&fbclid=abc123")
    assert shared["X-Cache"] == "hit"


def test_pagination_parameter_is_part_of_the_key(anonymous):
    for number in range(25):
        make_article(f"Story {number}", published_at=timezone.now() - timedelta(minutes=number + 1))
    first = anonymous.get("/latest/")
    second = anonymous.get("/latest/?page=2")
    assert second["X-Cache"] == "miss"
    assert first.content != second.content


def test_a_reader_with_a_session_is_never_served_or_stored(client, anonymous):
    make_article("Members see this fresh")
    client.cookies[settings.SESSION_COOKIE_NAME] = "0123456789abcdefghijklmnopqrstuv"  # a session key's shape
    personal = client.get("/")
    assert "X-Cache" not in personal
    assert personal["Cache-Control"] == "private, no-store"
    anonymous.cookies.clear()
    assert anonymous.get("/")["X-Cache"] == "miss"


def test_a_reader_with_a_flash_message_bypasses_the_cache(client):
    make_article()
    client.get("/")
    client.cookies["messages"] = signing.get_cookie_signer(salt="django.contrib.messages").sign("[]")
    response = client.get("/")
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("cookie", "value"),
    [
        (settings.SESSION_COOKIE_NAME, "junk"),
        (settings.SESSION_COOKIE_NAME, "x" * 4000),
        (settings.SESSION_COOKIE_NAME, "0123456789ABCDEFGHIJKLMNOPQRSTUV"),
        ("messages", "something"),
        ("messages", "[]:forged-signature"),
    ],
)
def test_a_junk_session_or_messages_cookie_is_answered_from_the_cache(client, cookie, value):
    make_article("A story for everyone")
    client.get("/")
    client.cookies[cookie] = value
    response = client.get("/")
    assert response["X-Cache"] == "hit"
    assert b"A story for everyone" in response.content


def test_a_bad_host_is_refused_on_a_cache_hit_too(anonymous):
    make_article()
    assert anonymous.get("/").status_code == 200
    assert anonymous.get("/")["X-Cache"] == "hit"
    refused = anonymous.get("/", HTTP_HOST="attacker.example")
    assert refused.status_code == 400
    assert "X-Cache" not in refused


def test_parameters_a_page_does_not_read_are_left_out_of_the_key(anonymous):
    article = make_article("One story")
    for path in ("/", article.get_absolute_url(), "/latest/", "/search/?q=one+story"):
        assert anonymous.get(path).status_code == 200
    home, story = "/", article.get_absolute_url()
    for junk in ("?page=7", "?q=anything", "?page=x&q=y&utm_source=z"):
        assert anonymous.get(f"{home}{junk}")["X-Cache"] == "hit"
        assert anonymous.get(f"{story}{junk}")["X-Cache"] == "hit"
    assert anonymous.get("/latest/?page=1&q=ignored")["X-Cache"] == "hit"  # page 1 is the list itself
    assert anonymous.get("/search/?q=one%20%20story%00")["X-Cache"] == "hit"  # read as search reads it


def test_a_malformed_page_number_is_never_stored(anonymous):
    make_article()
    for _ in range(2):
        response = anonymous.get("/latest/?page=abc")
        assert response.status_code == 404
        assert "X-Cache" not in response


def test_publishing_shows_on_the_next_request(anonymous, django_capture_on_commit_callbacks):
    make_article("Old news")
    anonymous.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Breaking news")
    response = anonymous.get("/")
    assert response["X-Cache"] == "miss"
    assert b"Breaking news" in response.content


def test_saving_a_draft_leaves_cached_pages_alone(anonymous, django_capture_on_commit_callbacks):
    make_article("Published story")
    anonymous.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Unfinished draft", status="draft")
    assert anonymous.get("/")["X-Cache"] == "hit"


def test_a_change_made_by_another_process_reaches_this_one(anonymous, tmp_path):
    """Workers share the generation: a bump in one process invalidates the others."""
    make_article()
    anonymous.get("/")
    assert anonymous.get("/")["X-Cache"] == "hit"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "canary.settings"}
    if settings.PAGE_CACHE_GENERATION_FILE:
        env["PAGE_CACHE_GENERATION_FILE"] = str(settings.PAGE_CACHE_GENERATION_FILE)
    code = "import django; django.setup(); from canary.page_cache import bump_generation; bump_generation()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=settings.BASE_DIR)
    assert anonymous.get("/")["X-Cache"] == "miss"


def test_a_cached_page_expires_when_a_scheduled_article_is_due(anonymous):
    due = timezone.now() + timedelta(seconds=4)  # time enough to render and store it before then
    make_article("Already out")
    make_article("Embargoed until now", published_at=due)
    assert b"Embargoed" not in anonymous.get("/").content
    assert anonymous.get("/")["X-Cache"] == "hit"
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 1.1)
    response = anonymous.get("/")
    assert b"Embargoed until now" in response.content


def test_no_entry_is_kept_past_the_next_scheduled_change():
    make_article("Later", published_at=timezone.now() + timedelta(seconds=90))
    generation = page_cache.current_generation()
    assert 0 < page_cache.seconds_to_live(generation) <= 90


def test_health_check_is_never_cached(anonymous):
    anonymous.get("/healthz")
    response = anonymous.get("/healthz")
    assert "X-Cache" not in response
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_not_found_pages_are_not_stored(anonymous):
    anonymous.get("/no-such-page/")
    assert "X-Cache" not in anonymous.get("/no-such-page/")


def test_conditional_request_gets_304_from_the_cache(anonymous):
    make_article()
    etag = anonymous.get("/")["ETag"]
    response = anonymous.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_head_request_is_answered_from_the_cache_without_a_body(anonymous):
    make_article("Heads up")
    anonymous.get("/")
    response = anonymous.head("/")
    assert response["X-Cache"] == "hit"
    assert response.content == b""


def test_posts_are_never_cached(anonymous):
    make_article()
    response = anonymous.post("/")
    assert "X-Cache" not in response
