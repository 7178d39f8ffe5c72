"""The article and comment change forms move state only through the models' own moves: what the
status and date fields ask for becomes publish(), schedule(), unpublish(), submit_for_review(),
return_to_draft() (or a comment's approve(), reject(), mark_spam(), pin(), unpin()), each checked,
each in the history; a move the model refuses is a form error that keeps what was typed."""

from datetime import timedelta

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from articles.factories import make_article, make_section
from articles.models import Article, ArticleRevision, Comment
from tests.editorial_helpers import ADD, CHANGE, article_form, form_errors, signed_in, staff

pytestmark = pytest.mark.django_db

Action = ArticleRevision.Action
COMMENT = "/admin/articles/comment/{}/change/"


def history(article):
    return list(ArticleRevision.objects.filter(article=article).order_by("pk").values_list("action", "note"))


def post(client, article, **changes):
    article.refresh_from_db()
    return client.post(CHANGE.format(article.pk), article_form(article, **changes))


def test_publishing_from_the_form_is_the_articles_publish_move(as_editor, editor):
    draft = make_article("A draft", status=Article.Status.DRAFT)
    response = post(as_editor, draft, status=Article.Status.PUBLISHED, headline="A draft, now out")
    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.is_published and draft.headline == "A draft, now out"
    assert abs(draft.published_at - timezone.now()) < timedelta(minutes=1)
    actions = history(draft)
    # The words saved as a change, then the move with its own line.
    assert actions[-2][0] == Action.CHANGED and "headline" in actions[-2][1]
    assert actions[-1][0] == Action.PUBLISHED
    assert "status" not in actions[-2][1]
    assert ArticleRevision.objects.filter(article=draft).order_by("pk").last().created_by == editor


def test_a_future_date_schedules_through_the_schedule_move(as_editor):
    draft = make_article("Tomorrow's", status=Article.Status.DRAFT)
    when = (timezone.now() + timedelta(days=1)).replace(microsecond=0, second=0)
    response = post(as_editor, draft, status=Article.Status.PUBLISHED, published_at=when)
    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.is_scheduled and draft.published_at == when
    assert history(draft)[-1] == (Action.PUBLISHED, f"scheduled for {when:%Y-%m-%d %H:%M}")


def test_a_live_story_given_a_future_date_is_refused_and_the_edit_kept_on_the_form(as_editor):
    live = make_article("Out already")
    before = history(live)
    later = timezone.now() + timedelta(days=2)
    response = post(as_editor, live, published_at=later, headline="Out already, retitled")
    assert response.status_code == 200
    assert "unpublish it before you schedule it" in form_errors(response)
    assert response.context["adminform"].form.data["headline"] == "Out already, retitled"
    live.refresh_from_db()
    assert live.is_published and live.headline == "Out already" and history(live) == before


def test_a_live_storys_date_corrected_to_another_past_moment_stays_live(as_editor):
    live = make_article("Dated wrong")
    earlier = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    response = post(as_editor, live, published_at=earlier)
    assert response.status_code == 302, form_errors(response)
    live.refresh_from_db()
    assert live.is_published and live.published_at == earlier
    assert history(live)[-1][0] == Action.CHANGED


def test_an_emptied_date_on_a_live_story_keeps_its_date(as_editor):
    live = make_article("Keep my date")
    published_at = live.published_at
    response = post(as_editor, live, published_at=None, standfirst="A new standfirst.")
    assert response.status_code == 302, form_errors(response)
    live.refresh_from_db()
    assert live.published_at == published_at and live.is_published


def test_back_to_draft_from_the_form_is_the_unpublish_move(as_editor):
    live = make_article("Pull it")
    response = post(as_editor, live, status=Article.Status.DRAFT)
    assert response.status_code == 302, form_errors(response)
    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT and not live.is_published
    assert history(live)[-1][0] == Action.UNPUBLISHED


def test_a_published_story_sent_to_review_is_unpublished_then_submitted(as_editor):
    live = make_article("Have a look")
    response = post(as_editor, live, status=Article.Status.REVIEW)
    assert response.status_code == 302, form_errors(response)
    live.refresh_from_db()
    assert live.status == Article.Status.REVIEW
    assert [a for a, _ in history(live)[-2:]] == [Action.UNPUBLISHED, Action.CHANGED]
    assert history(live)[-1][1] == "submitted for review"


def test_review_back_to_draft_is_the_return_to_draft_move(as_editor):
    waiting = make_article("Not yet", status=Article.Status.REVIEW)
    response = post(as_editor, waiting, status=Article.Status.DRAFT)
    assert response.status_code == 302, form_errors(response)
    waiting.refresh_from_db()
    assert waiting.status == Article.Status.DRAFT
    assert history(waiting)[-1] == (Action.CHANGED, "back to draft")


def test_a_contributors_draft_goes_to_review_through_submit_for_review():
    writer = staff("wren", "Contributor", byline=True)
    as_writer = signed_in(writer)
    response = as_writer.post(ADD, article_form(headline="My first piece", section=make_section("News").pk))
    assert response.status_code == 302, form_errors(response)
    piece = Article.objects.get(headline="My first piece")
    assert piece.status == Article.Status.DRAFT
    response = post(as_writer, piece, status=Article.Status.REVIEW)
    assert response.status_code == 302, form_errors(response)
    piece.refresh_from_db()
    assert piece.status == Article.Status.REVIEW
    assert history(piece)[-1] == (Action.CHANGED, "submitted for review")


def test_a_new_story_published_straight_from_the_add_form(as_editor):
    form = article_form(
        headline="Straight out", status=Article.Status.PUBLISHED, section=make_section("News").pk
    )
    response = as_editor.post(ADD, form)
    assert response.status_code == 302, form_errors(response)
    story = Article.objects.get(headline="Straight out")
    assert story.is_published
    assert [a for a, _ in history(story)] == [Action.CREATED, Action.PUBLISHED]


def test_a_withdrawn_story_cannot_be_published_again_from_the_form(as_editor, editor):
    story = make_article("Pulled by lawyers")
    story.withdraw("A court order.", by=editor)
    story.unpublish(by=editor)
    response = post(as_editor, story, status=Article.Status.PUBLISHED)
    assert response.status_code == 200
    assert "Lift the withdrawal" in form_errors(response)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_a_move_refused_at_save_time_rolls_the_whole_save_back_and_says_why(as_editor, editor):
    """Another editor withdraws the story between the form's checks and its move: nothing of the
    save is kept (not even the words), and the editor reads why instead of an error page."""
    draft = make_article("Racing", status=Article.Status.DRAFT)

    def withdrawn_meanwhile(sender, instance, **kwargs):
        if instance.pk == draft.pk and instance.withdrawn_at is None:
            Article.objects.filter(pk=draft.pk).update(withdrawn_at=timezone.now(), withdrawn_reason="Law.")

    post_save.connect(withdrawn_meanwhile, sender=Article)
    try:
        response = post(as_editor, draft, status=Article.Status.PUBLISHED, headline="Racing, edited")
    finally:
        post_save.disconnect(withdrawn_meanwhile, sender=Article)
    assert response.status_code == 302
    assert response.url == CHANGE.format(draft.pk)
    page = as_editor.get(response.url).content.decode()
    assert "Nothing was saved" in page
    draft.refresh_from_db()
    assert draft.headline == "Racing" and draft.status == Article.Status.DRAFT
    assert draft.withdrawn_at is None


# --- Comments -----------------------------------------------------------------------------


@pytest.fixture
def moderator():
    return staff("mo", "Moderator")


def comment_form(comment, **changes):
    data = {"status": comment.status, "pinned": "on" if comment.pinned else ""}
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


@pytest.fixture
def pending_comment():
    article = make_article("Talked about")
    return Comment.objects.create(article=article, name="Ada", email="ada@example.com", body="Good piece.")


@pytest.mark.parametrize(
    "status",
    [Comment.Status.APPROVED, Comment.Status.REMOVED, Comment.Status.SPAM],
)
def test_the_comment_form_moderates_through_the_comments_moves(moderator, pending_comment, status):
    response = signed_in(moderator).post(
        COMMENT.format(pending_comment.pk), comment_form(pending_comment, status=status)
    )
    assert response.status_code == 302, form_errors(response)
    pending_comment.refresh_from_db()
    assert pending_comment.status == status
    assert pending_comment.moderated_at is not None


def test_a_moderated_comment_does_not_go_back_to_the_queue(moderator, pending_comment):
    pending_comment.approve(by=moderator)
    response = signed_in(moderator).post(
        COMMENT.format(pending_comment.pk), comment_form(pending_comment, status=Comment.Status.PENDING)
    )
    assert response.status_code == 200
    assert "back to the queue" in form_errors(response)
    pending_comment.refresh_from_db()
    assert pending_comment.status == Comment.Status.APPROVED


def test_spam_cannot_be_pinned_from_the_form(moderator, pending_comment):
    response = signed_in(moderator).post(
        COMMENT.format(pending_comment.pk),
        comment_form(pending_comment, status=Comment.Status.SPAM, pinned="on"),
    )
    assert response.status_code == 200
    assert "cannot be an editor" in form_errors(response)
    pending_comment.refresh_from_db()
    assert pending_comment.status == Comment.Status.PENDING and not pending_comment.pinned


def test_approving_and_pinning_at_once_makes_both_moves(moderator, pending_comment):
    response = signed_in(moderator).post(
        COMMENT.format(pending_comment.pk),
        comment_form(pending_comment, status=Comment.Status.APPROVED, pinned="on"),
    )
    assert response.status_code == 302, form_errors(response)
    pending_comment.refresh_from_db()
    assert pending_comment.status == Comment.Status.APPROVED and pending_comment.pinned
    response = signed_in(moderator).post(
        COMMENT.format(pending_comment.pk), comment_form(pending_comment, status=Comment.Status.SPAM)
    )
    assert response.status_code == 302, form_errors(response)
    pending_comment.refresh_from_db()
    # Spam leaves the thread and its editor's pick with it (Comment.mark_spam).
    assert pending_comment.status == Comment.Status.SPAM and not pending_comment.pinned
