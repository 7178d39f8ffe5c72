from django.conf import settings
from django.db import models
from django.db.models import Max
from django.utils import timezone


class Correction(models.Model):
    """A dated correction or update note under a published article, as the press codes require."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=2000,
        help_text="Plain text, shown to readers as written, dated, at the top of the article. "
        "Say what was wrong and what is right now.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()}, {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._touch_article()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._touch_article()
        return result

    @property
    def changes_reader_pages(self):
        return self.article.changes_reader_pages

    def _touch_article(self):
        """The article was modified now (dateModified moves) and knows whether it has notes.

        update(), not save(): a note is not a new version of the article's text, and an editor
        with the article open must not be told someone else changed it.
        """
        from .article import Article

        latest = Correction.objects.filter(article_id=self.article_id).aggregate(latest=Max("created_at"))
        Article.objects.filter(pk=self.article_id).update(
            updated_at=timezone.now(), corrected_at=latest["latest"]
        )


class CorrectionRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=CorrectionRequest.Status.WAITING)


class CorrectionRequest(models.Model):
    """A reader's report of a mistake in a published story, waiting for an editor's answer."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an editor"
        CORRECTED = "corrected", "Corrected"
        NO_CHANGE = "no_change", "No change needed"

    class AlreadySettled(Exception):
        """An editor has already answered this report: a second answer would hide who decided what."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="correction_requests"
    )
    text = models.TextField("what is wrong", max_length=2000)
    email = models.EmailField(
        blank=True, help_text="Given by the reader only so that an editor can reply; never shown."
    )
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    settled_at = models.DateTimeField(null=True, blank=True, editable=False)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "reported mistake"
        indexes = [models.Index(fields=["status", "received_at"], name="correction_request_queue")]

    def __str__(self):
        return f"Report on “{self.article}”"

    def settle(self, status, *, by):
        """The editor's answer: corrected, or no change needed. A report is answered once."""
        if status == self.Status.WAITING or status not in self.Status.values:
            raise ValueError(f"{status!r} is not an answer to a report")
        now = timezone.now()
        # One statement that only moves a waiting report: of two editors answering at once, the
        # second is told, not silently written over.
        moved = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.WAITING)
            .update(status=status, settled_at=now, settled_by=by)
        )
        if not moved:
            self.refresh_from_db(fields=["status", "settled_at", "settled_by"])
            raise self.AlreadySettled(f"This report was already answered: {self.get_status_display()}.")
        self.status, self.settled_at, self.settled_by = status, now, by
