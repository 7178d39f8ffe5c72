"""The newsroom's "Readership now" page: totals and charts for editors and Finance, no one else."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.archive_generator import generate
from articles.factories import make_article
from articles.models import Article
from readership import counting
from readership.models import Tally
from tests.wall_clock import start_well_inside

pytestmark = pytest.mark.django_db

NOW_PAGE = "/admin/readership/tally/"
# Session, user, permissions and the admin's own (15 measured with 10 stories or 500), then
# the page's fixed set (hours, last hour, most read, headlines, sources): never one a story.
NOW_PAGE_QUERY_LIMIT = 16


def staff_client(role):
    user = get_user_model().objects.create_user(
        role.lower(), f"{role.lower()}@example.com", "pw-long-enough-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def count_views(article, views, moment, source="direct"):
    """`views` beacons for the article's page at `moment`, folded as the clock would fold them."""
    name = counting.field("view", counting.hour_of(moment), article.get_absolute_url(), source)
    counting.write_counts({name: views}, moment)


def test_editors_and_finance_see_this_hour_today_the_most_read_and_the_sources():
    start_well_inside(3600, 10)  # London's hours are UTC's: the counts' hour is the page's
    busy = make_article("Tenants win a rent freeze")
    quiet = make_article("Council meets")
    now = timezone.now()
    count_views(busy, 40, now, "search")
    count_views(quiet, 3, now, "social")
    for role in ("Editor", "Finance"):
        response = staff_client(role).get(NOW_PAGE)
        assert response.status_code == 200, role
        page = response.content.decode()
        assert response.context["this_hour"] == 43 and response.context["today"] >= 43
        assert [article.headline for article, _ in response.context["most_read"]] == [
            busy.headline,
            quiet.headline,
        ]
        assert dict(response.context["sources"])["Search"] == 40
        assert page.count('role="img"') == 2  # the hours and the sources, as pictures
        assert response["Refresh"] == "60"


@pytest.mark.parametrize("role", ["Contributor", "Moderator"])
def test_other_staff_do_not_see_the_figures(role):
    count_views(make_article(), 5, timezone.now())
    client = staff_client(role)
    response = client.get(NOW_PAGE)
    assert response.status_code == 403
    assert "Readership" not in client.get("/admin/").content.decode()


def test_readers_are_sent_to_sign_in():
    response = Client().get(NOW_PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_charts_say_every_number_in_text_not_by_colour_alone():
    count_views(make_article(), 7, timezone.now(), "newsletter")
    page = staff_client("Editor").get(NOW_PAGE).content.decode()
    assert "<title>Newsletter issue: 7</title>" in page
    assert ">Newsletter issue</text>" in page and ">7</text>" in page
    assert "http" not in page.split('<svg class="readership-chart"', 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )


def test_nobody_can_add_change_or_delete_a_count():
    article = make_article()
    count_views(article, 2, timezone.now())
    tally = Tally.objects.get()
    client = Client()
    client.force_login(
        get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-long-enough-1")
    )
    assert client.get(f"{NOW_PAGE}add/").status_code == 403
    assert client.post(f"{NOW_PAGE}{tally.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert Tally.objects.get().count == 2


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_now_page_runs_a_fixed_number_of_queries(size):
    generate(size, log=lambda line: None)
    now = timezone.now()
    moment = now - timedelta(minutes=1)
    names = {}
    for n, article in enumerate(Article.objects.published(now)):
        names[counting.field("view", counting.hour_of(moment), article.get_absolute_url(), "search")] = n + 1
    counting.write_counts(names, moment)
    client = staff_client("Editor")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(NOW_PAGE)
    assert response.status_code == 200 and len(response.context["most_read"]) == 10
    assert len(queries) <= NOW_PAGE_QUERY_LIMIT


def test_hours_are_london_hours_and_the_last_hour_may_be_yesterdays():
    from readership.figures import now_figures

    article = make_article(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    just_after_midnight = datetime(2026, 6, 30, 23, 20, tzinfo=UTC)  # 00:20 BST, 1 July
    count_views(article, 5, just_after_midnight - timedelta(hours=1))  # 23:20 BST, 30 June
    count_views(article, 2, just_after_midnight)
    figures = now_figures(just_after_midnight)
    assert (figures["this_hour"], figures["last_hour"], figures["today"]) == (2, 5, 2)
    assert [(moment.hour, views) for moment, views in figures["hours"]] == [(0, 2)]
