from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import stats
from ..forms import money

register = template.Library()

WIDTH, HEIGHT, PAD = 720, 220, 28


@register.inclusion_tag("admin/includes/giving_figures.html", takes_context=True)
def giving_figures(context):
    request = context["request"]
    if not request.user.has_perm("supporters.view_giving_totals"):
        return {"show": False}
    figures = stats.figures()
    series = stats.weekly()
    return {
        "show": True,
        "today": money(figures["today_pence"]),
        "month": money(figures["received_pence"]),
        "members": figures["members"],
        "mrr": money(figures["mrr_pence"]),
        "new_members": figures["new_members"],
        "cancellations_asked": figures["cancellations_asked"],
        "memberships_ended": figures["memberships_ended"],
        "gift_memberships_bought": figures["gift_memberships_bought"],
        "gift_memberships_claimed": figures["gift_memberships_claimed"],
        "report": reverse("admin:supporters_calltoaction_report")
        + "?"
        + urlencode({"start": figures["month_start"].isoformat(), "end": figures["today"].isoformat()}),
        "chart": chart(series),
        "series": series,
    }


def chart(series):
    """An inline SVG: bars for money received each week, a line for members. No script, no service."""
    if not series:
        return ""
    top_money = max(m for _, m, _ in series) or 1
    top_members = max(n for _, _, n in series) or 1
    step = (WIDTH - 2 * PAD) / len(series)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="bar"><title>{}: {}</title></rect>',
        (
            (
                f"{PAD + i * step:.1f}",
                f"{HEIGHT - PAD - (m / top_money) * (HEIGHT - 2 * PAD):.1f}",
                f"{max(step - 2, 1):.1f}",
                f"{(m / top_money) * (HEIGHT - 2 * PAD):.1f}",
                f"Week of {week:%d %b %Y}",
                money(m),
            )
            for i, (week, m, _) in enumerate(series)
        ),
    )
    points = " ".join(
        f"{PAD + i * step + step / 2:.1f},{HEIGHT - PAD - (n / top_members) * (HEIGHT - 2 * PAD):.1f}"
        for i, (_, _, n) in enumerate(series)
    )
    return format_html(
        '<svg class="giving-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="giving-chart-title">'
        '<title id="giving-chart-title">Money received (bars, up to {}) and members (line, up to {}) per week '
        "over the last year</title>{}"
        '<polyline points="{}" class="line" fill="none"/>'
        '<text x="{}" y="{}" class="axis">{}</text><text x="{}" y="{}" class="axis" text-anchor="end">this week</text>'
        "</svg>",
        WIDTH,
        HEIGHT,
        money(top_money),
        top_members,
        bars,
        points,
        PAD,
        HEIGHT - 8,
        f"{series[0][0]:%b %Y}",
        WIDTH - PAD,
        HEIGHT - 8,
    )
