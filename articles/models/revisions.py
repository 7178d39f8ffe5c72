"""The history of an article: one snapshot per save made in the newsroom, and restoring one.

A snapshot is plain JSON holding everything an editor writes and files (text, section, byline,
tags, "Get involved!" links, image, status and time), so a restore brings them back together
and history survives a renamed tag or a deleted author.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


def snapshot(article):
    """The article as an editor sees it, relations included, as JSON-ready data."""
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": {"id": article.section_id, "name": article.section.name if article.section_id else ""},
        "authors": [{"id": a.pk, "name": a.name} for a in article.authors.order_by("name", "pk")],
        "tags": sorted(article.tags.names(), key=str.lower),
        "action_links": [
            {"label": link.label, "url": link.url, "position": link.position}
            for link in article.action_links.order_by("position", "pk")
        ],
        "featured_image": article.featured_image_id,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }


class ArticleRevision(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        RESTORED = "restored", "Restored an earlier version"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REINSTATED = "reinstated", "Withdrawal lifted"
        COMMENTS = "comments", "Comments setting changed"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(help_text="The article's version number after this save.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices, default=Action.CHANGED)
    note = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField()

    # History is for the newsroom only: writing it never invalidates a cached reader page.
    changes_reader_pages = False

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_idx")]
        verbose_name = "article revision"

    def __str__(self):
        return f"Version {self.version} of article {self.article_id}"

    @classmethod
    def record(cls, article, user=None, action=Action.CHANGED, note=""):
        return cls.objects.create(
            article=article,
            version=article.version,
            created_by=user if user is not None and user.is_authenticated else None,
            action=action,
            note=note[:300],
            snapshot=snapshot(article),
        )

    @classmethod
    def keep_original(cls, article_id):
        """Before the first newsroom edit of an article written elsewhere (an import, the demo
        content, a script), keep it as it was, so that edit can be undone too."""
        from .article import Article

        if cls.objects.filter(article_id=article_id).exists():
            return None
        original = Article.objects.filter(pk=article_id).select_related("section").first()
        if original is None:
            return None
        return cls.objects.create(
            article=original,
            version=original.version,
            created_at=original.updated_at or timezone.now(),
            action=cls.Action.CREATED,
            note="as it was before its first edit in the newsroom",
            snapshot=snapshot(original),
        )

    def restore(self, user):
        """Bring back this version's words, filing and links together, as a new version.

        Publication (status, time, withdrawal) is left as it is now: restoring an old draft's
        text must not unpublish a story, and publishing has its own permission.
        """
        from .article import ActionLink, Article
        from .images import Image
        from .people import Author, Section

        data = self.snapshot
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=self.article_id)
            article.headline = data["headline"]
            article.standfirst = data["standfirst"]
            article.body = data["body"]
            # Something deleted since is left as it is now rather than failing the restore.
            if Section.objects.filter(pk=data["section"]["id"]).exists():
                article.section_id = data["section"]["id"]
            image_id = data.get("featured_image")
            article.featured_image_id = image_id if Image.objects.filter(pk=image_id).exists() else None
            article.save()
            article.authors.set(Author.objects.filter(pk__in=[a["id"] for a in data["authors"]]))
            article.tags.set(data["tags"])
            article.action_links.all().delete()
            for link in data["action_links"]:
                ActionLink.objects.create(article=article, **link)
            when = timezone.localtime(self.created_at)
            return ArticleRevision.record(
                article,
                user,
                ArticleRevision.Action.RESTORED,
                f"version {self.version} of {when:%d %b %Y %H:%M}",
            )
