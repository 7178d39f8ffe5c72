"""Who may publish a comment at once (signed-in supporters and staff, confirmed addresses), and the
confirmation email a new commenter gets."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from articles.commenting import SESSION_KEY, confirmation_token
from articles.factories import make_article
from articles.models import Comment
from tests.comment_helpers import described_by_targets_missing, post
from tests.security_helpers import sign_in_by_link, supporter_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return make_article("Open for discussion", comments="open")


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
