"""Renditions keep storage names, not addresses: the page builds each address as it renders.

An address saved before this (MEDIA_URL + the name, quoted) becomes its name again. One that is
not under MEDIA_URL (made under another MEDIA_URL) cannot be traced back: that image's
renditions are forgotten, its pages show the upload, and `manage.py make_renditions` makes them
again.
"""

from urllib.parse import unquote

from django.conf import settings
from django.db import migrations


def to_name(value):
    if not isinstance(value, str) or not value.startswith(settings.MEDIA_URL):
        raise ValueError(value)
    return unquote(value.removeprefix(settings.MEDIA_URL))


def names(renditions):
    converted = {
        kind: [[width, to_name(value)] for width, value in renditions.get(kind, [])]
        for kind in ("webp", "fallback")
    }
    if renditions.get("social"):
        converted["social"] = to_name(renditions["social"])
    return converted


def to_names(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    for image in Image.objects.exclude(renditions={}).only("pk", "renditions").iterator():
        try:
            renditions = names(image.renditions)
        except (ValueError, TypeError):
            renditions = {}
        Image.objects.filter(pk=image.pk).update(renditions=renditions)


def to_addresses(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    from django.core.files.storage import default_storage

    for image in Image.objects.exclude(renditions={}).only("pk", "renditions").iterator():
        old = image.renditions
        renditions = {
            kind: [[width, default_storage.url(name)] for width, name in old.get(kind, [])]
            for kind in ("webp", "fallback")
        }
        if old.get("social"):
            renditions["social"] = default_storage.url(old["social"])
        Image.objects.filter(pk=image.pk).update(renditions=renditions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_merge_look_alike_tags")]

    operations = [migrations.RunPython(to_names, to_addresses)]
