"""Moderators and editors run comments in the admin."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from articles.factories import make_article
from articles.models import Article, BlockedCommenter, Comment

pytestmark = pytest.mark.django_db


def staff(username, role):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", "pw-long-enough-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def moderator(client):
    client.force_login(staff("mo", "Moderator"))
    return client


@pytest.fixture
def pending():
    article = make_article("Discussed", comments="open")
    return [
        Comment.objects.create(article=article, name=f"R{n}", email=f"r{n}@example.com", body=f"text {n}")
        for n in range(3)
    ]


def changelist_action(client, action, comments):
    return client.post(
        "/admin/articles/comment/",
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_moderator_sees_pending_count_and_filters(moderator, pending):
    page = moderator.get("/admin/articles/comment/?status__exact=pending").content.decode()
    assert "3 comments to moderate" in page
    assert "text 0" in page


def test_moderator_approves_in_bulk_and_readers_see_it(
    moderator, pending, django_capture_on_commit_callbacks
):
    anonymous = Client()
    article = pending[0].article
    anonymous.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        changelist_action(moderator, "approve", pending[:2])
    statuses = sorted(Comment.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "pending"]
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "text 0" in page and "text 1" in page and "text 2" not in page


@pytest.mark.parametrize(("action", "status"), [("mark_spam", "spam"), ("remove", "removed")])
def test_moderator_marks_spam_or_removes(moderator, pending, action, status):
    changelist_action(moderator, action, pending[:1])
    assert Comment.objects.get(pk=pending[0].pk).status == status


def test_moderator_blocks_a_commenter_and_hides_their_comments(moderator, pending):
    pending[0].approve(by=staff("mo2", "Moderator"))
    Comment.objects.create(
        article=pending[0].article, name="R0", email="R0@example.com", body="again", status="approved"
    )
    changelist_action(moderator, "block_and_remove", pending[:1])
    assert BlockedCommenter.is_blocked("r0@example.com")
    assert set(Comment.objects.filter(email__iexact="r0@example.com").values_list("status", flat=True)) == {
        "removed"
    }


def test_moderator_pins_an_editors_pick(moderator, pending):
    changelist_action(moderator, "pin", pending[1:2])
    assert Comment.objects.get(pk=pending[1].pk).pinned


def test_moderator_cannot_edit_articles(moderator, pending):
    article = pending[0].article
    assert moderator.get(f"/admin/articles/article/{article.pk}/change/").status_code == 403
    response = moderator.post(f"/admin/articles/article/{article.pk}/change/", {"headline": "Hijacked"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == "Discussed"


def test_editor_closes_comments_on_many_articles(client):
    client.force_login(staff("ed", "Editor"))
    articles = [make_article(f"Story {n}", comments="open") for n in range(3)]
    client.post(
        "/admin/articles/article/", {"action": "close_comments", "_selected_action": [a.pk for a in articles]}
    )
    assert set(Article.objects.values_list("comments", flat=True)) == {"closed"}


def test_comment_list_links_to_the_comment_on_the_site(moderator, pending):
    pending[0].approve(by=staff("mo2", "Moderator"))
    page = moderator.get("/admin/articles/comment/").content.decode()
    assert f'href="{pending[0].get_absolute_url()}"' in page


def test_commenter_data_is_exported_and_erased_by_email(pending, capsys):
    call_command("commenter_data", "R1@example.com", "--export")
    exported = json.loads(capsys.readouterr().out)
    assert [row["comment"] for row in exported] == ["text 1"]
    call_command("commenter_data", "r1@example.com", "--erase")
    erased = Comment.objects.get(pk=pending[1].pk)
    assert erased.email != "r1@example.com" and erased.name == "Former reader" and "text 1" not in erased.body
