import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from articles.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feed/", "/feed/atom/"]


@pytest.fixture(autouse=True)
def site_url(settings):
    # A host the test client never sends, so a link built from the request would show.
    settings.SITE_URL = SITE


def parse(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to prove it well-formed


def rss_items(anonymous, url="/feed/"):
    return parse(anonymous.get(url), "application/rss+xml").findall("./channel/item")


def atom_entries(anonymous, url="/feed/atom/"):
    return parse(anonymous.get(url), "application/atom+xml").findall(f"{ATOM}entry")


def titles(items):
    return [item.findtext("title") for item in items]


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def test_rss_lists_published_stories_newest_first(anonymous):
    make_article("Oldest", published_at=ago(days=3))
    make_article("Newest", published_at=ago(minutes=5))
    make_article("Middle", published_at=ago(days=1))
    assert titles(rss_items(anonymous)) == ["Newest", "Middle", "Oldest"]


def test_rss_carries_at_most_thirty_stories(anonymous):
    for n in range(31):
        make_article(f"Story {n}", published_at=ago(hours=n + 1))
    items = titles(rss_items(anonymous))
    assert len(items) == 30
    assert items[0] == "Story 0"
    assert "Story 30" not in items


def test_rss_item_has_the_full_story_and_everything_a_reader_shows(anonymous):
    image = make_image(width=64, height=40)
    article = make_article(
        "Tenants win rent freeze",
        section=make_section("Housing"),
        authors=[make_author("Asha Patel"), make_author("Sam Okafor")],
        tags=["rent", "tenants"],
        featured_image=image,
        standfirst="A council backs down.",
        body='<p>The whole story, <a href="/about/us/">about us</a>.</p>',
        published_at=ago(hours=2),
    )
    channel = parse(anonymous.get("/feed/"), "application/rss+xml").find("channel")
    assert channel.findtext("title") == "The Canary"
    assert channel.findtext("link") == f"{SITE}/"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == f"{SITE}/feed/"

    (item,) = channel.findall("item")
    url = f"{SITE}{article.get_absolute_url()}"
    assert item.findtext("link") == url
    guid = item.find("guid")
    assert guid.text == url
    assert guid.get("isPermaLink") == "true"
    assert item.findtext("description") == "A council backs down."
    # The body in full, with our own links made absolute for a feed reader.
    assert item.findtext(CONTENT) == (
        f'<p>The whole story, <a href="{SITE}/about/us/" rel="noopener noreferrer">about us</a>.</p>'
    )
    assert item.findtext(CREATOR) == "Asha Patel, Sam Okafor"
    assert sorted(c.text for c in item.findall("category")) == ["Housing", "rent", "tenants"]
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at.replace(microsecond=0)

    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"{SITE}{image.file.url}"
    assert enclosure.get("url").endswith(".jpg")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == str(image.file.size)


def test_enclosure_type_follows_the_file(anonymous):
    make_article(featured_image=make_image(width=64, height=40, image_format="PNG"))
    enclosure = rss_items(anonymous)[0].find("enclosure")
    assert enclosure.get("url").endswith(".png")
    assert enclosure.get("type") == "image/png"


def test_a_missing_image_file_drops_only_the_enclosure(anonymous):
    image = make_image(width=64, height=40)
    image.file.storage.delete(image.file.name)
    make_article("Picture lost", featured_image=image)
    (item,) = rss_items(anonymous)
    assert item.findtext("title") == "Picture lost"
    assert item.find("enclosure") is None


def test_atom_feed_is_atom_with_the_same_stories(anonymous):
    image = make_image(width=64, height=40)
    article = make_article(
        "Strike ballot opens",
        authors=[make_author("Asha Patel")],
        tags=["unions"],
        featured_image=image,
        body="<p>Members vote this week.</p>",
        published_at=ago(hours=1),
    )
    make_article("Older news", published_at=ago(days=2))
    root = parse(anonymous.get("/feed/atom/"), "application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "The Canary"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feed/atom/"

    entries = root.findall(f"{ATOM}entry")
    assert titles_atom(entries) == ["Strike ballot opens", "Older news"]
    entry = entries[0]
    url = f"{SITE}{article.get_absolute_url()}"
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == url
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Asha Patel"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == "<p>Members vote this week.</p>"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["News", "unions"]
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("href") == f"{SITE}{image.file.url}"
    assert enclosure.get("type") == "image/jpeg"


def titles_atom(entries):
    return [entry.findtext(f"{ATOM}title") for entry in entries]


def test_section_tag_and_author_feeds_carry_only_their_stories(anonymous):
    housing, sport = make_section("Housing"), make_section("Sport")
    asha, sam = make_author("Asha Patel"), make_author("Sam Okafor")
    make_article("Rents", section=housing, authors=[asha], tags=["rent"], published_at=ago(hours=3))
    make_article("Derby", section=sport, authors=[sam], tags=["football"], published_at=ago(hours=2))
    make_article(
        "Stadium rents", section=sport, authors=[asha, sam], tags=["rent"], published_at=ago(hours=1)
    )

    assert titles(rss_items(anonymous, "/section/housing/feed/")) == ["Rents"]
    assert titles(rss_items(anonymous, "/section/sport/feed/")) == ["Stadium rents", "Derby"]
    assert titles(rss_items(anonymous, "/tag/rent/feed/")) == ["Stadium rents", "Rents"]
    assert titles(rss_items(anonymous, "/tag/football/feed/")) == ["Derby"]
    assert titles(rss_items(anonymous, "/author/asha-patel/feed/")) == ["Stadium rents", "Rents"]
    assert titles(rss_items(anonymous, "/author/sam-okafor/feed/")) == ["Stadium rents", "Derby"]

    channel = parse(anonymous.get("/tag/rent/feed/"), "application/rss+xml").find("channel")
    assert channel.findtext("link") == f"{SITE}/tag/rent/"
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == f"{SITE}/tag/rent/feed/"


@pytest.mark.parametrize("url", ["/section/nowhere/feed/", "/tag/nowhere/feed/", "/author/nobody/feed/"])
def test_unknown_slug_is_not_found(anonymous, url):
    make_article("Something")
    assert anonymous.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", [*FEEDS, "/section/news/feed/", "/tag/embargo/feed/", "/author/staff-reporter/feed/"]
)
def test_unpublished_stories_never_reach_a_feed(anonymous, url):
    make_article("Public story", tags=["embargo"])
    make_article("A draft", status="draft", tags=["embargo"])
    make_article("Being edited", status="review", tags=["embargo"])
    make_article("Embargoed", published_at=timezone.now() + timedelta(hours=2), tags=["embargo"])
    response = anonymous.get(url)
    parse(response, "application/")
    assert b"Public story" in response.content
    for headline in (b"A draft", b"Being edited", b"Embargoed"):
        assert headline not in response.content


def test_markup_in_a_headline_keeps_the_feeds_well_formed(anonymous):
    headline = "Council says </script> & <b>no</b>"
    make_article(headline, standfirst="Tags <i>everywhere</i> & more\x0b", body="<p>Fine & dandy</p>")
    rss = rss_items(anonymous)[0]
    # RSS readers may treat a title as HTML, so it arrives escaped once more (Django's way).
    assert rss.findtext("title") == "Council says &lt;/script&gt; &amp; &lt;b&gt;no&lt;/b&gt;"
    assert rss.findtext("description") == "Tags &lt;i&gt;everywhere&lt;/i&gt; &amp; more"
    assert rss.findtext(CONTENT) == "<p>Fine &amp; dandy</p>"
    atom = atom_entries(anonymous)[0]
    assert atom.findtext(f"{ATOM}title") == headline


@pytest.mark.parametrize(
    "url", [*FEEDS, "/section/news/feed/", "/tag/common/feed/", "/author/staff-reporter/feed/"]
)
def test_feed_queries_do_not_grow_with_the_number_of_stories(
    anonymous, settings, django_assert_max_num_queries, url
):
    # Measure the feed itself; the page cache's own bookkeeping is tested elsewhere.
    settings.PAGE_CACHE_ENABLED = False
    images = [make_image(width=64, height=40) for _ in range(3)]
    authors = [make_author(f"Writer {n}") for n in range(3)]
    staff = make_author("Staff Reporter")

    def publish(count, start):
        for n in range(start, start + count):
            make_article(
                f"Story {n}",
                authors=[staff, authors[n % 3]],
                tags=["common", f"tag-{n}"],
                featured_image=images[n % 3],
                published_at=ago(hours=n + 1),
            )

    # The subject (section, tag or author), the stories, their sections, authors and tags.
    bound = 5
    publish(5, 0)
    with django_assert_max_num_queries(bound):
        assert anonymous.get(url).status_code == 200
    publish(35, 5)
    with django_assert_max_num_queries(bound):
        response = anonymous.get(url)
    assert response.content.count(b"<entry>" if "atom" in url else b"<item>") == 30


@pytest.mark.parametrize(
    "url", [*FEEDS, "/section/news/feed/", "/tag/common/feed/", "/author/staff-reporter/feed/"]
)
def test_feeds_are_public_and_served_from_the_page_cache(anonymous, url):
    make_article("Cached story", tags=["common"])
    first = anonymous.get(url)
    assert first["X-Cache"] == "miss"
    assert "public" in first["Cache-Control"]
    second = anonymous.get(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
