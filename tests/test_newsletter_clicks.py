"""Clicks per link of an issue: counted on our own redirect, with nothing about the reader, to
nowhere the issue did not carry, and never kept by the page cache."""

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import make_article
from newsletters import rendering, sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.models import IssueLink
from newsletters.models.clicks import SALT

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_issue():
    daily = make_newsletter()
    subscribed(daily, "reader@example.com")
    story = make_article("Council votes")
    issue = make_issue(daily, "Big news", [story])
    sending.start(issue)
    return issue, story


def redirect_of(issue, url):
    return IssueLink.redirects(issue)[url].removeprefix(settings.SITE_URL)


def test_starting_an_issue_records_each_link_it_carries(sent_issue):
    issue, story = sent_issue
    links = list(issue.links.values_list("url", "label"))
    assert links == [
        (settings.SITE_URL + "/", "The site's home page"),
        (settings.SITE_URL + story.get_absolute_url(), "Council votes"),
    ]


def test_the_readers_copy_links_through_the_redirect_and_a_preview_does_not(sent_issue):
    issue, story = sent_issue
    tracked = rendering.render(issue, member=False, tracked=True)
    direct = rendering.render(issue, member=False)
    story_url = settings.SITE_URL + story.get_absolute_url()
    go = settings.SITE_URL + redirect_of(issue, story_url)
    for part in (tracked.text, tracked.html):
        assert go in part and story_url not in part
    assert settings.SITE_URL + redirect_of(issue, settings.SITE_URL + "/") in tracked.html
    assert "/newsletters/go/" not in direct.text + direct.html


def test_a_click_is_one_update_and_keeps_nothing_about_the_reader(sent_issue, anonymous):
    issue, story = sent_issue
    path = redirect_of(issue, settings.SITE_URL + story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(path)
    assert response.status_code == 302
    # On to the story, saying which issue brought the reader (for the readership beacon).
    assert (
        response["Location"]
        == f"{settings.SITE_URL}{story.get_absolute_url()}?via=newsletter&issue={issue.pk}"
    )
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("UPDATE") and len(queries) == 2
    assert not response.cookies
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    link = issue.links.get(url=settings.SITE_URL + story.get_absolute_url())
    assert link.clicks == 1
    # What a click row holds: the issue, the link and a number. No reader, no address, no time.
    assert {field.name for field in IssueLink._meta.get_fields()} == {
        "id",
        "issue",
        "url",
        "label",
        "position",
        "clicks",
    }


def test_the_page_cache_never_keeps_a_click(sent_issue, anonymous, on_redis, settings):
    settings.PAGE_CACHE_ENABLED = True
    issue, story = sent_issue
    path = redirect_of(issue, settings.SITE_URL + story.get_absolute_url())
    for _ in range(3):
        assert anonymous.get(path).status_code == 302
    assert issue.links.get(url=settings.SITE_URL + story.get_absolute_url()).clicks == 3


@pytest.mark.parametrize(
    "token",
    [
        "1:not-a-signature",
        signing.Signer(salt="another.purpose").sign("1"),
        "https:%2F%2Fevil.example",
        signing.Signer(salt=SALT).sign("not a number"),
    ],
)
def test_a_tampered_link_goes_home_and_counts_nothing(sent_issue, anonymous, token):
    issue, _ = sent_issue
    response = anonymous.get(f"/newsletters/go/{token}/")
    # Home, or (for what is no token at all) the site's own friendly "not found" page.
    assert response.status_code == 404 or (response.status_code == 302 and response["Location"] == "/")
    assert sum(issue.links.values_list("clicks", flat=True)) == 0


def test_a_signed_id_of_a_link_that_is_gone_goes_home(anonymous):
    token = signing.Signer(salt=SALT).sign("999999")
    response = anonymous.get(f"/newsletters/go/{token}/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_flood_from_one_address_is_not_counted_but_still_goes_on(
    sent_issue, anonymous, settings, fresh_minute
):
    settings.CLICK_RATE_LIMIT = 2
    issue, story = sent_issue
    url = settings.SITE_URL + story.get_absolute_url()
    for _ in range(5):
        assert anonymous.get(redirect_of(issue, url))["Location"] == f"{url}?via=newsletter&issue={issue.pk}"
    assert issue.links.get(url=url).clicks == 2
