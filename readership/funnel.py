"""The appeals funnel: per call to action and per story, appeal views → clicks → gifts → money.

Appeal views are the beacons' views that name the appeal their page showed; clicks are the
supporters' Click counts; gifts and money are the paid donations credited to the appeal or the
story. Totals only, never a person. A fixed number of queries, however many stories or appeals.
"""

from django.db.models import Count, Sum

from articles.models import Article
from supporters.models import CallToAction, Click, Donation

from .models import Metric, Tally
from .periods import bounds

MOST_ROWS = 100  # the page shows the hundred that brought most; the CSV all (up to the next limit)
CSV_ROWS = 10_000


def _views(start, end, stories):
    # Only appeals that exist: a beacon may name any number, and a made-up one is not an appeal.
    rows = Tally.objects.filter(
        metric=Metric.VIEW, day__gte=start, day__lte=end, appeal__in=CallToAction.objects.values("pk")
    )
    return rows if stories is None else rows.filter(article__in=stories)


def _clicks(start, end, stories):
    rows = Click.objects.filter(kind=Click.Kind.CALL_TO_ACTION, day__gte=start, day__lte=end)
    return rows if stories is None else rows.filter(article_id__in=stories.values("pk"))


def _gifts(start, end, stories):
    since, until = bounds(start, end)
    rows = Donation.objects.paid().filter(paid_at__gte=since, paid_at__lt=until)
    return rows if stories is None else rows.filter(article__in=stories)


def _merge(views, clicks, gifts):
    """{key: row} from the three counts, each row with every stage (0 where none)."""
    rows = {}
    for key in {*views, *clicks, *gifts}:
        given, pence = gifts.get(key, (0, 0))
        rows[key] = {
            "views": views.get(key, 0),
            "clicks": clicks.get(key, 0),
            "gifts": given,
            "pence": pence,
        }
    return rows


def _ranked(rows, names, limit):
    order = sorted(rows.items(), key=lambda item: (-item[1]["pence"], -item[1]["views"], item[0]))
    return [{"key": key, "name": names(key), **row} for key, row in order[:limit]]


def funnel(start, end, stories=None, limit=MOST_ROWS):
    """The period's funnel: totals, then rows per call to action and per story.

    `stories` is None for the whole site, or a queryset of the articles someone may see (a
    contributor's own): then every figure, the appeals' included, is of those stories only.
    """
    views, clicks, gifts = (
        _views(start, end, stories),
        _clicks(start, end, stories),
        _gifts(start, end, stories),
    )
    by_call = _merge(
        dict(views.values_list("appeal").annotate(Sum("count"))),
        dict(clicks.values_list("object_id").annotate(Sum("count"))),
        {
            key: (given, pence)
            for key, given, pence in gifts.exclude(call_to_action_id=None)
            .values_list("call_to_action_id")
            .annotate(Count("pk"), Sum("amount_pence"))
        },
    )
    by_story = _merge(
        dict(views.exclude(article=None).values_list("article").annotate(Sum("count"))),
        dict(clicks.exclude(article_id=0).values_list("article_id").annotate(Sum("count"))),
        {
            key: (given, pence)
            for key, given, pence in gifts.exclude(article=None)
            .values_list("article")
            .annotate(Count("pk"), Sum("amount_pence"))
        },
    )
    calls = _ranked(by_call, lambda key: key, limit)
    stories_rows = _ranked(by_story, lambda key: key, limit)
    names = dict(CallToAction.objects.filter(pk__in=[row["key"] for row in calls]).values_list("pk", "name"))
    headlines = Article.objects.only("headline").in_bulk([row["key"] for row in stories_rows])
    for row in calls:
        row["name"] = names.get(row["key"], f"Removed call to action {row['key']}")
    for row in stories_rows:
        article = headlines.get(row["key"])
        row["name"] = article.headline if article else f"Removed story {row['key']}"
        row["article"] = article
    totals = _merge({0: _sum(views, "count")}, {0: _sum(clicks, "count")}, {0: _gift_totals(gifts)})[0]
    return {"totals": totals, "calls": calls, "stories": stories_rows}


def _sum(rows, field):
    return rows.aggregate(total=Sum(field))["total"] or 0


def _gift_totals(gifts):
    # A gift counts once in the totals, whether it names an appeal, a story, both or neither.
    found = gifts.exclude(call_to_action_id=None, article=None).aggregate(
        given=Count("pk"), pence=Sum("amount_pence")
    )
    return found["given"], found["pence"] or 0


def story_funnel(article):
    """One story since it was published: its appeal views, clicks, gifts and money, and its comments."""
    views = Tally.objects.filter(
        article=article, metric=Metric.VIEW, appeal__in=CallToAction.objects.values("pk")
    ).aggregate(total=Sum("count"))["total"]
    clicks = Click.objects.filter(kind=Click.Kind.CALL_TO_ACTION, article_id=article.pk).aggregate(
        total=Sum("count")
    )["total"]
    gifts = (
        Donation.objects.paid()
        .filter(article=article)
        .aggregate(given=Count("pk"), pence=Sum("amount_pence"))
    )
    return {
        "appeal_views": views or 0,
        "clicks": clicks or 0,
        "gifts": gifts["given"],
        "pence": gifts["pence"] or 0,
        "comments": article.comment_set.visible().count(),
    }
