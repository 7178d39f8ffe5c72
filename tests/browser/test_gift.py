"""A reader on a phone gives a year of membership as a present through the dev checkout."""

from playwright.sync_api import expect

from supporters.models import Donation


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
    page.get_by_role("button", name="Pay £60").click()
    expect(page.locator("main")).to_contain_text("You have given a year of membership for £60")
    expect(page.locator("main")).to_contain_text("We will email Robin Recipient")
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID and donation.gift.recipient_email == "robin@example.com"
    # Nothing on the phone's page spills sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
