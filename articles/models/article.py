from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from taggit.managers import TaggableManager

from core.compiled_queries import CompiledForIds
from core.links import link

from .tags import ArticleTagManager
from .workflow import ArticleWorkflow
from .writes import ArticleWrites

# Teasers never show the body or the search vector: leave them in the database.
TEASER_DEFERRED = ("body",)


def attach_bylines(articles):
    """Give each story ``byline``, its authors' names from A to Z, in one query for them all.

    Teasers and feeds show the names and nothing else. prefetch_related("authors") made an
    Author for each name and went through Django's relation machinery, which cost twice what
    this query does (20 teasers: 1.1 ms against 0.55). Returns the stories as a list.
    """
    articles = list(articles)
    names = {article.pk: [] for article in articles}
    for article_id, name in _bylines.list(names):
        names[article_id].append(name)
    for article in articles:
        article.byline = names[article.pk]
    return articles


_bylines = CompiledForIds(
    lambda ids: (
        Article.authors.through.objects.filter(article_id__in=ids)
        .order_by("author__name", "author_id")
        .values_list("article_id", "author__name")
    )
)


ARCHIVE_YEARS = range(1990, 2201)


def within_the_archive_years(moment):
    """1990 to 2200, the years the month archive answers for. A slip such as 9999 broke date
    arithmetic on every admin list and preview; year 1 gave the sitemap 24,000 empty months."""
    if moment is not None and moment.year not in ARCHIVE_YEARS:
        raise ValidationError("Choose a date between 1990 and 2200.")


def archive_month(year, month):
    """The first moment of a month of the archive and of the next, London time; None for any
    other month (month 13, or a year outside ARCHIVE_YEARS: 9999's next month is year 10000,
    which no date can hold). The month archive and the month's sitemap both answer by it."""
    if not (1 <= month <= 12 and year in ARCHIVE_YEARS):
        return None
    zone = timezone.get_current_timezone()
    return datetime(year, month, 1, tzinfo=zone), datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None, *, including_withdrawn=False):
        """What readers may see: the one definition every page, feed and count uses
        (is_published_at says the same of one article in hand).

        A withdrawn article is out of it at once, wherever readers would have found it; only
        the 410 notice asks for those too, to tell a withdrawn story from one never out.
        """
        now = now or timezone.now()
        out = self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
        return out if including_withdrawn else out.filter(withdrawn_at__isnull=True)

    def last_before(self, moment):
        """When the newest story before this moment came out, or None (the date index, read once)."""
        newest = self.filter(published_at__lt=moment).order_by("-published_at", "-id")
        return newest.values_list("published_at", flat=True).first()

    def first_from(self, moment):
        """When the first story at or after this moment came out, or None."""
        oldest = self.filter(published_at__gte=moment).order_by("published_at", "id")
        return oldest.values_list("published_at", flat=True).first()

    def scheduled(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now, withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def worked_on_by(self, user):
        """The articles a staff member may open: every one for those who publish, else their own.

        "Their own" is what they created or carry their byline (the Author linked to their account).
        """
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("articles.publish_article"):
            return self
        bylined = Article.authors.through.objects.filter(author__user=user).values("article_id")
        return self.filter(Q(created_by=user) | Q(pk__in=bylined))

    def for_listing(self):
        """Everything a list of teasers shows but the bylines (attach_bylines), in fixed queries.

        Sections are fetched apart, not joined: with the join, SQLite's planner starts from
        the handful of sections and sorts every published story to find the newest twenty.
        """
        return self.select_related("featured_image").prefetch_related("section")

    def teasers(self):
        """for_listing without what a teaser never shows: the body and the search vector."""
        return self.for_listing().defer(*TEASER_DEFERRED)

    def teasers_joined(self):
        """teasers() with the sections joined in the same query, for a few stories picked by
        primary key or within one section: with no sort across the archive for the planner to
        misjudge (see for_listing), the join costs less than a second query.
        """
        return self.select_related("section", "featured_image").defer(*TEASER_DEFERRED)


class Article(ArticleWrites, ArticleWorkflow, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    class Comments(models.TextChoices):
        AUTO = "auto", "Automatic (open for a while after publication)"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Placement(models.TextChoices):
        NONE = "", "Not pinned"
        LEAD = "lead", "Lead story"
        TOP = "top", "Top story"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True, help_text="Filled in from the headline.")
    standfirst = models.TextField(
        max_length=500, help_text="The one- or two-sentence summary under the headline."
    )
    body = models.TextField(blank=True)
    authors = models.ManyToManyField("articles.Author", related_name="articles", blank=True)
    section = models.ForeignKey("articles.Section", on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True, through="articles.ArticleTag", manager=ArticleTagManager)
    featured_image = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[within_the_archive_years],
        help_text="A future time schedules the article: it appears by itself then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments = models.CharField(max_length=6, choices=Comments.choices, default=Comments.AUTO)
    placement = models.CharField(max_length=4, choices=Placement.choices, default="", blank=True)
    pinned_until = models.DateTimeField(
        null=True,
        blank=True,
        validators=[within_the_archive_years],
        help_text="When the story leaves its pinned place on the home page.",
    )
    # The post id in a WordPress export this came from: re-running the import updates, not duplicates.
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Optimistic locking: every save adds one, and refuses a copy older than the row (writes.py).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Withdrawal (a legal complaint, a court order): the URL answers 410 and readers see it nowhere.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # When the newest correction or update was added: the article page looks for them only then.
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("withdraw_article", "Can withdraw articles and restore withdrawn ones"),
        ]
        indexes = [
            # Lists sort by date then id, newest first; with id in the index no sort is needed,
            # and withdrawn_at lets the recent window and counts read the index alone.
            models.Index(
                fields=["status", "-published_at", "-id", "withdrawn_at"], name="article_published_idx"
            ),
            models.Index(
                fields=["section", "status", "-published_at", "-id", "withdrawn_at"],
                name="article_section_idx",
            ),
            models.Index(fields=["placement", "pinned_until"], name="article_pinned_idx"),
            # The sitemap index's "last changed", and the admin's "recently edited".
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # Search checks each matching story's publication by id. This answers it from the
            # index alone; on SQLite, reading the row meant walking past its body, page by page.
            models.Index(
                fields=["id", "status", "published_at", "withdrawn_at"], name="article_state_by_id_idx"
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        # The day is kept on the instance while its date stays the same: an article page asks
        # for its own address several times (links, sharing, structured data), and each
        # conversion to local time reads the current time zone from thread-local storage.
        known = self.__dict__.get("_address_day")
        if known is None or known[0] != self.published_at:
            known = self._address_day = (self.published_at, self.local_date)
        day = known[1]
        return link("articles:article", day.year, f"{day.month:02d}", f"{day.day:02d}", self.slug)

    @property
    def is_published(self):
        return self.is_published_at(timezone.now())

    def is_published_at(self, now):
        """What published() selects, for one article already in hand."""
        return (
            self.status == Article.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and self.withdrawn_at is None
        )

    @property
    def is_scheduled(self):
        """Waiting for its time: what scheduled() selects (a withdrawn story waits for nothing)."""
        return (
            self.status == Article.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
            and self.withdrawn_at is None
        )

    @property
    def state_label(self):
        """Where the article is in its life, as the newsroom says it."""
        if self.withdrawn_at is not None:
            return "Withdrawn"
        if self.is_scheduled:
            return f"Scheduled for {date_format(timezone.localtime(self.published_at), 'j M Y, H:i')}"
        return self.get_status_display()

    @property
    def local_date(self):
        return timezone.localtime(self.published_at or self.created_at or timezone.now()).date()

    @property
    def comments_close_at(self):
        if self.comments != Article.Comments.AUTO or self.published_at is None:
            return None
        return self.published_at + timedelta(days=settings.COMMENTS_OPEN_DAYS)

    @property
    def comments_open(self):
        if self.comments == Article.Comments.CLOSED:
            return False
        if self.comments == Article.Comments.OPEN:
            return True
        close_at = self.comments_close_at
        return close_at is not None and timezone.now() < close_at


class ActionLink(models.Model):
    """A "Get involved!" link under an article: a petition, a meeting, a union."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="action_links")
    label = models.CharField(max_length=80, help_text='For example "Sign the petition".')
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="A full http:// or https:// address.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "“Get involved!” link"

    def __str__(self):
        return self.label

    @property
    def changes_reader_pages(self):
        return self.article.changes_reader_pages


def pinned_now(now=None):
    now = now or timezone.now()
    return Q(pinned_until__isnull=True) | Q(pinned_until__gt=now)
