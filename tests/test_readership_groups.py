"""Sections, tags and authors over a period: views and read-through for each, the top tags and
authors, a period picker that explains a bad date, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.archive_generator import generate
from articles.factories import make_article, make_author, make_section
from articles.models import Article
from readership import counting
from readership.groups import TOP
from tests.test_readership_admin import NOW_PAGE, staff_client

pytestmark = pytest.mark.django_db

GROUPS = f"{NOW_PAGE}groups/"
# Session, user, permissions and the admin's own, then one query a kind (sections, tags,
# authors) and one for each kind's names: 16 measured with 10 stories or 300.
GROUPS_QUERY_LIMIT = 16


def counted(article, views, reads, moment=None):
    moment = moment or timezone.now()
    hour, path = counting.hour_of(moment), article.get_absolute_url()
    counting.write_counts(
        {counting.field("view", hour, path, "direct"): views, counting.field("read", hour, path): reads},
        moment,
    )


def groups_of(client, **query):
    response = client.get(GROUPS, query)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def rows(response, kind):
    return {row["name"]: (row["views"], row["reads"], row["read_through"]) for row in response.context[kind]}


@pytest.fixture
def newsroom():
    """Two sections, two reporters and three tags, each story read in part."""
    news, culture = make_section("News"), make_section("Culture")
    ada, ben = make_author("Ada Reporter"), make_author("Ben Writer")
    counted(make_article("Rents", section=news, authors=[ada], tags=["housing", "council"]), 100, 40)
    counted(make_article("Buses", section=news, authors=[ada, ben], tags=["transport", "council"]), 50, 30)
    counted(make_article("A new play", section=culture, authors=[ben], tags=[]), 10, 10)
    return news, culture


@pytest.mark.parametrize("role", ["Editor", "Finance"])
def test_views_and_read_through_per_section_tag_and_author(newsroom, role):
    response = groups_of(staff_client(role))
    assert rows(response, "sections") == {"News": (150, 70, 47), "Culture": (10, 10, 100)}
    assert rows(response, "tags") == {
        "council": (150, 70, 47),
        "housing": (100, 40, 40),
        "transport": (50, 30, 60),
    }
    # A story with two authors counts for each of them.
    assert rows(response, "authors") == {"Ada Reporter": (150, 70, 47), "Ben Writer": (60, 40, 67)}
    assert [row["name"] for row in response.context["tags"]] == ["council", "housing", "transport"]
    page = response.content.decode()
    assert page.count('role="img"') == 3 and "<title>News: 150</title>" in page
    assert "<td>News</td><td>150</td><td>70</td><td>47%</td>" in page


def test_only_the_top_tags_are_listed():
    section = make_section("News")
    for n in range(TOP + 5):
        counted(make_article(f"Story {n}", section=section, tags=[f"tag-{n:02d}"]), n + 1, 0)
    names = [row["name"] for row in groups_of(staff_client("Editor")).context["tags"]]
    assert len(names) == TOP and names[0] == f"tag-{TOP + 4:02d}" and "tag-00" not in names


def test_the_period_picks_the_days_counted(newsroom):
    news, _ = newsroom
    counted(make_article("Old news", section=news, authors=[]), 1000, 0, timezone.now() - timedelta(days=20))
    client = staff_client("Editor")
    assert rows(groups_of(client, last="7"), "sections")["News"][0] == 150
    assert rows(groups_of(client, last="30"), "sections")["News"][0] == 1150
    today = timezone.localdate()
    response = groups_of(client, start=f"{today - timedelta(days=21)}", end=f"{today - timedelta(days=19)}")
    assert rows(response, "sections") == {"News": (1000, 0, 0)}


def test_a_bad_date_gets_a_clear_message_and_the_default_period(newsroom):
    response = groups_of(staff_client("Editor"), start="2026-13-01", end="2026-01-01")
    page = response.content.decode()
    assert "Enter a valid date." in page and rows(response, "sections")["News"][0] == 150
    response = groups_of(staff_client("Finance"), start="2026-02-01", end="2026-01-01")
    assert "The period must start before it ends." in response.content.decode()


def test_a_contributor_sees_their_own_stories_only_and_others_are_refused(newsroom):
    client = staff_client("Contributor")
    user = get_user_model().objects.get(username="contributor")
    counted(make_article("Mine", section=newsroom[1], authors=[], tags=["theatre"], created_by=user), 7, 7)
    response = groups_of(client)
    assert rows(response, "sections") == {"Culture": (7, 7, 100)}
    assert rows(response, "tags") == {"theatre": (7, 7, 100)}
    assert staff_client("Moderator").get(GROUPS).status_code == 403
    assert Client().get(GROUPS).status_code == 302


def test_nothing_counted_says_so():
    page = groups_of(staff_client("Editor")).content.decode()
    assert page.count("Nothing counted in this period.") == 3


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_groups_run_a_fixed_number_of_queries_however_many_stories(size):
    generate(size, log=lambda line: None)
    now = timezone.now()
    names = {}
    for n, article in enumerate(Article.objects.published(now)):
        names[counting.field("view", counting.hour_of(now), article.get_absolute_url(), "search")] = n + 1
        names[counting.field("read", counting.hour_of(now), article.get_absolute_url())] = n
    counting.write_counts(names, now)
    client = staff_client("Editor")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(GROUPS)
    assert response.status_code == 200 and response.context["sections"]
    assert len(queries) <= GROUPS_QUERY_LIMIT
