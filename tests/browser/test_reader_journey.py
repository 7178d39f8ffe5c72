"""A reader's way through the site in real Chromium, and an accessibility check of what they see."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from articles.factories import make_article, make_author, make_image, make_section


@pytest.fixture
def newsroom(transactional_db):
    call_command("seed_appeals", verbosity=0)
    housing = make_section("Housing")
    writer = make_author("Nia Okafor-Reid", bio="Nia covers housing and local government.")
    lead = make_article(
        "Tenants begin a rent strike over damp",
        section=housing,
        authors=[writer],
        tags=["Rent strike", "Housing"],
        standfirst="Forty-seven households are withholding rent until repairs are made.",
        body="<p>The strike began on Monday.</p><blockquote><p>We are not refusing to pay.</p></blockquote>"
        + "".join(f"<p>Paragraph {n} of the report.</p>" for n in range(8)),
        featured_image=make_image(alt_text="Yellow and black bands", caption="The estate", credit="Twitter"),
        action_links=[("Join the tenants' union", "https://example.org/join")],
    )
    other = make_article(
        "Council promises a repairs audit", section=housing, authors=[writer], tags=["Rent strike"]
    )
    return lead, other


def test_reader_goes_from_home_to_article_tag_search_and_author(page, newsroom):
    lead, other = newsroom
    page.goto("/")
    page.get_by_role("link", name=lead.headline).first.click()
    expect(page.locator("h1")).to_have_text(lead.headline)
    expect(page.get_by_text("Featured image via Twitter")).to_be_visible()
    expect(page.get_by_role("heading", name="Get involved!")).to_be_visible()

    page.get_by_role("link", name="Rent strike").click()
    expect(page.locator("h1")).to_have_text("Tagged: Rent strike")
    expect(page.get_by_role("link", name=other.headline)).to_be_visible()

    page.get_by_label("Search The Canary").fill("repairs audit")
    page.get_by_label("Search The Canary").press("Enter")
    expect(page.locator("main")).to_contain_text(other.headline)

    page.goto(lead.get_absolute_url())
    page.get_by_role("link", name="Nia Okafor-Reid").first.click()
    expect(page.locator("h1")).to_have_text("Nia Okafor-Reid")
    expect(page.get_by_text("Nia covers housing and local government.")).to_be_visible()
    assert page.context.cookies() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_home_and_article_have_no_serious_accessibility_violations(browser, live_server, newsroom, width):
    lead, _ = newsroom
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    axe = Axe()
    for url in ("/", lead.get_absolute_url()):
        page.goto(url)
        violations = axe.run(page).response["violations"]
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{url}: {serious}"
    context.close()


def test_pages_load_nothing_from_another_host(page, live_server, newsroom):
    lead, _ = newsroom
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for url in ("/", lead.get_absolute_url(), "/support/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    foreign = [url for url in requested if not url.startswith(live_server.url)]
    assert foreign == []
