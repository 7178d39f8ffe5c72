"""Background work for the newsroom: image renditions, made once at upload."""

import logging
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task
from PIL import Image as PILImage

from . import imaging
from .models import Image

logger = logging.getLogger("canary.images")


def image_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """Whatever saves a picture (the admin, the importer, a shell), its renditions are queued
    once the picture commits; the model itself queues nothing, so it need not know the task."""
    if raw or not instance.needs_renditions(created, update_fields):
        return
    image_id = instance.pk
    transaction.on_commit(lambda: make_renditions.enqueue(image_id))


@task()
def make_renditions(image_id):
    """WebP and JPEG/PNG copies at several widths, and a 1200×630 social card."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return "gone"
    with image.file.open("rb") as f:
        picture = PILImage.open(f)
        picture.load()
    stem, extension = os.path.splitext(image.file.name)
    fallback_format = "PNG" if extension.lower() in (".png", ".gif") else "JPEG"
    fallback_extension = "png" if fallback_format == "PNG" else "jpg"
    widths = [w for w in imaging.RENDITION_WIDTHS if w < picture.width] + [picture.width]
    renditions = {"webp": [], "fallback": []}
    for width in sorted(set(widths)):
        for kind, image_format, ext in (
            ("webp", "WEBP", "webp"),
            ("fallback", fallback_format, fallback_extension),
        ):
            data, _ = imaging.rendition(picture, width, image_format)
            name = default_storage.save(f"{stem}-{width}w.{ext}", ContentFile(data))
            renditions[kind].append([width, default_storage.url(name)])
    card = default_storage.save(f"{stem}-social.jpg", ContentFile(imaging.social_card(picture)))
    renditions["social"] = default_storage.url(card)
    # Only the renditions are written: an editor's caption edit in the meantime is kept.
    # A save (not an update) so that cached pages showing the image are refreshed.
    image.renditions = renditions
    image.save(update_fields=["renditions"])
    logger.info("Renditions made for image %s", image.pk)
    return "done"
