"""Background work for the newsroom: image renditions, made once at upload."""

import logging
import posixpath

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task
from PIL import Image as PILImage

from . import imaging
from .models import Image
from .services.media_files import remove, remove_after_commit

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
    """WebP and JPEG/PNG copies at several widths, and a 1200×630 social card, written to the
    media storage; the image keeps their names, and its pages build their addresses."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return "gone"
    storage, source = image.file.storage, image.file.name
    try:
        with storage.open(source, "rb") as f:
            picture = PILImage.open(f)
            picture.load()
    except FileNotFoundError:
        # Pages keep showing the upload's address; there is nothing to make copies of.
        logger.warning("Image %s: its file %s is missing from the media storage", image.pk, source)
        return "missing"
    stem, extension = posixpath.splitext(source)  # a storage name, never a path on disk
    fallback_format = "PNG" if extension.lower() in (".png", ".gif") else "JPEG"
    fallback_extension = "png" if fallback_format == "PNG" else "jpg"
    widths = [w for w in imaging.RENDITION_WIDTHS if w < picture.width] + [picture.width]
    renditions = {"webp": [], "fallback": []}
    written = []
    try:
        for width in sorted(set(widths)):
            for kind, image_format, ext in (
                ("webp", "WEBP", "webp"),
                ("fallback", fallback_format, fallback_extension),
            ):
                data, _ = imaging.rendition(picture, width, image_format)
                written.append(storage.save(f"{stem}-{width}w.{ext}", ContentFile(data)))
                renditions[kind].append([width, written[-1]])
        written.append(storage.save(f"{stem}-social.jpg", ContentFile(imaging.social_card(picture))))
        renditions["social"] = written[-1]
    except Exception:
        remove(storage, written)  # half a set is no use to anyone; the task is retried whole
        raise
    return keep(image.pk, storage, source, renditions, written)


def keep(image_id, storage, source, renditions, written):
    """Swap the new renditions in, unless the picture changed while they were made."""
    with transaction.atomic():
        image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None or image.file.name != source:
            # Deleted or replaced meanwhile: these copies are of a picture no one shows.
            transaction.on_commit(lambda: remove(storage, written))
            return "stale"
        remove_after_commit(storage, set(image.rendition_names()) - set(written))
        # Only the renditions are written: an editor's caption edit in the meantime is kept.
        # A save (not an update) so that cached pages showing the image are refreshed.
        image.renditions = renditions
        image.save(update_fields=["renditions"])
    logger.info("Renditions made for image %s", image_id)
    return "done"
