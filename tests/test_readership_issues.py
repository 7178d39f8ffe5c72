"""Visits from each newsletter issue: a reader who follows an issue's link lands on the story
saying which issue brought them, their browser's beacon names it, and the newsroom sees the
visits beside the issue's link clicks. A made-up issue number counts for nothing."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.factories import make_article
from newsletters import sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.models import IssueLink
from readership import counting
from readership.models import Tally
from tests.test_readership_admin import NOW_PAGE, staff_client

pytestmark = pytest.mark.django_db

ISSUES = f"{NOW_PAGE}newsletters/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# Session, user, permissions and the admin's own, then the visits, the issues and their clicks.
ISSUES_QUERY_LIMIT = 13


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    counting.local.take()
    yield
    counting.local.take()


def letter(name):
    return make_newsletter(name, slug=name.lower().replace(" ", "-"))


def sent(subject, stories, newsletter=None):
    newsletter = newsletter or letter(f"The {subject}")
    subscribed(newsletter, f"reader-{newsletter.slug}@example.com")
    issue = make_issue(newsletter, subject, stories)
    sending.start(issue)
    return issue


def follow(issue, story, reader_number):
    """A reader clicks the story's link in the email, lands, and their browser sends the beacon
    the script sends: the page's path, "newsletter" and the issue, as the landing address says."""
    url = settings.SITE_URL + story.get_absolute_url()
    go = IssueLink.redirects(issue)[url].removeprefix(settings.SITE_URL)
    landing = urlsplit(Client().get(go)["Location"])
    query = parse_qs(landing.query)
    beacon(landing.path, reader_number, v=query["via"][0], n=query["issue"][0])


def beacon(path, reader_number, **fields):
    Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{reader_number}").post(
        "/readership/count/",
        urlencode({"e": "view", "p": path, **fields}),
        content_type="application/x-www-form-urlencoded",
    )


def test_each_issue_shows_the_visits_it_brought_beside_its_link_clicks():
    council, bus = make_article("Council votes"), make_article("Night buses")
    monday = sent("Monday's news", [council, bus])
    friday = sent("Friday's news", [bus])
    for n in range(3):
        follow(monday, council, n + 1)
    follow(monday, bus, 10)
    follow(friday, bus, 11)
    counting.fold_counts(timezone.now())
    for role in ("Editor", "Finance"):
        response = staff_client(role).get(ISSUES)
        assert response.status_code == 200
        rows = [(row["issue"].subject, row["visits"], row["clicks"]) for row in response.context["issues"]]
        assert rows == [("Monday's news", 4, 4), ("Friday's news", 1, 1)]
        page = response.content.decode()
        assert 'role="img"' in page and "<title>Monday&#x27;s news: 4</title>" in page


def test_a_made_up_or_unsent_issue_and_an_issue_without_a_newsletter_visit_count_for_nothing():
    story = make_article("Council votes")
    issue = sent("Monday's news", [story])
    draft = make_issue(letter("Weekly"), "Not sent yet", [story])
    beacon(story.get_absolute_url(), 1, v="newsletter", n="987654")
    beacon(story.get_absolute_url(), 2, v="newsletter", n=str(draft.pk))
    beacon(story.get_absolute_url(), 3, n=str(issue.pk))  # no newsletter link: not the issue's
    beacon(story.get_absolute_url(), 4, v="newsletter", n=f"{issue.pk}; DROP TABLE")
    counting.fold_counts(timezone.now())
    assert Tally.objects.exclude(issue__in=[0, 987654, draft.pk]).count() == 0
    response = staff_client("Editor").get(ISSUES)
    assert response.context["issues"] == []
    assert "No visits from a newsletter issue in this period." in response.content.decode()


def test_the_period_and_the_roles():
    story = make_article("Council votes")
    issue = sent("Monday's news", [story])
    old = timezone.now() - timedelta(days=40)
    name = counting.field(
        "view", counting.hour_of(old), story.get_absolute_url(), "newsletter", "", 0, issue.pk
    )
    counting.write_counts({name: 9}, old)
    editor = staff_client("Editor")
    assert editor.get(ISSUES).context["issues"] == []
    assert [row["visits"] for row in editor.get(ISSUES, {"last": "90"}).context["issues"]] == [9]
    assert "Enter a valid date." in editor.get(ISSUES, {"start": "soon", "end": "later"}).content.decode()
    contributor = staff_client("Contributor")
    user = get_user_model().objects.get(username="contributor")
    mine = make_article("Mine", created_by=user)
    counting.write_counts(
        {
            counting.field(
                "view", counting.hour_of(old), mine.get_absolute_url(), "newsletter", "", 0, issue.pk
            ): 2
        },
        old,
    )
    rows = contributor.get(ISSUES, {"last": "90"}).context["issues"]
    assert [(row["visits"], row["clicks"]) for row in rows] == [(2, None)]  # their story's visits only
    assert staff_client("Moderator").get(ISSUES).status_code == 403


@pytest.mark.parametrize("size", [3, 60])
def test_a_fixed_number_of_queries_however_many_issues(size):
    story = make_article("Council votes")
    newsletter = letter("Daily")
    now = timezone.now()
    names = {}
    for n in range(size):
        issue = sent(f"Issue {n}", [story], newsletter)
        names[
            counting.field(
                "view", counting.hour_of(now), story.get_absolute_url(), "newsletter", "", 0, issue.pk
            )
        ] = n + 1
    counting.write_counts(names, now)
    client = staff_client("Editor")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ISSUES)
    assert len(response.context["issues"]) == size
    assert len(queries) <= ISSUES_QUERY_LIMIT


def test_counts_gathered_before_beacons_named_an_issue_still_fold():
    story = make_article("Council votes")
    now = timezone.now()
    old_style = "\x1f".join(["view", str(counting.hour_of(now)), story.get_absolute_url(), "direct", "", "0"])
    counting.write_counts({old_style: 3}, now)
    assert Tally.objects.get(article=story).count == 3 and Tally.objects.get(article=story).issue == 0
