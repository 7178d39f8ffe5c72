"""Bulk actions in the newsroom's lists say what happened as people say it: "Comment approved."
for one, "3 comments approved." for several, a plain sentence when nothing changed, never
"1 comment(s)"; and the article list gives its dates in words."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.factories import make_article
from articles.models import Article, BlockedCommenter, Comment
from tests.security_helpers import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


def signed_in(role, name):
    client = Client()
    client.force_login(staff_user(role, name))
    return client


def messages_after(client, url, action, objects):
    response = client.post(url, {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True)
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def comments():
    article = make_article("Discussed", comments="open")
    return [
        Comment.objects.create(article=article, name=f"R{n}", email=f"r{n}@canary.example", body=f"text {n}")
        for n in range(3)
    ]


COMMENTS = "/admin/articles/comment/"


@pytest.mark.parametrize(
    "action,one,several",
    [
        ("approve", "Comment approved.", "2 comments approved."),
        ("mark_spam", "Comment marked as spam.", "2 comments marked as spam."),
        ("remove", "Comment removed.", "2 comments removed."),
    ],
)
def test_a_comment_action_counts_one_and_several_in_words(comments, action, one, several):
    moderator = signed_in("Moderator", "mo")
    assert messages_after(moderator, COMMENTS, action, comments[:1]) == [one]
    assert messages_after(moderator, COMMENTS, action, comments[1:]) == [several]


def test_an_action_that_changes_nothing_says_so(comments):
    moderator = signed_in("Moderator", "mo")
    messages_after(moderator, COMMENTS, "approve", comments)
    assert messages_after(moderator, COMMENTS, "approve", comments) == [
        "Nothing changed: the comments you chose were already approved."
    ]


def test_pins_unpins_and_blocks_are_counted_in_words(comments):
    editor = signed_in("Editor", "ed")
    messages_after(editor, COMMENTS, "approve", comments)
    assert messages_after(editor, COMMENTS, "pin", comments[:1]) == ["Comment pinned as editor's pick."]
    assert messages_after(editor, COMMENTS, "pin", comments[1:]) == ["2 comments pinned as editor's picks."]
    assert messages_after(editor, COMMENTS, "unpin", comments) == ["3 comments unpinned."]
    assert messages_after(editor, COMMENTS, "block_commenters", comments[:1]) == [
        "Blocked r0@canary.example."
    ]
    assert messages_after(editor, COMMENTS, "block_commenters", comments[1:]) == ["Blocked 2 commenters."]
    assert BlockedCommenter.objects.count() == 3


ARTICLES = "/admin/articles/article/"


def test_article_bulk_actions_count_in_words():
    editor = signed_in("Editor", "ed")
    drafts = [make_article(f"Draft {n}", status=Article.Status.DRAFT) for n in range(3)]
    assert messages_after(editor, ARTICLES, "publish_now", drafts[:1]) == ["Article published."]
    assert messages_after(editor, ARTICLES, "publish_now", drafts[1:]) == ["2 articles published."]
    assert messages_after(editor, ARTICLES, "publish_now", drafts[:1]) == [
        "Nothing published: the articles you chose were already live or cannot be published."
    ]
    assert messages_after(editor, ARTICLES, "unpublish", drafts[:1]) == [
        "Article unpublished: it is a draft again."
    ]
    assert messages_after(editor, ARTICLES, "close_comments", drafts) == ["Comments closed on 3 articles."]
    assert messages_after(editor, ARTICLES, "open_comments", drafts[:1]) == [
        "Comments opened on the article."
    ]


def test_the_article_list_gives_dates_in_words_with_the_exact_moment_on_hover():
    make_article("Council vote tonight", published_at=timezone.now() - timedelta(minutes=20))
    page = signed_in("Editor", "ed").get(ARTICLES).content.decode()
    assert "20 minutes ago" in page
    assert 'title="' in page and "<time datetime=" in page
    assert 'class="field-published"' in page and "field-published_at" not in page
