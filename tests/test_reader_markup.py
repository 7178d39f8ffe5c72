"""Reader-page details a reviewer caught: machine-readable dates, the current section, the site's
name on error pages and the support form's error state. Layout is checked in a real browser in
tests/test_reader_polish_browser.py."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from articles.factories import make_article, make_section
from articles.models import Comment, Correction
from articles.views import pages

pytestmark = pytest.mark.django_db

# HTML's valid global date and time string allows at most three fractional digits; we promise
# seconds: 2026-11-30T21:33:15+00:00.
SECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the links inside the section nav."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.nav_links = []
        self._in_nav = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "nav" and "sections" in (attrs.get("class") or "").split():
            self._in_nav += 1
        elif tag == "a" and self._in_nav:
            self.nav_links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1


def parse(response):
    parser = Tags()
    parser.feed(response.content.decode())
    return parser


def moment(seconds_ago, micro=345_678):
    """A moment with microseconds, as every real timestamp has."""
    return (timezone.now() - timedelta(seconds=seconds_ago)).replace(microsecond=micro)


@pytest.fixture
def news():
    return make_section("News")


@pytest.fixture
def story(news):
    article = make_article("Dockers vote to strike", section=news, published_at=moment(600))
    Correction.objects.create(
        article=article,
        kind="correction",
        text="We misspelt the union's name.",
        created_at=moment(300, 123_456),
    )
    Comment.objects.create(
        article=article,
        name="Ana",
        email="ana@example.com",
        body="Solidarity.",
        status="approved",
        created_at=moment(200, 987_654),
    )
    article.refresh_from_db()
    return article


def datetimes(page):
    return [attrs["datetime"] for tag, attrs in page.tags if tag == "time"]


def test_every_time_on_an_article_is_valid_html_to_the_second(anonymous, story):
    page = parse(anonymous.get(story.get_absolute_url()))
    stamps = datetimes(page)
    # The byline, the correction note and the comment (and any related teaser).
    assert len(stamps) >= 3
    for stamp in stamps:
        assert SECONDS.fullmatch(stamp), stamp
    published = story.published_at.replace(microsecond=0)
    assert datetime.fromisoformat(stamps[0]) == published
    correction = story.corrections.get().created_at.replace(microsecond=0)
    assert correction in {datetime.fromisoformat(s) for s in stamps}
    comment = Comment.objects.get(article=story).created_at.replace(microsecond=0)
    assert comment in {datetime.fromisoformat(s) for s in stamps}


def test_published_and_modified_metadata_drop_the_microseconds(anonymous, story):
    page = parse(anonymous.get(story.get_absolute_url()))
    meta = {attrs.get("property"): attrs.get("content") for tag, attrs in page.tags if tag == "meta"}
    published, modified = meta["article:published_time"], meta["article:modified_time"]
    assert SECONDS.fullmatch(published) and SECONDS.fullmatch(modified), (published, modified)
    assert datetime.fromisoformat(published) == story.published_at.replace(microsecond=0)


@pytest.mark.parametrize("path", ["/", "/latest/", "/section/news/"])
def test_teaser_dates_in_lists_are_to_the_second(anonymous, story, path):
    make_article("Second story", section=story.section, published_at=moment(900, 1))
    page = parse(anonymous.get(path))
    stamps = datetimes(page)
    assert stamps
    for stamp in stamps:
        assert SECONDS.fullmatch(stamp), stamp


def current(page):
    """The section-nav links marked current, as (href, aria-current)."""
    return [(a["href"], a["aria-current"]) for a in page.nav_links if "aria-current" in a]


def test_a_section_page_marks_its_own_link_as_the_current_page(anonymous, news):
    make_section("Opinion")
    make_article(section=news)
    assert current(parse(anonymous.get("/section/news/"))) == [("/section/news/", "page")]
    assert current(parse(anonymous.get("/section/opinion/"))) == [("/section/opinion/", "page")]
    # A second request is a page-cache hit and still marks the section of its own address.
    assert current(parse(anonymous.get("/section/news/"))) == [("/section/news/", "page")]


def test_an_article_marks_its_section_as_where_the_reader_is(anonymous, story):
    make_section("Opinion")
    assert current(parse(anonymous.get(story.get_absolute_url()))) == [("/section/news/", "true")]


def test_the_front_page_marks_home_and_other_pages_mark_nothing(anonymous, story):
    assert current(parse(anonymous.get("/"))) == [("/", "page")]
    assert current(parse(anonymous.get("/latest/"))) == []
    # The support page opened from a story knows that story, but is not in its section.
    assert current(parse(anonymous.get(f"/support/?from={story.pk}"))) == []


def test_the_marking_is_the_same_for_every_reader(client, django_user_model, story):
    anonymous_page = parse(Client().get(story.get_absolute_url()))
    client.force_login(django_user_model.objects.create_user("kim", "kim@example.com", "pw"))
    signed_in_page = parse(client.get(story.get_absolute_url()))
    assert current(signed_in_page) == current(anonymous_page) == [("/section/news/", "true")]


def broken_client(monkeypatch, exception):
    def fail(*args, **kwargs):
        raise exception

    monkeypatch.setattr(pages.LatestView, "get", fail)
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("exception", "status", "heading"),
    [
        (ValueError("boom"), 500, "Something went wrong on our side"),
        (OperationalError("server closed the connection unexpectedly"), 503, "We’ll be back in a moment"),
    ],
)
def test_error_pages_carry_the_configured_site_name(settings, monkeypatch, exception, status, heading):
    settings.SITE_NAME = "The Wren"
    settings.COOP_LEGAL_NAME = "The Wren News Co-operative Ltd"
    response = broken_client(monkeypatch, exception).get("/latest/")
    assert response.status_code == status
    body = response.content.decode()
    assert heading in body
    assert '<a class="masthead__name" href="/">The Wren</a>' in body
    assert "<title>" in body and "The Wren</title>" in body
    assert "The Canary" not in body


def test_bad_request_page_carries_the_configured_site_name(settings, monkeypatch):
    from django.core.exceptions import SuspiciousOperation

    settings.SITE_NAME = "The Wren"
    settings.COOP_LEGAL_NAME = "The Wren News Co-operative Ltd"
    response = broken_client(monkeypatch, SuspiciousOperation("odd")).get("/latest/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "The Wren" in body and "The Canary" not in body


def amount_input(page):
    return next(attrs for tag, attrs in page.tags if tag == "input" and attrs.get("name") == "amount")


def test_a_refused_amount_is_marked_invalid_and_described_by_its_error(client):
    response = client.post(
        "/support/",
        {"frequency": "one_off", "amount": "0.5", "name": "Kim", "email": "kim@example.com", "consent": "on"},
    )
    assert response.status_code == 400
    page = parse(response)
    amount = amount_input(page)
    assert amount["aria-invalid"] == "true"
    described = amount["aria-describedby"].split()
    assert "amount-error" in described
    error = next(attrs for tag, attrs in page.tags if attrs.get("id") == "amount-error")
    assert error is not None
    assert "The smallest gift we can take is £1." in response.content.decode()


def test_an_untouched_amount_is_not_marked_invalid(client):
    page = parse(client.get("/support/"))
    assert "aria-invalid" not in amount_input(page)


def test_the_form_tells_the_script_the_limits_we_take(client, settings):
    settings.DONATION_MIN_PENCE = 300
    settings.DONATION_MAX_PENCE = 500_000
    page = parse(client.get("/support/"))
    form = next(attrs for tag, attrs in page.tags if attrs.get("id") == "support-form")
    assert (form["data-min-pence"], form["data-max-pence"]) == ("300", "500000")
