"""`make run`'s demo has a year of supporters, so Finance's desk and the appeals report show money
on a first run, and nothing in it renews, reminds or emails anyone."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mailroom.models import Email
from supporters import dev_billing
from supporters.models import CallToAction, Click, Donation, Plan, Supporter
from tests.editorial_helpers import signed_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    for command in ("seed_demo", "seed_appeals", "seed_supporters"):
        call_command(command, stdout=open("/dev/null", "w"))  # noqa: SIM115


def figure(page, label):
    return re.search(rf"<dt>{label}</dt>\s*<dd[^>]*>([^<]+)</dd>", page).group(1)


def test_finance_sees_members_and_money_on_a_first_run(demo):
    finance = signed_in(staff("fin", "Finance"))
    desk = finance.get("/admin/").content.decode()
    assert figure(desk, "Active members") != "0"
    assert figure(desk, "Monthly recurring revenue") != "£0"
    today = timezone.localdate()
    year = {"start": (today - timedelta(days=365)).isoformat(), "end": today.isoformat()}
    report = finance.get("/admin/supporters/calltoaction/report/", year).content.decode()
    credited = CallToAction.objects.get(
        pk=Donation.objects.exclude(call_to_action_id=None).first().call_to_action_id
    )
    assert credited.name in report and Click.objects.exists()


def test_the_demo_gives_a_second_time_nothing(demo):
    before = (Supporter.objects.count(), Donation.objects.count(), Plan.objects.count())
    call_command("seed_supporters", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Supporter.objects.count(), Donation.objects.count(), Plan.objects.count()) == before


def test_nothing_in_the_demo_is_due_to_renew_or_mail_anyone(demo):
    assert not dev_billing.due(timezone.now() + timedelta(days=1)).exists()
    assert not Email.objects.exists()
    assert all(
        email.endswith("@supporters.canary.example")
        for email in Supporter.objects.values_list("email", flat=True)
    )
