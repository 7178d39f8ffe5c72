"""Articles' tags move from taggit's generic TaggedItem to ArticleTag, a real foreign key.

Every existing tagging of an article is copied across and removed from TaggedItem (calls to
action keep theirs there); going back copies them the other way.
"""

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models

BATCH = 2000


def _article_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="articles", model="article").first()


def _copy(pairs, make, model):
    batch = []
    for pair in pairs.iterator(chunk_size=BATCH):
        batch.append(make(*pair))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def to_article_tags(apps, schema_editor):
    article_type = _article_type(apps)
    if article_type is None:
        return
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ArticleTag = apps.get_model("articles", "ArticleTag")
    Article = apps.get_model("articles", "Article")
    old = TaggedItem.objects.filter(content_type=article_type)
    # A generic relation does not cascade: taggings of deleted articles are left behind.
    live = old.filter(object_id__in=Article.objects.values("pk")).values_list("tag_id", "object_id")
    _copy(live, lambda tag_id, article_id: ArticleTag(tag_id=tag_id, content_object_id=article_id), ArticleTag)
    old.delete()


def to_tagged_items(apps, schema_editor):
    article_type = _article_type(apps)
    if article_type is None:
        return
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ArticleTag = apps.get_model("articles", "ArticleTag")
    pairs = ArticleTag.objects.values_list("tag_id", "content_object_id")
    _copy(
        pairs,
        lambda tag_id, article_id: TaggedItem(tag_id=tag_id, content_type=article_type, object_id=article_id),
        TaggedItem,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_article_updated_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "content_object",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tagged_items",
                        to="articles.article",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(app_label)s_%(class)s_items",
                        to="taggit.tag",
                    ),
                ),
            ],
            options={"verbose_name": "article tag"},
        ),
        migrations.AddIndex(
            model_name="articletag",
            index=models.Index(fields=["tag", "content_object"], name="article_tag_tag_idx"),
        ),
        migrations.AddConstraint(
            model_name="articletag",
            constraint=models.UniqueConstraint(fields=("content_object", "tag"), name="article_tag_once"),
        ),
        migrations.RunPython(to_article_tags, to_tagged_items),
        migrations.AlterField(
            model_name="article",
            name="tags",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="A comma-separated list of tags.",
                through="articles.ArticleTag",
                to="taggit.Tag",
                verbose_name="Tags",
            ),
        ),
    ]
