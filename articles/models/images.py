import os

from django.core.files.base import ContentFile
from django.db import models

from .. import imaging


class Image(models.Model):
    """A picture in the library, with the words that must travel with it."""

    file = models.ImageField(upload_to="images/%Y/%m/")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        max_length=250, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=150, blank=True, help_text='Shown as "Image via …", e.g. Twitter.')
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The attachment id in a WordPress export (see articles.wordpress).
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.alt_text[:60] or self.file.name

    def needs_renditions(self, created, update_fields):
        """A new file with no renditions yet: articles.tasks queues them when it is saved."""
        return not self.renditions and (created or update_fields is None or "file" in update_fields)

    def store_upload(self, upload):
        """Check, straighten and strip an upload, then keep it as this image's file."""
        picture = imaging.open_checked(upload)
        data, (self.width, self.height), extension = imaging.normalised(picture)
        stem = os.path.splitext(os.path.basename(upload.name or "image"))[0][:60] or "image"
        self.file.save(f"{stem}.{extension}", ContentFile(data), save=False)
        self.renditions = {}

    # Renditions: {"webp": [[width, url], ...], "fallback": [...], "social": url}
    def srcset(self, kind="webp"):
        return ", ".join(f"{url} {width}w" for width, url in self.renditions.get(kind, []))

    @property
    def fallback_srcset(self):
        return self.srcset("fallback")

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def largest_fallback_url(self):
        """The full-size JPEG/PNG copy, once made: the same picture as the upload, and its
        address is stored, where the upload's is worked out by the storage on every call."""
        fallback = self.renditions.get("fallback")
        return fallback[-1][1] if fallback else self.file.url

    @property
    def social_url(self):
        return self.renditions.get("social") or self.file.url
