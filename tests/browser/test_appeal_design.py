"""Under a story, the appeal and the newsletter box are parts of the page: in the story's column,
marked by a rule across the top, not boxed in like an advert."""

import pytest

from articles.factories import make_article
from newsletters.factories import make_newsletter
from supporters.models import CallToAction

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def edges(page, selector):
    return page.eval_on_selector(
        selector,
        """element => {
            const box = element.getBoundingClientRect(), style = getComputedStyle(element);
            return {left: Math.round(box.left), right: Math.round(box.right),
                    top: parseFloat(style.borderTopWidth), side: parseFloat(style.borderLeftWidth)};
        }""",
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_end_of_a_story_keeps_its_column_and_boxes_nothing_in(browser, live_server, width):
    make_newsletter()
    CallToAction.objects.create(name="End", placement="end", headline="This story was paid for by readers")
    story = make_article("Tenants win repairs after a year of asking")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(story.get_absolute_url())
    column = edges(page, "article.story")
    for part in (".appeals--end .appeal", ".newsletter-signup"):
        found = edges(page, part)
        assert (found["left"], found["right"]) == (column["left"], column["right"]), part
        assert found["top"] > 0 and found["side"] == 0, part  # a rule across the top, no box
    context.close()
