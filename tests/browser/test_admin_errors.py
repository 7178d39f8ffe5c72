"""A moderator who follows a link to the donations in Chromium gets the newsroom's own refusal, at
phone and desktop width, and finds the way back. With SHOTS_DIR set, the pages are saved."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.security_helpers import PASSWORD, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_a_refusal_inside_the_admin_is_an_admin_page_with_a_way_back(browser, live_server, settings, width):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    staff_user("Moderator", "mo")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    response = page.goto("/admin/supporters/donation/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="This page isn’t part of your work here")).to_be_visible()
    expect(page.locator("#site-name")).to_contain_text("newsroom")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], f"admin-403-{width}.png"), full_page=True)
    page.get_by_role("link", name="Back to the newsroom").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    context.close()
