"""A moderator works down the queue from the keyboard in Chromium: a, s and r act on the row that
has focus and nowhere else, the switch turns them off (and stays off), and Undo in the message
puts the last comment back as it was."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.factories import make_article
from articles.models import Comment
from tests.security_helpers import PASSWORD, staff_user

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "/admin/articles/comment/?status__exact=pending"


def queue_of_three():
    article = make_article("Bins strike", comments="open")
    now = timezone.now()
    return [
        Comment.objects.create(
            article=article,
            name=name,
            email=f"{name.lower()}@canary.example",
            body=body,
            created_at=now - timedelta(minutes=minutes),
        )
        for name, body, minutes in (
            ("Sam", "Pay the crews properly.", 1),
            ("Bot", "Cheap pills here", 2),
            ("Kim", "Which depots are out?", 3),
        )
    ]


def sign_in(browser, live_server):
    staff_user("Moderator", "mo")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


def statuses(comments):
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def test_shortcuts_act_on_the_focused_row_only_and_undo_puts_it_back(browser, live_server, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    comments = queue_of_three()
    context, page = sign_in(browser, live_server)
    page.goto(QUEUE)
    switch = page.get_by_label("Keyboard shortcuts")
    expect(switch).to_be_checked()
    rows = page.locator("#result_list tbody tr")
    expect(rows.first.get_by_role("button", name="Approve the comment from Sam")).to_have_attribute(
        "aria-keyshortcuts", "a"
    )

    # No row in focus, or letters typed into the search box: nothing happens.
    page.locator("body").press("a")
    page.get_by_role("textbox").first.fill("")
    page.get_by_role("textbox").first.press("a")
    page.get_by_role("textbox").first.press("s")
    assert statuses(comments) == ["pending"] * 3

    # The first row in focus: a approves it, and the next comment comes up in focus.
    rows.first.focus()
    page.keyboard.press("a")
    expect(page.locator(".messagelist")).to_contain_text("Comment approved.")
    expect(page.get_by_text("Pay the crews properly.")).to_have_count(0)
    assert page.evaluate("document.activeElement.textContent").count("Cheap pills here") == 1
    page.keyboard.press("s")
    expect(page.locator(".messagelist")).to_contain_text("Comment marked as spam.")
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], "admin-comments-undo-1366.png"))
    assert statuses(comments) == ["approved", "spam", "pending"]

    # Undo puts the spam back in the queue, as it was.
    page.get_by_role("button", name="Undo: put the comment from Bot back as it was").click()
    expect(page.locator(".messagelist")).to_contain_text("Undone: the comment is awaiting moderation again.")
    expect(page.get_by_text("Cheap pills here")).to_be_visible()
    assert statuses(comments) == ["approved", "pending", "pending"]

    # Switched off, a letter does nothing, and the choice outlives the page; the switch says so.
    switch.uncheck()
    expect(page.locator(".moderation-keys [role=status]")).to_have_text("Keyboard shortcuts off.")
    page.reload()
    expect(page.get_by_label("Keyboard shortcuts")).not_to_be_checked()
    page.locator("#result_list tbody tr input[type=checkbox]").first.focus()
    page.keyboard.press("r")
    page.wait_for_timeout(300)  # let a wrongly sent click land before looking (not a timing assertion)
    assert statuses(comments) == ["approved", "pending", "pending"]
    assert rows.first.get_attribute("tabindex") is None
    context.close()
