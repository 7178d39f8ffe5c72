"""Readers' "Most read": the last 24 hours, on the home page and as a fragment of its own,
refreshed with the clock without a stale cached page, in a bounded number of queries."""

import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from articles.factories import make_article
from canary import page_cache
from readership import counting
from readership.models import Metric
from tests.test_query_counts import PAGE_QUERY_LIMIT, warm_site_wide_caches
from tests.wall_clock import start_well_inside

pytestmark = pytest.mark.django_db

FRAGMENT = "/readership/most-read/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    counting.local.take()  # this process's batch is shared by every test in it
    yield
    counting.local.take()


def read(article, times):
    """Readers' browsers send their beacons, and the clock's fold writes them down."""
    for n in range(times):
        Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{n + 1}").post(
            "/readership/count/",
            urlencode({"e": "view", "p": article.get_absolute_url()}),
            content_type="application/x-www-form-urlencoded",
        )
    counting.fold_counts(datetime.now(UTC))


def listed(response):
    """The headlines in the list, in order, and its heading."""
    html = response.content.decode()
    section = re.search(r'<section class="most-read".*?</section>', html, re.S)
    if section is None:
        return None, []
    heading = re.search(r'<h2 id="most-read-heading"[^>]*>(.*?)</h2>', section.group(0)).group(1)
    return heading, re.findall(r"<li><a [^>]*>(.*?)</a></li>", section.group(0))


def stories(count):
    now = timezone.now()
    return [make_article(f"Story {n}", published_at=now - timedelta(hours=n + 1)) for n in range(count)]


def at_the_start_of_a_period(seconds):
    """Wait for a fresh period, so what a test does next happens well inside one."""
    start_well_inside(seconds, seconds)


def test_until_there_are_counts_the_newest_stories_are_listed(anonymous):
    stories(7)
    heading, headlines = listed(anonymous.get("/"))
    assert heading == "Just published"
    assert headlines == [f"Story {n}" for n in range(5)]


def test_the_most_read_of_the_last_24_hours_come_first_and_the_newest_fill_the_list(anonymous):
    newest, second, old = stories(3)
    read(old, 3)
    read(second, 1)
    # Counts from 25 hours ago are out of the window.
    stale = counting.field(
        Metric.VIEW, counting.hour_of(timezone.now() - timedelta(hours=25)), newest.get_absolute_url()
    )
    counting.write_counts(Counter({stale: 50}), timezone.now())
    heading, headlines = listed(anonymous.get("/"))
    assert heading == "Most read"
    assert headlines == ["Story 2", "Story 1", "Story 0"]


def test_a_story_withdrawn_after_it_was_read_leaves_the_list_at_once(
    anonymous, django_capture_on_commit_callbacks
):
    from tests.security_helpers import staff_user

    popular, other = stories(2)
    read(popular, 5)
    assert listed(anonymous.get("/"))[1][0] == "Story 0"
    with django_capture_on_commit_callbacks(execute=True):
        popular.withdraw("A court order", by=staff_user("Editor"))
    assert "Story 0" not in listed(anonymous.get("/"))[1]
    assert "Story 0" not in listed(anonymous.get(FRAGMENT))[1]


def test_the_list_changes_with_the_clock_and_no_cached_page_outlives_it(anonymous, settings):
    settings.READERSHIP_MOST_READ_SECONDS = 5  # time for a slow machine to do its part inside one
    first, second = stories(2)
    read(first, 1)
    article_page = second.get_absolute_url()
    at_the_start_of_a_period(5)
    home, fragment = anonymous.get("/"), anonymous.get(FRAGMENT)
    assert listed(home)[1][0] == listed(fragment)[1][0] == "Story 0"
    assert anonymous.get(article_page)["X-Cache"] == "miss"
    read(second, 4)
    # Within the period the pages are served whole from the cache, as before.
    assert anonymous.get("/")["X-Cache"] == "hit" and anonymous.get(FRAGMENT)["X-Cache"] == "hit"
    at_the_start_of_a_period(5)
    home, fragment = anonymous.get("/"), anonymous.get(FRAGMENT)
    assert home["X-Cache"] == fragment["X-Cache"] == "miss"
    assert listed(home)[1][:2] == listed(fragment)[1][:2] == ["Story 1", "Story 0"]
    # An article page does not show the list itself: its cached copy is kept as long as ever.
    assert anonymous.get(article_page)["X-Cache"] == "hit"


def test_a_page_rendered_in_the_last_second_before_the_list_changes_is_kept_until_then(anonymous, settings):
    settings.READERSHIP_MOST_READ_SECONDS = 2
    stories(1)
    for _ in range(3):  # a machine that stalls past the period's end tries again in the next
        at_the_start_of_a_period(2)
        time.sleep(1.15)  # about 0.8 s left of this period: less than a whole second
        period = time.time() // 2
        answers = [anonymous.get("/")["X-Cache"] for _ in range(2)]
        if time.time() // 2 == period:
            break
    # Kept for what is left of the period, not dropped because it is under a second...
    assert answers == ["miss", "hit"]
    # ...and not a moment past it.
    at_the_start_of_a_period(2)
    assert anonymous.get("/")["X-Cache"] == "miss"


def test_the_fragment_is_a_public_cacheable_piece_that_sets_no_cookie(anonymous):
    stories(2)
    response = anonymous.get(FRAGMENT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not response.cookies and "Set-Cookie" not in response
    assert "public" in response["Cache-Control"] and "s-maxage=30" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert b"<html" not in response.content and listed(response)[1] == ["Story 0", "Story 1"]
    assert anonymous.get(f"{FRAGMENT}?page=9&utm_source=x")["X-Cache"] == "hit"  # junk cannot split it
    assert anonymous.post(FRAGMENT).status_code == 405


def test_the_home_page_sets_no_cookie_and_shows_the_list_without_javascript(anonymous):
    stories(1)
    response = anonymous.get("/")
    assert not response.cookies and "Set-Cookie" not in response
    assert listed(response)[1] == ["Story 0"]


@pytest.mark.parametrize("size", [6, 60])
def test_the_list_costs_the_same_few_queries_however_many_stories_were_read(
    anonymous, django_assert_num_queries, size
):
    articles = stories(size)
    for article in articles:
        read(article, 1)
    page_cache.seconds_to_live(page_cache.current_generation())  # the cache's schedule checks, once a change
    with django_assert_num_queries(2):  # the ranking for this period, then the stories
        response = anonymous.get(FRAGMENT)
    assert len(listed(response)[1]) == 5
    with django_assert_num_queries(0):
        assert anonymous.get(FRAGMENT)["X-Cache"] == "hit"


@pytest.mark.parametrize("size", [6, 60])
def test_the_home_page_with_the_list_stays_within_a_reader_pages_query_bound(
    anonymous, django_assert_max_num_queries, size
):
    for article in stories(size):
        read(article, 1)
    warm_site_wide_caches()
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = anonymous.get("/")
    assert listed(response)[0] == "Most read" and len(listed(response)[1]) == 5
