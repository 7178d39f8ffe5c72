"""How an article is written: the data rules every save keeps, whoever saves it (the admin, the
importer, the model's own moves, a shell).

The body is cleaned; the version counts every save and refuses one made from a copy older than
the stored row (StaleVersion), so two editors never overwrite each other without a word; a
published story whose slug or date changes keeps answering at its old address; a story with no
slug gets a free one from its headline. Effects outside the row (cache, search, tasks, email)
are not here: they follow the commit (articles/apps.py).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from ..exceptions import StaleVersion
from ..sanitize import clean_html
from .pages import OldPath

# What a save reads under the row lock before writing: the version to check, and the address
# the story had, to keep it if this save moves the story.
STORED_FIELDS = ("version", "status", "slug", "published_at")


class ArticleWrites:
    """Mixed into Article (articles.models.article): save() and its rules."""

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        updating = not self._state.adding and not kwargs.get("force_insert")
        # A copy loaded without its version (.only(), .defer()) made no claim about it.
        claims_version = "version" not in self.get_deferred_fields()
        loaded_version = self.version if claims_version else None
        try:
            with transaction.atomic():
                stored = self._stored_for_update() if updating else None
                if updating:
                    kwargs["update_fields"] = self._fields_to_write(kwargs.get("update_fields"))
                if stored is not None and claims_version and loaded_version != stored["version"]:
                    raise StaleVersion(loaded_version, stored["version"])
                if stored is not None:
                    # Under the row lock: no other save can come between this read and the write.
                    self.version = stored["version"] + 1
                if self.slug:
                    super().save(*args, **kwargs)
                else:
                    # A new article, or an editor emptied the slug box: made from the headline.
                    self._save_with_free_slug(*args, **kwargs)
                if stored is not None:
                    self._remember_old_url(stored)
        except BaseException:
            # Nothing was written: the copy is as old as it was.
            if claims_version:
                self.version = loaded_version
            else:
                self.__dict__.pop("version", None)
            raise
        self._mark_saved()

    def refuse_if_stale(self, version):
        """Raise StaleVersion unless the stored article is still at ``version`` (the one a form
        was opened at), holding its row until the caller's transaction ends."""
        with transaction.atomic():
            stored = self._stored_for_update()
        if stored is not None and version != stored["version"]:
            raise StaleVersion(version, stored["version"])

    def _stored_for_update(self):
        rows = type(self).objects.filter(pk=self.pk).select_for_update()
        return rows.values(*STORED_FIELDS).first()

    def _fields_to_write(self, update_fields):
        if update_fields is None:
            # corrected_at is written by Correction alone (with update()): a copy of the article
            # loaded before a correction was added must not erase it.
            deferred = self.get_deferred_fields()
            update_fields = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "corrected_at" and f.attname not in deferred
            ]
        return {*update_fields, "version"}

    def _save_with_free_slug(self, *args, **kwargs):
        """Race-safe unique slug: try the write, and on a clash try the next suffix."""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        base = slugify(self.headline)[:180].strip("-") or "article"
        for attempt in range(1, 50):
            self.slug = base if attempt == 1 else f"{base}-{attempt}"
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                if not type(self).objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                    raise
        raise IntegrityError(f"No free slug for {base!r}")

    def _remember_old_url(self, stored):
        """A published article whose slug or date changed keeps answering at its old URL."""
        if stored["status"] != self.Status.PUBLISHED or not stored["slug"] or stored["published_at"] is None:
            return
        old = type(self)(slug=stored["slug"], published_at=stored["published_at"]).get_absolute_url()
        if old != self.get_absolute_url():
            OldPath.remember(old, self)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def changes_reader_pages(self):
        """A draft that was never public changes nothing a reader can see."""
        published = self.Status.PUBLISHED
        return self.status == published or getattr(self, "_loaded_status", None) == published

    def _mark_saved(self):
        self._loaded_status = self.status
