"""Long lists page through the newest stories only, and say where the rest are."""

import html
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_lists(settings):
    # Two pages of 20 at most, so a few dozen stories show what a large archive does.
    settings.LIST_MAX_PAGES = 2
    settings.PAGE_CACHE_ENABLED = False


def publish(count, tag="Housing"):
    """Story n published n days before 30 September, added oldest first as a real archive grows."""
    start = timezone.make_aware(datetime(2026, 9, 30, 12, 0))
    return [
        make_article(f"Rent strike report {n}", tags=[tag], published_at=start - timedelta(days=n))
        for n in reversed(range(count))
    ]


def text(response):
    return html.unescape(response.content.decode())


def test_the_last_page_of_a_long_tag_list_points_to_the_month_archive(anonymous, short_lists):
    publish(45)
    last = anonymous.get("/tag/housing/", {"page": 2})
    assert last.status_code == 200
    assert "Page 2 of 2" in text(last)
    assert "Older →" not in text(last)
    # Story 39 is the oldest on page 2: published 39 days before 30 September.
    assert "Rent strike report 39" in text(last)
    assert 'href="/archive/2026/08/">August 2026</a>' in last.content.decode()


def test_a_page_past_the_last_listed_one_is_not_found(anonymous, short_lists):
    publish(45)
    assert anonymous.get("/tag/housing/", {"page": 3}).status_code == 404


def test_the_month_archive_still_lists_stories_past_the_tag_pages(anonymous, short_lists):
    publish(45)
    # Stories 40 to 44 are on no tag page; their month still lists them.
    archive = anonymous.get("/archive/2026/08/")
    assert "Rent strike report 44" in text(archive)


def test_a_short_list_has_no_archive_pointer(anonymous, short_lists):
    publish(25)
    last = anonymous.get("/tag/housing/", {"page": 2})
    assert "Rent strike report 24" in text(last)
    assert "Older stories are in the archive" not in text(last)


def test_search_with_more_matches_than_it_ranks_says_so_and_ranks_the_newest(anonymous, short_lists):
    publish(45)
    response = anonymous.get("/search/", {"q": "rent strike"})
    page = text(response)
    assert "More than 40 stories match “rent strike”" in page
    assert "Add a word to narrow it down" in page
    second = text(anonymous.get("/search/", {"q": "rent strike", "page": 2}))
    shown = page + second
    assert "Rent strike report 0<" in shown
    # Only the newest 41 were ranked: the oldest stories are not among the results.
    assert "Rent strike report 44<" not in shown


def test_search_with_fewer_matches_counts_them_exactly(anonymous, short_lists):
    publish(12)
    assert "12 stories match “rent strike”" in text(anonymous.get("/search/", {"q": "rent strike"}))


def test_a_tag_on_most_stories_lists_the_same_stories_in_the_same_order(anonymous, short_lists):
    # Past the cap SQLite pages such a tag by walking the newest stories; readers see no change.
    publish(45)
    start = timezone.make_aware(datetime(2026, 9, 30, 13, 0))
    for n in range(5):
        make_article(f"Untagged story {n}", published_at=start - timedelta(days=n))
    make_article("Tagged draft", tags=["Housing"], status="draft")
    make_article("Tagged but scheduled", tags=["Housing"], published_at=timezone.now() + timedelta(days=1))
    pages = [text(anonymous.get("/tag/housing/", {"page": page})) for page in (1, 2)]
    listed = [int(n) for page in pages for n in re.findall(r"Rent strike report (\d+)", page)]
    assert listed == list(range(40))
    assert not any(word in page for page in pages for word in ("Untagged", "draft", "scheduled"))


def publish_in_one_month(count):
    """Story n published n hours before the end of 30 September: all in the same month."""
    start = timezone.make_aware(datetime(2026, 9, 30, 23, 0))
    return [
        make_article(f"Picket diary {n}", tags=["Strike"], published_at=start - timedelta(hours=n))
        for n in reversed(range(count))
    ]


def test_a_busy_month_lists_every_story_however_many_pages_it_takes(anonymous, short_lists):
    publish_in_one_month(50)
    last = anonymous.get("/archive/2026/09/", {"page": 3})
    assert last.status_code == 200
    assert "Page 3 of 3" in text(last) and "Picket diary 49<" in text(last)
    assert "Older stories are in the archive" not in text(last)  # never a pointer to itself


def test_the_archive_pointer_opens_the_month_at_the_page_where_the_list_stopped(anonymous, short_lists):
    publish_in_one_month(50)
    last = anonymous.get("/tag/strike/", {"page": 2})
    assert "Picket diary 39<" in text(last)  # the 40th newest: the list stops there
    assert 'href="/archive/2026/09/?page=2">September 2026</a>' in last.content.decode()
    archive = text(anonymous.get("/archive/2026/09/", {"page": 2}))
    assert "Picket diary 39<" in archive and "Older →" in archive  # and on to story 40 and older
