"""A reader comments on a cached article page; a moderator approves it in the admin."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.factories import make_article


def test_reader_comments_moderator_approves_reader_sees_it(
    page, browser, live_server, settings, transactional_db
):
    settings.COMMENT_MIN_SECONDS = 0
    article = make_article("Should the ferry be free?", comments="open")
    url = article.get_absolute_url()

    # The page is cached for everyone: warm it, so the reader gets the shared copy.
    page.goto(url)
    page.goto(url)
    page.get_by_label("Your name").fill("Rosa Reader")
    page.get_by_label("Your email").fill("rosa@example.com")
    page.get_by_label("Your comment").fill("Yes: it is a road across the water.")
    # comments.js points the form at the real endpoint once it has fetched a token. Waited for
    # with expect, not wait_for_function: its polling evaluates a string, which the page's CSP
    # (rightly) forbids, so it failed whenever the script had not finished at the first look.
    expect(page.locator("#comment-form")).to_have_attribute("action", re.compile(r"/post/$"))
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Thanks, your comment is awaiting moderation.")).to_be_visible()

    moderator = get_user_model().objects.create_user(
        "mo", "mo@example.com", "a-long-test-password-1", is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="Moderator"))
    admin = browser.new_context(base_url=live_server.url).new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("mo")
    admin.get_by_label("Password").fill("a-long-test-password-1")
    admin.get_by_role("button", name="Log in").click()
    admin.locator("#header").get_by_role("link", name="1 comment to moderate").click()
    admin.locator("input[name=_selected_action]").first.check()
    admin.select_option("select[name=action]", "approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("Comment approved.")).to_be_visible()
    admin.context.close()

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(url)
    assert "Yes: it is a road across the water." in reader.inner_text("#comments")
    reader.context.close()


def test_reader_without_javascript_posts_through_the_preview(
    browser, live_server, settings, transactional_db
):
    settings.COMMENT_MIN_SECONDS = 0
    article = make_article("Bus lanes on the high street", comments="open")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(article.get_absolute_url())
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your email").fill("sam@example.com")
    page.get_by_label("Your comment").fill("More buses, fewer cars.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("main")).to_contain_text("Check your comment")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("main")).to_contain_text("Thanks, your comment is awaiting moderation.")
    context.close()


def test_closed_article_shows_comments_are_closed_and_no_form(page, transactional_db):
    article = make_article("Court rules on the strike", comments="closed")
    page.goto(article.get_absolute_url())
    assert page.get_by_text("Comments are closed").is_visible()
    assert page.locator("#comment-form").count() == 0


def test_signed_in_supporter_comments_under_their_account_name(page, settings, transactional_db):
    from supporters.models import SignInToken
    from tests.security_helpers import supporter_user

    settings.COMMENT_MIN_SECONDS = 0
    article = make_article("Who pays for the ferry?", comments="open")
    _, supporter, _ = supporter_user("kim@example.com", name="Kim Lo")
    page.goto(f"/account/login/{SignInToken.issue(supporter)}/")
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
    page.goto(article.get_absolute_url())
    form = page.locator("#comment-form")
    expect(form).to_contain_text("You are commenting as Kim Lo (kim@example.com)")
    expect(form.get_by_label("Your name")).to_have_count(0)
    page.get_by_label("Your comment").fill("Fares pay for half of it.")
    expect(form).to_have_attribute("action", re.compile(r"/post/$"))
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text("Kim Lo")
    expect(page.locator("#comments")).to_contain_text("Fares pay for half of it.")
