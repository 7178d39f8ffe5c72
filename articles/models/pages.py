from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.links import link

from ..sanitize import clean_html


class Page(models.Model):
    """A static page such as "About us" or the complaints policy, linked from the footer."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, blank=True, help_text="Used as the page's description.")
    body = models.TextField(blank=True)
    in_footer = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    # The page id in a WordPress export (see articles.wordpress).
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("articles:page", self.slug)


class OldPath(models.Model):
    """A path that used to exist, answered with a 301 to its target's current URL.

    It is read only when a request would otherwise be a 404, so it costs nothing on the
    pages that exist. Slug changes, date changes and imported WordPress links land here.
    """

    path = models.CharField(max_length=500, unique=True, help_text="Starts with /, e.g. /2019/05/old-slug/")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old path"

    def __str__(self):
        return self.path

    @classmethod
    def remember(cls, path, target):
        cls.objects.update_or_create(
            path=path,
            defaults={"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk},
        )

    def target_url(self):
        target = self.target
        if target is None:
            return None
        if target._meta.label == "taggit.Tag":
            return link("articles:tag", target.slug)
        if target._meta.label == "articles.Image":
            return target.file.url
        return target.get_absolute_url()
