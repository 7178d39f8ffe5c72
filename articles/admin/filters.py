"""The article list's filters: by state as readers meet it, and by the most used tags."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag

from ..models import Article


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
            ("withdrawn", "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled(now)
            case "published":
                return queryset.published(now)
            case "withdrawn":
                return queryset.withdrawn()
        return queryset


class TagFilter(admin.SimpleListFilter):
    """The most used tags (a newsroom has thousands); any tag works through ?tag=<slug>."""

    title = "tag"
    parameter_name = "tag"
    shown = 25

    def lookups(self, request, model_admin):
        tags = (
            Tag.objects.filter(articles_articletag_items__isnull=False)
            .annotate(uses=Count("articles_articletag_items"))
            .order_by("-uses", "name")[: self.shown]
        )
        choices = [(tag.slug, tag.name) for tag in tags]
        if self.value() and self.value() not in dict(choices):
            choices.append((self.value(), self.value()))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset
