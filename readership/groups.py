"""Views and read-through per section, per tag and per author over a period: one query each,
grouped in the database, and one for each kind's names, whatever the number of stories."""

from django.db.models import Q, Sum
from taggit.models import Tag

from articles.models import Author, Section

from .models import Metric, Tally

TOP = 20  # tags and authors: the most read twenty; a site has a handful of sections
MOST_SECTIONS = 50


def read_through(views, reads):
    """The share of views that reached the end, in whole per cent (None with no views)."""
    return round(100 * min(reads, views) / views) if views else None


def _grouped(rows, by, limit):
    found = (
        rows.exclude(**{by: None})
        .values_list(by)
        .annotate(
            views=Sum("count", filter=Q(metric=Metric.VIEW), default=0),
            reads=Sum("count", filter=Q(metric=Metric.READ), default=0),
        )
        .order_by("-views", by)[:limit]
    )
    return [(key, views, reads) for key, views, reads in found]


def _named(grouped, model, field):
    names = dict(model.objects.filter(pk__in=[key for key, _, _ in grouped]).values_list("pk", field))
    return [
        {
            "name": names.get(key, "(removed)"),
            "views": views,
            "reads": reads,
            "read_through": read_through(views, reads),
        }
        for key, views, reads in grouped
    ]


def group_figures(start, end, stories=None, top=TOP):
    """Per section, the top tags and the top authors between two London dates (both included).

    `stories` is None for the whole site, or the queryset of a contributor's own stories.
    """
    rows = Tally.objects.filter(day__gte=start, day__lte=end, article__isnull=False)
    if stories is not None:
        rows = rows.filter(article__in=stories)
    return {
        "sections": _named(_grouped(rows, "article__section", MOST_SECTIONS), Section, "name"),
        "tags": _named(_grouped(rows, "article__tagged_items__tag", top), Tag, "name"),
        "authors": _named(_grouped(rows, "article__authors", top), Author, "name"),
    }
