"""Mapping a WordPress export onto Canary: posts, pages, people, terms, pictures, comments, links.

The export is read twice, as a stream. The first pass writes nothing: it collects the authors,
the categories and the attachments (which WordPress often writes after the posts that use
them) and, by reading the whole file, proves it is well-formed and safe before anything is
stored. The second pass imports each post or page in its own transaction, so one bad post is
reported and the rest go on.

Everything imported carries its WordPress id (``wordpress_id``) or, for a picture found only in
a body, the redirect from its old upload path, so running the import again updates what is
there instead of adding copies.
"""

import html
import posixpath
import re
import urllib.request
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.models import Tag

from .. import imaging, search
from ..models import Article, Author, Comment, Image, OldPath, Page, Section
from . import content, wxr

# WordPress writes post_date in the site's own time zone; a co-op moving to Canary is in London.
LONDON = ZoneInfo("Europe/London")
KINDS = ("articles", "pages", "sections", "tags", "authors", "images", "comments", "redirects")
OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")
POST_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its future published_at: scheduled
    "pending": Article.Status.REVIEW,
    "draft": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
COMMENT_STATUSES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING}
UPLOADS = "/wp-content/uploads/"
# WordPress's resized copies ("photo-300x200.jpg") and big-image originals ("photo-scaled.jpg").
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.\w+$)")
DOWNLOAD_TIMEOUT = 10
WARNINGS_SHOWN = 100


class MediaMissing(Exception):
    """A picture that could not be had; the message says why."""


@dataclass
class Attachment:
    id: int
    url: str
    rel: str  # the path under wp-content/uploads
    alt: str = ""
    title: str = ""
    caption: str = ""


@dataclass
class Report:
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)  # (kind, outcome) -> number
    other_types: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def add(self, kind, outcome, number=1):
        self.counts[kind, outcome] += number

    def count(self, kind, outcome):
        return self.counts[kind, outcome]

    @property
    def failed(self):
        return sum(number for (_, outcome), number in self.counts.items() if outcome == "failed")

    def lines(self):
        if self.dry_run:
            yield "Dry run: this is what the import would do. Nothing was written."
        else:
            yield "WordPress import finished."
        yield f"{'':<10}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES)
        for kind in KINDS:
            yield f"{kind:<10}" + "".join(f"{self.count(kind, outcome):>11}" for outcome in OUTCOMES)
        if self.other_types:
            listed = ", ".join(f"{name} {number}" for name, number in sorted(self.other_types.items()))
            yield f"Other post types skipped: {listed}"
        if self.failures:
            yield f"Not imported ({len(self.failures)}):"
            yield from (f"  {failure}" for failure in self.failures)
        if self.warnings:
            yield f"Warnings ({len(self.warnings)}):"
            yield from (f"  {warning}" for warning in self.warnings[:WARNINGS_SHOWN])
            if len(self.warnings) > WARNINGS_SHOWN:
                yield f"  … and {len(self.warnings) - WARNINGS_SHOWN} more"


@dataclass
class _Unit:
    """What one post's transaction did: kept only if the transaction commits."""

    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    seen: set = field(default_factory=set)
    files: list = field(default_factory=list)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            return None  # urllib then raises the HTTP error: the picture counts as missing
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def download(url, limit):
    """The bytes at an http(s) URL, at most `limit` of them, within a short timeout."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise MediaMissing("its address is not http or https")
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "Canary WordPress import"})  # noqa: S310 (scheme checked above)
    try:
        with opener.open(request, timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read(limit + 1)
    except (OSError, ValueError) as error:  # URLError, HTTPError and timeouts are OSErrors
        raise MediaMissing(f"could not be downloaded ({getattr(error, 'reason', error)})") from None
    if len(data) > limit:
        raise MediaMissing(f"is larger than {limit // 1_048_576} MB")
    return data


# --- Small text helpers -----------------------------------------------------------------------


def plain_text(value):
    """Visible text of some HTML, on one line."""
    value = re.sub(r"<(?:br|/p|/li|/h\d|/blockquote|/figcaption)\b[^>]*>", " ", value or "", flags=re.I)
    return " ".join(html.unescape(strip_tags(value)).split())


def shorten(text, limit):
    """Cut at a word boundary, with an ellipsis, when longer than limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def comment_text(value):
    """A comment's HTML as plain text, keeping its line breaks and paragraphs."""
    value = re.sub(r"<br\s*/?>", "\n", value or "", flags=re.I)
    value = re.sub(r"</p\s*>", "\n\n", value, flags=re.I)
    value = html.unescape(strip_tags(value.replace("\r\n", "\n")))
    value = "\n".join(line.rstrip() for line in value.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", value).strip()[:5000]


def wordpress_date(gmt, local, label):
    """A WordPress date: the GMT one when set, else the local one read as London time."""
    for value, zone, name in ((gmt, UTC, f"{label}_gmt"), (local, LONDON, label)):
        if value and not value.startswith("0000-00-00"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                raise ValueError(f"{name} {value!r} is not a date") from None
    return None


def upload_rel(url):
    """'https://old.example.org/wp-content/uploads/2021/03/x.jpg' -> '2021/03/x.jpg'."""
    path = unquote(urlsplit(html.unescape(url or "").strip()).path)
    if UPLOADS not in path:
        return None
    return path.split(UPLOADS, 1)[1].lstrip("/") or None


def old_path(link):
    """The path of an old WordPress URL, if it is one a request could arrive at."""
    path = unquote(urlsplit((link or "").strip()).path)
    # "/?p=123" links have only "/" for a path: nothing to remember there.
    if not path.startswith("/") or path == "/" or len(path) > 500:
        return None
    return path


def slug_from(*candidates, limit):
    for candidate in candidates:
        slug = slugify(unquote(candidate or ""))[:limit].strip("-")
        if slug:
            return slug
    return ""


def describe(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error) or type(error).__name__


_attribute_patterns = {}


def get_attribute(tag, name):
    pattern = _attribute_patterns.setdefault(
        name, re.compile(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
    )
    match = pattern.search(tag)
    return (
        html.unescape(next((group for group in match.groups() if group is not None), "")) if match else None
    )


def set_attribute(tag, name, value):
    escaped = html.escape(value, quote=True)
    pattern = re.compile(rf"""(\s{name}\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
    return pattern.sub(lambda match: f'{match.group(1)}"{escaped}"', tag, count=1)


def drop_attribute(tag, name):
    return re.sub(rf"""\s{name}\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", "", tag, flags=re.I)


IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
A_TAG = re.compile(r"<a\b[^>]*>", re.I)
EMPTY_LINK = re.compile(r"<a\b[^>]*>\s*</a>", re.I)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?", re.I)
# A figure whose picture could not be brought over: keep its caption as a paragraph.
PICTURELESS_FIGURE = re.compile(r"<figure>\s*(?:<figcaption>(.*?)</figcaption>)?\s*</figure>", re.S | re.I)


# --- The importer -----------------------------------------------------------------------------


class Importer:
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
            done = 0
            for record in wxr.read(self.path):
                if isinstance(record, wxr.Item) and record.post_type != "attachment":
                    self.import_item(record)
                    done += 1
                    if self.progress:
                        self.progress(done, self.total)
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

    def _remember_attachment(self, item):
        url = item.attachment_url or item.guid
        rel = item.meta.get("_wp_attached_file") or upload_rel(url) or ""
        self.attachments[item.id] = Attachment(
            id=item.id,
            url=url,
            rel=rel.lstrip("/"),
            alt=item.meta.get("_wp_attachment_image_alt", ""),
            title=plain_text(item.title),
            caption=plain_text(item.excerpt),
        )
        if rel:
            self.attachment_by_rel.setdefault(rel, item.id)
            self.attachment_by_rel.setdefault(SIZE_SUFFIX.sub("", rel), item.id)

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

    # --- Posts and pages -------------------------------------------------------------------

    def _date(self, item):
        return wordpress_date(item.date_gmt, item.date, "post_date")

    def _before_since(self, when):
        return self.since is not None and (when is None or when < self.since)

    def import_post(self, item):
        status = POST_STATUSES.get(item.status)
        if status is None:  # trash, auto-draft, revisions
            return "skipped"
        when = self._date(item)
        if self._before_since(when):
            return "skipped"
        article = Article.objects.filter(wordpress_id=item.id).first()
        created = article is None
        if created:
            article = Article(wordpress_id=item.id)
        article.headline = shorten(plain_text(item.title) or "Untitled", 200)
        article.status = status
        # Drafts and stories in review get their date when an editor publishes them.
        article.published_at = when if status == Article.Status.PUBLISHED else None
        article.comments = {"open": Article.Comments.OPEN, "closed": Article.Comments.CLOSED}.get(
            item.comment_status, Article.Comments.AUTO
        )
        article.section = self.section_for(item)
        owner = f"post {item.id}"
        article.body = self.body_html(item.content, owner, article.headline)
        article.standfirst = self.standfirst(item.excerpt, article.body)
        featured = self.featured_image(item, owner, article.headline)
        if featured is not None:
            # A missing picture leaves whatever an editor has chosen since the last import.
            article.featured_image = featured
        exclude = ["slug", "search_vector"] + ([] if article.standfirst else ["standfirst"])
        self._validate(article, exclude)
        self._save_with_free_slug(
            article, slug_from(item.slug, article.headline, limit=180) or f"post-{item.id}"
        )
        article.authors.set([self.author_for(item.creator)] if item.creator else [])
        article.tags.set(self.tags_for(item))
        self.import_comments(item, article)
        self.redirect(old_path(item.link), article)
        # Save and tagging keep the search index current through signals; indexing once more
        # here makes the final text (tags included) certain whatever the signal wiring.
        search.index_article(article)
        return "created" if created else "updated"

    def import_page(self, item):
        if item.status != "publish":  # Canary's pages have no drafts: only published ones come
            return "skipped"
        if self._before_since(self._date(item)):
            return "skipped"
        page = Page.objects.filter(wordpress_id=item.id).first()
        created = page is None
        if created:
            # Not in the footer until an editor says so: a WordPress site may have dozens of pages.
            page = Page(wordpress_id=item.id, in_footer=False)
        page.title = shorten(plain_text(item.title) or "Untitled", 120)
        page.summary = shorten(plain_text(item.excerpt), 300)
        page.body = self.body_html(item.content, f"page {item.id}", page.title)
        self._validate(page, ["slug"])
        self._save_with_free_slug(page, slug_from(item.slug, page.title, limit=110) or f"page-{item.id}")
        self.redirect(old_path(item.link), page)
        return "created" if created else "updated"

    def standfirst(self, excerpt, body):
        text = plain_text(excerpt)
        if text:
            return shorten(text, 500)
        for paragraph in re.finditer(r"<p\b[^>]*>(.*?)</p>", body, re.S | re.I):
            text = plain_text(paragraph.group(1))
            if text and not re.fullmatch(r"https?://\S+", text):  # not an embed's bare link
                return shorten(text, 300)
        return shorten(plain_text(body), 300)

    @staticmethod
    def _validate(instance, exclude=()):
        # The database would let SQLite store an over-long value that PostgreSQL refuses:
        # checking first makes both behave alike and gives a reason an editor can read.
        relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        instance.clean_fields(exclude=[*relations, *exclude])

    @staticmethod
    def _save_with_free_slug(instance, base):
        """Keep WordPress's slug; if another article or page has it, add -2, -3... as Article does."""
        model = type(instance)
        limit = model._meta.get_field("slug").max_length
        for attempt in range(1, 100):
            suffix = "" if attempt == 1 else f"-{attempt}"
            instance.slug = base[: limit - len(suffix)].rstrip("-") + suffix
            taken = model.objects.filter(slug=instance.slug).exclude(pk=instance.pk)
            if taken.exists():
                continue
            try:
                with transaction.atomic():
                    instance.save()
                return
            except IntegrityError:
                if not taken.exists():
                    raise  # another constraint: a real failure
        raise IntegrityError(f"No free slug for {base!r}")

    # --- Sections, authors, tags -----------------------------------------------------------

    def _primary_category(self, item):
        if not item.categories:
            return "uncategorized", "Uncategorized"
        # Yoast SEO records the primary category when a post has several.
        primary = self.category_slug_by_id.get(int(item.meta.get("_yoast_wpseo_primary_category") or 0))
        for slug, name in item.categories:
            if slug == primary:
                return slug, name
        return item.categories[0]

    def section_for(self, item):
        wp_slug, wp_name = self._primary_category(item)
        section = self._cached(("section", wp_slug))
        if section is not None:
            return section
        term = self.categories.get(wp_slug) or wxr.Term("category", wp_slug, wp_name)
        name = " ".join((term.name or wp_name or wp_slug).split())
        slug = slug_from(wp_slug, name, limit=80) or "section"
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            # Names are unique too, and WordPress allows two "Local" categories under different parents.
            if Section.objects.filter(name=name[:80]).exists():
                name = f"{name[: 80 - len(slug) - 3]} ({slug})"
            section = Section(
                name=name[:80], slug=slug, description=shorten(plain_text(term.description), 500)
            )
            self._validate(section)
            section.save()
            self._first_time(("section", section.pk))
            self._count("sections", "created")
        elif self._first_time(("section", section.pk)):
            self._count("sections", "unchanged")
        self.unit.cache["section", wp_slug] = section
        self.redirect(f"/category/{self._category_path(wp_slug)}/", section)
        return section

    def _category_path(self, slug):
        """WordPress puts a child category's parents in its URL: /category/news/local/."""
        parts, seen = [], set()
        while slug and slug not in seen:
            seen.add(slug)
            parts.append(unquote(slug))
            term = self.categories.get(slug)
            slug = term.parent if term else ""
        return "/".join(reversed(parts))

    def author_for(self, login):
        author = self._cached(("author", login))
        if author is not None:
            return author
        record = self.authors.get(login) or wxr.Author(login=login)
        name = " ".join((record.display_name or login).split())[:120]
        slug = slug_from(login, name, limit=120) or "author"
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author(name=name, slug=slug)
            self._validate(author)
            author.save()
            self._first_time(("author", author.pk))
            self._count("authors", "created")
        elif self._first_time(("author", author.pk)):
            self._count("authors", "unchanged")
        self.unit.cache["author", login] = author
        self.redirect(old_path(f"/author/{login}/"), author)
        return author

    def tags_for(self, item):
        tags = {}
        for wp_slug, wp_name in item.tags:
            tag = self._cached(("tag", wp_slug))
            if tag is None:
                name = " ".join(wp_name.split())[:100]
                slug = slug_from(wp_slug, name, limit=100)
                if not slug:
                    continue
                name = name or slug
                tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
                if tag is None:
                    tag = Tag.objects.create(name=name, slug=slug)
                    self._first_time(("tag", tag.pk))
                    self._count("tags", "created")
                elif self._first_time(("tag", tag.pk)):
                    self._count("tags", "unchanged")
                self.unit.cache["tag", wp_slug] = tag
                self.redirect(old_path(f"/tag/{wp_slug}/"), tag)
            tags[tag.pk] = tag
        return list(tags.values())

    # --- Comments --------------------------------------------------------------------------

    def import_comments(self, item, article):
        kept = {}
        for comment in item.comments:
            status = COMMENT_STATUSES.get(comment.approved)
            # Pingbacks and trackbacks are not readers' words; spam and trash stay behind.
            if status is None or comment.type not in ("", "comment"):
                self._count("comments", "skipped")
                continue
            kept[comment.id] = (comment, status)
        parent_of = {comment.id: comment.parent for comment in item.comments}

        def thread_top(comment):
            # Canary's threads are one level deep: a reply hangs under the highest kept comment
            # above it, and becomes a comment of its own if none of those was kept.
            top, seen, current = None, set(), comment.parent
            while current and current not in seen:
                seen.add(current)
                if current in kept:
                    top = current
                current = parent_of.get(current, 0)
            return top

        tops = {comment_id: thread_top(comment) for comment_id, (comment, _) in kept.items()}
        saved = {}
        for comment_id in sorted(kept, key=lambda comment_id: tops[comment_id] is not None):
            wp_comment, status = kept[comment_id]
            comment = Comment.objects.filter(wordpress_id=comment_id).first()
            created = comment is None
            if created:
                comment = Comment(wordpress_id=comment_id, status=status)
            elif comment.moderated_at is None:
                comment.status = status  # a moderator's decision in Canary since is kept
            comment.article = article
            comment.parent = saved.get(tops[comment_id])
            comment.name = " ".join(wp_comment.author.split())[:80] or "Anonymous"
            comment.email = self._email(wp_comment.email)
            comment.body = comment_text(wp_comment.content)
            comment.created_at = (
                wordpress_date(wp_comment.date_gmt, wp_comment.date, "comment_date")
                or article.published_at
                or timezone.now()
            )
            comment.save()
            saved[comment_id] = comment
            self._count("comments", "created" if created else "updated")

    @staticmethod
    def _email(value):
        value = (value or "").strip()[:254]
        try:
            validate_email(value)
        except ValidationError:
            return ""
        return value

    # --- Pictures --------------------------------------------------------------------------

    def body_html(self, body, owner, alt_fallback):
        """The cleaned body, with its pictures brought into the library and pointing there."""
        text = content.to_html(body)
        urls = {}

        def picture(match):
            tag = match.group(0)
            src = get_attribute(tag, "src")
            if not src:
                return tag
            url = self.body_image_url(src, owner, get_attribute(tag, "alt") or alt_fallback)
            if url is None:
                return ""  # leave it out rather than keep a broken picture
            urls[upload_rel(src)] = url
            for name in ("srcset", "sizes", "class", "loading", "decoding"):
                tag = drop_attribute(tag, name)
            return set_attribute(tag, "src", url)

        def link(match):
            # "Link to media file": the full-size picture we now have, or the old address.
            tag = match.group(0)
            rel = upload_rel(get_attribute(tag, "href"))
            if rel is None:
                return tag
            image = self._cached(("upload", rel)) or self._cached(("upload", SIZE_SUFFIX.sub("", rel)))
            url = urls.get(rel) or (image.file.url if image else None)
            return set_attribute(tag, "href", url) if url else tag

        text = IMG_TAG.sub(picture, text)
        text = A_TAG.sub(link, text)
        text = EMPTY_LINK.sub("", text)
        text = PICTURELESS_FIGURE.sub(
            lambda match: f"<p>{match.group(1)}</p>" if match.group(1) else "", text
        )
        return EMPTY_PARAGRAPH.sub("", text)

    def body_image_url(self, src, owner, alt):
        rel = upload_rel(src)
        if rel is None:
            if src.startswith(settings.MEDIA_URL) and "//" not in src:
                return src  # already one of ours (a second import of a cleaned body)
            self._count("images", "skipped")
            self._warn(f"{owner}: picture {src} is not in the site's uploads and was left out")
            return None
        # A relative address ("/wp-content/uploads/...") is downloaded from the old site.
        image = self.upload_image(rel, urljoin(self.base_url.rstrip("/") + "/", src), alt, owner)
        return image.file.url if image else None

    def featured_image(self, item, owner, alt_fallback):
        try:
            attachment_id = int(item.meta.get("_thumbnail_id") or 0)
        except ValueError:
            attachment_id = 0
        if not attachment_id:
            return None
        if (
            attachment_id not in self.attachments
            and not Image.objects.filter(wordpress_id=attachment_id).exists()
        ):
            self._count("images", "skipped")
            self._warn(f"{owner}: featured picture {attachment_id} is not in the export; imported without it")
            return None
        return self.attachment_image(attachment_id, owner, alt_fallback, label="featured picture")

    def attachment_image(self, attachment_id, owner, alt_fallback, warn=True, label="picture"):
        image = self._cached(("attachment", attachment_id))
        if image is not None:
            return image
        attachment = self.attachments.get(attachment_id)
        image = Image.objects.filter(wordpress_id=attachment_id).first()
        if image is not None:
            if attachment is not None:
                changed = (image.alt_text, image.caption) != (
                    (attachment.alt or attachment.title or image.alt_text)[:250],
                    attachment.caption[:300],
                )
                if changed:
                    image.alt_text = (attachment.alt or attachment.title or image.alt_text)[:250]
                    image.caption = attachment.caption[:300]
                    image.save(update_fields=["alt_text", "caption"])
                if self._first_time(("image", image.pk)):
                    self._count("images", "updated" if changed else "unchanged")
        elif attachment is not None:
            image = self.store_image(
                attachment.rel,
                attachment.url,
                owner,
                alt=attachment.alt or attachment.title or alt_fallback,
                caption=attachment.caption,
                wordpress_id=attachment_id,
                warn=warn,
                label=label,
            )
        if image is None:
            return None
        self.unit.cache["attachment", attachment_id] = image
        if attachment is not None and attachment.rel:
            self.unit.cache["upload", attachment.rel] = image
            self.redirect(UPLOADS + attachment.rel, image)
        return image

    def upload_image(self, rel, url, alt, owner):
        """The library picture for a file under wp-content/uploads, imported if need be."""
        image = self._cached(("upload", rel))
        if image is not None:
            return image
        # Imported before: its old upload path already redirects to it.
        image_type = ContentType.objects.get_for_model(Image)
        old = OldPath.objects.filter(path=UPLOADS + rel, target_type=image_type).first()
        image = Image.objects.filter(pk=old.target_id).first() if old else None
        if image is not None and self._first_time(("image", image.pk)):
            self._count("images", "unchanged")
        if image is None:
            attachment_id = self.attachment_by_rel.get(rel) or self.attachment_by_rel.get(
                SIZE_SUFFIX.sub("", rel)
            )
            if attachment_id:
                image = self.attachment_image(attachment_id, owner, alt, warn=False)
        if image is None:
            # Not a known attachment, or its full-size file is gone: this very file will do.
            image = self.store_image(rel, url, owner, alt=alt)
        if image is not None:
            self.unit.cache["upload", rel] = image
            self.redirect(UPLOADS + rel, image)
        return image

    def store_image(self, rel, url, owner, alt, caption="", wordpress_id=None, warn=True, label="picture"):
        try:
            if rel in self._missing:
                raise MediaMissing(self._missing[rel])
            upload = SimpleUploadedFile(posixpath.basename(rel) or "picture", self._read_media(rel, url))
            image = Image(alt_text=(alt or posixpath.basename(rel))[:250], caption=caption[:300])
            image.wordpress_id = wordpress_id
            if self.dry_run:
                # Checked like any upload, but no file is written.
                image.width, image.height = imaging.open_checked(upload).size
                image.file = f"images/dry-run/{upload.name}"
            else:
                image.store_upload(upload)
                self.unit.files.append(image.file.name)
        except (MediaMissing, ValidationError) as error:
            reason = describe(error)
            self._missing[rel] = reason
            if warn:
                self._count("images", "skipped")
                self._warn(f"{owner}: {label} {rel or url}: {reason.rstrip('.')}; imported without it")
            return None
        image.save()
        self._first_time(("image", image.pk))
        self._count("images", "created")
        return image

    def _read_media(self, rel, url):
        if self.media_dir is None:
            return self.fetch(url, imaging.max_bytes())
        candidate = (self.media_dir / rel).resolve()
        if not candidate.is_relative_to(self.media_dir):
            raise MediaMissing("its path leads outside the media folder")
        if not candidate.is_file():
            raise MediaMissing("not found in the media folder")
        if candidate.stat().st_size > imaging.max_bytes():
            raise MediaMissing(f"is larger than {imaging.max_bytes() // 1_048_576} MB")
        return candidate.read_bytes()

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
