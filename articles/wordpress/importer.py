"""Mapping a WordPress export onto Canary: posts, pages, people, terms, pictures, comments, links.

The export is read twice, as a stream. The first pass writes nothing: it collects the authors,
the categories and the attachments (which WordPress often writes after the posts that use
them) and, by reading the whole file, proves it is well-formed and safe before anything is
stored. The second pass imports each post or page in its own transaction, so one bad post is
reported and the rest go on.

Everything imported carries its WordPress id (``wordpress_id``) or, for a picture found only in
a body, the redirect from its old upload path, so running the import again updates what is
there instead of adding copies.

``Importer`` here runs the two passes and keeps the books; what each record becomes is in
``mapping`` (posts, pages, sections, authors, tags), ``comments`` and ``media`` (pictures), and
``summary`` holds the report.
"""

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .. import search
from ..models import Image, OldPath
from . import wxr
from .comments import CommentsMixin
from .mapping import PostMappingMixin
from .media import MediaMixin
from .remote import MediaMissing, download
from .summary import Report
from .values import LONDON, describe, plain_text

# Imported from here by the import_wordpress command and the tests, which also patch
# ``download`` here: Importer looks it up in this module for that reason.
__all__ = ["LONDON", "Importer", "MediaMissing", "download"]


@dataclass
class _Unit:
    """What one post's transaction did: kept only if the transaction commits."""

    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    seen: set = field(default_factory=set)
    files: list = field(default_factory=list)


class Importer(PostMappingMixin, CommentsMixin, MediaMixin):
    def __init__(self, path, media_dir=None, dry_run=False, since=None, progress=None, fetch=None):
        self.path = path
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.since = since
        self.progress = progress
        self.fetch = fetch or download
        self.report = Report(dry_run=dry_run)
        self.authors = {}  # login -> wxr.Author
        self.categories = {}  # slug -> wxr.Term
        self.category_slug_by_id = {}
        self.attachments = {}  # id -> Attachment
        self.attachment_by_rel = {}
        self.base_url = ""
        self.total = 0
        self._cache = {}
        self._seen = set()
        self._missing = {}  # rel -> why it could not be had (not database state: kept on rollback)
        self.unit = _Unit()

    # --- Running --------------------------------------------------------------------------

    def run(self):
        self.scan()
        # A dry run does everything in one transaction and rolls it back; pictures are checked
        # but not written to storage.
        with transaction.atomic() if self.dry_run else nullcontext():
            # Saves do not reindex one by one: the stories are indexed in bulk once every post
            # is in, and until then readers' search answers from the old index.
            with search.deferred() as touched:
                done = 0
                for record in wxr.read(self.path):
                    if isinstance(record, wxr.Item) and record.post_type != "attachment":
                        self.import_item(record)
                        done += 1
                        if self.progress:
                            self.progress(done, self.total)
            self.report.indexed, self.report.index_ready = len(touched), timezone.now()
            if self.dry_run:
                transaction.set_rollback(True)
        return self.report

    def scan(self):
        """The first pass: collect what posts refer to, and find any fault in the file."""
        try:
            for record in wxr.read(self.path):
                self._collect(record)
        except wxr.ExportError as error:
            raise type(error)(f"{error} Nothing was imported.") from None

    def _collect(self, record):
        if isinstance(record, wxr.Site):
            self.base_url = record.base_url
        elif isinstance(record, wxr.Author):
            self.authors[record.login] = record
        elif isinstance(record, wxr.Term) and record.taxonomy == "category" and record.slug:
            self.categories[record.slug] = record
            if record.term_id:
                self.category_slug_by_id[record.term_id] = record.slug
        elif isinstance(record, wxr.Item) and record.post_type == "attachment":
            self._remember_attachment(record)
        elif isinstance(record, wxr.Item):
            self.total += 1
            for slug, name in record.categories:
                self.categories.setdefault(slug, wxr.Term("category", slug, name))

    def import_item(self, item):
        kind = {"post": "articles", "page": "pages"}.get(item.post_type)
        if kind is None:
            self.report.other_types[item.post_type or "(no type)"] += 1
            return
        self.unit = _Unit()
        try:
            with transaction.atomic():
                outcome = self.import_post(item) if kind == "articles" else self.import_page(item)
        except Exception as error:  # one bad post must not stop the rest: report it and go on
            for name in self.unit.files:  # its rows are rolled back; its pictures go too
                default_storage.delete(name)
            self.report.add(kind, "failed")
            self.report.failures.append(
                f"{item.post_type} {item.id} ({plain_text(item.title) or 'untitled'}): {describe(error)}"
            )
            return
        self.report.add(kind, outcome)
        self.report.counts.update(self.unit.counts)
        self.report.warnings.extend(self.unit.warnings)
        self._cache.update(self.unit.cache)
        self._seen |= self.unit.seen

    # --- Bookkeeping within one post's transaction ----------------------------------------

    def _count(self, kind, outcome):
        self.unit.counts[kind, outcome] += 1

    def _warn(self, message):
        self.unit.warnings.append(message)

    def _cached(self, key):
        return self.unit.cache.get(key, self._cache.get(key))

    def _first_time(self, key):
        """True the first time this run meets an object; later meetings are not counted again."""
        if key in self._seen or key in self.unit.seen:
            return False
        self.unit.seen.add(key)
        return True

    # --- Redirects -------------------------------------------------------------------------

    def redirect(self, path, target):
        """Remember an old WordPress path for the target, unless it is the target's own URL."""
        if not path or len(path) > 500:
            return
        if self._first_time(("redirect", path)) is False:
            return
        if path == self._url_of(target):
            self._count("redirects", "skipped")  # it would redirect to itself
            return
        target_type = ContentType.objects.get_for_model(target)
        existing = OldPath.objects.filter(path=path).first()
        if existing is not None and (existing.target_type_id, existing.target_id) == (
            target_type.pk,
            target.pk,
        ):
            self._count("redirects", "unchanged")
            return
        OldPath.remember(path, target)
        self._count("redirects", "created" if existing is None else "updated")

    @staticmethod
    def _url_of(target):
        if isinstance(target, Tag):
            return reverse("articles:tag", args=[target.slug])
        if isinstance(target, Image):
            return target.file.url
        return target.get_absolute_url()
