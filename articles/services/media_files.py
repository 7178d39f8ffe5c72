"""An image's files in the media storage: the ones a change dropped go once that change commits.

Whatever drops them (a replaced picture, a deleted image, renditions made again), the files are
removed only after the database no longer names them, so a rolled-back change loses nothing.
A storage that fails then leaves an orphan file, logged, never a picture a page still shows.
"""

import logging

from django.db import transaction

logger = logging.getLogger("canary.images")


def remove_after_commit(storage, names):
    names = sorted({name for name in names if name})
    if names:
        transaction.on_commit(lambda: remove(storage, names))


def remove(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the disk or the bucket: whichever failed, the change stands
            logger.warning(
                "Could not remove %s from the media storage; it is left behind", name, exc_info=True
            )


def image_saved(sender, instance, raw=False, **kwargs):
    """A replaced picture's old upload and renditions go (Image.store_upload lists them)."""
    if not raw:
        remove_after_commit(instance.file.storage, instance.__dict__.pop("dropped_names", []))


def image_deleted(sender, instance, **kwargs):
    remove_after_commit(instance.file.storage, instance.stored_names())
