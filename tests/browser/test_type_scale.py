"""One type scale: every page's headings share one family, and each level one size, whether on
an article, its comments, the support, sign-in, newsletters or feeds page."""

import pytest

from articles.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

HEADINGS = """() => [...document.querySelectorAll('main h1, main h2, main h3')]
    .filter(h => h.offsetParent !== null && !h.closest('.teaser, .appeals, .most-read'))
    .map(h => {
        const style = getComputedStyle(h);
        return {level: h.tagName, family: style.fontFamily, size: style.fontSize,
                story: h.classList.contains('story__headline'), text: h.textContent.trim().slice(0, 40)};
    })"""


def test_headings_share_one_family_and_one_size_a_level(page, live_server):
    story = make_article("A story with a subhead", body="<p>One.</p><h2>A subhead</h2><p>Two.</p>")
    seen = []
    for path in (
        story.get_absolute_url(),
        "/support/",
        "/account/login/",
        "/newsletters/",
        "/feeds/",
        "/search/?q=zzzz",
    ):
        page.goto(path)
        seen += [{**heading, "path": path} for heading in page.evaluate(HEADINGS)]
    assert {h["level"] for h in seen} >= {"H1", "H2"}
    assert len({h["family"] for h in seen}) == 1, {(h["path"], h["text"], h["family"]) for h in seen}
    for level in ("H1", "H2", "H3"):
        sizes = {h["size"] for h in seen if h["level"] == level and not h["story"]}
        assert len(sizes) <= 1, (
            level,
            {(h["path"], h["text"], h["size"]) for h in seen if h["level"] == level},
        )
