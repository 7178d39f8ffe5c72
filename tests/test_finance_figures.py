"""Finance's numbers agree wherever they appear: the admin dashboard and the appeals report."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from supporters.models import Donation, Plan
from tests.security_helpers import staff_user
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db


def figures(html, block):
    """{label: value} of the <dl class="figures"> inside the part of the page that starts at block."""
    part = html[html.index(block) :]
    part = part[: part.index("</dl>")]
    return {
        unescape(label): unescape(value)
        for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", part, flags=re.S)
    }


def moved_back(donation, days):
    Donation.objects.filter(pk=donation.pk).update(paid_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def finance():
    client = Client()
    client.force_login(staff_user("Finance"))
    return client


@pytest.fixture
def a_month_of_giving():
    """Two new members this month, one returning giver, one plan asked to end, one that ended."""
    give(Client(), amount="5", email="new-monthly@example.com")
    give(Client(), amount="20", frequency="one_off", email="new-once@example.com")
    earlier, _ = give(Client(), amount="3", frequency="one_off", email="back@example.com")
    moved_back(earlier, 70)
    give(Client(), amount="4", frequency="one_off", email="back@example.com")

    asking = Plan.objects.get(supporter__email="new-monthly@example.com")
    with transaction.atomic():
        asking.cancel()
    give(Client(), amount="8", email="leaving@example.com")
    ending = Plan.objects.get(supporter__email="leaving@example.com")
    ending.apply_state(Plan.Status.CANCELLED, timezone.now(), cancel_at_period_end=False)


def test_the_dashboard_and_the_report_count_the_month_the_same_way(finance, a_month_of_giving):
    dashboard = figures(finance.get("/admin/").content.decode(), "dashboard-giving")
    report = figures(finance.get("/admin/supporters/calltoaction/report/").content.decode(), "report-totals")

    assert dashboard["Received this month"] == report["Received"] == "£37"
    assert dashboard["New members this month"] == report["New members"] == "3"
    assert dashboard["Cancellations asked this month"] == report["Cancellations asked"] == "1"
    assert dashboard["Memberships ended this month"] == report["Memberships ended"] == "1"
    assert report["Gifts"] == "4"


def test_a_supporter_who_gave_before_is_not_new_again(finance):
    earlier, _ = give(Client(), amount="3", frequency="one_off", email="back@example.com")
    moved_back(earlier, 400)
    give(Client(), amount="4", frequency="one_off", email="back@example.com")
    dashboard = figures(finance.get("/admin/").content.decode(), "dashboard-giving")
    assert dashboard["New members this month"] == "0"
    assert dashboard["Received this month"] == "£4"


def test_the_report_opens_on_this_month_with_dates_a_date_box_can_show(finance):
    html = finance.get("/admin/supporters/calltoaction/report/").content.decode()
    today = timezone.localdate()
    assert f'type="date" name="start" value="{today.replace(day=1).isoformat()}"' in html
    assert f'type="date" name="end" value="{today.isoformat()}"' in html


def test_a_chosen_period_comes_back_in_the_boxes_as_typed(finance):
    html = finance.get(
        "/admin/supporters/calltoaction/report/?start=2026-02-01&end=2026-02-28"
    ).content.decode()
    assert 'value="2026-02-01"' in html and 'value="2026-02-28"' in html
    assert "1 February 2026 to 28 February 2026" in html


def test_finance_reaches_the_report_from_the_dashboard(finance, a_month_of_giving):
    html = finance.get("/admin/").content.decode()
    link = re.search(r'<a href="([^"]+)">What appeals and articles brought in this month</a>', html)
    assert link
    report = finance.get(unescape(link[1]))
    assert report.status_code == 200
    assert figures(report.content.decode(), "report-totals")["New members"] == "3"


def test_a_cancellation_taken_back_is_no_longer_counted_as_asked(finance):
    give(Client(), amount="5", email="changes-mind@example.com")
    plan = Plan.objects.get(supporter__email="changes-mind@example.com")
    with transaction.atomic():
        plan.cancel()
    assert plan.cancel_requested_at is not None
    plan.apply_state(Plan.Status.ACTIVE, timezone.now(), cancel_at_period_end=False)
    plan.refresh_from_db()
    assert plan.cancel_requested_at is None
    dashboard = figures(finance.get("/admin/").content.decode(), "dashboard-giving")
    assert dashboard["Cancellations asked this month"] == "0"


def test_the_report_counts_why_members_cancelled(finance):
    for email, reason in [("a@example.com", "money"), ("b@example.com", "money"), ("c@example.com", "")]:
        give(Client(), amount="5", email=email)
        with transaction.atomic():
            Plan.objects.get(supporter__email=email).cancel(reason=reason)
    html = finance.get("/admin/supporters/calltoaction/report/").content.decode()
    reasons = html[html.index("Why members cancelled") :]
    assert "<td>It costs too much just now</td><td>2</td>" in reasons
    assert "<td>Gave no reason</td><td>1</td>" in reasons


def test_the_report_says_how_declined_renewals_ended(finance):
    from supporters.models import PaymentFailure

    plans = []
    for email in ("saved@example.com", "lost@example.com", "waiting@example.com"):
        give(Client(), amount="5", email=email)
        plan = Plan.objects.get(supporter__email=email)
        plan.apply_state(Plan.Status.PAST_DUE, timezone.now())
        plans.append(plan)
    plans[0].apply_state(Plan.Status.ACTIVE, timezone.now())  # a new card, and the retry went through
    plans[1].apply_state(Plan.Status.CANCELLED, timezone.now())  # never fixed by the grace period's end
    assert PaymentFailure.objects.count() == 3
    html = finance.get("/admin/supporters/calltoaction/report/").content.decode()
    assert figures(html, "Declined renewals") == {
        "Recovered": "1",
        "Lost": "1",
        "Still in their grace period": "1",
    }
