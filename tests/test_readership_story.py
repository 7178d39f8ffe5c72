"""A story's readership page in the admin: views by the hour since publication as a chart,
read-through, sources; editors and Finance see every story, a contributor only their own."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.factories import make_article, make_author
from readership import counting
from readership.figures import story_figures
from tests.test_readership_admin import NOW_PAGE, count_views, staff_client

pytestmark = pytest.mark.django_db

# Session, user, permissions and the admin's own (9), then the story and its five figures, then
# its appeal views, clicks, gifts and comments: 19 measured with 2 hours of tallies or 400,
# never one an hour.
STORY_PAGE_QUERY_LIMIT = 19


def story_page(article):
    return f"{NOW_PAGE}story/{article.pk}/"


def count_reads(article, reads, moment):
    counting.write_counts(
        {counting.field("read", counting.hour_of(moment), article.get_absolute_url()): reads}, moment
    )


def test_editors_and_finance_see_views_by_hour_read_through_and_sources():
    published = timezone.now().replace(minute=5) - timedelta(hours=3)
    article = make_article("Tenants win a rent freeze", published_at=published)
    count_views(article, 10, published, "search")
    count_views(article, 6, published + timedelta(hours=2), "social")
    count_reads(article, 4, published + timedelta(hours=2))
    for role in ("Editor", "Finance"):
        response = staff_client(role).get(story_page(article))
        assert response.status_code == 200, role
        page = response.content.decode()
        assert "Tenants win a rent freeze" in page
        assert response.context["views"] == 16 and response.context["read_through"] == 25
        assert "<dt>Read-through rate</dt><dd>25%</dd>" in page
        # An hour a bar from the hour it came out; each bar says its number in text.
        assert [views for _, views in response.context["hours"]][:4] == [10, 0, 6, 0]
        assert page.count('role="img"') == 2  # the hours and the sources; no days yet
        assert "<title>Search: 10</title>" in page and "<title>Social: 6</title>" in page


def test_after_two_days_the_views_go_on_by_the_day():
    published = timezone.now() - timedelta(days=4)
    article = make_article(published_at=published)
    count_views(article, 3, published)
    count_views(article, 8, timezone.now())
    response = staff_client("Editor").get(story_page(article))
    assert len(response.context["hours"]) == 48 and response.context["hours"][0][1] == 3
    assert response.context["days"][-1][1] == 8 and sum(v for _, v in response.context["days"]) == 8
    assert response.content.decode().count('role="img"') == 3


def test_a_contributor_sees_their_own_stories_and_no_one_elses():
    client = staff_client("Contributor")
    user = get_user_model().objects.get(username="contributor")
    written = make_article("Mine, by creation", created_by=user)
    bylined = make_article("Mine, by byline", authors=[make_author("Con Tributor", user=user)])
    other = make_article("Someone else's")
    for article in (written, bylined, other):
        count_views(article, 2, timezone.now())
    assert client.get(story_page(written)).status_code == 200
    assert client.get(story_page(bylined)).status_code == 200
    refused = client.get(story_page(other))
    assert refused.status_code == 403 and "Someone else" not in refused.content.decode()
    assert client.get(NOW_PAGE).status_code == 403  # the whole site's figures stay the editors'


def test_moderators_readers_and_made_up_stories_are_refused():
    article = make_article()
    assert staff_client("Moderator").get(story_page(article)).status_code == 403
    response = Client().get(story_page(article))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert staff_client("Editor").get(f"{NOW_PAGE}story/999999/").status_code == 404


def test_the_now_pages_most_read_lead_to_each_storys_page():
    article = make_article()
    count_views(article, 5, timezone.now())
    page = staff_client("Editor").get(NOW_PAGE).content.decode()
    assert re.search(rf'<a href="{re.escape(story_page(article))}">', page)


@pytest.mark.parametrize("hours", [2, 400])
def test_the_story_page_runs_a_fixed_number_of_queries_however_many_tallies(hours):
    now = timezone.now()
    article = make_article(published_at=now - timedelta(hours=hours))
    names = {}
    for back in range(hours):
        moment = now - timedelta(hours=back)
        for source in ("search", "social", "direct"):
            names[counting.field("view", counting.hour_of(moment), article.get_absolute_url(), source)] = (
                back + 1
            )
    counting.write_counts(names, now)
    client = staff_client("Editor")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story_page(article)).status_code == 200
    assert len(queries) <= STORY_PAGE_QUERY_LIMIT


def test_hours_are_shown_in_london_time_across_the_clocks_going_back():
    published = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)  # 00:30 BST on the 25th; 01:00 BST becomes GMT
    article = make_article(published_at=published)
    count_views(article, 1, published)
    hours = story_figures(article, datetime(2026, 10, 25, 6, tzinfo=UTC))["hours"]
    assert [f"{moment:%H}" for moment, _ in hours[:4]] == ["00", "01", "01", "02"]  # 01:00 happens twice
