"""Visits from each newsletter issue: the views whose beacon named the issue that brought the
reader (its link's redirect says so), beside the clicks the redirect counted. Three queries."""

from django.db.models import Sum

from newsletters.models import Issue, IssueLink

from .models import Metric, Source, Tally

MOST_ISSUES = 100


def issue_figures(start, end, stories=None, limit=MOST_ISSUES):
    """The issues that brought readers between two London dates, most visits first.

    `stories` None: the whole site, with each issue's link clicks (all time); a contributor's
    own stories: only the visits to those, and no clicks (an issue's clicks are everyone's).
    """
    rows = Tally.objects.filter(
        metric=Metric.VIEW,
        source=Source.NEWSLETTER,
        day__gte=start,
        day__lte=end,
        # A beacon may name any number: only issues that exist, and that went out, count.
        issue__in=Issue.objects.exclude(started_at=None).values("pk"),
    )
    if stories is not None:
        rows = rows.filter(article__in=stories)
    visits = list(rows.values_list("issue").annotate(total=Sum("count")).order_by("-total", "issue")[:limit])
    ids = [issue for issue, _ in visits]
    issues = (
        Issue.objects.select_related("newsletter")
        .only("subject", "started_at", "recipients", "newsletter__name")
        .in_bulk(ids)
    )
    clicks = {}
    if stories is None:
        clicks = dict(IssueLink.objects.filter(issue__in=ids).values_list("issue").annotate(Sum("clicks")))
    return [
        {
            "issue": issues[issue],
            "visits": total,
            "clicks": clicks.get(issue, 0) if stories is None else None,
        }
        for issue, total in visits
        if issue in issues
    ]
