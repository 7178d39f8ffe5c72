"""The reader's search at /search/?q=, on SQLite (FTS5) and PostgreSQL (tsvector) alike."""

import html
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles import search
from articles.factories import make_article, make_author, make_image, make_section
from articles.models import Article, SearchEntry
from articles.navigation import navigation
from supporters import appeals

pytestmark = pytest.mark.django_db


def ago(hours):
    return timezone.now() - timedelta(hours=hours)


def found(query):
    return [article.headline for article in search.search(query)[:100]]


def page_text(response):
    return html.unescape(response.content.decode())


# --- Ranking --------------------------------------------------------------------------------


def test_a_headline_match_ranks_above_a_body_only_match():
    make_article(
        "Council budget approved",
        standfirst="The vote was close.",
        body="<p>Nobody mentioned the allotments at all, not even the allotments campaign.</p>",
        published_at=ago(1),
    )
    make_article(
        "Allotments saved", standfirst="A win for growers.", body="<p>The vote.</p>", published_at=ago(48)
    )
    make_article("Unrelated story", body="<p>Nothing to see.</p>", published_at=ago(2))
    assert found("allotments") == ["Allotments saved", "Council budget approved"]


def test_a_standfirst_match_ranks_above_a_body_only_match():
    make_article(
        "Second", standfirst="Nothing here.", body="<p>The ferry is late again.</p>", published_at=ago(1)
    )
    make_article("First", standfirst="The ferry is late again.", body="<p>Nothing.</p>", published_at=ago(5))
    assert found("ferry") == ["First", "Second"]


def test_equally_relevant_stories_come_newest_first():
    text = {"standfirst": "Same words.", "body": "<p>The bus depot closes.</p>"}
    for hours in (30, 2, 10):
        make_article("Depot closure", published_at=ago(hours), **text)
    dates = [article.published_at for article in search.search("depot")]
    assert len(dates) == 3
    assert dates == sorted(dates, reverse=True)


def test_every_word_must_match_and_endings_do_not_matter():
    make_article("Tenants strike", body="<p>Rent withheld.</p>")
    make_article("Tenant meeting", body="<p>No action yet.</p>")
    assert found("tenants striking") == ["Tenants strike"]
    assert sorted(found("tenant")) == ["Tenant meeting", "Tenants strike"]


# --- What is indexed ------------------------------------------------------------------------


def test_body_text_is_searched_without_its_markup():
    make_article(
        "Harbour news",
        body='<p>The <strong>dockers</strong> voted.</p><p>Strike&nbsp;called &amp; <a href="/x">pickets</a> set.</p>',
    )
    assert found("dockers") == ["Harbour news"]
    assert found("pickets called strike") == ["Harbour news"]
    # Tag and attribute names are markup, not words, and paragraphs do not run together.
    assert found("strong") == []
    assert found("href") == []
    assert found("votedstrike") == []


def test_a_tag_name_finds_its_articles_as_tags_come_and_go():
    article = make_article("Quiet news day", body="<p>Nothing much.</p>", tags=["Picket lines"])
    make_article("Another day", body="<p>Nothing either.</p>")
    assert found("picket") == ["Quiet news day"]

    article.tags.add("Rent strikes")
    assert found("rent") == ["Quiet news day"]
    article.tags.remove("Picket lines")
    assert found("picket") == []


def test_renaming_a_tag_reindexes_its_articles():
    make_article("Quiet news day", body="<p>Nothing much.</p>", tags=["Buses"])
    tag = Tag.objects.get(name="Buses")
    tag.name = "Trams"
    tag.save()
    assert found("trams") == ["Quiet news day"]
    assert found("buses") == []


def test_an_article_edited_to_add_a_word_is_found_by_it():
    article = make_article("Library hours", body="<p>Open on Mondays.</p>")
    assert found("saturdays") == []
    article.body = "<p>Open on Mondays and now on Saturdays.</p>"
    article.save()
    assert found("saturdays") == ["Library hours"]


def test_a_deleted_article_is_no_longer_found():
    article = make_article("Pier reopens", tags=["Seafront"])
    article.delete()
    assert found("pier") == []
    assert found("seafront") == []


def test_drafts_and_scheduled_articles_are_never_found(anonymous):
    make_article("Marmalade draft", status=Article.Status.DRAFT)
    make_article("Marmalade in review", status=Article.Status.REVIEW)
    make_article("Marmalade scheduled", published_at=timezone.now() + timedelta(days=1))
    make_article("Marmalade published")
    assert found("marmalade") == ["Marmalade published"]
    text = page_text(anonymous.get("/search/", {"q": "marmalade"}))
    assert "Marmalade published" in text
    assert "Marmalade draft" not in text and "in review" not in text and "Marmalade scheduled" not in text


def test_publishing_a_draft_makes_it_findable():
    article = make_article("Kestrel nest found", status=Article.Status.DRAFT)
    assert found("kestrel") == []
    article.status = Article.Status.PUBLISHED
    article.published_at = ago(1)
    article.save()
    assert found("kestrel") == ["Kestrel nest found"]


def test_the_rebuild_command_catches_up_after_a_bulk_update():
    article = make_article("Old headline")
    # update() sends no signals, as an import or a data fix might not.
    Article.objects.filter(pk=article.pk).update(headline="Lighthouse keepers return")
    assert found("lighthouse") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "1 articles" in out.getvalue()
    assert found("lighthouse") == ["Lighthouse keepers return"]


# --- The page -------------------------------------------------------------------------------


def test_results_page_lists_matches_with_their_count(anonymous):
    make_article("Ferry fares rise", section=make_section("Transport"), authors=[make_author("Ada Jones")])
    make_article("Ferry timetable cut")
    make_article("Something else")
    response = anonymous.get("/search/", {"q": "ferry"})
    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Search: ferry |" in text
    assert '<meta name="robots" content="noindex">' in text
    assert "2 stories match “ferry”" in text
    assert "Ferry fares rise" in text and "Ferry timetable cut" in text and "Something else" not in text
    assert "Ada Jones" in text and "Transport" in text
    assert '<label for="search-query">' in text and 'value="ferry"' in text


def test_one_result_is_one_story(anonymous):
    make_article("Ferry fares rise")
    assert "1 story matches “ferry”" in page_text(anonymous.get("/search/", {"q": "ferry"}))


def test_empty_query_shows_the_form_and_a_prompt(anonymous):
    make_article("Ferry fares rise")
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = anonymous.get("/search/", params)
        assert response.status_code == 200
        text = page_text(response)
        assert "<title>Search |" in text
        assert '<label for="search-query">' in text
        assert "What are you looking for?" in text
        assert "Ferry fares rise" not in text
        assert '<meta name="robots" content="noindex">' in text


def test_no_results_says_so_and_suggests_fewer_words(anonymous):
    make_article("Ferry fares rise")
    response = anonymous.get("/search/", {"q": "ferry zeppelin"})
    assert response.status_code == 200
    text = page_text(response)
    assert "No stories match “ferry zeppelin”" in text
    assert "Try fewer words" in text


HOSTILE = {
    "quotes": '"ferry fares"',
    "unbalanced quote": 'ferry "fares',
    "lone quote": '"',
    "near": "NEAR(ferry fares",
    "star": "*",
    "star suffix": "fer*",
    "minus": "-",
    "minus word": "-ferry",
    "column filter": "foo:bar",
    "headline column": "headline:ferry",
    "operators": "ferry AND OR NOT fares ^ ( )",
    "tsquery syntax": "ferry & !fares | <-> :*",
    "nul byte": "ferry\x00fares",
    "only nul": "\x00",
    "backslash": "\\",
    "sql": "'; DROP TABLE articles_article; --",
    "only punctuation": "!?.,;:()[]{}<>~@#$%^&*_+=|/",
    "emoji": "🐤 ferry 🚢",
    "only emoji": "🐤",
    "unicode": "Café naïve Zürich 東京 ёж",
    "stop words": "the and of",
    "5000 characters": "ferry " * 833 + "xy",
}


@pytest.mark.parametrize("query", HOSTILE.values(), ids=HOSTILE.keys())
def test_any_input_gives_a_page(anonymous, query):
    make_article("Ferry fares rise", tags=["Transport"])
    response = anonymous.get("/search/", {"q": query})
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "stories match" in text
        or "story matches" in text
        or "No stories match" in text
        or "What are you" in text
    )


def test_quoted_words_and_unicode_still_find_stories():
    make_article("Ferry fares rise in Zürich")
    assert found('"ferry fares"') == ["Ferry fares rise in Zürich"]
    assert found("ferry\x00") == ["Ferry fares rise in Zürich"]
    assert found("Zürich") == ["Ferry fares rise in Zürich"]


def test_very_long_input_is_cut_and_the_reader_told(anonymous):
    make_article("Ferry fares rise")
    response = anonymous.get("/search/", {"q": "ferry " * 1000})
    assert response.status_code == 200
    text = page_text(response)
    assert "first 200 characters" in text
    assert "1 story matches" in text
    assert "ferry " * 40 not in text  # 240 characters: the echo is cut too


def test_pagination_keeps_the_query(anonymous):
    for n in range(25):
        make_article(f"Pier report {n}", published_at=ago(n + 1))
    first = anonymous.get("/search/", {"q": "pier report"})
    assert "25 stories match" in page_text(first)
    assert page_text(first).count('<article class="teaser') == 20
    assert 'href="?page=2&amp;q=pier%20report"' in first.content.decode()
    second = anonymous.get("/search/", {"q": "pier report", "page": 2})
    assert second.status_code == 200
    text = page_text(second)
    assert text.count('<article class="teaser') == 5
    assert "Pier report 24" in text and "(page 2)" in text
    assert 'href="?page=1&amp;q=pier%20report"' in second.content.decode()


SEARCH_QUERY_LIMIT = 8


@pytest.mark.parametrize("size", [10, 60])
def test_search_page_runs_a_fixed_number_of_queries(anonymous, django_assert_max_num_queries, size):
    sections = [make_section(name) for name in ("News", "Opinion", "Environment")]
    authors = [make_author(f"Writer {n}") for n in range(4)]
    images = [make_image(alt_text=f"Picture {n}", width=64, height=40) for n in range(3)]
    for n in range(size):
        make_article(
            f"Housing story {n}",
            section=sections[n % 3],
            authors=[authors[n % 4], authors[(n + 1) % 4]],
            tags=["Housing", f"Tag {n % 5}"],
            featured_image=images[n % 3],
            published_at=ago(n + 1),
        )
    # The navigation and appeals every page shows are cached site-wide until they change.
    navigation()
    appeals.everything()
    with django_assert_max_num_queries(SEARCH_QUERY_LIMIT):
        response = anonymous.get("/search/", {"q": "housing"})
    assert response.status_code == 200
    assert f"{size} stories match" in page_text(response)


def test_search_page_is_served_from_the_page_cache(anonymous, django_assert_num_queries):
    make_article("Ferry fares rise")
    first = anonymous.get("/search/", {"q": "ferry"})
    assert first["X-Cache"] == "miss"
    assert "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = anonymous.get("/search/", {"q": "ferry"})
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert anonymous.get("/search/", {"q": "fares"})["X-Cache"] == "miss"


def test_a_new_article_shows_in_search_despite_the_page_cache(anonymous, django_capture_on_commit_callbacks):
    make_article("Ferry fares rise")
    anonymous.get("/search/", {"q": "ferry"})
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Ferry strike")
    assert "Ferry strike" in page_text(anonymous.get("/search/", {"q": "ferry"}))


def test_index_keeps_each_field_apart_for_weighting():
    article = make_article("Harbour", standfirst="Dockers", body="<p>Cranes</p>", tags=["Ships"])
    if connection.vendor == "postgresql":
        vector = SearchEntry.objects.values_list("vector", flat=True).get(article=article)
        assert "'harbour':1A" in vector
        assert "'docker':2B" in vector
        assert "'crane':3C" in vector and "'ship':4C" in vector
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT headline, standfirst, body, tags FROM articles_search WHERE rowid = %s", [article.pk]
            )
            headline, standfirst, body, tags = cursor.fetchone()
        assert (headline, standfirst, body.strip(), tags) == ("Harbour", "Dockers", "Cranes", "Ships")


def test_a_headline_holding_every_word_ranks_above_one_holding_some():
    """SQLite ranks in tiers (every word in the headline, then in headline or standfirst, then
    anywhere), newest first in each; PostgreSQL's weighted ts_rank agrees on this."""
    now = timezone.now()
    make_article("Council housing plan agreed", body="<p>Words.</p>", published_at=now - timedelta(days=3))
    make_article("Council vote tonight", body="<p>On housing.</p>", published_at=now - timedelta(hours=1))
    make_article(
        "Ferry news", standfirst="The council's housing office moves.", published_at=now - timedelta(days=9)
    )
    assert found("council housing") == ["Council housing plan agreed", "Ferry news", "Council vote tonight"]
