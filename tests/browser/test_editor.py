"""An editor writes, schedules, previews and publishes an article in real Chromium; a reader sees it.

The whole visit runs under the production Content-Security-Policy, and every violation the
browser reports (as a console message or a securitypolicyviolation event) fails the test.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from articles.factories import make_author, make_image, make_section
from articles.models import Article

PASSWORD = "a-long-test-password-1"
HEADLINE = "Tenants win the Riverside rent strike"

RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def violations(browser):
    return []


def watched_context(browser, live_server, violations, console):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 1000})
    context.expose_binding("reportViolation", lambda source, text: violations.append(text))
    context.add_init_script(RECORD_VIOLATIONS)

    def on_page(page):
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: (
                console.append(f"{message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    context.on("page", on_page)
    return context


def csp_problems(violations, console):
    blocked = [
        line for line in console if "Content Security Policy" in line or "Content-Security-Policy" in line
    ]
    return violations + blocked


def test_editor_writes_schedules_previews_and_publishes_and_a_reader_sees_it(
    browser, live_server, transactional_db, violations
):
    user = get_user_model().objects.create_user("eddie", "eddie@example.com", PASSWORD, is_staff=True)
    user.first_name = "Eddie"
    user.save()
    user.groups.add(Group.objects.get(name="Editor"))
    make_section("News")
    make_section("Housing")
    make_author("Rosa Reporter")
    picture = make_image(
        alt_text="Tenants celebrate outside the block", caption="Riverside", width=900, height=600
    )

    console = []
    context = watched_context(browser, live_server, violations, console)
    page = context.new_page()

    # Log in. First, prove the watch works: an inline script is blocked and reported.
    page.goto("/admin/login/")
    page.evaluate("() => document.head.append(Object.assign(document.createElement('script'), {text: '1'}))")
    for _ in range(20):
        if violations:
            break
        page.wait_for_timeout(100)
    assert any("script-src" in v for v in violations), violations
    violations.clear()
    console.clear()
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # Write.
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    page.fill("#id_standfirst", "After eleven weeks the landlord has agreed to every demand.")
    assert page.input_value("#id_slug") == "tenants-win-the-riverside-rent-strike"

    editor = page.locator(".prose-editor .tiptap[contenteditable=true]")
    editor.wait_for()
    editor.click()
    page.keyboard.type("The strike is ")
    page.get_by_role("button", name="bold", exact=True).click()
    page.keyboard.type("over")
    page.get_by_role("button", name="bold", exact=True).click()
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    page.keyboard.type("We held the line together.")
    page.get_by_role("button", name="blockquote", exact=True).click()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    # A picture from the library, by the address the image admin shows.
    page.get_by_role("button", name="figure", exact=True).click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.get_by_label("Image URL").fill(picture.file.url)
    dialog.get_by_label("Alternative Text").fill(picture.alt_text)
    dialog.get_by_label("Caption").fill("The tenants' committee on the last day")
    dialog.get_by_role("button", name="Insert").click()
    editor.locator("figure img").wait_for()

    # Featured image through the autocomplete, and filing.
    page.locator("#id_featured_image + .select2").click()
    page.locator(".select2-search__field").last.fill("Tenants celebrate")
    page.locator(".select2-results__option", has_text="Tenants celebrate").click()
    page.select_option("#id_section", label="Housing")
    page.locator("#id_authors + .select2").click()
    page.locator(".select2-search__field").last.fill("Rosa")
    page.locator(".select2-results__option", has_text="Rosa Reporter").click()
    page.fill("#id_tags", "Housing, Rent strikes,")

    # Save the draft, then schedule it for tomorrow (a second save, from the version just saved).
    page.locator("input[name=_continue]").last.click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist")).to_contain_text("Saved as a draft")
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", tomorrow.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", "09:00:00")
    page.locator("input[name=_continue]").last.click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Scheduled for {tomorrow:%A} {tomorrow.day} {tomorrow:%B}, 09:00"
    )

    article = Article.objects.get(headline=HEADLINE)
    assert article.is_scheduled
    assert "<strong>over</strong>" in article.body
    assert "<blockquote><p>We held the line together.</p></blockquote>" in article.body
    assert f'<figure class="figure"><img src="{picture.file.url}" alt="{picture.alt_text}">' in article.body
    assert sorted(article.tags.names()) == ["Housing", "Rent strikes"]
    assert article.featured_image == picture and article.section.name == "Housing"
    assert [a.name for a in article.authors.all()] == ["Rosa Reporter"]
    assert (
        page.locator("text=Featured image").count() and page.locator(f'img[src="{picture.file.url}"]').count()
    )

    # The editor loads again on the saved article with its content.
    page.locator(".prose-editor .tiptap strong", has_text="over").wait_for()

    # Readers cannot see it yet.
    reader_context = browser.new_context(base_url=live_server.url)
    reader = reader_context.new_page()
    assert reader.goto(article.get_absolute_url()).status == 404

    # Preview it as readers will see it.
    with context.expect_page() as opened:
        page.get_by_role("link", name="Preview", exact=True).click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview — not published")
    body = preview.locator(".story__body")
    assert body.locator("strong", has_text="over").count() == 1
    assert body.locator("blockquote", has_text="We held the line together.").count() == 1
    assert body.locator(f'figure img[src="{picture.file.url}"]').count() == 1
    preview.close()

    # Publish it now from the article list.
    page.goto("/admin/articles/article/?state=scheduled")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "publish_now")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Article published.")

    # A reader, in a fresh browser, finds it on the home page.
    reader_context.close()
    reader_context = browser.new_context(base_url=live_server.url)
    reader = reader_context.new_page()
    reader.goto("/")
    reader.get_by_role("link", name=HEADLINE).first.click()
    reader.wait_for_load_state()
    assert reader.locator(".story__body strong", has_text="over").count() == 1
    assert reader.locator(".story__body figcaption", has_text="committee on the last day").count() == 1
    reader_context.close()

    context.close()
    assert csp_problems(violations, console) == []
