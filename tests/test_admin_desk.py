"""Each person's desk on the admin index: greeted by name and role, with their day's work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.factories import make_article
from articles.models import Article, Comment
from tests.security_helpers import signed_in, staff_user

pytestmark = pytest.mark.django_db


def desk(user):
    response = signed_in(user).get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def named(role, username):
    user = staff_user(role, username)
    user.first_name, user.last_name = "Demo", role
    user.save()
    return user


def test_an_editor_is_greeted_by_name_and_role_and_sees_the_days_work(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    make_article("Out this morning")
    make_article("Tomorrow's splash", published_at=timezone.now() + timedelta(days=1))
    make_article("Needs a look", status=Article.Status.REVIEW)
    page = desk(named("Editor", "ed"))
    assert "Demo Editor (Editor)" in page  # the greeting on the desk
    assert "Signed in as <strong>Demo Editor</strong>" in page and "Welcome," not in page
    for heading, story in (
        ("In review", "Needs a look"),
        ("Scheduled next", "Tomorrow&#x27;s splash"),
        ("Published today", "Out this morning"),
    ):
        assert heading in page and story in page


def test_a_contributor_sees_their_own_drafts_and_the_sites_latest_not_others_drafts():
    writer = named("Contributor", "cora")
    make_article("Cora's draft", status=Article.Status.DRAFT, created_by=writer)
    make_article("Someone else's draft", status=Article.Status.DRAFT)
    make_article("On the site now")
    page = desk(writer)
    assert "Your drafts" in page and "Cora&#x27;s draft" in page
    assert "Someone else&#x27;s draft" not in page
    assert "Latest on the site" in page and "On the site now" in page


def test_a_moderator_sees_the_queue_with_each_comments_words():
    article = make_article("Bins strike", comments="open")
    Comment.objects.create(
        article=article, name="Sam", email="sam@canary.example", body="Pay the crews properly."
    )
    page = desk(named("Moderator", "mo"))
    assert "Comments waiting" in page and "Pay the crews properly." in page and "Bins strike" in page
    assert "Moderate 1 comment" in page


def test_no_zero_count_and_no_two_factor_link_for_those_who_need_none(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    page = desk(named("Moderator", "mo"))
    assert "0 comments to moderate" not in page
    assert "Two-factor sign-in" not in page
