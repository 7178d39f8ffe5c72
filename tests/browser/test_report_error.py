"""A reader reports a mistake from the story, in Chromium, at phone and desktop widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.factories import make_article
from articles.models import CorrectionRequest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("width", [1366, 390])
def test_a_reader_reports_a_mistake_from_the_story(browser, live_server, width):
    story = make_article("Council backs library sale despite petition")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(story.get_absolute_url())
    page.get_by_role("link", name="Spotted a mistake? Tell the editors").click()
    expect(page.get_by_role("heading", name=story.headline)).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    page.get_by_label("What is wrong, and what is right?").fill("The petition had 3,200 names, not 3,000.")
    page.get_by_role("button", name="Send to the editors").click()
    expect(page.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    assert CorrectionRequest.objects.get().text == "The petition had 3,200 names, not 3,000."
    context.close()
