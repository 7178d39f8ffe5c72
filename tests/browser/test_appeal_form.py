"""The call-to-action form in Chromium: only the fields that fit, a live preview, accessible."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.factories import make_section
from supporters.models import CallToAction
from tests.editorial_helpers import PASSWORD, staff

WIDTHS = [1366, 390]


@pytest.fixture
def form_page(browser, live_server, transactional_db, request):
    width = getattr(request, "param", 1366)
    staff("ed", "Editor")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/?next=/admin/supporters/calltoaction/add/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add call to action")).to_be_visible()
    yield page
    context.close()


def preview_text(page):
    return page.frame_locator(".appeal-preview__frame").locator("body")


def test_a_banner_asks_for_no_paragraph_and_no_stories(form_page):
    form_page.get_by_label("Placement").select_option("banner")
    expect(form_page.get_by_label("After paragraph")).to_be_hidden()
    expect(form_page.get_by_label("Sections")).to_be_hidden()
    expect(form_page.get_by_role("heading", name="Beside which stories")).to_be_hidden()
    form_page.get_by_label("Placement").select_option("inline")
    expect(form_page.get_by_label("After paragraph")).to_be_visible()
    expect(form_page.get_by_label("Sections")).to_be_visible()
    form_page.get_by_label("Placement").select_option("end")
    expect(form_page.get_by_label("After paragraph")).to_be_hidden()
    expect(form_page.get_by_label("Tags")).to_be_visible()


def test_the_preview_follows_the_words_and_the_place_as_they_are_typed(form_page):
    form_page.get_by_label("Placement").select_option("inline")
    form_page.get_by_label("After paragraph").fill("2")
    form_page.get_by_label("Headline").fill("Local news needs local money")
    form_page.get_by_label("Button label").fill("Chip in")
    preview = preview_text(form_page)
    expect(preview.locator(".appeal__headline")).to_have_text("Local news needs local money")
    expect(preview.locator(".appeals--inline .button")).to_have_text("Chip in")
    expect(preview).to_contain_text("after paragraph 2")
    form_page.get_by_label("Placement").select_option("banner")
    expect(preview.locator(".appeals--banner .appeal__headline")).to_have_text("Local news needs local money")
    assert not CallToAction.objects.exists()  # a preview saves nothing


def test_sections_are_found_by_typing_and_the_appeal_saves_with_them(form_page):
    make_section("Housing")
    make_section("Health")
    form_page.get_by_label("Name").fill("Housing appeal")
    form_page.get_by_label("Placement").select_option("end")
    form_page.get_by_label("Headline").fill("Housing reporting needs you")
    # Each answer waited for before the next step: in-memory SQLite locks a table against a
    # second request writing while another reads.
    expect(preview_text(form_page).locator(".appeal__headline")).to_have_text("Housing reporting needs you")
    form_page.get_by_label("Sections").fill("hou")
    expect(form_page.locator("#id_sections-suggestions option")).to_have_attribute("value", "Housing, ")
    # What choosing the suggestion puts in the box; it asks for no more suggestions.
    form_page.get_by_label("Sections").fill("Housing, ")
    form_page.get_by_role("button", name="Save", exact=True).click()
    expect(form_page.locator(".messagelist")).to_contain_text("Housing appeal")
    assert [section.name for section in CallToAction.objects.get().sections.all()] == ["Housing"]


@pytest.mark.parametrize("form_page", WIDTHS, indirect=True, ids=lambda width: f"{width}px")
def test_the_form_and_its_preview_have_no_accessibility_violations(form_page):
    form_page.get_by_label("Headline").fill("Local news needs local money")
    expect(preview_text(form_page).locator(".appeal__headline")).to_be_visible()
    violations = Axe().run(form_page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
