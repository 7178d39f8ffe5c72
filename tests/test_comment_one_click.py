"""One-click moderation: Approve, Spam and Remove on each row of the comment list, posted with the
list's CSRF token, checked by the model's own moves, answered on the same filtered list."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.factories import make_article
from articles.models import Comment
from tests.security_helpers import staff_user
from tests.test_admin_query_bounds import ADMIN_LIST_QUERY_LIMIT

pytestmark = pytest.mark.django_db

LIST = "/admin/articles/comment/"
FILTERED = f"{LIST}?status__exact=pending&q=crews"


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def comment():
    article = make_article("Bins strike", comments="open")
    return Comment.objects.create(
        article=article, name="Sam", email="sam@canary.example", body="Pay the crews properly."
    )


def browser_as(user):
    """A client that checks CSRF as a browser's request is checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def press(client, page_url, label, comment):
    """Open the list, find the row's button by its words, and post the list's form to it."""
    page = client.get(page_url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    button = re.search(
        rf'formaction="([^"]+)" formmethod="post" class="button [^"]+" aria-label="{label} the comment from '
        rf'{re.escape(comment.name)}"',
        page,
    )
    assert button, f"no {label} button for {comment.name}"
    action = button.group(1).replace("&amp;", "&")
    return client.post(action, {"csrfmiddlewaretoken": token, "action": "", "index": "0"})


@pytest.mark.parametrize(
    "label,status,message",
    [
        ("Approve", "approved", "Comment approved."),
        ("Spam", "spam", "Comment marked as spam."),
        ("Remove", "removed", "Comment removed."),
    ],
)
def test_each_button_moves_the_comment_and_returns_to_the_same_filtered_list(comment, label, status, message):
    moderator = browser_as(staff_user("Moderator", "mo"))
    response = press(moderator, FILTERED, label, comment)
    assert response.status_code == 302
    assert response["Location"] == FILTERED
    comment.refresh_from_db()
    assert comment.status == status and comment.moderated_at is not None
    page = moderator.get(response["Location"]).content.decode()
    assert message in page and "1 comment(s)" not in page
    assert LogEntry.objects.get(object_id=str(comment.pk)).get_change_message() == message


def test_an_approved_comment_shows_to_readers_at_once(comment, django_capture_on_commit_callbacks):
    reader = Client()
    assert "Pay the crews properly." not in reader.get(comment.article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        press(browser_as(staff_user("Moderator", "mo")), LIST, "Approve", comment)
    assert "Pay the crews properly." in reader.get(comment.article.get_absolute_url()).content.decode()


def test_a_row_offers_only_the_moves_that_change_something(comment):
    comment.approve(by=staff_user("Moderator", "mo"))
    page = browser_as(staff_user("Editor", "ed")).get(LIST).content.decode()
    assert 'aria-label="Spam the comment from Sam"' in page
    assert 'aria-label="Remove the comment from Sam"' in page
    assert 'aria-label="Approve the comment from Sam"' not in page


def test_a_replayed_click_says_the_comment_is_already_moderated_and_changes_nothing(comment):
    moderator = browser_as(staff_user("Moderator", "mo"))
    page = moderator.get(LIST).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    url = reverse("admin:articles_comment_moderate", args=[comment.pk, "approve"])
    assert moderator.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    first = Comment.objects.get(pk=comment.pk).moderated_at
    again = moderator.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert again.status_code == 200
    assert "Nothing changed: This comment is already approved." in again.content.decode()
    assert Comment.objects.get(pk=comment.pk).moderated_at == first
    assert LogEntry.objects.filter(object_id=str(comment.pk)).count() == 1


def test_a_forged_post_from_someone_who_may_not_moderate_is_refused(comment):
    finance = Client()
    finance.force_login(staff_user("Finance", "fin"))
    url = reverse("admin:articles_comment_moderate", args=[comment.pk, "approve"])
    assert finance.post(url).status_code == 403
    # Allowed to read the comments but not to change them: no buttons, and the post is refused.
    reader = get_user_model().objects.create_user(
        "ro", "ro@canary.example", "pw-long-enough-1", is_staff=True
    )
    reader.user_permissions.add(Permission.objects.get(codename="view_comment"))
    read_only = Client()
    read_only.force_login(reader)
    assert "moderate-approve" not in read_only.get(LIST).content.decode()
    for move in ("approve", "spam", "remove"):
        url = reverse("admin:articles_comment_moderate", args=[comment.pk, move])
        assert read_only.post(url).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_a_post_without_the_lists_csrf_token_is_refused(comment):
    moderator = browser_as(staff_user("Moderator", "mo"))
    url = reverse("admin:articles_comment_moderate", args=[comment.pk, "spam"])
    assert moderator.post(url).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_a_get_an_unknown_move_or_a_gone_comment_change_nothing(comment):
    moderator = Client()
    moderator.force_login(staff_user("Moderator", "mo"))
    assert (
        moderator.get(reverse("admin:articles_comment_moderate", args=[comment.pk, "approve"])).status_code
        == 405
    )
    assert (
        moderator.post(reverse("admin:articles_comment_moderate", args=[comment.pk, "delete"])).status_code
        == 404
    )
    gone = moderator.post(
        reverse("admin:articles_comment_moderate", args=[comment.pk + 1, "approve"]), follow=True
    )
    assert "That comment no longer exists." in gone.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_the_way_back_cannot_be_pointed_at_another_site(comment):
    moderator = Client()
    moderator.force_login(staff_user("Moderator", "mo"))
    url = reverse("admin:articles_comment_moderate", args=[comment.pk, "approve"])
    for forged in ("%2F%2Fevil.example%2F", "next%3Dhttps%3A%2F%2Fevil.example%2F", "%0D%0ALocation%3A+x"):
        response = moderator.post(f"{url}?_changelist_filters={forged}")
        assert response.status_code == 302
        where = urlsplit(response["Location"])
        assert (where.scheme, where.netloc, where.path) == ("", "", LIST)


def test_the_list_with_buttons_costs_the_same_queries_for_one_row_or_fifty(comment):
    moderator = Client()
    moderator.force_login(staff_user("Moderator", "mo"))

    def queries():
        with CaptureQueriesContext(connection) as run:
            page = moderator.get(LIST).content.decode()
        return len(run), page.count("moderate-approve")

    one, buttons = queries()
    assert buttons == 1
    for n in range(49):
        Comment.objects.create(
            article=make_article(f"Story {n}", comments="open"),
            name=f"R{n}",
            email=f"r{n}@canary.example",
            body=f"Words {n}",
        )
    assert queries() == (one, 50)
    assert one <= ADMIN_LIST_QUERY_LIMIT
