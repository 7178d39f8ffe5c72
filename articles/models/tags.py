from django.db import models
from taggit.models import TaggedItemBase


class ArticleTag(TaggedItemBase):
    """One tag on one article.

    Taggit's own TaggedItem points at anything through a content type and an integer
    object_id. Joined to the article's bigint id, PostgreSQL must cast object_id and so cannot
    walk an index from one table to the other: a tag page read every tagging of a popular tag
    and sorted them. A real foreign key, with an index from tag to article, lets the database
    go from the newest stories to their tags and stop after a page.
    """

    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )

    class Meta:
        verbose_name = "article tag"
        constraints = [
            # Also the index from an article to its tags.
            models.UniqueConstraint(fields=["content_object", "tag"], name="article_tag_once"),
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="article_tag_tag_idx")]
