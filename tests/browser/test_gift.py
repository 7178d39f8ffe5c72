"""A reader on a phone gives a year of membership as a present through the dev checkout; the
recipient claims it and finds it on their account page."""

import os

from django.utils import timezone
from playwright.sync_api import expect

from supporters.models import Donation, SignInToken, Supporter
from tests.gift_helpers import claim_path, inbox, run_clock

# SHOTS_DIR=/tmp/shots saves what the reader saw, for a person to look at (never in the repo).
SHOTS = os.environ.get("SHOTS_DIR")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


def test_reader_on_a_phone_gives_a_membership_as_a_present(phone_page, transactional_db):
    page = phone_page
    page.goto("/support/")
    page.get_by_role("link", name="Give a membership as a present").click()
    expect(page.get_by_role("heading", name="Give a membership as a present")).to_be_visible()
    page.get_by_label("Their name").fill("Robin Recipient")
    page.get_by_label("Their email").fill("robin@example.com")
    page.get_by_label("A message from you (optional)").fill("Happy birthday! Have a look at www.example.org")
    page.get_by_label("Your name").fill("Bea Buyer")
    page.get_by_label("Your email").fill("bea@example.com")
    page.get_by_label("I agree to the co-op’s privacy notice.").check()
    page.get_by_role("button", name="Give a year for £60").click()
    # A link in the message is refused with a reason, and what was typed is kept.
    expect(page.locator("main")).to_contain_text("Please leave out links and web addresses")
    expect(page.get_by_label("Their name")).to_have_value("Robin Recipient")
    page.get_by_label("A message from you (optional)").fill("Happy birthday! Read well.")
    page.get_by_label("I agree to the co-op’s privacy notice.").check()
    page.get_by_role("button", name="Give a year for £60").click()
    assert page.get_by_text("TEST MODE").is_visible()
    # The test checkout says what is bought, as a real checkout would.
    expect(
        page.get_by_role("heading", name="A gift membership of 12 months for Robin Recipient")
    ).to_be_visible()
    shot(page, "gift-checkout")
    page.get_by_role("button", name="Pay £60").click()
    expect(page.locator("main")).to_contain_text("You have given a year of membership for £60")
    expect(page.locator("main")).to_contain_text("We will email Robin Recipient")
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID and donation.gift.recipient_email == "robin@example.com"
    # Nothing on the phone's page spills sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_recipient_claims_and_finds_the_gift_on_their_account_page(
    browser, live_server, transactional_db
):
    from django.test import Client

    from tests.gift_helpers import buy_gift

    buy_gift(Client())
    run_clock(timezone.now())
    (gift_email,) = inbox("robin@example.com", "has given you")
    for width in (390, 1366):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        page = context.new_page()
        if width == 390:
            page.goto(claim_path(gift_email))
            page.get_by_role("button", name="Claim my membership").click()
            expect(page.locator("main")).to_contain_text("you are a member until")
        robin = Supporter.objects.get(email="robin@example.com")
        page.goto(f"/account/login/{SignInToken.issue(robin)}/")
        page.get_by_role("button", name="Sign in").click()
        section = page.get_by_role("region", name="Your gift membership")
        expect(section).to_contain_text("A year of membership from Bea Buyer")
        expect(section).to_contain_text("nothing renews and nothing is charged")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, "gift-account")
        context.close()
