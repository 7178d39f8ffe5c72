"""An editor composes an issue in Chromium, previews it, sends it and watches it go.

With NL_ADMIN_SHOTS=<folder> set, each page is also photographed at 390 and 1366 px."""

import os
import re
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from articles.factories import make_article, make_image
from newsletters.factories import make_newsletter, subscribed
from newsletters.models import Issue
from tests.security_helpers import PASSWORD, staff_user

SHOTS = os.environ.get("NL_ADMIN_SHOTS")


def photograph(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_an_editor_composes_previews_sends_and_watches_an_issue(
    browser, live_server, transactional_db, settings, smtp_server
):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    daily = make_newsletter()
    for n in range(3):
        subscribed(daily, f"reader{n}@example.com")
    make_article(
        "Council votes to keep the library open",
        featured_image=make_image("Readers in the library", width=900, height=600),
    )
    staff_user("Editor", "eddie")
    errors = []
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # Compose: pick the story by searching for it.
    page.goto("/admin/newsletters/issue/add/")
    page.get_by_label("Newsletter").select_option(label="The Daily Canary")
    page.get_by_label("Subject").fill("The library stays open")
    page.get_by_label("Preheader").fill("And what the council said")
    page.get_by_label("Introduction").fill("Good morning.\n\nA win for readers.")
    page.locator("#stories-group .select2-selection").first.click()
    page.locator(".select2-search__field").fill("library")
    page.locator(".select2-results__option", has_text="Council votes").click()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("#stories-group")).to_contain_text("Council votes to keep the library open")
    photograph(page, "issue-draft")

    # Preview: the email itself in frames at phone and desktop width.
    page.get_by_role("link", name="Preview").click()
    headline = "Council votes to keep the library open"
    for _ in range(3):
        errors.clear()
        # The four frames load at once, and each staff request writes its session: the test's
        # shared in-memory SQLite refuses a write while another holds the table (a file-based
        # database waits instead), so a frame may need the page loaded again here.
        page.wait_for_load_state("load")
        frames = [page.frame_locator("iframe").nth(n).get_by_role("heading", name=headline) for n in range(4)]
        if all(frame.count() for frame in frames):
            break
        page.reload()
    for frame in frames:
        expect(frame).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors  # the frames may frame
    expect(page.locator(".preview-text").first).to_contain_text("A win for readers.")
    photograph(page, "issue-preview")

    # Send, after a confirmation that names the count.
    page.goto(page.url.replace("preview/", ""))
    page.get_by_role("link", name="Send or schedule…").click()
    expect(page.locator(".send-summary")).to_contain_text("3 recipients of The Daily Canary")
    photograph(page, "issue-send")
    page.get_by_role("button", name="Confirm: send to 3").click()
    expect(page.locator(".messagelist")).to_contain_text("Sending to 3 recipients.")
    expect(page.locator(".issue-desk")).to_contain_text("Still to go")
    photograph(page, "issue-sending")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(smtp_server.messages) == 3
    link = re.search(r"http://\S+/newsletters/go/\S+/", smtp_server.parts(smtp_server.messages[0])[0]).group(
        0
    )
    # A reader's click (the story's address is SITE_URL's, which this test server is not).
    reader = browser.new_context(base_url=live_server.url)
    click = reader.request.get(link.removeprefix(settings.SITE_URL), max_redirects=0)
    assert click.status == 302 and click.headers["location"].startswith(settings.SITE_URL + "/20")
    reader.close()
    page.reload()
    expect(page.locator(".issue-desk")).to_contain_text("100% done")
    expect(page.locator(".issue-clicks")).to_contain_text("Council votes to keep the library open")
    photograph(page, "issue-sent")
    assert Issue.objects.get().status == Issue.Status.SENT
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
