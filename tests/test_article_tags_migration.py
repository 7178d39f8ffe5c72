"""Migration 0007 carries every article's tags from taggit's TaggedItem to ArticleTag, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0006_article_updated_index")]
AFTER = [("articles", "0007_article_tags")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0006():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def an_article(apps, slug):
    Section = apps.get_model("articles", "Section")
    section, _ = Section.objects.get_or_create(name="News", slug="news")
    return apps.get_model("articles", "Article").objects.create(
        headline=slug, slug=slug, standfirst="s", section=section, status="published"
    )


@pytest.mark.django_db(transaction=True)
def test_tags_written_before_the_move_are_on_the_article_after_it(at_0006):
    apps = at_0006
    ContentType = apps.get_model("contenttypes", "ContentType")
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    article_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    ferry, strike = (
        Tag.objects.create(name="Ferry", slug="ferry"),
        Tag.objects.create(name="Strike", slug="strike"),
    )
    first, second = an_article(apps, "first"), an_article(apps, "second")
    for article, tag in [(first, ferry), (first, strike), (second, ferry)]:
        TaggedItem.objects.create(tag=tag, content_type=article_type, object_id=article.pk)
    # A tagging left behind by an article deleted long ago: generic relations never cascaded.
    TaggedItem.objects.create(tag=strike, content_type=article_type, object_id=second.pk + 1000)

    apps = migrate(AFTER)
    ArticleTag = apps.get_model("articles", "ArticleTag")
    moved = sorted(ArticleTag.objects.values_list("content_object__slug", "tag__name"))
    assert moved == [("first", "Ferry"), ("first", "Strike"), ("second", "Ferry")]
    assert not apps.get_model("taggit", "TaggedItem").objects.filter(content_type_id=article_type.pk).exists()

    apps = migrate(BEFORE)
    back = apps.get_model("taggit", "TaggedItem").objects.filter(content_type_id=article_type.pk)
    assert sorted(back.values_list("object_id", "tag__name")) == [
        (first.pk, "Ferry"),
        (first.pk, "Strike"),
        (second.pk, "Ferry"),
    ]
