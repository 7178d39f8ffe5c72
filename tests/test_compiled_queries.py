"""Queries compiled once per process give each request its own answer (core.compiled_queries)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from articles import article_page
from articles.factories import make_article, make_image, make_section
from articles.models import Article
from core.compiled_queries import CompiledForIds, CompiledQuery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def compiled(settings):
    """These tests are of the compiled form itself, so they hold with COMPILED_QUERIES=0 too."""
    settings.COMPILED_QUERIES = True


def test_each_article_page_shows_its_own_story_after_the_first(client):
    first = make_article("Council votes on the bus depot", tags=["Transport"])
    second = make_article("Nurses walk out at the infirmary", tags=["Health"])

    client.get(first.get_absolute_url())
    page = client.get(second.get_absolute_url()).content.decode()

    assert "Nurses walk out at the infirmary" in page
    assert 'rel="tag">Health<' in page
    assert "Transport" not in page


def test_a_compiled_query_answers_with_the_values_of_each_call():
    first, second = make_article("First story"), make_article("Second story")
    by_slug = CompiledQuery(lambda slug: Article.objects.filter(slug=slug))

    assert by_slug.list(slug=first.slug) == [first]
    assert by_slug.list(slug=second.slug) == [second]
    assert by_slug.list(slug="no-such-story") == []


def test_every_call_reads_the_database_once_and_sees_the_latest_edit(django_assert_num_queries):
    story = make_article("Library opening hours cut")
    by_slug = CompiledQuery(lambda slug: Article.objects.filter(slug=slug))
    by_slug.list(slug=story.slug)
    Article.objects.filter(pk=story.pk).update(headline="Library opening hours restored")

    with django_assert_num_queries(1):
        assert [a.headline for a in by_slug.list(slug=story.slug)] == ["Library opening hours restored"]


def test_a_scheduled_story_is_found_only_from_its_time():
    due = timezone.now() + timedelta(hours=1)
    story = make_article("Embargoed until the count", published_at=due)

    assert article_page.published_article(story.slug, now=due - timedelta(seconds=1)) is None
    assert article_page.published_article(story.slug, now=due) == story
    assert article_page.published_article(story.slug) is None


def test_a_found_article_brings_its_section_and_picture_in_the_same_query(django_assert_num_queries):
    story = make_article(section=make_section("Environment"), featured_image=make_image(alt_text="A river"))

    with django_assert_num_queries(1):
        found = article_page.published_article(story.slug)
        assert (found.section.name, found.featured_image.alt_text) == ("Environment", "A river")


def test_a_value_of_another_type_than_before_is_still_answered():
    first, second = make_article(), make_article()
    by_id = CompiledQuery(lambda article_id: Article.objects.filter(pk=article_id))
    by_id.list(article_id=first.pk)

    assert by_id.list(article_id=str(second.pk)) == [second]


def test_a_query_whose_sql_changes_with_a_value_is_refused():
    first, second = make_article(), make_article()
    by_ids = CompiledQuery(lambda ids: Article.objects.filter(pk__in=ids))

    with pytest.raises(ImproperlyConfigured, match="cannot vary a list"):
        by_ids.list(ids=[first.pk, second.pk])


def test_a_value_changed_on_its_way_into_the_sql_is_refused():
    make_article("Rent strike spreads")
    containing = CompiledQuery(lambda words: Article.objects.filter(headline__icontains=words))

    with pytest.raises(ImproperlyConfigured, match="changed on its way"):
        containing.list(words="strike")


def test_lists_of_ids_of_every_length_find_their_stories():
    stories = [make_article(f"Story {n}") for n in range(4)]
    by_ids = CompiledForIds(lambda ids: Article.objects.filter(pk__in=ids).order_by("pk"))

    assert by_ids.list([stories[0].pk]) == [stories[0]]
    # Neighbouring ids, and one given twice: the list is read as the set it is.
    assert by_ids.list([s.pk for s in stories[1:]] + [stories[1].pk]) == stories[1:]
    assert by_ids.list([stories[3].pk, stories[2].pk, stories[0].pk]) == [stories[0], stories[2], stories[3]]
    assert by_ids.list([]) == []


def test_values_list_queries_keep_giving_tuples():
    story = make_article("Tenants win in court")
    headlines = CompiledForIds(lambda ids: Article.objects.filter(pk__in=ids).values_list("pk", "headline"))

    headlines.list([story.pk])
    assert headlines.list([story.pk]) == [(story.pk, "Tenants win in court")]
