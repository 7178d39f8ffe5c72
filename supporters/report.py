"""What each appeal and each article brought in, for a chosen period."""

from datetime import datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from articles.models import Article

from . import places
from .models import CallToAction, Click, Donation
from .stats import new_member_ids, period_figures


def period_bounds(start, end):
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)


def attributed(start, end):
    """Rows per call to action and per article: clicks, gifts, money, new members."""
    since, until = period_bounds(start, end)
    clicks = Click.objects.filter(kind=Click.Kind.CALL_TO_ACTION, day__gte=start, day__lte=end)
    paid = Donation.objects.paid().filter(paid_at__gte=since, paid_at__lt=until)
    first_ids = set(new_member_ids(since, until))

    def money_rows(field):
        rows = {}
        for row in paid.exclude(**{f"{field}__isnull": True}).values(field, "supporter_id", "amount_pence"):
            entry = rows.setdefault(row[field], {"donations": 0, "pence": 0, "members": set()})
            entry["donations"] += 1
            entry["pence"] += row["amount_pence"]
            if row["supporter_id"] in first_ids:
                entry["members"].add(row["supporter_id"])
        return rows

    by_call_money = money_rows("call_to_action_id")
    by_article_money = money_rows("article_id")
    by_call_clicks = dict(clicks.values_list("object_id").annotate(total=Sum("count")))
    by_article_clicks = dict(
        clicks.exclude(article_id=0).values_list("article_id").annotate(total=Sum("count"))
    )
    by_issue_money = money_rows("newsletter_issue_id")
    by_issue_clicks = dict(clicks.exclude(issue_id=0).values_list("issue_id").annotate(total=Sum("count")))
    issue_names = places.issue_names(set(by_issue_money) | set(by_issue_clicks))

    calls = CallToAction.objects.in_bulk(set(by_call_money) | set(by_call_clicks))
    articles = Article.objects.only("headline").in_bulk(set(by_article_money) | set(by_article_clicks))

    def table(names, clicks_by, money_by):
        rows = []
        for key in sorted(
            set(clicks_by) | set(money_by), key=lambda k: -(money_by.get(k, {}).get("pence", 0))
        ):
            money = money_by.get(key, {"donations": 0, "pence": 0, "members": set()})
            rows.append(
                {
                    "name": names(key),
                    "clicks": clicks_by.get(key, 0),
                    "donations": money["donations"],
                    "pence": money["pence"],
                    "new_members": len(money["members"]),
                }
            )
        return rows

    return {
        "totals": period_figures(since, until),
        "calls": table(
            lambda k: str(calls.get(k, f"Removed call to action {k}")), by_call_clicks, by_call_money
        ),
        "articles": table(
            lambda k: getattr(articles.get(k), "headline", f"Removed article {k}"),
            by_article_clicks,
            by_article_money,
        ),
        "newsletters": table(issue_names.get, by_issue_clicks, by_issue_money),
    }
