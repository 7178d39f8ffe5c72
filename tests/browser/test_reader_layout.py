"""Reader-page layout in real Chromium: nothing scrolls sideways on a phone, the content has room,
focus shows on the dark header and footer, search is in reach on a phone, the header stays one
row on small tablets, the current section shows, and the support form's limits and errors."""

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from articles.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


LONG_LINK = (
    "https://www.example.org/reports/2026/council-budget/appendix-b-line-by-line-spending-table-final.pdf"
)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
PASTED = (
    "https://www.example.org/campaigns/2026/housing/tenants-union-rent-strike-full-statement?utm_source=x"
)


@pytest.fixture
def sized(browser, live_server):
    """sized(width, height): a fresh page of that viewport; closed after the test."""
    contexts = []

    def open_page(width, height=900, mobile=False):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, is_mobile=mobile
        )
        contexts.append(context)
        new = context.new_page()
        new.set_default_timeout(15_000)
        return new

    yield open_page
    for context in contexts:
        context.close()


def sideways(page):  # noqa: F811
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def rgb(css):
    return tuple(int(part) for part in re.findall(r"\d+(?:\.\d+)?", css)[:3])


def luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two):
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_long_links_words_and_pasted_searches_never_push_a_phone_page_sideways(sized, live_server):
    story = make_article(
        "Budget appendix published",
        body=f'<p>Read it: <a href="{LONG_LINK}">{LONG_LINK}</a>.</p><p>{LONG_WORD}.</p>',
    )
    phone = sized(375, 812, mobile=True)
    hosts = set()
    phone.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    for path in ("/", story.get_absolute_url(), "/search/?q=" + quote(PASTED)):
        phone.goto(path)
        assert sideways(phone) == 0, path
    # The pasted address is shown whole, wrapped inside the screen.
    heading = phone.locator("main h1")
    expect(heading).to_contain_text(PASTED)
    assert heading.bounding_box()["x"] + heading.bounding_box()["width"] <= 375
    empty = phone.get_by_text("No stories match")
    expect(empty).to_contain_text(PASTED)
    assert empty.bounding_box()["x"] + empty.bounding_box()["width"] <= 375
    # The privacy rule holds on the way: no other host, no cookie.
    assert hosts == {urlsplit(live_server.url).netloc}
    assert phone.context.cookies() == []


@pytest.mark.parametrize(("width", "top"), [(1280, 24), (375, 16)])
def test_content_has_room_below_the_navigation_and_above_the_footer(sized, width, top):
    make_article("A story in the list", section=make_section("News"))
    reader = sized(width)
    reader.goto("/latest/")
    header_bottom = reader.evaluate(
        "document.querySelector('header.masthead').getBoundingClientRect().bottom"
    )
    heading_top = reader.locator("main h1").bounding_box()["y"]
    assert heading_top - header_bottom >= top
    gap_above_footer = reader.evaluate(
        """() => {
          const main = document.querySelector('main');
          const last = main.lastElementChild.getBoundingClientRect().bottom;
          return document.querySelector('footer').getBoundingClientRect().top - last;
        }"""
    )
    assert gap_above_footer >= 48


def focus_ring(page, selector):  # noqa: F811
    """Focus an element as a keyboard user would see it and return (outline colour, background)."""
    page.keyboard.press("Tab")  # the reader is using the keyboard
    return page.evaluate(
        """(selector) => {
          const el = document.querySelector(selector);
          el.focus();
          if (!el.matches(':focus-visible')) return null;
          const style = getComputedStyle(el);
          let box = el.parentElement, background = 'rgba(0, 0, 0, 0)';
          while (box) {
            background = getComputedStyle(box).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(background) && background !== 'transparent') break;
            box = box.parentElement;
          }
          return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor, background];
        }""",
        selector,
    )


@pytest.mark.parametrize(
    "selector", [".masthead__name", ".sections a[href^='/section/']", ".site-footer a", ".masthead__account"]
)
def test_keyboard_focus_shows_on_the_dark_header_and_footer(page, selector):  # noqa: F811
    make_article(section=make_section("News"))
    page.goto("/")
    style, width, colour, background = focus_ring(page, selector)
    assert style == "solid" and width >= 2
    assert contrast(rgb(colour), rgb(background)) >= 3, (colour, background)


def test_keyboard_focus_on_the_light_page_keeps_the_blue_ring(page):  # noqa: F811
    story = make_article()
    page.goto(story.get_absolute_url())
    style, width, colour, background = focus_ring(page, ".byline a")
    assert rgb(colour) == (11, 79, 168)
    assert contrast(rgb(colour), rgb(background)) >= 3


@pytest.mark.parametrize("width", [320, 360, 375, 414])
def test_search_is_in_reach_on_a_phone_without_scrolling(sized, width):
    for name in ("News", "Opinion", "Environment", "Culture", "Science and technology"):
        make_section(name)
    phone = sized(width, 800, mobile=True)
    phone.goto("/")
    link = phone.locator("header").get_by_role("link", name="Search", exact=True)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # Nothing sits on top of it: a tap lands on the link itself.
    on_top = phone.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('a[href=\"/search/\"]')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top
    link.click()
    expect(phone).to_have_url(re.compile(r"/search/$"))
    expect(phone.get_by_label("Search our stories")).to_be_visible()


@pytest.mark.parametrize("width", [641, 700, 760, 800])
def test_the_header_is_one_tidy_row_on_small_tablets(sized, width):
    tablet = sized(width)
    tablet.goto("/")
    name = tablet.locator(".masthead__name").bounding_box()
    search = tablet.locator(".masthead__search").bounding_box()
    button = tablet.locator(".masthead__search button").bounding_box()
    assert search["y"] < name["y"] + name["height"], "the search form wrapped onto its own row"
    assert button["x"] + button["width"] <= width
    assert tablet.get_by_role("searchbox", name=re.compile("Search")).bounding_box()["width"] >= 80
    assert sideways(tablet) == 0


def test_the_current_section_stands_out_in_the_navigation(page):  # noqa: F811
    news, opinion = make_section("News"), make_section("Opinion")
    story = make_article(section=opinion)
    for path, current in (("/section/news/", news), (story.get_absolute_url(), opinion)):
        page.goto(path)
        nav = page.get_by_role("navigation", name="Sections")
        marked = nav.locator("a[aria-current]")
        expect(marked).to_have_count(1)
        expect(marked).to_have_text(current.name)
        other = nav.get_by_role("link", name=(opinion if current is news else news).name, exact=True)
        looks = "el => [getComputedStyle(el).color, getComputedStyle(el).textDecorationLine]"
        assert marked.evaluate(looks) != other.evaluate(looks)


@pytest.mark.parametrize("width", [375, 390])
def test_the_consent_box_sits_beside_one_flowing_sentence_on_a_phone(sized, width):
    phone = sized(width, 812, mobile=True)
    phone.goto("/support/")
    label = phone.locator(".field--check label")
    box = phone.get_by_label("I agree to the co-op’s privacy notice.").bounding_box()
    link, start, stop = label.evaluate(
        """label => {
          const a = label.querySelector('a');
          const texts = [...label.querySelectorAll('*'), label].flatMap(el => [...el.childNodes])
            .filter(node => node.nodeType === 3);
          const rect = (word) => {
            const node = texts.find(n => n.textContent.includes(word));
            const range = document.createRange();
            const at = node.textContent.indexOf(word);
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            const r = range.getClientRects()[0];
            return [r.left, r.top, r.right];
          };
          const lines = [...a.getClientRects()].map(r => [r.left, r.top, r.right]);
          return [lines, rect('I agree'), rect('.')];
        }"""
    )
    # The words run on as a sentence: the full stop follows the link's last word directly...
    last_line = link[-1]
    assert abs(stop[1] - last_line[1]) < 4 and 0 <= stop[0] - last_line[2] < 4, (link, stop)
    # ...the link starts on a line the sentence has already begun, not in a column of its own...
    assert link[0][1] - start[1] >= -4 and (link[0][1] - start[1] > 4 or link[0][0] > start[2]), (link, start)
    # ...and the box sits at the start of the sentence's first line.
    assert box["x"] + box["width"] <= start[0] and abs(box["y"] - start[1]) < 20


def test_the_button_never_promises_less_than_the_smallest_gift(page):  # noqa: F811
    page.goto("/support/")
    page.get_by_label("One-off").check()
    amount = page.get_by_label("Amount in pounds")
    amount.fill("0.5")
    expect(page.locator("#give-button")).to_have_text("Give at least £1 once")
    expect(page.locator("#amount-limit")).to_have_text("The smallest gift we can take is £1.")
    expect(amount).to_have_value("0.5")  # typing is never blocked
    amount.fill("12")
    expect(page.locator("#give-button")).to_have_text("Give £12 once")
    expect(page.locator("#amount-limit")).to_have_text("")


def test_a_refused_form_takes_the_reader_to_the_first_field_to_fix(page):  # noqa: F811
    page.goto("/support/")
    page.get_by_label("Amount in pounds").fill("0.5")
    page.get_by_label("Your name").fill("Rosa Reader")
    page.get_by_role("button", name=re.compile("^Give")).click()
    expect(page.get_by_text("Please check the problems marked below.")).to_be_visible()
    expect(page.get_by_label("Amount in pounds")).to_be_focused()
    expect(page.get_by_label("Amount in pounds")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Amount in pounds").fill("5")
    page.get_by_role("button", name="Give £5 a month").click()
    expect(page.get_by_text("Please check the problems marked below.")).to_be_visible()
    expect(page.get_by_label("Your email")).to_be_focused()
