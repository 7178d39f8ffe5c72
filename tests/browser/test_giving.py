"""A reader becomes a member through the dev checkout and reads without ads."""

from django.core.management import call_command
from playwright.sync_api import expect

from articles.factories import make_article


def fill_support_form(page, email):
    page.goto("/support/")
    page.get_by_label("Your name").fill("Rosa Reader")
    page.get_by_label("Your email").fill(email)
    page.get_by_label("I agree to the co-op’s privacy notice.").check()


def test_reader_gives_five_pounds_a_month_and_reads_without_ads(page, transactional_db):
    call_command("seed_appeals", verbosity=0)
    article = make_article("Why the ferry matters", comments="closed")
    page.goto(article.get_absolute_url())
    assert page.get_by_text("Support us and go ad-free").is_visible()
    assert page.get_by_text("This story was paid for by readers").is_visible()

    fill_support_form(page, "rosa@example.com")
    assert page.get_by_role("button", name="Give £5 a month").is_visible()
    page.get_by_role("button", name="Give £5 a month").click()
    assert page.get_by_text("TEST MODE").is_visible()
    page.get_by_role("button", name="Pay £5").click()
    expect(page.locator("main")).to_contain_text("Thank you, Rosa Reader")
    expect(page.locator("main")).to_contain_text("You are reading without ads in this browser")
    expect(page.get_by_role("button", name="Email me a sign-in link")).to_be_visible()

    page.goto(article.get_absolute_url())
    assert page.get_by_text("Support us and go ad-free").count() == 0
    assert page.get_by_text("This story was paid for by readers").count() == 0
    assert page.get_by_role("link", name="Support us").count() == 0
    assert page.get_by_text("Thank you for being a member").is_visible()


def test_button_follows_the_choice_so_nobody_gives_monthly_by_mistake(page, transactional_db):
    page.goto("/support/")
    page.get_by_label("One-off").check()
    expect(page.locator("#give-button")).to_have_text("Give £10 once")
    page.get_by_role("button", name="£50").click()
    expect(page.locator("#give-button")).to_have_text("Give £50 once")
    page.get_by_label("Amount in pounds").fill("12.50")
    expect(page.locator("#give-button")).to_have_text("Give £12.50 once")
    page.get_by_label("Annual").check()
    expect(page.locator("#give-button")).to_have_text("Give £50 a year")


def test_reader_who_declines_is_not_charged_and_sees_the_appeal_again(page, transactional_db):
    call_command("seed_appeals", verbosity=0)
    article = make_article("A story worth paying for", comments="closed")
    fill_support_form(page, "dee@example.com")
    page.get_by_role("button", name="Give £5 a month").click()
    page.get_by_role("button", name="Decline").click()
    expect(page.locator("main")).to_contain_text("nothing was taken")
    page.goto(article.get_absolute_url())
    assert page.get_by_text("Support us and go ad-free").is_visible()


def test_choosing_a_frequency_selects_the_default_the_newsroom_ticked(page, transactional_db):
    from supporters.models import AmountPreset

    AmountPreset.objects.create(frequency="one_off", amount_pence=1000, position=0)
    AmountPreset.objects.create(frequency="one_off", amount_pence=2500, position=1, is_default=True)
    page.goto("/support/")
    page.get_by_label("One-off").check()
    expect(page.locator("#give-button")).to_have_text("Give £25 once")
    expect(page.get_by_role("button", name="£25", exact=True)).to_have_attribute("aria-pressed", "true")
