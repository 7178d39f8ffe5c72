"""After saving the article form the message says what happened to the story ("Published",
"Scheduled for Friday 4 December, 07:00", "Sent for review", "Back to draft", "Unpublished"),
never Django's "The article … was changed successfully"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.admin.save_messages import what_happened, when
from articles.factories import make_article, make_section
from articles.models import Article
from tests.editorial_helpers import ADD, CHANGE, article_form, form_errors, signed_in, staff

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def saved(client, article=None, **changes):
    if article is not None:
        article.refresh_from_db()
    url = CHANGE.format(article.pk) if article is not None else ADD
    response = client.post(url, {**article_form(article, **changes), "_continue": "1"}, follow=True)
    assert response.redirect_chain, form_errors(response)
    said = [str(m) for m in response.context["messages"]]
    assert not any("successfully" in m for m in said), said
    return said


def test_publishing_says_published(as_editor):
    draft = make_article("Bins strike ends", status=Article.Status.DRAFT)
    assert saved(as_editor, draft, status=Article.Status.PUBLISHED) == ["Published: “Bins strike ends”."]


def test_scheduling_says_when_on_londons_clock(as_editor):
    draft = make_article("Budget day", status=Article.Status.DRAFT)
    now = timezone.localtime(timezone.now(), LONDON)
    at = (now + timedelta(days=2)).replace(hour=7, minute=0, second=0, microsecond=0)
    said = saved(as_editor, draft, status=Article.Status.PUBLISHED, published_at=at)
    year = "" if at.year == now.year else f" {at.year}"  # on 30 and 31 December: next year's
    assert said == [f"Scheduled for {at:%A} {at.day} {at:%B}{year}, 07:00: “Budget day”."]


def test_unpublishing_and_review_moves_say_so():
    contributor = staff("cora", "Contributor", byline=True)
    as_contributor = signed_in(contributor)
    as_editor = signed_in(staff("eve", "Editor"))
    story = make_article("Ferry fares", status=Article.Status.DRAFT, created_by=contributor)
    assert saved(as_contributor, story, status=Article.Status.REVIEW) == ["Sent for review: “Ferry fares”."]
    assert saved(as_editor, story, status=Article.Status.DRAFT) == ["Back to draft: “Ferry fares”."]
    live = make_article("Tram line")
    assert saved(as_editor, live, status=Article.Status.DRAFT) == ["Unpublished: “Tram line”."]
    live = make_article("Bus lanes")
    assert saved(as_editor, live, status=Article.Status.REVIEW) == [
        "Unpublished and sent for review: “Bus lanes”."
    ]


def test_a_save_that_moves_nothing_says_saved(as_editor):
    live = make_article("Quiet edit")
    assert saved(as_editor, live, headline="Quiet edit, retitled") == ["Saved: “Quiet edit, retitled”."]
    assert saved(as_editor, None, headline="Brand new", section=make_section("News").pk) == [
        "Saved as a draft: “Brand new”."
    ]


def test_the_words_for_a_moment_name_the_year_only_when_it_is_not_this_one():
    now = datetime(2026, 12, 4, 3, 0, tzinfo=LONDON)
    assert when(datetime(2026, 12, 4, 7, 0, tzinfo=LONDON), now) == "Friday 4 December, 07:00"
    assert when(datetime(2027, 1, 8, 9, 30, tzinfo=LONDON), now) == "Friday 8 January 2027, 09:30"
    # Summer time: 06:00 UTC is 07:00 in London.
    assert when(datetime(2026, 6, 5, 6, 0, tzinfo=ZoneInfo("UTC")), now) == "Friday 5 June, 07:00"
    assert what_happened([], added=False, now=now) == "Saved"
