"""Every declared compiled query answers exactly as its plain queryset does (COMPILED_QUERIES).

The compiled form leans on Django's internals; COMPILED_QUERIES=0 is the way back. Each query
the apps declare runs here both ways, on stories scheduled, withdrawn, drafted, with many tags
and with none, and the two answers must be the same rows, fields, deferrals and joined objects.
"""

import sys
from datetime import timedelta

import pytest
from django.db import connection, models
from django.test import override_settings
from django.utils import timezone

from articles import article_page, home
from articles.factories import make_article, make_author, make_image, make_section
from articles.models import Article, Comment
from articles.models import article as article_module
from core.compiled_queries import DECLARED, CompiledForIds

pytestmark = pytest.mark.django_db

APP_MODULES = ("articles.", "supporters.", "core.", "mailroom.", "canary.")


def declared_names():
    """The module-level name of each compiled query an app declares (tests' own left out)."""
    names = set()
    for query in DECLARED:
        module = query.build.__module__
        if not module.startswith(APP_MODULES):
            continue
        found = [name for name, value in vars(sys.modules[module]).items() if value is query]
        assert found, f"a compiled query in {module} is not bound to a module-level name"
        names.add(f"{module}.{found[0]}")
    return names


def snapshot(value):
    """What a result holds, comparable: rows with their loaded fields, deferrals and joins."""
    if isinstance(value, models.Model):
        fields = {name: snapshot(v) for name, v in vars(value).items() if not name.startswith("_")}
        joined = {name: snapshot(v) for name, v in value._state.fields_cache.items()}
        return (type(value).__name__, value.pk, fields, joined, sorted(value.get_deferred_fields()))
    if isinstance(value, list | tuple):
        return [snapshot(v) for v in value]
    return value


def both_ways(run):
    with override_settings(COMPILED_QUERIES=True):
        compiled = snapshot(run())
    with override_settings(COMPILED_QUERIES=False):
        plain = snapshot(run())
    return compiled, plain


@pytest.fixture
def newsroom():
    now = timezone.now()
    news, culture = make_section("News"), make_section("Culture")
    ana, ben = make_author("Ana Amos"), make_author("Ben Bright")
    picture = make_image(alt_text="The depot at dusk")
    stories = {
        "many tags": make_article(
            "Depot vote",
            section=news,
            authors=[ben, ana],
            tags=[f"Tag {n}" for n in range(12)],
            action_links=[("Write to the council", "https://example.org/write"), ("Come along", "/")],
            featured_image=picture,
        ),
        "no tags": make_article("Quiet week", section=news, authors=[]),
        "scheduled": make_article(
            "Embargoed count", section=news, tags=["Tag 1"], published_at=now + timedelta(hours=2)
        ),
        "withdrawn": make_article("Pulled story", section=culture, tags=["Tag 1", "Tag 2"]),
        "draft": make_article("Still drafting", section=culture, status=Article.Status.DRAFT, tags=["Tag 2"]),
    }
    for n in range(6):
        stories[f"older {n}"] = make_article(
            f"Older story {n}",
            section=news if n % 2 else culture,
            tags=[f"Tag {n}", "Tag 11"],
            published_at=now - timedelta(days=n + 1),
        )
    Article.objects.filter(pk=stories["withdrawn"].pk).update(withdrawn_at=now - timedelta(seconds=5))
    thread = stories["many tags"]
    first = Comment.objects.create(
        article=thread, name="Ria", email="ria@example.org", body="First.", status=Comment.Status.APPROVED
    )
    Comment.objects.create(
        article=thread,
        name="Sam",
        email="sam@example.org",
        body="A reply.",
        parent=first,
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        article=thread,
        name="Pip",
        email="pip@example.org",
        body="Picked.",
        pinned=True,
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(article=thread, name="Spammer", email="x@example.org", body="Buy now")
    return stories, now


def test_every_declared_query_is_held_to_its_plain_queryset_here():
    assert declared_names() == {
        "articles.article_page._article",
        "articles.article_page._tags",
        "articles.article_page._authors",
        "articles.article_page._action_links",
        "articles.article_page._comments",
        "articles.home._recent_window",
        "articles.home._teasers_by_id",
        "articles.home._newest_in_section",
        "articles.models.article._bylines",
    }


def test_an_article_page_reads_the_same_both_ways(newsroom):
    stories, now = newsroom
    for when in (now, now + timedelta(hours=3), now - timedelta(days=2)):
        for story in stories.values():
            compiled, plain = both_ways(
                lambda s=story, w=when: article_page._article.list(slug=s.slug, now=w)
            )
            assert compiled == plain, (story.headline, when)
    assert both_ways(lambda: article_page._article.list(slug="no-such-story", now=now)) == ([], [])
    for story in stories.values():
        for query in (
            article_page.tags,
            article_page.authors,
            article_page.action_links,
            article_page.comments,
        ):
            compiled, plain = both_ways(lambda q=query, s=story: q(s))
            assert compiled == plain, (query.__name__, story.headline)
    # The data does reach the queries: not two empty answers that agree.
    assert len(article_page.tags(stories["many tags"])) == 12
    assert [c.name for c in article_page.comments(stories["many tags"])] == ["Pip", "Ria", "Sam"]


def test_the_recent_window_sql_finds_the_same_rows_both_ways(newsroom):
    stories, now = newsroom

    def window(when):
        def run():
            sql, params = home._recent_window.sql(now=when)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return [tuple(row) for row in cursor.fetchall()]

        return run

    for when in (now, now + timedelta(hours=3), now - timedelta(days=3)):
        compiled, plain = both_ways(window(when))
        assert compiled == plain
    assert len(window(now)()) == len(stories) - 3  # neither scheduled, withdrawn nor draft


def test_related_stories_and_bylines_read_the_same_both_ways(newsroom):
    stories, now = newsroom
    ids = [story.pk for story in stories.values()]
    for story in stories.values():
        tags = article_page.tags(story)
        compiled, plain = both_ways(lambda s=story, t=tags: home.related_to(s, t, now=now))
        assert compiled == plain, story.headline
        for left_out in ([story.pk], ids[:3], ids[: home.RELATED + 1]):
            compiled, plain = both_ways(
                lambda s=story, ids=left_out: home._newest_in_section.list(
                    ids, section_id=s.section_id, now=now
                )
            )
            assert compiled == plain, (story.headline, len(left_out))
    for chosen in ([], ids[:1], ids[::-1], ids * 2, [*ids, 10**9]):
        compiled, plain = both_ways(lambda c=chosen: sorted(home._teasers_by_id.list(c), key=lambda a: a.pk))
        assert compiled == plain, len(chosen)
        compiled, plain = both_ways(
            lambda c=chosen: [
                a.byline for a in article_module.attach_bylines(Article.objects.filter(pk__in=c))
            ]
        )
        assert compiled == plain, len(chosen)
    bylines = {a.pk: a.byline for a in article_module.attach_bylines(Article.objects.filter(pk__in=ids))}
    assert bylines[stories["many tags"].pk] == ["Ana Amos", "Ben Bright"]
    assert bylines[stories["no tags"].pk] == []


def test_a_list_of_ids_longer_than_any_compiled_runs_the_same_both_ways(newsroom):
    stories, _ = newsroom
    ids = [story.pk for story in stories.values()] + list(range(10**9, 10**9 + CompiledForIds.MAX_IDS))
    compiled, plain = both_ways(lambda: sorted(home._teasers_by_id.list(ids), key=lambda a: a.pk))
    assert compiled == plain
    assert len(compiled) == len(stories)
