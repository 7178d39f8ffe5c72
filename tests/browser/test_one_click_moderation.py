"""A moderator clears the queue in Chromium, one click a comment, with JavaScript off: the buttons
are plain form posts, and the answer is the same filtered list with a message."""

import re

import pytest
from playwright.sync_api import expect

from articles.factories import make_article
from articles.models import Comment
from tests.security_helpers import PASSWORD, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moderator_approves_and_spams_from_the_queue_without_javascript(browser, live_server, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    article = make_article("Bins strike", comments="open")
    kind = Comment.objects.create(
        article=article, name="Sam", email="sam@canary.example", body="Pay the crews."
    )
    junk = Comment.objects.create(article=article, name="Bot", email="bot@canary.example", body="Cheap pills")
    staff_user("Moderator", "mo")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/articles/comment/?status__exact=pending")

    page.get_by_role("button", name="Approve the comment from Sam").click()
    expect(page.get_by_text("Comment approved.")).to_be_visible()
    assert re.search(r"/admin/articles/comment/\?status__exact=pending$", page.url)
    expect(page.get_by_text("Pay the crews.")).to_have_count(0)  # it left the queue

    page.get_by_role("button", name="Spam the comment from Bot").click()
    expect(page.get_by_text("Comment marked as spam.")).to_be_visible()
    expect(page.get_by_text("Cheap pills")).to_have_count(0)
    context.close()
    kind.refresh_from_db()
    junk.refresh_from_db()
    assert (kind.status, junk.status) == ("approved", "spam")
