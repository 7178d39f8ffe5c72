from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import set_script_prefix
from django.utils import timezone

from articles.factories import make_article, make_author, make_page, make_section
from articles.models import OldPath

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_article_url_uses_the_london_date_of_publication(anonymous):
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    article = make_article(
        "Late night vote", published_at=datetime(2024, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    assert article.get_absolute_url() == "/2024/07/01/late-night-vote/"
    assert anonymous.get("/2024/07/01/late-night-vote/").status_code == 200


def test_right_slug_under_the_wrong_date_redirects_permanently(anonymous):
    article = make_article("Council budget passes")
    response = anonymous.get("/1999/01/01/council-budget-passes/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("status", ["draft", "review"])
def test_unpublished_articles_are_not_found(anonymous, status):
    article = make_article("Not yet", status=status)
    assert anonymous.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_is_not_found_until_its_time(anonymous):
    article = make_article("Embargoed", published_at=timezone.now() + timedelta(hours=2))
    assert anonymous.get(article.get_absolute_url()).status_code == 404


def test_two_articles_with_the_same_headline_get_different_slugs():
    first = make_article("Strike called off")
    second = make_article("Strike called off")
    assert first.slug == "strike-called-off"
    assert second.slug == "strike-called-off-2"


def test_changed_slug_keeps_the_old_link_working(anonymous):
    article = make_article("Draft headline that changed")
    old_url = article.get_absolute_url()
    article.slug = "the-final-headline"
    article.save()
    response = anonymous.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_old_paths_redirect_to_sections_authors_and_pages(anonymous):
    section = make_section("Environment")
    OldPath.remember("/category/green/", section)
    OldPath.remember("/writers/sam/", make_author("Sam Okafor"))
    OldPath.remember("/about-the-coop/", make_page("About us", "<p>Hello</p>"))
    assert anonymous.get("/category/green/")["Location"] == "/section/environment/"
    assert anonymous.get("/writers/sam/")["Location"] == "/author/sam-okafor/"
    assert anonymous.get("/about-the-coop/")["Location"] == "/about/about-us/"


def test_month_archive_lists_only_that_month(anonymous):
    make_article("In March", published_at=datetime(2025, 3, 15, 12, tzinfo=LONDON))
    make_article("In April", published_at=datetime(2025, 4, 1, 0, 30, tzinfo=LONDON))
    page = anonymous.get("/archive/2025/03/").content.decode()
    assert "In March" in page
    assert "In April" not in page
    assert "March 2025" in page


def test_impossible_month_is_not_found(anonymous):
    assert anonymous.get("/archive/2025/13/").status_code == 404


def test_a_month_with_nothing_published_is_not_found(anonymous):
    make_article("In March", published_at=datetime(2025, 3, 15, 12, tzinfo=LONDON))
    assert anonymous.get("/archive/2025/03/").status_code == 200
    assert anonymous.get("/archive/1999/01/").status_code == 404
    assert anonymous.get("/archive/2099/05/").status_code == 404


def test_month_archive_leads_to_the_nearest_months_with_stories_either_way(anonymous):
    make_article("In January", published_at=datetime(2025, 1, 10, 12, tzinfo=LONDON))
    make_article("In March", published_at=datetime(2025, 3, 15, 12, tzinfo=LONDON))
    make_article("In June", published_at=datetime(2025, 6, 1, 0, 30, tzinfo=LONDON))
    march = anonymous.get("/archive/2025/03/").content.decode()
    assert '<a href="/archive/2025/06/">← June 2025</a>' in march
    assert '<a href="/archive/2025/01/">January 2025 →</a>' in march
    january = anonymous.get("/archive/2025/01/").content.decode()
    assert "December 2024" not in january
    assert '<a href="/archive/2025/03/">← March 2025</a>' in january


def test_a_month_does_not_lead_to_a_story_not_yet_published(anonymous):
    make_article("In March", published_at=datetime(2025, 3, 15, 12, tzinfo=LONDON))
    make_article("Scheduled", published_at=timezone.now() + timedelta(days=40))
    march = anonymous.get("/archive/2025/03/").content.decode()
    assert "←" not in march


def test_static_page_is_shown_and_linked_from_the_footer(anonymous):
    make_page("Who owns us", "<p>Every worker holds one share.</p>")
    home = anonymous.get("/").content.decode()
    assert 'href="/about/who-owns-us/"' in home
    page = anonymous.get("/about/who-owns-us/").content.decode()
    assert "Every worker holds one share." in page


def test_links_follow_the_prefix_the_site_is_served_under():
    # Links are remembered once made; a site served under /news/ must still get its own.
    article = make_article("Budget vote")
    plain = article.get_absolute_url()
    set_script_prefix("/news/")
    try:
        assert article.get_absolute_url() == f"/news{plain}"
        assert article.section.get_absolute_url() == "/news/section/news/"
    finally:
        set_script_prefix("/")
    assert article.get_absolute_url() == plain
