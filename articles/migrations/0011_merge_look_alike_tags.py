"""Tags that look alike become one; invisible characters leave every tag's name.

The oldest tag of each look-alike group stays; the others' articles and calls to action move to it, and
their /tag/<slug>/ addresses (and old paths that led to them) now answer 301 to it. The rules are
copied from articles.models.tags, as a migration must not change when that code does.
"""

import unicodedata
from collections import defaultdict

from django.db import migrations


def clean(name):
    name = unicodedata.normalize("NFC", name or "")
    return " ".join("".join(c for c in name if unicodedata.category(c) != "Cf").split())


def key(name):
    return unicodedata.normalize("NFC", clean(name).casefold())


def merge(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    ArticleTag = apps.get_model("articles", "ArticleTag")
    OldPath = apps.get_model("articles", "OldPath")
    CallToAction = apps.get_model("supporters", "CallToAction")
    ContentType = apps.get_model("contenttypes", "ContentType")
    groups = defaultdict(list)
    for tag in Tag.objects.order_by("pk"):
        groups[key(tag.name)].append(tag)
    for survivor, *others in groups.values():
        for other in others:
            tag_type, _ = ContentType.objects.get_or_create(app_label="taggit", model="tag")
            already = ArticleTag.objects.filter(tag=survivor).values("content_object_id")
            ArticleTag.objects.filter(tag=other, content_object_id__in=already).delete()
            ArticleTag.objects.filter(tag=other).update(tag=survivor)
            for appeal in CallToAction.objects.filter(tags=other):
                appeal.tags.add(survivor)
            OldPath.objects.filter(target_type=tag_type, target_id=other.pk).update(target_id=survivor.pk)
            OldPath.objects.update_or_create(
                path=f"/tag/{other.slug}/", defaults={"target_type": tag_type, "target_id": survivor.pk}
            )
            other.delete()
        if clean(survivor.name) != survivor.name:
            survivor.name = clean(survivor.name)
            survivor.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_list_indexes_sorted_by_id"),
        ("supporters", "0004_preset_within_giving_limits"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
