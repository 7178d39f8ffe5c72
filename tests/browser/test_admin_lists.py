"""The newsroom's busiest lists, in Chromium at 1366 px: each fits the window, its main column is
wide enough to read (never one word a line), and its dates say when in words. With SHOTS_DIR set,
each list is saved as docs/admin-<list>-1366.png would be."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article
from articles.models import Comment
from newsletters.factories import make_newsletter, subscribed
from supporters.models import Donation, Supporter
from tests.security_helpers import PASSWORD, staff_user

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = (
    "Council agrees to keep the Northgate swimming baths open for another five years after a long campaign"
)
LONG_COMMENT = (
    "I swam there every Saturday as a child and now my own children do. Thank you to everyone who wrote "
    "to the council, and to the reporters who kept asking the awkward questions at every single meeting."
)

# Each list, the role that works in it, and its main column (the one people scan).
LISTS = [
    ("articles", "Editor", "/admin/articles/article/", "field-headline"),
    ("comments", "Moderator", "/admin/articles/comment/", "field-comment_text"),
    ("donations", "Finance", "/admin/supporters/donation/", "field-giver"),
    ("supporters", "Finance", "/admin/supporters/supporter/", "field-email"),
    ("subscribers", "Audience", "/admin/newsletters/subscription/", "field-email"),
]


def shoot(page, name):
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], f"{name}.png"), full_page=True)


def a_busy_day():
    now = timezone.now()
    for n in range(6):
        article = make_article(
            f"{HEADLINE} ({n})", comments="open", published_at=now - timedelta(hours=3 * n + 1)
        )
        Comment.objects.create(
            article=article,
            name="Priya Raman-Oduya",
            email=f"priya.raman-oduya.{n}@longer-domain-name.canary.example",
            body=LONG_COMMENT,
            created_at=now - timedelta(minutes=40 * n + 5),
        )
    make_article("Next week's budget, line by line", published_at=now + timedelta(hours=2))
    letter = make_newsletter()
    for n in range(6):
        supporter = Supporter.objects.create(
            email=f"alexandra.konstantinidou.{n}@a-long-co-operative-name.canary.example",
            name=f"Alexandra Konstantinidou-Whitfield {n}",
            created_at=now - timedelta(days=n),
        )
        Donation.objects.create(
            supporter=supporter,
            frequency="monthly",
            amount_pence=1250,
            status="paid",
            provider="stripe",
            created_at=now - timedelta(days=n, hours=1),
            paid_at=now - timedelta(days=n),
        )
        subscribed(letter, supporter.email, name=supporter.name)


def signed_in(browser, live_server, role):
    staff_user(role)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(role.lower())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


MEASURE = """(column) => {
    const table = document.querySelector('#result_list');
    const results = table.closest('.results');
    const cell = table.querySelector('tbody tr td.' + column + ', tbody tr th.' + column);
    return {
        tableWidth: table.scrollWidth,
        tableRight: table.getBoundingClientRect().right,
        resultsWidth: results.clientWidth,
        pageWidth: document.documentElement.scrollWidth,
        windowWidth: window.innerWidth,
        cellWidth: cell.getBoundingClientRect().width,
        headers: [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim().toLowerCase()),
        times: [...table.querySelectorAll('tbody time[title]')].map((time) => time.innerText.trim()),
    };
}"""


@pytest.mark.parametrize("name,role,path,column", LISTS, ids=[row[0] for row in LISTS])
def test_each_list_fits_1366_px_with_its_main_column_readable(
    browser, live_server, settings, name, role, path, column
):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    a_busy_day()
    context, page = signed_in(browser, live_server, role)
    page.goto(path)
    shoot(page, f"admin-{name}-1366")
    seen = page.evaluate(MEASURE, column)
    context.close()

    # Nothing cut off or scrolled sideways: the table fits its box and the page fits the window.
    assert seen["tableWidth"] <= seen["resultsWidth"] + 1, seen
    assert seen["tableRight"] <= seen["windowWidth"], seen
    assert seen["pageWidth"] <= seen["windowWidth"], seen
    # The column people read holds a line of words (about 40 characters), not one word a line.
    assert seen["cellWidth"] >= 320, seen
    headers = [header for header in seen["headers"] if header]
    assert len(headers) == len(set(headers)), headers
    assert not {"pk", "id"} & set(headers), headers
    assert seen["times"] and all(re.search(r"ago|just now|yesterday|today|\d", t) for t in seen["times"])
