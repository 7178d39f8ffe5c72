"""An article's and a comment's life as model methods: each move checks the person and the
state, refuses with a named exception and leaves nothing half done."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from articles import exceptions
from articles.factories import make_article
from articles.models import Article, ArticleRevision, Comment
from tests.editorial_helpers import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return staff("eddie", "Editor")


@pytest.fixture
def contributor():
    return staff("connie", "Contributor")


@pytest.fixture
def draft():
    return make_article("A draft", status=Article.Status.DRAFT)


def fresh(article):
    return Article.objects.get(pk=article.pk)


def test_a_contributor_can_neither_publish_schedule_unpublish_nor_withdraw(contributor, draft):
    live = make_article("Live")
    soon = timezone.now() + timedelta(days=1)
    for move in (
        lambda: draft.publish(by=contributor),
        lambda: draft.schedule(soon, by=contributor),
        lambda: live.unpublish(by=contributor),
        lambda: live.withdraw("A complaint", by=contributor),
    ):
        with pytest.raises(exceptions.NotPermitted):
            move()
    assert fresh(draft).status == Article.Status.DRAFT
    assert fresh(live).is_published and fresh(live).withdrawn_at is None
    assert not ArticleRevision.objects.exists()


def test_nobody_signed_in_moves_nothing(draft):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(exceptions.NotPermitted):
        draft.publish(by=AnonymousUser())
    with pytest.raises(exceptions.NotPermitted):
        draft.publish(by=None)


def test_publish_puts_a_draft_live_once_and_records_who(editor, draft):
    draft.publish(by=editor)
    assert fresh(draft).is_published
    assert fresh(draft).version == draft.version == 2
    with pytest.raises(exceptions.AlreadyPublished):
        draft.publish(by=editor)
    revision = ArticleRevision.objects.get(article=draft)
    assert (revision.action, revision.created_by) == ("published", editor)


def test_publish_brings_a_schedule_forward_and_keeps_an_earlier_date(editor):
    scheduled = make_article("Soon", published_at=timezone.now() + timedelta(days=2))
    scheduled.publish(by=editor)
    assert fresh(scheduled).published_at <= timezone.now()
    earlier = timezone.now() - timedelta(days=30)
    unpublished = make_article("Back", status=Article.Status.DRAFT, published_at=earlier)
    unpublished.publish(by=editor)
    assert fresh(unpublished).published_at == earlier


def test_schedule_wants_a_future_time_and_never_hides_a_live_story(editor, draft):
    with pytest.raises(exceptions.NotInTheFuture):
        draft.schedule(timezone.now() - timedelta(minutes=1), by=editor)
    live = make_article("Live")
    with pytest.raises(exceptions.AlreadyPublished):
        live.schedule(timezone.now() + timedelta(days=1), by=editor)
    assert fresh(live).is_published
    draft.schedule(timezone.now() + timedelta(days=1), by=editor)
    assert list(Article.objects.scheduled()) == [fresh(draft)]


def test_unpublish_only_a_published_story(editor, draft):
    with pytest.raises(exceptions.NotPublished):
        draft.unpublish(by=editor)
    live = make_article("Live")
    live.unpublish(by=editor)
    assert fresh(live).status == Article.Status.DRAFT and not Article.objects.published().exists()


def test_withdraw_needs_a_reason_and_happens_once_and_a_withdrawn_story_cannot_be_republished(editor):
    live = make_article("Live")
    with pytest.raises(exceptions.ReasonRequired):
        live.withdraw("   ", by=editor)
    live.withdraw("A court order", by=editor)
    assert not fresh(live).is_published and fresh(live).withdrawn_by == editor
    with pytest.raises(exceptions.AlreadyWithdrawn):
        live.withdraw("Again", by=editor)
    with pytest.raises(exceptions.ArticleWithdrawn):
        live.publish(by=editor)
    with pytest.raises(exceptions.ArticleWithdrawn):
        live.schedule(timezone.now() + timedelta(days=1), by=editor)
    live.reinstate(by=editor)
    assert fresh(live).is_published and fresh(live).withdrawn_reason == ""
    with pytest.raises(exceptions.NotWithdrawn):
        live.reinstate(by=editor)


def test_a_move_checks_the_state_in_the_database_not_a_stale_copy(editor):
    """Two editors with the same story open: the second move sees what the first did."""
    live = make_article("Live")
    stale = fresh(live)
    live.withdraw("A complaint", by=editor)
    with pytest.raises(exceptions.ArticleWithdrawn):
        stale.publish(by=editor)
    with pytest.raises(exceptions.AlreadyWithdrawn):
        stale.withdraw("Twice", by=editor)


def test_submit_for_review_takes_a_draft_only(contributor, draft):
    draft.submit_for_review(by=contributor)
    assert fresh(draft).status == Article.Status.REVIEW
    with pytest.raises(exceptions.NotADraft):
        draft.submit_for_review(by=contributor)
    reader = get_user_model().objects.create_user("reader", "r@example.com", "pw-long-enough-123")
    other = make_article("Another", status=Article.Status.DRAFT)
    with pytest.raises(exceptions.NotPermitted):
        other.submit_for_review(by=reader)


def test_the_admin_publish_action_skips_what_the_model_refuses(editor, draft):
    withdrawn = make_article("Withdrawn")
    withdrawn.withdraw("A complaint", by=editor)
    client = Client()
    client.force_login(editor)
    client.post(
        "/admin/articles/article/",
        {"action": "publish_now", "_selected_action": [draft.pk, withdrawn.pk]},
    )
    assert fresh(draft).is_published
    assert fresh(withdrawn).withdrawn_at is not None and not fresh(withdrawn).is_published


# --- Comments ------------------------------------------------------------------------------


@pytest.fixture
def moderator():
    return staff("mo", "Moderator")


@pytest.fixture
def comment():
    article = make_article("Discussed", comments="open")
    return Comment.objects.create(article=article, name="R", email="r@example.com", body="Words")


def test_a_spam_comment_cannot_be_pinned_and_spam_leaves_the_picks(moderator, comment):
    comment.approve(by=moderator)
    comment.pin(by=moderator)
    comment.mark_spam(by=moderator)
    assert not Comment.objects.get(pk=comment.pk).pinned
    with pytest.raises(exceptions.SpamCannotBePinned):
        comment.pin(by=moderator)
    assert not Comment.objects.get(pk=comment.pk).pinned


def test_the_admin_pin_action_refuses_spam(moderator, comment):
    comment.mark_spam(by=moderator)
    client = Client()
    client.force_login(moderator)
    client.post("/admin/articles/comment/", {"action": "pin", "_selected_action": [comment.pk]})
    assert not Comment.objects.get(pk=comment.pk).pinned


def test_only_a_moderator_moderates_and_a_move_happens_once(moderator, comment, contributor):
    with pytest.raises(exceptions.NotPermitted):
        comment.approve(by=contributor)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    comment.approve(by=moderator)
    with pytest.raises(exceptions.IllegalTransition):
        comment.approve(by=moderator)
    comment.reject(by=moderator)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REMOVED
    with pytest.raises(exceptions.IllegalTransition):
        comment.unpin(by=moderator)
