"""The moderator's Undo for their last one-click move, and Block commenter on each row.

Abuse first: an Undo replayed, forged for another comment, sent from another moderator's session,
or sent after someone else moderated the comment changes nothing; a Block from someone who may
not block is refused."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.exceptions import ModerationChanged, NotPermitted
from articles.factories import make_article
from articles.models import BlockedCommenter, Comment
from tests.security_helpers import staff_user

pytestmark = pytest.mark.django_db

LIST = "/admin/articles/comment/"
FILTERED = f"{LIST}?status__exact=pending"


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def comment():
    article = make_article("Bins strike", comments="open")
    return Comment.objects.create(
        article=article, name="Sam", email="Sam@Canary.example", body="Pay the crews properly."
    )


def browser_as(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token_of(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def press(client, page_url, aria_label):
    """Open the list and post its form to the button with these words, as a browser would."""
    return press_on(client, client.get(page_url).content.decode(), aria_label)


def press_on(client, page, aria_label):
    """Post the form of a page already open to its button with these words."""
    button = re.search(
        rf'<button type="submit" (?:form="changelist-form" )?formaction="([^"]+)"[^>]*'
        rf'aria-label="{re.escape(aria_label)}"',
        page,
    )
    assert button, f"no button {aria_label!r}"
    action = button.group(1).replace("&amp;", "&")
    return client.post(action, {"csrfmiddlewaretoken": token_of(page)}, follow=True)


def shown(response):
    return [str(m) for m in response.context["messages"]]


def undo_url(comment):
    return reverse("admin:articles_comment_undo", args=[comment.pk])


# --- Undo ----------------------------------------------------------------------------------------


def test_undo_puts_an_approved_comment_back_in_the_queue_and_records_it(comment):
    moderator = browser_as(staff_user("Moderator", "mo"))
    approved = press(moderator, FILTERED, "Approve the comment from Sam")
    page = approved.content.decode()
    assert "Comment approved." in page and 'class="button undo-moderation"' in page
    undone = press_on(moderator, page, "Undo: put the comment from Sam back as it was")
    assert shown(undone) == ["Undone: the comment is awaiting moderation again."]
    assert undone.redirect_chain[-1][0] == FILTERED
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_at) == ("pending", None)
    assert "Pay the crews properly." in undone.content.decode()  # back in the queue
    history = [entry.get_change_message() for entry in LogEntry.objects.order_by("pk")]
    assert history == ["Comment approved.", "Undone: Comment approved. It is awaiting moderation again."]


def test_undo_of_spam_brings_back_an_editors_pick_with_its_first_moderation_time(comment):
    editor = staff_user("Editor", "ed")
    comment.approve(by=editor)
    comment.pin(by=editor)
    first = Comment.objects.get(pk=comment.pk).moderated_at
    client = browser_as(editor)
    spammed = press(client, LIST, "Spam the comment from Sam")
    assert Comment.objects.get(pk=comment.pk).pinned is False
    press_on(client, spammed.content.decode(), "Undo: put the comment from Sam back as it was")
    comment.refresh_from_db()
    assert (comment.status, comment.pinned, comment.moderated_at) == ("approved", True, first)


def test_a_replayed_undo_changes_nothing(comment):
    moderator = browser_as(staff_user("Moderator", "mo"))
    page = moderator.get(LIST).content.decode()
    press(moderator, LIST, "Approve the comment from Sam")
    assert moderator.post(undo_url(comment), {"csrfmiddlewaretoken": token_of(page)}).status_code == 302
    press(moderator, LIST, "Approve the comment from Sam")
    again = moderator.post(undo_url(comment), {"csrfmiddlewaretoken": token_of(page)}, follow=True)
    assert shown(again) == ["Undone: the comment is awaiting moderation again."]
    third = moderator.post(undo_url(comment), {"csrfmiddlewaretoken": token_of(page)}, follow=True)
    assert shown(third) == ["Nothing to undo: that was not your last click."]
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_an_undo_after_someone_else_moderated_the_comment_leaves_it_as_they_left_it(comment):
    mo = browser_as(staff_user("Moderator", "mo"))
    press(mo, LIST, "Approve the comment from Sam")
    Comment.objects.get(pk=comment.pk).reject(by=staff_user("Editor", "ed"))
    refused = mo.post(
        undo_url(comment), {"csrfmiddlewaretoken": token_of(mo.get(LIST).content.decode())}, follow=True
    )
    assert shown(refused) == [
        "Not undone: This comment has changed since (another moderator, or another tab), so it is left "
        "as it is now."
    ]
    assert Comment.objects.get(pk=comment.pk).status == "removed"


def test_an_undo_forged_for_another_comment_or_from_another_session_changes_nothing(comment):
    other = Comment.objects.create(article=comment.article, name="Kim", email="kim@canary.example", body="Hi")
    mo = browser_as(staff_user("Moderator", "mo"))
    press(mo, LIST, "Approve the comment from Sam")
    token = token_of(mo.get(LIST).content.decode())
    forged = mo.post(undo_url(other), {"csrfmiddlewaretoken": token}, follow=True)
    assert shown(forged) == ["Nothing to undo: that was not your last click."]
    second = browser_as(staff_user("Moderator", "mo2"))
    theirs = second.post(
        undo_url(comment), {"csrfmiddlewaretoken": token_of(second.get(LIST).content.decode())}, follow=True
    )
    assert shown(theirs) == ["Nothing to undo: that was not your last click."]
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert Comment.objects.get(pk=other.pk).status == "pending"


def test_an_undo_without_the_lists_token_or_from_finance_is_refused(comment):
    mo = browser_as(staff_user("Moderator", "mo"))
    press(mo, LIST, "Approve the comment from Sam")
    assert mo.post(undo_url(comment)).status_code == 403
    finance = Client()
    finance.force_login(staff_user("Finance", "fin"))
    assert finance.post(undo_url(comment)).status_code == 403
    assert finance.get(undo_url(comment)).status_code in (403, 405)
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_the_model_refuses_an_undo_by_name(comment):
    mo = staff_user("Moderator", "mo")
    before = comment.moderation_state()
    comment.approve(by=mo)
    after = comment.moderation_state()
    with pytest.raises(NotPermitted):
        comment.undo_moderation(before, after=after, by=staff_user("Finance", "fin"))
    comment.mark_spam(by=mo)
    with pytest.raises(ModerationChanged):
        comment.undo_moderation(before, after=after, by=mo)
    assert Comment.objects.get(pk=comment.pk).status == "spam"


# --- Block commenter -----------------------------------------------------------------------------


def test_block_commenter_blocks_the_address_once_and_the_button_goes(comment):
    mo_user = staff_user("Moderator", "mo")
    mo = browser_as(mo_user)
    blocked = press(mo, FILTERED, "Block Sam (Sam@Canary.example) from commenting")
    assert shown(blocked) == [
        "Blocked sam@canary.example: new comments from this address are refused. Their comments so far "
        "stay as they are."
    ]
    record = BlockedCommenter.objects.get()
    assert (record.email, record.blocked_by) == ("sam@canary.example", mo_user)
    assert BlockedCommenter.is_blocked("SAM@canary.example")
    assert Comment.objects.get(pk=comment.pk).status == "pending"
    assert "Block Sam" not in blocked.content.decode()
    assert '<span class="quiet-line">Blocked</span>' in blocked.content.decode()
    assert LogEntry.objects.get().get_change_message() == "Blocked the commenter sam@canary.example."
    url = reverse("admin:articles_comment_block", args=[comment.pk])
    again = mo.post(url, {"csrfmiddlewaretoken": token_of(blocked.content.decode())}, follow=True)
    assert shown(again) == ["Nothing changed: sam@canary.example is already blocked."]
    assert BlockedCommenter.objects.count() == 1


def test_block_is_refused_to_those_without_the_block_permission(comment):
    url = reverse("admin:articles_comment_block", args=[comment.pk])
    finance = Client()
    finance.force_login(staff_user("Finance", "fin"))
    assert finance.post(url).status_code == 403
    # May moderate, may not block: no Block button, and a forged post is refused.
    user = get_user_model().objects.create_user(
        "half", "half@canary.example", "pw-long-enough-1", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_comment", "change_comment"]))
    half = Client()
    half.force_login(user)
    page = half.get(LIST).content.decode()
    assert "moderate-approve" in page and "moderate-block" not in page
    assert half.post(url).status_code == 403
    assert not BlockedCommenter.objects.exists()
