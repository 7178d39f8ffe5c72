"""Readers comment on articles; closed articles refuse; abuse rules refuse and store nothing."""

import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from articles.comment_forms import RENDER_SALT, stamp_for
from articles.commenting import SESSION_KEY, confirmation_token
from articles.factories import make_article
from articles.models import BlockedCommenter, Comment
from articles.navigation import navigation
from supporters import appeals
from tests.security_helpers import sign_in_by_link, supporter_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return make_article("Open for discussion", comments="open")


def csrf_secret(client):
    """The browser's CSRF cookie, set by /comments/token/ as comments.js asks for it."""
    if settings.CSRF_COOKIE_NAME not in client.cookies:
        client.get("/comments/token/")
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def stamp(client, seconds_ago=10):
    """A signed "form shown at" time for this browser, as if it had had the form a while."""
    return stamp_for(csrf_secret(client), time.time() - seconds_ago)


def comment_data(client, **overrides):
    return {
        "name": "Ada Reader",
        "email": "ada@example.com",
        "body": "A fair point,\nwell made.",
        "rendered": stamp(client),
        **overrides,
    }


def post(client, article, **overrides):
    return client.post(f"/comments/{article.pk}/post/", comment_data(client, **overrides))


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


def test_honeypot_refuses_and_stores_nothing(client, article):
    response = post(client, article, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be posted" in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_too_fast_is_refused_and_keeps_the_text(client, article, settings):
    settings.COMMENT_MIN_SECONDS = 3
    response = post(client, article, rendered=stamp(client, seconds_ago=0), body="My careful words")
    assert response.status_code == 400
    page = response.content.decode()
    assert "That was very quick" in page
    assert "My careful words" in page
    assert not Comment.objects.exists()


def test_missing_or_forged_render_time_is_refused(client, article):
    for rendered in ("", "forged:value"):
        assert post(client, article, rendered=rendered).status_code == 400
    assert not Comment.objects.exists()


def test_a_form_stamp_taken_by_another_browser_is_refused(client, article):
    """A bot fetched one stamp and replays it: it belongs to the CSRF cookie it came with."""
    bot = Client()
    replayed = bot.get("/comments/token/").json()["rendered"]
    csrf_secret(client)  # this browser has a CSRF cookie of its own
    response = post(client, article, rendered=replayed, body="My own words")
    assert response.status_code == 400
    assert "Please post your comment again" in response.content.decode()
    assert not Comment.objects.exists()
    cookieless = Client()
    response = cookieless.post(f"/comments/{article.pk}/post/", {**comment_data(bot), "rendered": replayed})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_stamp_from_before_stamps_named_their_browser_is_refused(client, article):
    old_style = signing.dumps(time.time() - 10, salt=RENDER_SALT)
    assert post(client, article, rendered=old_style).status_code == 400
    assert not Comment.objects.exists()


def test_a_form_stamp_lasts_the_configured_time_not_a_day(client, article, settings):
    settings.COMMENT_FORM_MAX_MINUTES = 60
    response = post(client, article, rendered=stamp(client, seconds_ago=61 * 60), body="Typed slowly")
    assert response.status_code == 400
    page = response.content.decode()
    assert "more than 60 minutes ago" in page and "Typed slowly" in page
    assert not Comment.objects.exists()
    # The page that says so carries a fresh stamp for this browser: posting it again works.
    fresh = re.search(r'name="rendered" id="id_rendered" value="([^"]+)"', page).group(1)
    assert post(client, article, rendered=fresh, body="Typed slowly").status_code == 302
    assert post(client, article, rendered=stamp(client, seconds_ago=59 * 60)).status_code == 302
    assert Comment.objects.count() == 2


def test_rate_limit_per_address(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 2
    for n in range(2):
        assert post(client, article, email=f"r{n}@example.com").status_code == 302
    response = post(client, article, email="r9@example.com")
    assert response.status_code == 429
    assert "Please wait a minute" in response.content.decode()
    assert Comment.objects.count() == 2


def test_rate_limit_counts_the_client_behind_the_proxy(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = client.post(
        f"/comments/{article.pk}/post/",
        comment_data(client, email="a@example.com"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    second = client.post(
        f"/comments/{article.pk}/post/",
        comment_data(client, email="b@example.com"),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert (first.status_code, second.status_code) == (302, 302)


def test_rate_limit_per_email(client, article, settings):
    settings.COMMENT_RATE_LIMIT = 1
    assert post(client, article, email="same@example.com").status_code == 302
    response = client.post(
        f"/comments/{article.pk}/post/",
        comment_data(client, email="same@example.com"),
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "x" * 5001, "at most 5000 characters"),
        ("name", "n" * 81, "at most 80 characters"),
        ("email", "not-an-email", "valid email"),
        ("body", "   ", "This field is required"),
    ],
)
def test_bad_fields_are_refused_with_a_message(client, article, field, value, message):
    response = post(client, article, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_blocked_commenter_cannot_comment(client, article):
    BlockedCommenter.objects.create(email="ADA@example.com")
    response = post(client, article)
    assert response.status_code == 403
    assert "not accepted" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.fixture
def kim(client):
    """A supporter signed in to their account."""
    user, supporter, _ = supporter_user("kim@example.com", name="Kim Lo")
    sign_in_by_link(supporter, client)
    return supporter


def test_signed_in_supporter_is_published_at_once(client, article, kim):
    response = post(client, article, name="Kim Lo", email="kim@example.com")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == comment.get_absolute_url()


def test_a_signed_in_supporter_comments_under_their_accounts_name_and_address(client, article, kim):
    """Found: with £1 anyone could post, published at once, as "Demo Editor (The Canary newsroom)"."""
    post(client, article, name="Rosa Reporter", email="rosa@example.com", body="Trust me.")
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.user) == ("Kim Lo", "kim@example.com", kim.user)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>Kim Lo</strong>" in page and "Rosa Reporter" not in page


def test_the_form_tells_a_signed_in_supporter_who_they_comment_as(client, article, kim):
    parent = Comment.objects.create(
        article=article, name="Ben", email="b@example.com", body="Hi", status="approved"
    )
    for url in (article.get_absolute_url(), f"/comments/{article.pk}/reply/{parent.pk}/"):
        page = client.get(url).content.decode()
        assert "You are commenting as <strong>Kim Lo</strong> (kim@example.com)" in page
        assert 'href="/account/"' in page  # where they change the name
        assert 'name="name"' not in page and 'name="email"' not in page
        assert described_by_targets_missing(page) == set()
    preview = client.post(f"/comments/{article.pk}/preview/", {"name": "Someone Else", "body": "Hello"})
    assert "<strong>Kim Lo</strong>" in preview.content.decode()
    assert "Someone Else" not in preview.content.decode()


def test_a_supporter_who_changes_their_name_comments_under_the_new_one(client, article, kim):
    assert client.post("/account/details/", {"name": "Kim Lo-Ward"}).status_code == 302
    post(client, article)
    assert Comment.objects.get().name == "Kim Lo-Ward"


def test_signed_in_staff_see_their_name_and_email_filled_in(client, article):
    user = get_user_model().objects.create_user(
        "kim", "kim@example.com", "pw-long-enough-123", first_name="Kim", last_name="Lo", is_staff=True
    )
    client.force_login(user)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Kim Lo"' in page
    assert 'value="kim@example.com"' in page


def test_an_account_with_no_supporter_and_no_staff_role_is_not_trusted(client, article):
    client.force_login(get_user_model().objects.create_user("m", "m@example.com", "pw-long-enough-123"))
    post(client, article, email="m@example.com")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_trusted_commenter_with_many_links_still_waits(client, article, kim):
    post(client, article, body="see https://a.example https://b.example https://c.example")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_typing_a_trusted_persons_email_proves_nothing(client, article):
    Comment.objects.create(
        article=article, name="Regular", email="regular@example.com", body="old", status="approved"
    )
    post(client, article, email="regular@example.com")
    assert Comment.objects.latest("id").status == Comment.Status.PENDING


def test_confirmed_address_with_an_approved_comment_is_published_at_once(client, article):
    Comment.objects.create(
        article=article, name="Regular", email="regular@example.com", body="old", status="approved"
    )
    token = confirmation_token("regular@example.com")
    assert client.get(f"/comments/confirm/{token}/").status_code == 200
    assert SESSION_KEY not in client.session  # a GET (a mail scanner) confirms nothing
    client.post(f"/comments/confirm/{token}/")
    assert client.session[SESSION_KEY] == "regular@example.com"
    post(client, article, email="regular@example.com")
    assert Comment.objects.latest("id").status == Comment.Status.APPROVED


@pytest.mark.django_db(transaction=True)
def test_new_commenter_is_emailed_a_confirmation_link(client, article, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        post(client, article)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 1
    assert "/comments/confirm/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["ada@example.com"]


def test_comments_under_one_address_send_it_one_confirmation_a_day(
    client, article, settings, django_capture_on_commit_callbacks
):
    """Anyone can type anyone's address: posting again and again must not flood its inbox."""
    from mailroom.models import Email

    settings.COMMENT_RATE_LIMIT = 100
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = post(client, article, body=f"Point number {n}", email="Victim@Example.org")
            assert response.status_code == 302
    assert Comment.objects.filter(email__iexact="victim@example.org").count() == 3  # all kept
    assert Email.objects.filter(to__iexact="victim@example.org").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        post(client, article, body="Another point", email="someone.else@example.org")
    assert Email.objects.filter(to="someone.else@example.org").count() == 1


def test_a_comment_that_never_commits_uses_up_no_confirmation(
    client, article, settings, django_capture_on_commit_callbacks
):
    """The once-a-day marker is set when the comment commits: a comment rolled back (a failure
    after the insert) leaves the address its confirmation for the one that does commit."""
    from django.db import transaction

    from articles.commenting import send_confirmation
    from mailroom.models import Email

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        lost = Comment.objects.create(article=article, name="Ada", email="ada@example.com", body="Lost")
        send_confirmation(lost)
        raise RolledBack
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, article, body="Kept", email="ada@example.com").status_code == 302
    assert Email.objects.filter(to="ada@example.com").count() == 1


def test_ip_address_is_kept_only_as_a_keyed_hash_and_dropped_after_30_days(client, article):
    old = Comment.objects.create(
        article=article,
        name="Old",
        email="o@example.com",
        body="old",
        ip_hash="abc",
        created_at=timezone.now() - timedelta(days=31),
    )
    client.post(f"/comments/{article.pk}/post/", comment_data(client), REMOTE_ADDR="203.0.113.77")
    new = Comment.objects.latest("id")
    assert new.ip_hash and "203.0.113.77" not in new.ip_hash and len(new.ip_hash) == 64
    old.refresh_from_db()
    assert old.ip_hash == ""


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


def described_by_targets_missing(page):
    """The ids that the page's aria-describedby attributes name but no element carries."""
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    named = {name for value in re.findall(r'aria-describedby="([^"]+)"', page) for name in value.split()}
    return named - ids


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
