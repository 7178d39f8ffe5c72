from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def validate_target(value):
    """Our own pages (a path) or a full http(s) address: never javascript:, never //host."""
    # Browsers read "/\\host" as "//host" and drop tabs and newlines: none belongs in a link.
    if "\\" in value or any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValidationError("A link can’t contain a backslash, a tab or other control characters.")
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.startswith(("https://", "http://")):
        return
    raise ValidationError("Use a path on this site such as /support/, or a full https:// address.")


class ScheduledQuerySet(models.QuerySet):
    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(enabled=True).filter(
            Q(active_from__isnull=True) | Q(active_from__lte=now),
            Q(active_until__isnull=True) | Q(active_until__gt=now),
        )


class Scheduled(models.Model):
    enabled = models.BooleanField(default=True)
    active_from = models.DateTimeField(null=True, blank=True, help_text="Empty: from now.")
    active_until = models.DateTimeField(null=True, blank=True, help_text="Empty: until switched off.")
    weight = models.PositiveSmallIntegerField(
        default=1, help_text="When several share a place, each shows in proportion to its weight."
    )

    objects = ScheduledQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        for name in ("active_from", "active_until"):
            moment = getattr(self, name)
            # The page cache's deadline is the next start or end; year 9999 broke that arithmetic.
            if moment is not None and not 1990 <= moment.year <= 2200:
                errors[name] = "Choose a date between 1990 and 2200."
        if not errors and self.active_from and self.active_until and self.active_until <= self.active_from:
            errors["active_until"] = "The end comes before the start: this would never show."
        if errors:
            raise ValidationError(errors)

    def is_live(self, now):
        return (
            self.enabled
            and (self.active_from is None or self.active_from <= now)
            and (self.active_until is None or self.active_until > now)
        )


class CallToAction(Scheduled):
    """An appeal placed on reader pages: a banner, an end-of-article box, an inline break."""

    class Placement(models.TextChoices):
        BANNER = "banner", "Site banner"
        END = "end", "End of article"
        INLINE = "inline", "Inside the article, after a paragraph"
        SIDEBAR = "sidebar", "Sidebar"
        EMAIL = "email", "Newsletter emails, for readers who are not members"

    class Audience(models.TextChoices):
        NON_MEMBERS = "non_members", "Readers who are not members"
        MEMBERS = "members", "Members only"
        EVERYONE = "everyone", "Everyone"

    # Where sections and tags mean something: places beside a story or an issue's stories. The site
    # banner and the home page's sidebar have no story to match, so a targeted one would never show.
    TARGETED_PLACEMENTS = frozenset({Placement.END, Placement.INLINE, Placement.EMAIL})

    name = models.CharField(max_length=100, help_text="For the newsroom only, e.g. “Spring appeal banner”.")
    placement = models.CharField(max_length=8, choices=Placement.choices)
    headline = models.CharField(max_length=120)
    text = models.TextField(max_length=600, blank=True)
    button_label = models.CharField(max_length=40, default="Support us")
    link = models.CharField(max_length=500, default="/support/", validators=[validate_target])
    audience = models.CharField(max_length=11, choices=Audience.choices, default=Audience.NON_MEMBERS)
    after_paragraph = models.PositiveSmallIntegerField(
        default=4, help_text="For inline placement: shown after this many top-level paragraphs."
    )
    sections = models.ManyToManyField("articles.Section", blank=True, help_text="Empty: every section.")
    tags = models.ManyToManyField("taggit.Tag", blank=True, help_text="Empty: whatever the tags.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "call to action"
        verbose_name_plural = "calls to action"
        ordering = ["placement", "-weight", "name"]

    def __str__(self):
        return self.name

    @property
    def takes_targeting(self):
        return self.placement in self.TARGETED_PLACEMENTS

    @property
    def asks_for_money(self):
        """Whether the link leads to our giving page, however it is written (query, full address)."""
        parts = urlsplit(self.link)
        ours = not parts.netloc or parts.netloc.lower() == urlsplit(settings.SITE_URL).netloc.lower()
        return ours and parts.path.rstrip("/") == reverse("supporters:support").rstrip("/")

    def suits(self, *, member):
        """Members never see a money appeal, whatever its audience says."""
        if member:
            return (
                self.audience in (self.Audience.MEMBERS, self.Audience.EVERYONE) and not self.asks_for_money
            )
        return self.audience in (self.Audience.NON_MEMBERS, self.Audience.EVERYONE)


class AdSlot(models.Model):
    """A place where advertising goes: for now filled with the co-op's own house ads."""

    class Placement(models.TextChoices):
        HEADER = "header", "Header"
        MID_ARTICLE = "mid_article", "“Read on…” break inside an article"
        SIDEBAR = "sidebar", "Sidebar"
        END_OF_LIST = "end_of_list", "End of list pages"

    placement = models.CharField(max_length=11, choices=Placement.choices, unique=True)
    enabled = models.BooleanField(default=True)
    after_paragraph = models.PositiveSmallIntegerField(
        default=3, help_text="For the “Read on…” break: after this many top-level paragraphs."
    )
    min_paragraphs = models.PositiveSmallIntegerField(
        default=6, help_text="For the “Read on…” break: only in articles with at least this many."
    )

    class Meta:
        verbose_name = "ad slot"
        ordering = ["placement"]

    def __str__(self):
        return self.get_placement_display()


class HouseAd(Scheduled):
    slot = models.ForeignKey(AdSlot, on_delete=models.CASCADE, related_name="ads")
    name = models.CharField(max_length=100)
    image = models.ForeignKey("articles.Image", on_delete=models.PROTECT, related_name="+")
    link = models.CharField(max_length=500, validators=[validate_target])

    class Meta:
        verbose_name = "house ad"
        ordering = ["slot", "-weight", "name"]

    def __str__(self):
        return self.name


class Click(models.Model):
    """Clicks counted per day, per appeal or ad, per article: no reader, no cookie, no address."""

    class Kind(models.TextChoices):
        CALL_TO_ACTION = "cta", "Call to action"
        HOUSE_AD = "ad", "House ad"

    kind = models.CharField(max_length=3, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    article_id = models.PositiveBigIntegerField(default=0, help_text="0 when the click came from no article.")
    # The newsletter issue whose copy carried the appeal (see supporters.places); 0 for none.
    issue_id = models.PositiveBigIntegerField(
        default=0, help_text="0 when the click came from no newsletter."
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "article_id", "issue_id", "day"],
                name="one_click_row_per_place_day",
            )
        ]

    def __str__(self):
        return f"{self.count} clicks on {self.kind} {self.object_id} on {self.day}"
