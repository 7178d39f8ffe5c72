"""The readership reports in Chromium at 1366 px: each fits the window, its chart is a picture
with words, and nothing is fetched from another host. With SHOTS_DIR set, each is saved as
docs/readership-<report>-1366.png would be."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article, make_author, make_section
from readership import counting
from supporters.models import CallToAction, Click, Donation, Supporter
from tests.browser.test_admin_lists import shoot, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

STORIES = [
    "Council agrees to keep the Northgate swimming baths open for five more years",
    "Tenants win a rent freeze after a winter of meetings",
    "The night bus that keeps the hospital running",
    "What the new bridge will cost, line by line",
]
APPEALS = [
    ("Spring appeal, end of article", "end"),
    ("Winter banner", "banner"),
    ("Inline: local news", "inline"),
]


def a_month_of_appeals():
    now = timezone.now()
    calls = [
        CallToAction.objects.create(
            name=name, placement=place, headline="Keep local news going", link="/support/"
        )
        for name, place in APPEALS
    ]
    giver = Supporter.objects.create(email="giver@canary.example")
    names = {}
    for n, headline in enumerate(STORIES):
        article = make_article(headline, published_at=now - timedelta(days=n + 2))
        for m, call in enumerate(calls):
            moment = now - timedelta(days=n + m)
            views = (400 - 80 * n) // (m + 1)
            key = counting.field(
                "view", counting.hour_of(moment), article.get_absolute_url(), "direct", "", call.pk
            )
            names[key] = views
            Click.objects.create(
                kind="cta",
                object_id=call.pk,
                article_id=article.pk,
                day=timezone.localdate(moment),
                count=views // 12,
            )
            for gift in range(max(0, 3 - n - m)):
                Donation.objects.create(
                    supporter=giver,
                    frequency="one_off",
                    amount_pence=500 * (gift + 2),
                    provider="stripe",
                    status="paid",
                    paid_at=moment,
                    call_to_action_id=call.pk,
                    article=article,
                )
    counting.write_counts(names, now)


def test_the_funnel_fits_1366_px_with_its_chart_and_tables(browser, live_server, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    a_month_of_appeals()
    context, page = signed_in(browser, live_server, "Editor")
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto("/admin/readership/tally/funnel/")
    shoot(page, "readership-funnel-1366")
    chart = page.locator("svg.readership-chart")
    assert chart.get_attribute("role") == "img" and "Gifts" in chart.text_content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("cell", name=STORIES[0]).is_visible()
    page.get_by_label("Last").select_option("7")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"last=7"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("appeals-funnel-")
    context.close()
    assert elsewhere == []


def test_sections_tags_and_authors_fit_1366_px(browser, live_server, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    now = timezone.now()
    sections = [make_section(name) for name in ("News", "Housing", "Transport", "Culture", "Opinion")]
    authors = [make_author(name) for name in ("Priya Raman", "Tom Okafor", "Ada Lindqvist", "Sam Hughes")]
    tags = ["council", "rents", "buses", "theatre", "the Northgate baths", "budget", "hospital"]
    names = {}
    for n in range(16):
        article = make_article(
            f"Story {n}", section=sections[n % 5], authors=[authors[n % 4]], tags=tags[n % 7 : n % 7 + 2]
        )
        hour, path = counting.hour_of(now - timedelta(days=n % 6)), article.get_absolute_url()
        names[counting.field("view", hour, path, "search")] = 900 // (n + 1) + 40
        names[counting.field("read", hour, path)] = (900 // (n + 1) + 40) * (n % 5 + 2) // 8
    counting.write_counts(names, now)
    context, page = signed_in(browser, live_server, "Editor")
    elsewhere = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto("/admin/readership/tally/groups/")
    page.get_by_label("Last").select_option("7")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"last=7"))
    shoot(page, "readership-groups-1366")
    assert page.locator("svg.readership-chart").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#id_start").fill("2026-05-02")
    page.locator("#id_end").fill("2026-05-01")
    page.get_by_label("Last").select_option("")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_text("The period must start before it ends.").is_visible()
    context.close()
    assert elsewhere == []
