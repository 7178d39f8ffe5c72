"""The feeds page in Chromium: the Copy button copies the address, the page has no serious
accessibility fault at phone or desktop width, and nothing scrolls sideways on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def sections():
    climate = make_section("Climate")
    make_article("A story in the feed", section=climate)
    return climate


def test_copy_puts_the_feeds_address_on_the_clipboard(browser, live_server, sections, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto("/feeds/")
    button = page.locator('button[data-copy="feed-section-1"]')
    assert button.is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/section/climate/feed/"
    assert button.inner_text() == "Copied"
    context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_feeds_page_and_a_sections_feed_box_are_accessible_and_fit(browser, live_server, sections, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in ("/feeds/", sections.get_absolute_url()):
        page.goto(path)
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{path}: {serious}"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    context.close()
