"""Bump the page-cache generation after any change to content readers see.

Listening to model signals keeps the apps free of any knowledge of the page cache: a
model is "content" when its label matches ``PAGE_CACHE_MODELS``, and an instance may say
a particular change is invisible to readers with a ``changes_reader_pages`` attribute.
"""

from fnmatch import fnmatchcase

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from . import cdn_changes
from .page_cache import bump_generation


def is_content(model):
    label = model._meta.label
    return any(fnmatchcase(label, pattern) for pattern in settings.PAGE_CACHE_MODELS)


def schedule_bump():
    # After commit: bumping earlier would let a reader cache the old content under the
    # new generation in the moment before the change becomes visible.
    transaction.on_commit(bump_generation)


def content_changed(sender, instance=None, raw=False, **kwargs):
    if raw or not is_content(sender):
        return
    if not getattr(instance, "changes_reader_pages", True):
        return
    schedule_bump()
    cdn_changes.changed(instance, deleted=kwargs.get("signal") is post_delete)


def relation_changed(sender, instance=None, action="", **kwargs):
    if not action.startswith("post_") or not (is_content(sender) or is_content(type(instance))):
        return
    if getattr(instance, "changes_reader_pages", True):
        schedule_bump()
        cdn_changes.changed(instance)
