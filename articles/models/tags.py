import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from taggit.managers import _TaggableManager
from taggit.models import Tag, TaggedItemBase


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


def clean_tag_name(name):
    """A tag's name as stored: composed (NFC), spaces collapsed, and without invisible format
    characters (zero-width spaces and joiners, right-to-left overrides and other bidi controls),
    which would make a tag read differently from what it is or look like another."""
    name = unicodedata.normalize("NFC", name or "")
    return " ".join("".join(c for c in name if unicodedata.category(c) != "Cf").split())


def tag_key(name):
    """What tags that look alike share: "Café" typed two ways, "RENT" and "rent", "ΟΔΟΣ" and "οδος"."""
    return unicodedata.normalize("NFC", clean_tag_name(name).casefold())


def look_alike(name, exclude=None):
    """The existing tag that is, or looks like, this name; None if there is none."""
    others = Tag.objects.exclude(pk=exclude) if exclude else Tag.objects.all()
    cleaned = clean_tag_name(name)
    tag = others.filter(name=cleaned).first()
    if tag is not None:
        return tag
    # No index compares names across case, composition and invisible characters, so the names are
    # read: only when a tag is about to be made or renamed, a few thousand short strings at most.
    key = tag_key(cleaned)
    pk = next(
        (pk for pk, other in others.values_list("pk", "name").iterator() if tag_key(other) == key), None
    )
    return others.filter(pk=pk).first() if pk else None


def tags_named(names):
    """The tags for typed or imported names: each an existing look-alike or a new, clean tag."""
    cleaned = [name for name in map(clean_tag_name, names) if name]
    found = {tag.name: tag for tag in Tag.objects.filter(name__in=cleaned)}
    return [found.get(name) or look_alike(name) or Tag.objects.create(name=name) for name in cleaned]


def tag_saving(sender, instance, **kwargs):
    """Every save of a tag, whatever made it: a clean name, and never a second look-alike."""
    instance.name = clean_tag_name(instance.name)
    other = look_alike(instance.name, exclude=instance.pk)
    if other is not None:
        raise ValidationError(f"“{instance.name}” looks like the existing tag “{other.name}”.")


class ArticleTagManager(_TaggableManager):
    """article.tags: names become their look-alike tag (taggit matches names exactly)."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = [tag for tag in tags if isinstance(tag, str)]
        by_key = {tag_key(tag.name): tag for tag in (tags_named(names) if names else [])}
        # A name that cleans to nothing has no tag and is left out.
        resolved = [by_key.get(tag_key(tag)) if isinstance(tag, str) else tag for tag in tags]
        return super()._to_tag_model_instances([tag for tag in resolved if tag is not None], tag_kwargs)
