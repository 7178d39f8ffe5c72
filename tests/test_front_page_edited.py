"""The front page reads as edited: no story in two teasers (the section blocks below leave out
the lead, the top stories and the latest), and every section still shows its own."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article, make_section
from articles.models import Article

pytestmark = pytest.mark.django_db


def teaser_links(page):
    return re.findall(r'class="teaser__headline"><a href="([^"]+)"', page)


def test_no_story_is_in_two_teasers_and_older_stories_fill_the_section_blocks(anonymous):
    now = timezone.now()
    sections = [make_section(name) for name in ("News", "Opinion", "Culture")]
    stories = []
    for number in range(30):
        stories.append(
            make_article(
                f"Story {number}",
                section=sections[number % 3],
                published_at=now - timedelta(hours=number + 1),
            )
        )
    stories[20].placement = Article.Placement.LEAD
    stories[20].save()
    page = anonymous.get("/").content.decode()
    links = teaser_links(page)
    assert links and [link for link, count in Counter(links).items() if count > 1] == []
    assert stories[20].get_absolute_url() == links[0]
    # 1 lead + 4 top + 12 latest = 17 shown above; each section's block shows its newest of the rest.
    for section in sections:
        block = page.split(f'id="section-{section.slug}"')[1].split("</section>")[0]
        assert len(teaser_links(block)) == 4, section.name
