"""What a reader sees on the home page, an article and the lists."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(
        "Dockers vote to strike",
        section=make_section("News"),
        authors=[make_author("Nia Okafor-Reid"), make_author("Tomasz Wrenfield")],
        standfirst="Nine in ten members backed action over pay.",
        body="<p>The ballot closed at noon.</p><blockquote><p>We have had enough.</p></blockquote>",
        tags=["Trade unions", "Ports"],
        featured_image=make_image(alt_text="Yellow bands", caption="The picket line", credit="Twitter"),
        action_links=[
            ("Join the union", "https://example.org/join"),
            ("Give to the strike fund", "https://example.org/fund"),
        ],
    )


def test_article_page_shows_everything_a_reader_expects(anonymous, story):
    page = anonymous.get(story.get_absolute_url()).content.decode()
    assert '<h1 class="story__headline">Dockers vote to strike</h1>' in page
    assert "Nine in ten members backed action over pay." in page
    assert (
        'href="/author/nia-okafor-reid/" rel="author">Nia Okafor-Reid</a> and <a href="/author/tomasz-wrenfield/"'
        in page
    )
    assert f'<time datetime="{story.published_at.isoformat()}' in page or '<time datetime="' in page
    assert "Featured image via Twitter" in page
    assert "The picket line" in page
    assert "<blockquote><p>We have had enough.</p></blockquote>" in page
    assert 'href="/tag/trade-unions/" rel="tag">Trade unions</a>' in page
    assert "Get involved!" in page
    assert 'href="https://example.org/join"' in page and "Join the union" in page
    assert "Share this story" in page


def test_article_page_has_search_and_social_metadata(anonymous, story, settings):
    page = anonymous.get(story.get_absolute_url()).content.decode()
    url = settings.SITE_URL + story.get_absolute_url()
    assert "<title>Dockers vote to strike | The Canary</title>" in page
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta property="og:title" content="Dockers vote to strike">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta name="description" content="Nine in ten members backed action over pay.">' in page


def test_json_ld_describes_the_article(anonymous, story):
    page = anonymous.get(story.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Dockers vote to strike"
    assert [a["name"] for a in data["author"]] == ["Nia Okafor-Reid", "Tomasz Wrenfield"]
    assert data["publisher"]["name"] == "The Canary"
    assert data["image"][0].startswith("http")
    assert data["datePublished"] == story.published_at.isoformat()


def test_headline_cannot_break_out_of_the_json_ld_script(anonymous):
    article = make_article('Ban </script><script>alert("x")</script> now')
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in page
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert json.loads(ld)["headline"].startswith("Ban </script>")


def test_body_html_is_sanitised_on_save():
    article = make_article(
        "Clean",
        body='<p onclick="x()">Hi<script>alert(1)</script></p><img src="https://evil.example/x.png">'
        '<iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">link</a>',
    )
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "evil.example" not in article.body
    assert "javascript:" not in article.body
    assert "<p>Hi</p>" in article.body


def test_related_stories_share_tags(anonymous, story):
    related = make_article("More on the ports", tags=["Ports"], section=make_section("Culture"))
    make_article("Unrelated culture piece", section=make_section("Culture"))
    page = anonymous.get(story.get_absolute_url()).content.decode()
    related_block = page.split("Related stories")[1]
    assert related.headline in related_block


def test_related_stories_put_the_most_shared_tags_first_then_the_newest(anonymous):
    hour = timedelta(hours=1)
    now = timezone.now()
    story = make_article("Dock strike enters second week", tags=["Ports", "Unions", "Pay"])
    make_article("One tag, newest", tags=["Pay"], published_at=now - hour)
    make_article("Two tags, older", tags=["Ports", "Unions"], published_at=now - 3 * hour)
    make_article("Three tags, oldest", tags=["Ports", "Unions", "Pay"], published_at=now - 5 * hour)
    make_article("Two tags, newer", tags=["Unions", "Pay"], published_at=now - 2 * hour)
    page = anonymous.get(story.get_absolute_url()).content.decode()
    block = page.split("Related stories")[1]
    order = ["Three tags, oldest", "Two tags, newer", "Two tags, older", "One tag, newest"]
    assert sorted(order, key=block.index) == order


def test_related_stories_fill_up_with_the_newest_of_the_section(anonymous):
    culture = make_section("Culture")
    story = make_article("Festival returns", tags=["Music"], section=culture)
    tagged = make_article("Choir sings at the docks", tags=["Music"], section=make_section("News"))
    newest = make_article("Gallery reopens", section=culture)
    make_article("Draft review", section=culture, status="draft")
    block = anonymous.get(story.get_absolute_url()).content.decode().split("Related stories")[1]
    assert block.index(tagged.headline) < block.index(newest.headline)
    assert "Draft review" not in block and story.headline not in block


def test_each_section_block_on_the_home_page_shows_its_four_newest_stories_not_shown_above(anonymous):
    culture, sport = make_section("Culture"), make_section("Sport")
    now = timezone.now()
    for hours in range(1, 10):
        make_article(
            f"Culture story {hours}h ago", section=culture, published_at=now - timedelta(hours=hours)
        )
    make_article("Sport story", section=sport)
    make_article("Culture draft", section=culture, status="draft")
    page = anonymous.get("/").content.decode()
    # The sport story (the newest) leads and the four next are the top stories: the blocks
    # below show the newest of the rest, so no story has two teasers.
    assert "Sport story" in page.split('class="front__lead"')[1].split("front__top")[0]
    culture_block = page.split('id="section-culture"')[1].split("</section>")[0]
    shown = re.findall(r"Culture story (\d)h ago", culture_block)
    assert shown == ["5", "6", "7", "8"]
    assert 'id="section-sport"' not in page
    assert "Culture draft" not in page


def test_home_leads_with_the_pinned_story_until_it_expires(anonymous, django_capture_on_commit_callbacks):
    pinned = make_article(
        "Pinned investigation", placement="lead", pinned_until=timezone.now() + timedelta(hours=1)
    )
    make_article("Newer but not pinned")
    lead = anonymous.get("/").content.decode().split('class="front__lead"')[1].split("front__top")[0]
    assert pinned.headline in lead
    pinned.pinned_until = timezone.now() - timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        pinned.save()
    lead = anonymous.get("/").content.decode().split('class="front__lead"')[1].split("front__top")[0]
    assert "Newer but not pinned" in lead


def test_a_pinned_story_readers_cannot_see_yet_never_leads_the_home_page(anonymous):
    make_article("Pinned draft", status="draft", placement="lead")
    make_article("Pinned for tomorrow", placement="lead", published_at=timezone.now() + timedelta(days=1))
    make_article("Out today")
    page = anonymous.get("/").content.decode()
    lead = page.split('class="front__lead"')[1].split("front__top")[0]
    assert "Out today" in lead
    assert "Pinned draft" not in page and "Pinned for tomorrow" not in page


def test_home_without_pins_leads_with_the_newest_story(anonymous):
    make_article("Yesterday's story", published_at=timezone.now() - timedelta(days=1))
    make_article("This morning's story", published_at=timezone.now() - timedelta(hours=1))
    lead = anonymous.get("/").content.decode().split('class="front__lead"')[1].split("front__top")[0]
    assert any(f"This morning{quote}s story" in lead for quote in ("&#x27;", "&#39;", "'"))


def test_section_list_is_newest_first_and_paginated(anonymous):
    news = make_section("News")
    now = timezone.now()
    for n in range(25):
        make_article(f"Report {n:02d}", section=news, published_at=now - timedelta(hours=n + 1))
    first = anonymous.get("/section/news/").content.decode()
    assert first.index("Report 00") < first.index("Report 01")
    assert "Report 20" not in first
    assert "Page 1 of 2" in first
    second = anonymous.get("/section/news/?page=2").content.decode()
    assert "Report 24" in second
    assert '<link rel="canonical" href="http://127.0.0.1:8000/section/news/?page=2">' in second


def test_tag_and_author_pages_list_their_stories(anonymous, story):
    make_article("Other story", tags=["Housing"])
    tag_page = anonymous.get("/tag/ports/").content.decode()
    assert story.headline in tag_page and "Other story" not in tag_page
    author_page = anonymous.get("/author/nia-okafor-reid/").content.decode()
    assert story.headline in author_page and "Other story" not in author_page


def test_unknown_section_tag_and_author_are_not_found(anonymous):
    for url in ("/section/nope/", "/tag/nope/", "/author/nope/"):
        assert anonymous.get(url).status_code == 404


def test_pages_load_nothing_from_another_host(anonymous, story):
    for url in ("/", story.get_absolute_url(), "/section/news/"):
        page = anonymous.get(url).content.decode()
        for attribute in re.findall(r'(?:src|srcset)="([^"]*)"', page):
            assert not re.match(r"(https?:)?//", attribute), attribute
        for href in re.findall(r'<link[^>]+href="([^"]*)"', page):
            if "canonical" not in href:
                assert not href.startswith(("http://", "https://", "//")) or href.startswith(
                    "http://127.0.0.1:8000"
                )


def test_teasers_and_feeds_give_every_byline_from_a_to_z(anonymous):
    authors = [make_author("Zara Quinn"), make_author("Ana Lopez"), make_author("Ben Okafor")]
    section = make_section("News")
    story = make_article("Ferry workers win", section=section, authors=authors, tags=["Ferries"])
    shown = "Ana Lopez, Ben Okafor and Zara Quinn · "
    for url in ("/", "/latest/", section.get_absolute_url(), "/tag/ferries/", "/search/?q=ferry"):
        page = anonymous.get(url).content.decode()
        assert shown in page, url
    feed = anonymous.get("/feed/").content.decode()
    assert "Ana Lopez, Ben Okafor, Zara Quinn" in feed
    assert story.get_absolute_url() in feed
