"""Posts and pages onto Canary's articles and pages, with their sections, authors and tags."""

import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag

from ..exceptions import IllegalTransition
from ..models import Article, Author, Page, Section
from ..models.tags import clean_tag_name, look_alike
from ..models.workflow import CHANGE, PUBLISH, SystemCaller
from . import wxr
from .values import old_path, plain_text, shorten, slug_from, wordpress_date

POST_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its future published_at: scheduled
    "pending": Article.Status.REVIEW,
    "draft": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}


# The import acts with no person behind it: it may publish, schedule and hand over for review,
# and nothing else (it never withdraws, nor lifts a withdrawal).
IMPORTER = SystemCaller("the WordPress import", [PUBLISH, CHANGE])


class PostMappingMixin:
    """The Importer's posts and pages: they use its per-post bookkeeping, cache and redirects."""

    def _date(self, item):
        return wordpress_date(item.date_gmt, item.date, "post_date")

    def _before_since(self, when):
        return self.since is not None and (when is None or when < self.since)

    def import_post(self, item):
        status = POST_STATUSES.get(item.status)
        if status is None:  # trash, auto-draft, revisions
            return "skipped"
        try:
            when, undated = self._date(item), "no publication date"
        except ValueError as error:
            when, undated = None, str(error)
        if self._before_since(when):
            return "skipped"
        if when is None and status == Article.Status.PUBLISHED:
            # Published now, it would lead the home page as today's news: an editor dates it.
            status = Article.Status.DRAFT
            self._warn(f"post {item.id}: {undated}; imported as a draft")
        article = Article.objects.filter(wordpress_id=item.id).first()
        created = article is None
        if created:
            article = Article(wordpress_id=item.id)
        article.headline = shorten(plain_text(item.title) or "Untitled", 200)
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
        exclude = ["slug"] + ([] if article.standfirst else ["standfirst"])
        self._validate(article, exclude)
        if status == Article.Status.PUBLISHED:
            # The date comes in through a move after the save: checked first, as the field is.
            try:
                Article._meta.get_field("published_at").clean(when, article)
            except ValidationError as error:
                raise ValidationError({"published_at": error.messages}) from None
        self._save_with_free_slug(
            article, slug_from(item.slug, article.headline, limit=180) or f"post-{item.id}"
        )
        article.authors.set([self.author_for(item.creator)] if item.creator else [])
        article.tags.set(self.tags_for(item))
        # Last, so the history's snapshot of the move holds the byline and tags too.
        self.move_to(article, status, when, f"post {item.id}")
        self.import_comments(item, article)
        self.redirect(old_path(item.link), article)
        # Save and tagging mark the story for the search index, indexed in bulk when the whole
        # import is in (Importer.run).
        return "created" if created else "updated"

    def move_to(self, article, status, when, owner):
        """Bring the article to WordPress's status through the model's moves, as the importer.

        A new article starts as a draft. A move the model refuses (a story withdrawn in Canary
        is not published again by an import) leaves the status as it is, with a warning.
        """
        now = timezone.now()
        try:
            if status == Article.Status.PUBLISHED and article.is_published_at(now) and when <= now:
                if article.published_at != when:  # re-dated in WordPress: an edit, not a move
                    article.published_at = when
                    article.save(update_fields=["published_at", "updated_at"])
            elif status == Article.Status.PUBLISHED:
                if article.status == status and article.published_at == when:
                    return  # scheduled for that time already
                if article.is_published_at(now):
                    article.unpublish(by=IMPORTER)  # WordPress moved a live story to the future
                if when > now:
                    article.schedule(when, by=IMPORTER)
                else:
                    article.publish(by=IMPORTER, at=when)
            elif article.status != status:
                if article.status == Article.Status.PUBLISHED:
                    article.unpublish(by=IMPORTER)
                if status == Article.Status.REVIEW:
                    article.submit_for_review(by=IMPORTER)
                elif article.status == Article.Status.REVIEW:
                    article.return_to_draft(by=IMPORTER)
        except IllegalTransition as refusal:
            self._warn(f"{owner}: {refusal} Its status in Canary is left as it was.")

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
                name = clean_tag_name(wp_name)[:100]
                slug = slug_from(wp_slug, name, limit=100)
                if not slug:
                    continue
                name = name or slug
                tag = Tag.objects.filter(slug=slug).first() or look_alike(name)
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
