import logging
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models

from .. import imaging

logger = logging.getLogger("canary.images")


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
        data, (width, height), extension = imaging.normalised(picture)
        stem = posixpath.splitext(posixpath.basename(upload.name or "image"))[0][:60] or "image"
        # A replaced picture's files are removed once the new one is saved (articles.services).
        dropped = self.stored_names() if self.pk else []
        try:
            self.file.save(f"{stem}.{extension}", ContentFile(data), save=False)
        except Exception as error:  # the disk is full, the bucket refuses or does not answer
            logger.exception("Could not store an uploaded picture")
            raise ValidationError(
                "The picture could not be stored: the media storage did not take it. Nothing was "
                "changed; please try again in a few minutes.",
                code="storage",
            ) from error
        self.width, self.height = width, height
        self.renditions = {}
        self.dropped_names = [*getattr(self, "dropped_names", []), *dropped]

    # Renditions hold storage names, never addresses, so a change of storage, bucket or CDN
    # moves every picture at once: {"webp": [[width, name], ...], "fallback": [...], "social": name}
    def rendition_names(self):
        named = [name for kind in ("webp", "fallback") for _, name in self.renditions.get(kind, [])]
        return [*named, self.renditions["social"]] if self.renditions.get("social") else named

    def stored_names(self):
        """Every file this image keeps in the storage: the upload and its renditions."""
        return [self.file.name, *self.rendition_names()] if self.file else self.rendition_names()

    def address(self, name):
        return self.file.storage.url(name)

    def srcset(self, kind="webp"):
        return ", ".join(f"{self.address(name)} {width}w" for width, name in self.renditions.get(kind, []))

    def fallback_url(self, width):
        """The address of the smallest JPEG/PNG copy at least this wide, or None."""
        copies = sorted(self.renditions.get("fallback", []))
        return next((self.address(name) for made, name in copies if made >= width), None)

    @property
    def fallback_srcset(self):
        return self.srcset("fallback")

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def largest_fallback_url(self):
        """The full-size JPEG/PNG copy, once made: the same picture as the upload, stripped."""
        fallback = self.renditions.get("fallback")
        return self.address(fallback[-1][1]) if fallback else self.file.url

    @property
    def social_url(self):
        social = self.renditions.get("social")
        return self.address(social) if social else self.file.url

    @property
    def social_address(self):
        """The social card's absolute address, for other sites: the bucket's or ours."""
        url = self.social_url
        return url if url.startswith(("https://", "http://")) else settings.SITE_URL + url
