"""Readers comment on articles and see the thread; closed articles refuse; pages stay cacheable and cheap.

The abuse rules are in test_comment_defences.py, trust and confirmation in test_comment_trust.py."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.factories import make_article
from articles.models import Comment
from articles.navigation import navigation
from supporters import appeals
from tests.comment_helpers import comment_data, described_by_targets_missing, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return make_article("Open for discussion", comments="open")


def test_new_comment_waits_for_moderation_and_the_reader_is_told(client, article):
    response = post(client, article)
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "Thanks, your comment is awaiting moderation." in page
    assert "A fair point" not in page


def test_page_with_a_message_is_never_cached(client, article):
    post(client, article)
    response = client.get(article.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Cache" not in response


def test_approved_comments_show_with_line_breaks_and_count(
    anonymous, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(
            article=article,
            name="Ben",
            email="b@example.com",
            body="First line\nsecond line",
            status="approved",
        )
        Comment.objects.create(
            article=article, name="Hidden", email="h@example.com", body="Not yet", status="pending"
        )
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "First line<br>second line" in page
    assert "1 comment" in page
    assert "Not yet" not in page
    assert "b@example.com" not in page


def test_comment_html_is_shown_as_text_and_links_are_marked_as_user_content(anonymous, article):
    Comment.objects.create(
        article=article,
        name="<b>Eve</b>",
        email="e@example.com",
        status="approved",
        body="<script>alert(1)</script> see https://example.org/page",
    )
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page
    assert 'rel="nofollow ugc noopener"' in page


def test_editors_pick_comes_first_then_oldest_first_with_replies_nested(anonymous, article):
    now = timezone.now()
    first = Comment.objects.create(
        article=article,
        name="First",
        email="1@example.com",
        body="one",
        status="approved",
        created_at=now - timedelta(hours=3),
    )
    Comment.objects.create(
        article=article,
        name="Second",
        email="2@example.com",
        body="two",
        status="approved",
        created_at=now - timedelta(hours=2),
    )
    Comment.objects.create(
        article=article,
        name="Picked",
        email="3@example.com",
        body="three",
        status="approved",
        pinned=True,
        created_at=now - timedelta(hours=1),
    )
    Comment.objects.create(
        article=article, name="Replier", email="4@example.com", body="reply", status="approved", parent=first
    )
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert page.index("Picked") < page.index("First") < page.index("Replier") < page.index("Second")
    assert "Editor’s pick" in page
    assert "4 comments" in page


def test_reply_to_a_reply_attaches_to_the_top_level_comment(client, article):
    top = Comment.objects.create(
        article=article, name="Top", email="t@example.com", body="top", status="approved"
    )
    reply = Comment.objects.create(
        article=article, name="Reply", email="r@example.com", body="reply", status="approved", parent=top
    )
    post(client, article, parent=reply.pk)
    assert Comment.objects.latest("id").parent == top


def test_closed_article_says_so_and_shows_no_form(anonymous):
    article = make_article("Closed", comments="closed")
    Comment.objects.create(
        article=article, name="Earlier", email="e@example.com", body="Said before closing", status="approved"
    )
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed" in page
    assert "Said before closing" in page
    assert 'id="comment-form"' not in page


def test_posting_to_a_closed_article_is_refused_and_stores_nothing(client):
    article = make_article("Closed", comments="closed")
    response = post(client, article)
    assert response.status_code == 403
    assert "Comments are closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_automatic_comments_close_after_the_configured_days(client, settings):
    settings.COMMENTS_OPEN_DAYS = 30
    old = make_article("Last month", comments="auto", published_at=timezone.now() - timedelta(days=31))
    recent = make_article("This week", comments="auto", published_at=timezone.now() - timedelta(days=2))
    assert not old.comments_open and recent.comments_open
    assert post(client, old).status_code == 403
    assert "Comments are closed" in client.get(old.get_absolute_url()).content.decode()


def test_cached_article_page_expires_when_its_comments_close(settings):
    from canary import page_cache

    settings.COMMENTS_OPEN_DAYS = 1
    make_article(
        "Closing soon",
        comments="auto",
        published_at=timezone.now() - timedelta(days=1) + timedelta(seconds=40),
    )
    assert page_cache.seconds_to_live(page_cache.current_generation()) <= 40


def test_no_javascript_preview_stores_nothing_and_offers_a_real_form(article):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        f"/comments/{article.pk}/preview/", {"name": "Ada", "email": "ada@example.com", "body": "Preview me"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check your comment" in page
    assert "Preview me" in page
    assert f'action="/comments/{article.pk}/post/"' in page
    assert response["Cache-Control"] == "private, no-store"
    assert not Comment.objects.exists()
    # "Post comment" sends the form as the page gave it: the token and stamp made for this browser.
    form = dict(re.findall(r'name="(csrfmiddlewaretoken|rendered|name|email)"[^>]* value="([^"]*)"', page))
    assert form["csrfmiddlewaretoken"] and form["rendered"]
    posted = browser.post(f"/comments/{article.pk}/post/", {**form, "body": "Preview me"})
    assert posted.status_code == 302
    assert Comment.objects.get().body == "Preview me"


def test_final_post_is_csrf_checked():
    strict = Client(enforce_csrf_checks=True)
    article = make_article("Needs a token", comments="open")
    assert strict.post(f"/comments/{article.pk}/post/", comment_data(strict)).status_code == 403
    assert not Comment.objects.exists()


def test_token_endpoint_is_never_cached(anonymous):
    response = anonymous.get("/comments/token/")
    data = response.json()
    assert data["csrf"] and data["rendered"]
    assert "no-store" in response["Cache-Control"]


def test_cached_article_page_carries_no_token(anonymous, article):
    anonymous.get(article.get_absolute_url())
    response = anonymous.get(article.get_absolute_url())
    assert response["X-Cache"] == "hit"
    page = response.content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert f'action="/comments/{article.pk}/preview/"' in page
    assert not response.cookies


def test_article_with_200_comments_runs_a_fixed_number_of_queries(
    anonymous, article, django_assert_max_num_queries
):
    Comment.objects.bulk_create(
        Comment(
            article=article, name=f"R{n}", email=f"{n}@example.com", body=f"Comment {n}", status="approved"
        )
        for n in range(200)
    )
    navigation()  # shared by every page, cached until a section or static page changes
    appeals.everything()
    with django_assert_max_num_queries(10):
        page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "200 comments" in page


def test_the_comment_forms_help_texts_are_tied_to_their_fields(anonymous, article):
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert 'aria-describedby="id_body_helptext"' in page
    assert "Shown with your comment." in page
    assert described_by_targets_missing(page) == set()


def test_a_refused_comment_keeps_the_text_and_ties_each_error_to_its_field(client, article):
    response = post(client, article, email="not-an-email", body="My long reply <b>with</b> markup")
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'id="id_email_error"' in page
    assert "My long reply &lt;b&gt;with&lt;/b&gt; markup</textarea>" in page
    assert 'value="Ada Reader"' in page
    assert described_by_targets_missing(page) == set()


def test_a_comment_as_long_as_the_text_box_allows_is_taken_line_breaks_and_all(client, article):
    """The browser counts a line break as one character against maxlength and sends two."""
    body = "\r\n".join(["x" * 99] * 50)  # 50 lines: 4,950 characters and 49 line breaks
    assert len(body.replace("\r\n", "\n")) == 4_999
    response = post(client, article, body=body + "!")
    assert response.status_code == 302, response.content.decode()[:500]
    assert len(Comment.objects.get().body) == 5_000
