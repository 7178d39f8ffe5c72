"""Writing in the article form, in Chromium: the headline and slug grow with their text, the
counts under the headline and standfirst follow the typing and speak only when a limit is crossed,
and the body editor starts tall. With SHOTS_DIR set, the form is saved as
docs/admin-article-form-1366.png would be (and at 390 px, to look at)."""

import os
import re

import pytest
from playwright.sync_api import expect

from articles.factories import make_article
from articles.models import Article
from tests.security_helpers import PASSWORD, staff_user

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "Council agrees to keep the Northgate swimming baths open for five more years"


def shoot(page, name):
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], f"{name}.png"), full_page=False)


def editor_page(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


@pytest.mark.parametrize("width", [1366, 390])
def test_the_form_grows_with_the_headline_counts_it_and_starts_the_body_tall(
    browser, live_server, settings, width
):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    staff_user("Editor")
    story = make_article(
        "Bins strike ends",
        status=Article.Status.DRAFT,
        standfirst="Crews return on Monday after the council agreed a new pay offer.",
        body="<p>The strike is over.</p>",
    )
    context, page = editor_page(browser, live_server, width)
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    headline = page.locator("#id_headline")
    page.locator(".prose-editor .tiptap[contenteditable=true]").wait_for()
    counts = page.locator(".character-count")
    expect(counts.first).to_have_text("16 characters; search results show about 60")
    expect(counts.nth(1)).to_contain_text("search results and social cards show about 160")
    shoot(page, f"admin-article-form-{width}")

    short_width = headline.bounding_box()["width"]
    headline.fill(LONG)
    expect(counts.first).to_have_text(
        f"{len(LONG)} characters; search results show about 60, so the rest may be cut off"
    )
    expect(page.locator("#id_headline-count + [role=status]")).to_have_text(
        "Longer than search results show."
    )
    seen = page.evaluate(
        """() => ({
            headline: document.querySelector('#id_headline').getBoundingClientRect(),
            form: document.querySelector('#article_form fieldset').getBoundingClientRect(),
            page: document.documentElement.scrollWidth,
            body: document.querySelector('.prose-editor .tiptap[contenteditable=true]').getBoundingClientRect().height,
            described: document.querySelector('#id_headline').getAttribute('aria-describedby'),
        })"""
    )
    # Wider for the longer headline, never past the form or the window.
    assert seen["headline"]["width"] > short_width or width == 390
    assert seen["headline"]["right"] <= seen["form"]["right"] + 1 and seen["page"] <= width, seen
    assert seen["body"] >= 400, seen
    assert "id_headline-count" in seen["described"]
    headline.fill("Bins strike ends")
    expect(page.locator("#id_headline-count + [role=status]")).to_have_text(
        "Short enough for search results again."
    )
    context.close()


def test_a_contributor_reads_their_story_in_review_as_readers_will_see_it(browser, live_server, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    cora = staff_user("Contributor", "cora")
    story = make_article(
        "Ferry fares",
        status=Article.Status.DRAFT,
        created_by=cora,
        body="<p>Fares rise <strong>again</strong>.</p>",
    )
    story.submit_for_review(by=cora)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/articles/article/{story.pk}/change/")
    expect(page.get_by_text("Locked while an editor reviews it")).to_be_visible()
    expect(page.locator(".locked-body strong")).to_have_text("again")
    expect(page.locator(".prose-editor")).to_have_count(0)
    shoot(page, "admin-article-locked-1366")
    context.close()
