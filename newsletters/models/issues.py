"""An issue of a newsletter: what it says, and where it is on its way out.

draft → scheduled → sending ↔ paused → sent, or draft/scheduled → cancelled. Each move is a
method that refuses an illegal one with a named exception, and changes the row only if its
status is still the one it read, so two editors (or an editor and the clock) cannot both
start the same issue.
"""

from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from ..exceptions import AlreadyStarted, NotEditable, NotPaused, NotSendable, NotSending


class IssueQuerySet(models.QuerySet):
    def due(self, now=None):
        """Scheduled issues whose time has come."""
        now = now or timezone.now()
        return self.filter(status=Issue.Status.SCHEDULED, send_at__lte=now)

    def sent(self):
        return self.filter(status=Issue.Status.SENT)


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    newsletter = models.ForeignKey("newsletters.Newsletter", on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=200)
    preheader = models.CharField(
        max_length=200, blank=True, help_text="The line mail apps show after the subject."
    )
    introduction = models.TextField(
        blank=True, help_text="The editor's introduction; a blank line starts a paragraph."
    )
    email_only = models.TextField(blank=True, help_text="Shown in the email only, never on the archive page.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled issue goes out.")
    # A digest covers the stories published up to this moment; the next one starts here.
    digest = models.BooleanField(default=False, editable=False)
    covers_until = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False, help_text="The audience as frozen.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_issue", "Can send, schedule, pause, resume and cancel an issue")]
        indexes = [
            models.Index(fields=["status", "send_at"], name="issue_status_send_idx"),
            models.Index(fields=["newsletter", "digest", "covers_until"], name="issue_digest_idx"),
        ]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        """A draft may change; once scheduled or further, what readers get is settled. The row
        is locked while it is checked, so an editor's save and a start cannot cross."""
        if self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.refuse_unless_draft()
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsletters:issue", args=[self.newsletter.slug, self.pk])

    def refuse_unless_draft(self):
        stored = Issue.objects.select_for_update().filter(pk=self.pk).values_list("status", flat=True).first()
        if stored is not None and stored != self.Status.DRAFT:
            raise NotEditable(stored)

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def _move(self, allowed_from, status, refusal, **fields):
        """Change status only if it is still one of allowed_from, in the database as here."""
        if self.status not in allowed_from:
            raise refusal(self.status)
        moved = Issue.objects.filter(pk=self.pk, status__in=allowed_from).update(status=status, **fields)
        if not moved:
            self.refresh_from_db(fields=["status"])
            raise refusal(self.status)
        self.status = status
        for name, value in fields.items():
            setattr(self, name, value)

    def schedule(self, at):
        self._move([self.Status.DRAFT], self.Status.SCHEDULED, NotEditable, send_at=at)

    def start(self, now=None):
        """Draft or scheduled to sending: the caller freezes the audience in the same transaction."""
        self._move(
            [self.Status.DRAFT, self.Status.SCHEDULED],
            self.Status.SENDING,
            NotSendable,
            started_at=now or timezone.now(),
        )

    def pause(self):
        self._move([self.Status.SENDING], self.Status.PAUSED, NotSending)

    def resume(self):
        self._move([self.Status.PAUSED], self.Status.SENDING, NotPaused)

    def cancel(self):
        self._move([self.Status.DRAFT, self.Status.SCHEDULED], self.Status.CANCELLED, AlreadyStarted)

    def finish(self, now=None):
        self._move([self.Status.SENDING], self.Status.SENT, NotSending, finished_at=now or timezone.now())
        # The move is an UPDATE, which sends no signal: tell whoever keeps pages (the page
        # cache) that the archive, its feed and this issue's page now exist.
        post_save.send(
            sender=type(self), instance=self, created=False, update_fields={"status", "finished_at"}
        )

    @property
    def changes_reader_pages(self):
        """Only a sent issue is on a reader's page; drafts and sends in progress are not."""
        return self.status == self.Status.SENT

    @classmethod
    def finish_if_done(cls, pk, now=None):
        """Mark the issue sent once none of its batches is left. Its row is locked while
        counting, so of two workers finishing the last two batches at once, the second sees
        the first's."""
        with transaction.atomic():
            issue = cls.objects.select_for_update().filter(pk=pk, status=cls.Status.SENDING).first()
            if issue is None or issue.batches.unfinished().exists():
                return False
            issue.finish(now)
        return True

    @property
    def is_sending(self):
        return self.status == self.Status.SENDING


def published_articles():
    """What an editor may pick for a story: what readers can see now (Article.objects.published)."""
    return Q(status="published", published_at__lte=timezone.now(), withdrawn_at__isnull=True)


class Story(models.Model):
    """One story in an issue, copied from its article when added, so the issue stays as sent."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="stories")
    position = models.PositiveSmallIntegerField(default=0)
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=published_articles,
    )
    headline = models.CharField(max_length=200)
    standfirst = models.TextField(blank=True)
    link = models.URLField(max_length=500)
    picture = models.ForeignKey(
        "articles.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        with transaction.atomic():
            self.issue.refuse_unless_draft()
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            self.issue.refuse_unless_draft()
            return super().delete(*args, **kwargs)

    def copy_article(self, article):
        """Take the article's link and picture, and its words where the editor left them blank."""
        from django.conf import settings

        self.article = article
        self.headline = self.headline or article.headline
        self.standfirst = self.standfirst or article.standfirst
        self.link = settings.SITE_URL + article.get_absolute_url()
        self.picture = article.featured_image

    @classmethod
    def from_article(cls, issue, article, position):
        from django.conf import settings

        return cls(
            issue=issue,
            position=position,
            article=article,
            headline=article.headline,
            standfirst=article.standfirst,
            link=settings.SITE_URL + article.get_absolute_url(),
            picture=article.featured_image,
        )
