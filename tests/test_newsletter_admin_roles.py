"""Who may compose, test and send an issue, and that a test goes to me alone by the real road."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from articles.factories import make_article
from newsletters.factories import make_issue, make_members_letter, make_newsletter, subscribed
from newsletters.models import Delivery, Issue, IssueLink
from tests.newsletter_admin_helpers import ISSUES, editor, issue_form
from tests.security_helpers import signed_in, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def draft():
    daily = make_newsletter()
    subscribed(daily, "reader@example.com")
    return make_issue(daily, "Library saved", [make_article("Council votes")])


@pytest.mark.parametrize("role", ["Contributor", "Moderator", "Finance"])
def test_other_roles_cannot_see_compose_or_send_issues(draft, role):
    client = signed_in(staff_user(role))
    for page in (
        "",
        f"{draft.pk}/change/",
        f"{draft.pk}/preview/",
        f"{draft.pk}/preview/others.html",
        f"{draft.pk}/send/",
        "add/",
    ):
        assert client.get(f"{ISSUES}{page}").status_code == 403, page
    for move in ("send", "test", "cancel", "pause", "resume"):
        assert client.post(f"{ISSUES}{draft.pk}/{move}/", {"when": "now"}).status_code == 403, move
    assert Issue.objects.get(pk=draft.pk).status == Issue.Status.DRAFT
    assert not mail.outbox


def test_an_editor_may_compose_test_and_send_but_never_see_the_subscribers():
    editor_user = staff_user("Editor")
    for permission in (
        "add_issue",
        "change_issue",
        "delete_issue",
        "send_issue",
        "change_story",
        "change_newsletter",
    ):
        assert editor_user.has_perm(f"newsletters.{permission}"), permission
    for permission in (
        "view_subscriber",
        "view_subscription",
        "view_consent",
        "view_suppression",
        "view_delivery",
    ):
        assert not editor_user.has_perm(f"newsletters.{permission}"), permission
    assert signed_in(editor_user).get("/admin/newsletters/subscriber/").status_code in (403, 404)


def test_composing_without_the_send_permission_stops_at_sending(draft):
    writer = staff_user("Editor", "composer")
    writer.groups.clear()
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsletters",
            codename__in=["view_issue", "change_issue", "view_newsletter"],
        )
    )
    client = signed_in(writer)
    page = client.get(f"{ISSUES}{draft.pk}/change/").content.decode()
    assert "Send a test to me" in page and "Send or schedule" not in page
    assert client.get(f"{ISSUES}{draft.pk}/send/").status_code == 403
    assert client.post(f"{ISSUES}{draft.pk}/send/", {"when": "now"}).status_code == 403
    assert client.post(f"{ISSUES}{draft.pk}/pause/").status_code == 403
    assert Issue.objects.get(pk=draft.pk).status == Issue.Status.DRAFT


def test_a_move_without_the_csrf_token_is_refused(draft):
    user = staff_user("Editor")
    client = signed_in(user, enforce_csrf_checks=True)
    for move in ("send", "test", "cancel"):
        assert client.post(f"{ISSUES}{draft.pk}/{move}/", {"when": "now"}).status_code == 403
    assert client.post(f"{ISSUES}add/", issue_form(draft.newsletter, "Forged")).status_code == 403
    assert Issue.objects.get(pk=draft.pk).status == Issue.Status.DRAFT and Issue.objects.count() == 1


def test_a_test_goes_to_me_alone_through_the_newsletter_connection(draft, smtp_server, settings):
    """The newsletters' own route (NEWSLETTER_EMAIL) is the real SMTP server; the site's
    transactional mail stays in memory, so arriving at the server proves the road taken."""
    settings.NEWSLETTER_EMAIL = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": settings.EMAIL_HOST,
        "EMAIL_PORT": settings.EMAIL_PORT,
        "EMAIL_TIMEOUT": 5,
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client, _ = editor(email="ed@newsroom.example")
    response = client.post(f"{ISSUES}{draft.pk}/test/", {"copy": "others"}, follow=True)
    assert (
        "A test of the non-members&#x27; copy is on its way to ed@newsroom.example."
        in response.content.decode()
    )
    [message] = smtp_server.messages
    assert message.recipients == ["ed@newsroom.example"]
    assert message["Subject"] == "[Test] Library saved"
    text, html = smtp_server.parts(message)
    assert "Council votes" in text and "Council votes" in html
    assert "/newsletters/go/" not in text + html and "urn:canary" not in text + html
    assert not mail.outbox
    assert not Delivery.objects.exists() and not IssueLink.objects.exists()
    assert Issue.objects.get(pk=draft.pk).status == Issue.Status.DRAFT


def test_a_test_when_the_mail_server_is_away_says_so(draft, settings):
    settings.NEWSLETTER_EMAIL = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": 9,  # discard: nothing listens
        "EMAIL_TIMEOUT": 2,
    }
    client, _ = editor(email="ed@newsroom.example")
    response = client.post(f"{ISSUES}{draft.pk}/test/", {"copy": "members"}, follow=True)
    assert response.status_code == 200
    assert "The test could not be sent:" in response.content.decode()


def test_a_test_needs_an_address_and_a_members_letter_offers_only_the_members_copy():
    client, user = editor(email="")
    issue = make_issue(make_members_letter(), "Members only")
    page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert "Send a test to me" not in page
    response = client.post(f"{ISSUES}{issue.pk}/test/", follow=True)
    assert "Your account has no email address to send a test to." in response.content.decode()


def test_a_members_letter_is_tested_only_as_the_members_copy():
    client, _ = editor(email="ed@newsroom.example")
    issue = make_issue(make_members_letter(), "Members only", [make_article("For you")])
    response = client.post(f"{ISSUES}{issue.pk}/test/", {"copy": "others"}, follow=True)
    assert "A test of the members&#x27; copy is on its way" in response.content.decode()
    [message] = mail.outbox
    assert message.subject == "[Test] Members only" and message.to == ["ed@newsroom.example"]
