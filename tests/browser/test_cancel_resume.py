"""A member cancels on a phone, is asked once, gets the email, and resumes."""

from django.core import mail
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from supporters.models import Plan, SignInToken
from tests.supporters_helpers import give


def test_a_member_cancels_is_asked_once_gets_the_email_and_resumes(phone_page, transactional_db):
    donation, _ = give(Client(), email="mo@example.com", name="Mo Member")
    page = phone_page
    page.goto(f"/account/login/{SignInToken.issue(donation.supporter)}/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()

    page.get_by_role("link", name="Cancel this gift").click()
    expect(page.locator("main")).to_contain_text("Cancel your £5 monthly gift?")
    expect(page.locator("main")).to_contain_text("Your membership continues until")
    assert not Plan.objects.get(supporter=donation.supporter).cancel_at_period_end  # asked, not done

    page.get_by_label("It costs too much just now").check()
    page.get_by_role("button", name="Cancel my gift").click()
    expect(page.locator("main")).to_contain_text("you can resume until then")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.subject for m in mail.outbox if m.subject.startswith("Your gift is cancelled")]

    page.get_by_role("button", name="Resume this gift").click()
    expect(page.locator("main")).to_contain_text("Resumed: your gift carries on")
    expect(page.get_by_role("link", name="Cancel this gift")).to_be_visible()
    plan = Plan.objects.get(supporter=donation.supporter)
    assert not plan.cancel_at_period_end and plan.cancel_reason == "money"
