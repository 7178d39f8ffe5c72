"""Readers' "Most read" in real Chromium, on the demo with its day of counts: rendered on the
home page (JavaScript or not), fetched by an article page's script from this site alone, with
no cookie, and fitting a phone's screen as well as a desktop's.

With MOST_READ_SHOTS=<folder> the home page's list and an article's are photographed at each
width and put one above the other, as docs/readership-most-read-{390,1366}.png."""

import io
import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article

SHOTS = os.environ.get("MOST_READ_SHOTS")
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_readership", verbosity=0)
    return Article.objects.published().order_by("-published_at").first()


def reader(browser, live_server, width, **options):
    context = browser.new_context(
        base_url=live_server.url,
        user_agent=READER_AGENT,
        viewport={"width": width, "height": 900},
        device_scale_factor=1,
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def around(page, locator, above):
    """A picture of the list with a little of the page above it, the page's full width."""
    box = locator.bounding_box()  # where it is in the window: the page may have scrolled
    box["y"] += page.evaluate("window.scrollY")
    top = max(0, box["y"] - above)
    return page.screenshot(
        full_page=True,
        clip={
            "x": 0,
            "y": top,
            "width": page.viewport_size["width"],
            "height": box["y"] + box["height"] + 24 - top,
        },
    )


def stacked(pictures, path):
    from PIL import Image

    images = [Image.open(io.BytesIO(picture)) for picture in pictures]
    gap = 16
    width = max(image.width for image in images)
    sheet = Image.new("RGB", (width, sum(image.height for image in images) + gap), "#16161a")
    y = 0
    for image in images:
        sheet.paste(image, (0, y))
        y += image.height + gap
    sheet.save(path, optimize=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_article_page_fetches_the_list_from_this_site_and_leaves_out_its_own_story(
    browser, live_server, demo, width
):
    context, page = reader(browser, live_server, width)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/")
    home_list = page.locator("section.most-read")
    expect(home_list.get_by_role("heading", name="Most read")).to_be_visible()
    assert home_list.get_by_role("listitem").count() == 5
    first = home_list.get_by_role("link").first
    headline = first.inner_text()
    pictures = [around(page, home_list, 140)]
    first.click()
    expect(page.locator("h1")).to_have_text(headline)
    article_list = page.locator("section.most-read")
    expect(article_list.get_by_role("heading", name="Most read")).to_be_visible()
    assert article_list.get_by_role("listitem").count() == 4  # the story being read is left out
    assert headline not in article_list.inner_text()
    box = article_list.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # nothing runs off a phone's screen
    article_list.scroll_into_view_if_needed()
    pictures.append(around(page, article_list, 140))
    assert context.cookies() == []
    assert hosts == {urlsplit(live_server.url).netloc}
    context.close()
    if SHOTS:
        stacked(pictures, os.path.join(SHOTS, f"readership-most-read-{width}.png"))


def test_the_home_page_shows_the_list_without_javascript(browser, live_server, demo):
    context, page = reader(browser, live_server, 1366, java_script_enabled=False)
    page.goto("/")
    listed = page.locator("section.most-read").get_by_role("listitem")
    assert listed.count() == 5
    context.close()
