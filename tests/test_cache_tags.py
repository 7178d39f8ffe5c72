"""Every shared reader page says what it shows (Cache-Tag, Surrogate-Key), a cache hit says it too
at no cost, and with purging the shared max-age is long but never past the next change by the clock."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.factories import make_article, make_author, make_section
from canary import cdn_clock, page_cache
from core import clock
from core.models import Occurrence, PendingPurge

pytestmark = pytest.mark.django_db


@pytest.fixture
def purging(settings):
    settings.CDN_PURGE = "cloudflare"
    settings.CLOUDFLARE_ZONE_ID = "zone-1"
    settings.CLOUDFLARE_API_TOKEN = "cf-token"
    settings.CDN_SHARED_MAX_AGE = 6 * 3600


def tags(response):
    return response["Cache-Tag"].split(",")


def s_maxage(response):
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def test_an_article_page_names_the_story_its_section_tags_and_authors(anonymous, django_assert_num_queries):
    section, author = make_section("Climate"), make_author("Ada")
    article = make_article("Floods", section=section, authors=[author], tags=["Rivers"])
    tag_id = article.tags.get().pk
    first = anonymous.get(article.get_absolute_url())
    expected = ["site", f"a{article.pk}", f"s{section.pk}", f"t{tag_id}", f"p{author.pk}"]
    assert tags(first) == expected
    assert first["Surrogate-Key"] == " ".join(expected)
    with django_assert_num_queries(0):
        hit = anonymous.get(article.get_absolute_url())
    assert hit["X-Cache"] == "hit"
    assert hit["Cache-Tag"] == first["Cache-Tag"] and hit["Surrogate-Key"] == first["Surrogate-Key"]


@pytest.mark.parametrize(
    "route, args, kind",
    [
        ("articles:home", [], "home"),
        ("articles:latest", [], "lists"),
        ("articles:feed", [], "feeds"),
        ("articles:sitemap", [], "sitemaps"),
    ],
)
def test_each_kind_of_page_says_its_kind(anonymous, route, args, kind):
    make_article("Story")
    response = anonymous.get(reverse(route, args=args))
    assert response.status_code == 200
    assert kind in tags(response) and "site" in tags(response)


def test_section_tag_and_author_lists_name_their_subject(anonymous):
    section, author = make_section("Culture"), make_author("Bo")
    article = make_article("Review", section=section, authors=[author], tags=["Film"])
    tag = article.tags.get()
    assert f"s{section.pk}" in tags(anonymous.get(reverse("articles:section", args=[section.slug])))
    assert f"t{tag.pk}" in tags(anonymous.get(reverse("articles:tag", args=[tag.slug])))
    assert f"p{author.pk}" in tags(anonymous.get(reverse("articles:author", args=[author.slug])))


def test_a_personal_page_carries_no_tags(client):
    from tests.editorial_helpers import staff

    client.force_login(staff("eddie", "Editor"))
    article = make_article("Story")
    response = client.get(article.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"
    assert "Cache-Tag" not in response and "Surrogate-Key" not in response


def test_without_purging_a_shared_copy_lives_the_short_max_age(anonymous):
    make_article("Story")
    assert s_maxage(anonymous.get("/")) == 30


def test_with_purging_a_shared_copy_lives_long(anonymous, purging):
    article = make_article("Story")
    response = anonymous.get(article.get_absolute_url())
    assert s_maxage(response) == 6 * 3600
    # Stale copies only briefly: a CDN must not keep serving one long past its life.
    assert "stale-while-revalidate=30" in response["Cache-Control"]


def test_with_purging_no_shared_copy_outlives_the_next_scheduled_story(anonymous, purging):
    make_article("Out now")
    make_article("Embargoed", published_at=timezone.now() + timedelta(seconds=120))
    assert 0 < s_maxage(anonymous.get(reverse("articles:latest"))) <= 120


def test_with_purging_the_home_page_lives_no_longer_than_its_most_read_list(anonymous, purging):
    make_article("Story")
    # "Most read" is worked out for a few minutes at a time (core.page_lifetime).
    assert 0 < s_maxage(anonymous.get("/")) <= 600


def test_the_clock_books_a_purge_at_the_next_scheduled_change_and_makes_it(purging):
    due = timezone.now() + timedelta(minutes=5)
    make_article("Embargoed", published_at=due)
    PendingPurge.objects.all().delete()
    cdn_clock.plan_clock_purges(timezone.now())
    cdn_clock.plan_clock_purges(timezone.now())  # every minute: still one booking per moment
    booked = Occurrence.objects.filter(job=cdn_clock.MOMENT_JOB)
    assert booked.count() == 1 and booked.get().due_at == due
    assert not PendingPurge.objects.exists()
    clock.tick(now=due + timedelta(seconds=1))
    assert set(PendingPurge.objects.values_list("tag", flat=True)) == {"site"}


def test_without_purging_the_clock_books_nothing():
    make_article("Embargoed", published_at=timezone.now() + timedelta(minutes=5))
    cdn_clock.plan_clock_purges(timezone.now())
    assert not Occurrence.objects.filter(job=cdn_clock.MOMENT_JOB).exists()
    assert page_cache.next_scheduled_change() is not None


def test_tags_a_dead_worker_left_behind_get_a_new_task_from_the_clock(purging):
    from django_tasks_db.models import DBTaskResult

    from canary import cdn_purge

    cdn_purge.queue(["a1"])
    cdn_purge._take(timezone.now())  # a worker took them, then died before it sent them
    DBTaskResult.objects.all().delete()
    cdn_clock.plan_clock_purges(timezone.now())
    assert not DBTaskResult.objects.exists()  # its lease still holds them
    PendingPurge.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    cdn_clock.plan_clock_purges(timezone.now())
    assert DBTaskResult.objects.filter(task_path="canary.cdn_purge.purge_due").count() == 1
