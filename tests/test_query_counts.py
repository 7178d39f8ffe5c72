"""Each reader page does a fixed amount of work, however large the archive grows."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.factories import make_article, make_author, make_image, make_page, make_section
from articles.models import Comment
from articles.navigation import navigation
from supporters import appeals

pytestmark = pytest.mark.django_db

# An article: itself, tags, comments, authors, links, related (ranked ids, teasers, their
# authors, and the newest of its section when too few share a tag), and per-change schedule checks.
PAGE_QUERY_LIMIT = 12


def build_archive(count):
    sections = [make_section(name) for name in ("News", "Opinion", "Environment", "Culture")]
    authors = [make_author(f"Writer {n}") for n in range(6)]
    images = [make_image(alt_text=f"Picture {n}", width=64, height=40) for n in range(5)]
    now = timezone.now()
    articles = [
        make_article(
            f"Story {n}",
            section=sections[n % 4],
            authors=[authors[n % 6], authors[(n + 1) % 6]],
            tags=["Housing", f"Tag {n % 7}"],
            featured_image=images[n % 5],
            action_links=[("Sign the petition", "https://example.org/p")],
            published_at=now - timedelta(hours=n + 1),
            placement="lead" if n == 3 else "",
        )
        for n in range(count)
    ]
    make_page("About us", "<p>Us.</p>")
    # Two approved comments and a reply on every story: threads cost the same however many.
    comments = Comment.objects.bulk_create(
        Comment(article=a, name=f"Reader {n}", email="r@example.org", body="Well said.", status="approved")
        for a in articles
        for n in range(2)
    )
    Comment.objects.bulk_create(
        Comment(
            article_id=c.article_id,
            parent=c,
            name="Ed",
            email="e@example.org",
            body="Thanks.",
            status="approved",
        )
        for c in comments[::2]
    )
    return articles


READER_PAGES = {
    "home": lambda a: "/",
    "latest": lambda a: "/latest/",
    "article": lambda a: a[5].get_absolute_url(),
    "section": lambda a: "/section/news/",
    "tag": lambda a: "/tag/housing/",
    "author": lambda a: "/author/writer-1/",
    "archive": lambda a: f"/archive/{a[0].local_date:%Y/%m}/",
    "static page": lambda a: "/about/about-us/",
    "search": lambda a: "/search/?q=story",
    "feed": lambda a: "/feed/",
    "tag feed": lambda a: "/tag/housing/feed/",
    "sitemap index": lambda a: "/sitemap.xml",
    "article sitemap": lambda a: f"/sitemap-articles-{a[0].local_date:%Y-%m}.xml",
    "tag sitemap": lambda a: "/sitemap-tags.xml",
}
# The sitemap index finds its months and counts and dates four more sitemaps (tests/test_sitemaps.py).
PAGE_QUERY_LIMITS = {"sitemap index": 13}


def warm_site_wide_caches():
    """The navigation and the live appeals are shared by every page and cached until they change."""
    navigation()
    appeals.everything()


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("page", list(READER_PAGES))
def test_reader_page_runs_a_fixed_number_of_queries(anonymous, django_assert_max_num_queries, page, size):
    articles = build_archive(size)
    call_command("seed_appeals", verbosity=0)
    url = READER_PAGES[page](articles)
    warm_site_wide_caches()
    with django_assert_max_num_queries(PAGE_QUERY_LIMITS.get(page, PAGE_QUERY_LIMIT)):
        response = anonymous.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 500])
def test_first_page_after_a_change_to_navigation_or_appeals_stays_bounded(
    anonymous, django_assert_max_num_queries, size
):
    articles = build_archive(size)
    call_command("seed_appeals", verbosity=0)
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT + 6):
        assert anonymous.get(articles[5].get_absolute_url()).status_code == 200


def redis_reads():
    from django.core.cache import cache

    stats = cache._cache.get_client(write=True).info("commandstats")
    return sum(stats.get(f"cmdstat_{command}", {}).get("calls", 0) for command in ("get", "mget"))


def test_an_uncached_article_asks_redis_once_for_the_navigation_and_appeals(on_redis, anonymous, settings):
    """Each read is a round trip; the navigation, the footer and every appeal slot share one."""
    settings.PAGE_CACHE_ENABLED = False
    article = build_archive(5)[2]
    call_command("seed_appeals", verbosity=0)
    anonymous.get(article.get_absolute_url())  # builds the site-wide pieces into Redis
    before = redis_reads()
    response = anonymous.get(article.get_absolute_url())
    assert response.status_code == 200 and b"Get involved!" in response.content
    assert redis_reads() - before == 1
