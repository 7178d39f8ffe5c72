import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.factories import make_article, make_author, make_page, make_section
from articles.sitemaps import TagSitemap

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SECTIONS = ["sections", "tags", "authors", "pages"]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def site_url(settings):
    # A host the test client never sends, so a URL built from the request would show.
    settings.SITE_URL = SITE


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to prove it well-formed


def locations(anonymous, url):
    return [loc.text for loc in parse(anonymous.get(url)).iter(f"{SM}loc")]


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def in_london(*parts):
    return datetime(*parts, tzinfo=LONDON)


def day_of(moment):
    return timezone.localtime(moment).date().isoformat()


def test_index_names_every_sitemap_at_the_site_url(anonymous):
    make_article("Something", published_at=in_london(2026, 8, 10))
    root = parse(anonymous.get("/sitemap.xml"))
    assert root.tag == f"{SM}sitemapindex"
    assert [loc.text for loc in root.iter(f"{SM}loc")] == [f"{SITE}/sitemap-articles-2026-08.xml"] + [
        f"{SITE}/sitemap-{name}.xml" for name in SECTIONS
    ]
    sections_entry = root.findall(f"{SM}sitemap")[1]
    assert sections_entry.findtext(f"{SM}lastmod")


def test_index_lists_every_month_from_the_newest_story_back_to_the_oldest(anonymous):
    make_article("Spring", published_at=in_london(2026, 3, 31, 23, 30))
    make_article("Summer", published_at=in_london(2026, 6, 1, 0, 30))
    make_article("Not out yet", published_at=timezone.now() + timedelta(days=40))
    make_article("A draft", status="draft")
    months = [loc for loc in locations(anonymous, "/sitemap.xml") if "-articles-" in loc]
    assert months == [f"{SITE}/sitemap-articles-2026-{month}.xml" for month in ("06", "05", "04", "03")]


def test_a_month_sitemap_lists_that_months_published_stories(anonymous):
    # London time: 23:30 on 31 July in London is already August in UTC, and not the other way.
    older = make_article("Older", published_at=in_london(2026, 8, 1, 0, 30))
    newer = make_article("Newer", published_at=in_london(2026, 8, 31, 23, 30))
    make_article("July", published_at=in_london(2026, 7, 31, 23, 30))
    make_article("September", published_at=in_london(2026, 9, 1, 0, 30))
    make_article("A draft", status="draft", published_at=in_london(2026, 8, 15))
    make_article("Being edited", status="review", published_at=in_london(2026, 8, 15))

    root = parse(anonymous.get("/sitemap-articles-2026-08.xml"))
    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [
        f"{SITE}{newer.get_absolute_url()}",
        f"{SITE}{older.get_absolute_url()}",
    ]
    # The later of publication and the last edit.
    assert urls[1].findtext(f"{SM}lastmod") == day_of(max(older.updated_at, older.published_at))


def test_a_month_with_no_stories_has_an_empty_sitemap_and_no_month_13(anonymous):
    assert parse(anonymous.get("/sitemap-articles-2019-02.xml")).findall(f"{SM}url") == []
    assert anonymous.get("/sitemap-articles-2026-13.xml").status_code == 404
    assert anonymous.get("/sitemap-articles.xml").status_code == 404


def test_each_page_of_a_sitemap_is_cached_on_its_own(anonymous, monkeypatch):
    # Page numbers travel as ?p=, which the page cache keys on.
    monkeypatch.setattr(TagSitemap, "limit", 2)
    for name in ("alpha", "beta", "gamma"):
        make_article(f"Story about {name}", tags=[name])
    assert locations(anonymous, "/sitemap-tags.xml") == [f"{SITE}/tag/alpha/", f"{SITE}/tag/beta/"]
    assert locations(anonymous, "/sitemap-tags.xml?p=2") == [f"{SITE}/tag/gamma/"]
    assert anonymous.get("/sitemap-tags.xml?p=3").status_code == 404


def test_section_tag_author_and_page_sitemaps(anonymous):
    housing = make_section("Housing", position=1)
    make_section("Empty", position=2)
    asha, sam, ghost = make_author("Asha Patel"), make_author("Sam Okafor"), make_author("Not Yet")
    rents = make_article("Rents", section=housing, authors=[asha], tags=["rent"], published_at=ago(days=3))
    derby = make_article("Derby", authors=[sam, asha], tags=["football", "rent"], published_at=ago(days=1))
    make_article("Draft", authors=[ghost], tags=["secret"], status="draft")
    make_article(
        "Later", authors=[ghost], tags=["embargoed", "rent"], published_at=timezone.now() + timedelta(days=1)
    )
    about = make_page("About us", "<p>Who we are</p>")

    sections = parse(anonymous.get("/sitemap-sections.xml")).findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in sections] == [
        f"{SITE}/section/news/",
        f"{SITE}/section/housing/",
        f"{SITE}/section/empty/",
    ]
    assert sections[1].findtext(f"{SM}lastmod") == day_of(rents.published_at)
    assert sections[2].find(f"{SM}lastmod") is None

    tags = parse(anonymous.get("/sitemap-tags.xml")).findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in tags] == [f"{SITE}/tag/football/", f"{SITE}/tag/rent/"]
    # The newest published story, not the scheduled one.
    assert tags[1].findtext(f"{SM}lastmod") == day_of(derby.published_at)

    assert locations(anonymous, "/sitemap-authors.xml") == [
        f"{SITE}/author/asha-patel/",
        f"{SITE}/author/sam-okafor/",
    ]
    pages = parse(anonymous.get("/sitemap-pages.xml")).findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in pages] == [f"{SITE}/about/about-us/"]
    assert pages[0].findtext(f"{SM}lastmod") == day_of(about.updated_at)


def test_unknown_sitemap_is_not_found(anonymous):
    assert anonymous.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_the_last_48_hours(anonymous):
    recent = make_article("Fresh", published_at=ago(hours=1))
    yesterday = make_article("Yesterday", published_at=ago(hours=47))
    make_article("Too old", published_at=ago(hours=49))
    make_article("A draft", status="draft")
    make_article("Embargoed", published_at=timezone.now() + timedelta(hours=1))

    root = parse(anonymous.get("/sitemap-news.xml"))
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [
        f"{SITE}{recent.get_absolute_url()}",
        f"{SITE}{yesterday.get_absolute_url()}",
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Canary"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Fresh"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published.tzinfo is not None
    assert published == recent.published_at.replace(microsecond=0)


def test_news_sitemap_escapes_headlines(anonymous):
    headline = "Council says </script> & <b>no</b>\x0b"
    make_article(headline)
    news = parse(anonymous.get("/sitemap-news.xml")).find(f"{SM}url/{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Council says </script> & <b>no</b>"


def test_robots_txt(anonymous):
    response = anonymous.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {line for line in lines if line.startswith("Disallow:")} == {
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /account/",
    }
    assert not any(line.startswith("Allow:") for line in lines)
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines


def test_robots_txt_keeps_a_renamed_admin_path_secret(anonymous, settings):
    settings.ADMIN_PATH = "newsroom-x7/"
    robots = anonymous.get("/robots.txt").content.decode()
    assert "newsroom-x7" not in robots
    assert "Disallow: /search/" in robots.splitlines()


# The index counts and dates each sitemap (articles by their newest publication and newest edit);
# a sitemap is a count and a page; news is one query.
# {month}: the month of the newest story, filled in by the test.
QUERY_BOUNDS = [("/sitemap.xml", 10), ("/sitemap-news.xml", 1), ("/sitemap-articles-{month}.xml", 2)] + [
    (f"/sitemap-{n}.xml", 2) for n in SECTIONS
]


@pytest.mark.parametrize(("url", "bound"), QUERY_BOUNDS)
def test_sitemap_queries_do_not_grow_with_the_number_of_stories(
    anonymous, settings, django_assert_max_num_queries, url, bound
):
    settings.PAGE_CACHE_ENABLED = False
    make_page("About us")
    writers = [make_author(f"Writer {n}") for n in range(4)]
    sections = [make_section(f"Desk {n}") for n in range(3)]

    def publish(count, start):
        for n in range(start, start + count):
            make_article(
                f"Story {n}",
                section=sections[n % 3],
                authors=[writers[n % 4]],
                tags=[f"tag-{n}"],
                published_at=ago(hours=n + 1),
            )

    publish(5, 0)
    url = url.format(month=timezone.localtime(ago(hours=1)).strftime("%Y-%m"))
    with django_assert_max_num_queries(bound):
        assert anonymous.get(url).status_code == 200
    publish(35, 5)
    with django_assert_max_num_queries(bound):
        assert anonymous.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/sitemap-articles-2026-08.xml"]
    + [f"/sitemap-{name}.xml" for name in SECTIONS],
)
def test_sitemaps_and_robots_are_public_and_served_from_the_page_cache(anonymous, url):
    make_article("Cached story", tags=["common"])
    make_page("About us")
    first = anonymous.get(url)
    assert first["X-Cache"] == "miss"
    assert "public" in first["Cache-Control"]
    second = anonymous.get(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
