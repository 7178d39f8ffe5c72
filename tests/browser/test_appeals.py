"""An appeal on a cached article brings in a gift, and the report credits it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from articles.factories import make_article

LONG_BODY = "".join(f"<p>Paragraph number {n} of a long investigation.</p>" for n in range(1, 10))


def test_appeal_click_becomes_a_credited_gift(page, browser, live_server, transactional_db):
    call_command("seed_appeals", verbosity=0)
    article = make_article("Inside the care home scandal", body=LONG_BODY, comments="closed")
    page.goto(article.get_absolute_url())
    page.goto(article.get_absolute_url())  # the shared, cached copy
    assert page.get_by_text("Support us and go ad-free").is_visible()
    assert page.get_by_text("Advertisement · Read on…").is_visible()

    page.get_by_role("link", name="Give £5 a month").click()
    page.get_by_label("Your name").fill("Ola Reader")
    page.get_by_label("Your email").fill("ola@example.com")
    page.get_by_label("I agree to the co-op’s privacy notice.").check()
    page.get_by_role("button", name="Give £5 a month").click()
    page.get_by_role("button", name="Pay £5").click()
    expect(page.locator("main")).to_contain_text("Thank you, Ola Reader")

    editor = get_user_model().objects.create_user(
        "ed", "ed@example.com", "a-long-test-password-1", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    admin = browser.new_context(base_url=live_server.url).new_page()
    admin.goto("/admin/login/?next=/admin/supporters/calltoaction/report/")
    admin.get_by_label("Username").fill("ed")
    admin.get_by_label("Password").fill("a-long-test-password-1")
    admin.get_by_role("button", name="Log in").click()
    row = admin.locator("tr", has_text="End of article: keep it free")
    assert row.locator("td").all_inner_texts() == ["End of article: keep it free", "1", "1", "£5", "1"]
    article_row = admin.locator("tr", has_text="Inside the care home scandal")
    assert article_row.locator("td").all_inner_texts()[2:4] == ["1", "£5"]
    admin.context.close()
