"""A search that finds nothing still helps: names spelled like what was typed, and the latest
stories; and the search page has one search box, holding the query."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def search_page(client, query):
    return html.unescape(client.get(reverse("articles:search"), {"q": query}).content.decode())


def test_a_misspelt_tag_offers_the_tag_and_the_link_finds_its_stories(anonymous):
    make_article("Rents up again", tags=["Housing"])
    page = search_page(anonymous, "hosuing")
    assert "No stories match “hosuing”." in page
    assert 'Did you mean <a href="/search/?q=Housing">Housing</a>?' in page
    assert "Rents up again" in search_page(anonymous, "Housing")


def test_a_section_or_a_writers_name_is_offered_for_one_word_of_several(anonymous):
    make_article(
        "Council news", section=make_section("Environment"), authors=[make_author("Nia Okafor-Reid")]
    )
    page = search_page(anonymous, "enviroment policy")
    assert '<a href="/search/?q=Environment">Environment</a>' in page
    page = search_page(anonymous, "nia okafor reed")
    assert '<a href="/search/?q=Nia%20Okafor-Reid">Nia Okafor-Reid</a>' in page


def test_nothing_close_suggests_other_words_and_shows_the_latest_stories(anonymous):
    for number in range(7):
        make_article(f"Latest number {number}")
    page = search_page(anonymous, "xylophone")
    assert "Did you mean" not in page
    assert "Try fewer words, or different ones." in page
    latest = page.split('id="search-latest"')[1]
    # The five newest, newest first (the factory publishes each a minute ago, in order made).
    shown = [f"Latest number {n}" for n in range(7) if f"Latest number {n}<" in latest]
    assert len(shown) == 5


def test_a_search_with_results_offers_no_suggestions(anonymous):
    make_article("Housing news", tags=["Housing"])
    page = search_page(anonymous, "housing")
    assert "Did you mean" not in page and 'id="search-latest"' not in page


def test_the_search_page_has_one_search_box_and_it_holds_the_query(anonymous):
    page = search_page(anonymous, "housing")
    assert page.count('name="q"') == 1
    assert 'id="search-query" type="search" name="q" value="housing"' in page
    # Every other page keeps the masthead's box.
    assert search_page(anonymous, "").count('name="q"') == 1
    assert anonymous.get("/").content.decode().count('name="q"') == 1


def test_an_empty_result_page_costs_the_same_however_many_tags(anonymous):
    def queries(word):
        with CaptureQueriesContext(connection) as captured:
            anonymous.get(reverse("articles:search"), {"q": word})
        return len(captured)

    make_article("One", tags=["Alpha"])
    queries("zzzwarm")  # the site-wide parts (navigation, appeals) are read once, then cached
    few = queries("zzzfirst")
    for number in range(30):
        make_article(f"Story {number}", tags=[f"Tag {number}", f"Other {number}"])
    assert queries("zzzsecond") == few
