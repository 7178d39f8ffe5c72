"""On a phone the section bar scrolls sideways: a fade before the pinned search link shows that
it does, and at the end of the scroll the last section shows whole, clear of the search link."""

import pytest

from articles.factories import make_article, make_section

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_section_bar_shows_it_scrolls_and_ends_with_a_whole_word(phone_page):
    for name in ("News", "Opinion", "Environment", "Culture", "Investigations", "Community"):
        make_article(f"In {name}", section=make_section(name))
    phone_page.goto("/")
    bar = phone_page.locator("nav.sections ul")
    assert bar.evaluate("ul => ul.scrollWidth > ul.clientWidth"), "the sections fit: nothing to show"
    fade = phone_page.evaluate(
        """() => {
            const style = getComputedStyle(document.querySelector('.masthead__search-link'), '::before');
            return {width: parseFloat(style.width), image: style.backgroundImage};
        }"""
    )
    assert fade["width"] >= 40 and "linear-gradient" in fade["image"]
    bar.evaluate("ul => { ul.style.scrollSnapType = 'none'; ul.scrollLeft = ul.scrollWidth; }")
    last_end, search_start = phone_page.evaluate(
        """() => {
            const links = [...document.querySelectorAll('nav.sections li:not(.masthead__search-link) a')];
            const search = document.querySelector('.masthead__search-link');
            return [links[links.length - 1].getBoundingClientRect().right, search.getBoundingClientRect().left];
        }"""
    )
    assert last_end <= search_start
    assert phone_page.locator("nav.sections a", has_text="Community").is_visible()
