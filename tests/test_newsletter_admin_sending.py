"""From the issue page: a test to me, send or schedule with a confirmation naming the count,
cancel, pause and resume, the sending status, and the clicks per link once it has gone."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.factories import make_article
from newsletters import sending
from newsletters.factories import make_issue, make_newsletter, subscribed
from newsletters.models import Delivery, Issue, Suppression, address_hash
from tests.newsletter_admin_helpers import ISSUES, editor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def daily():
    return make_newsletter()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def readers(newsletter, count):
    return [subscribed(newsletter, f"reader{n}@example.com") for n in range(count)]


def test_the_confirmation_names_the_newsletter_and_how_many_will_get_it(daily):
    client, _ = editor()
    readers(daily, 3)
    subscribed(daily, "pending@example.com", status="pending")
    subscribed(daily, "bounced@example.com")
    Suppression.objects.create(address_hash=address_hash("bounced@example.com"), reason="bounced")
    issue = make_issue(daily, "Big news", [make_article("Story")])
    page = client.get(f"{ISSUES}{issue.pk}/send/").content.decode()
    assert "<strong>3 recipients</strong>" in page and "<strong>The Daily Canary</strong>" in page
    assert "Confirm: send to 3" in page
    # Opening the confirmation sends nothing.
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT and not Delivery.objects.exists()


def test_send_now_goes_to_everyone_and_the_page_shows_its_progress_then_its_clicks(smtp_server, daily):
    client, _ = editor()
    readers(daily, 3)
    story = make_article("Council votes")
    issue = make_issue(daily, "Big news", [story])
    response = client.post(f"{ISSUES}{issue.pk}/send/", {"when": "now"}, follow=True)
    assert "Sending to 3 recipients." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING and issue.recipients == 3
    page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert '<meta http-equiv="refresh" content="15">' in page
    assert "Still to go</dt><dd>3</dd>" in page and "0% done" in page
    # A second press of the button (or a second editor) sends nothing more.
    response = client.post(f"{ISSUES}{issue.pk}/send/", {"when": "now"}, follow=True)
    assert "this issue is sending" in response.content.decode()
    run_worker()
    assert len(smtp_server.messages) == 3
    page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert "Sent</dt><dd>3</dd>" in page and "100% done" in page and 'http-equiv="refresh"' not in page
    # The story's link in the email goes through the counting redirect, and on to the story.
    text, html = smtp_server.parts(smtp_server.messages[0])
    [link] = set(re.findall(r"http://[^\s\"]+/newsletters/go/[^\s\"/]+/", text))
    assert story.get_absolute_url() not in text
    for _ in range(2):
        response = client.get(link.removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 302
        landing = urlsplit(response["Location"])
        assert landing.path == story.get_absolute_url()
        assert landing.query == f"via=newsletter&issue={issue.pk}"
    page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert re.search(r"Council votes<div.*?</div></td><td class=\"number\">2</td>", page)


def test_schedule_for_later_then_cancel_before_it_starts(daily):
    client, _ = editor()
    readers(daily, 2)
    issue = make_issue(daily, "Tomorrow", [make_article("Story")])
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"{ISSUES}{issue.pk}/send/", {"when": "later", "send_at": past})
    assert "That time has passed" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    later = timezone.localtime() + timedelta(days=1)
    response = client.post(
        f"{ISSUES}{issue.pk}/send/",
        {"when": "later", "send_at": later.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert f"Scheduled for {later:%-d %B at %H:%M}." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED and issue.send_at.strftime("%H:%M") == later.astimezone(
        issue.send_at.tzinfo
    ).strftime("%H:%M")
    assert "Cancel: do not send" in client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    response = client.post(f"{ISSUES}{issue.pk}/cancel/", follow=True)
    assert "Cancelled: it will not be sent." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CANCELLED
    assert sending.start_due_issues(timezone.now() + timedelta(days=2)) == 0
    assert not Delivery.objects.exists()


def test_pause_and_resume_while_it_sends_and_illegal_moves_are_a_message(smtp_server, daily):
    client, _ = editor()
    readers(daily, 2)
    issue = make_issue(daily, "Going out", [make_article("Story")])
    response = client.post(f"{ISSUES}{issue.pk}/cancel/", follow=True)
    assert response.status_code == 200  # a draft may be cancelled: it never goes
    issue = make_issue(daily, "Going out", [make_article("Story")])
    sending.start(issue)
    response = client.post(f"{ISSUES}{issue.pk}/cancel/", follow=True)
    assert (
        "Only a draft or a scheduled issue can be cancelled; this issue is sending."
        in response.content.decode()
    )
    response = client.post(f"{ISSUES}{issue.pk}/resume/", follow=True)
    assert "Only a paused issue can be resumed; this issue is sending." in response.content.decode()
    response = client.post(f"{ISSUES}{issue.pk}/pause/", follow=True)
    assert "Paused: the workers stop" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.PAUSED
    run_worker()
    assert smtp_server.messages == []
    assert "Resume sending" in client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    response = client.post(f"{ISSUES}{issue.pk}/resume/", follow=True)
    assert "Resumed: the rest is on its way." in response.content.decode()
    run_worker()
    assert len(smtp_server.messages) == 2
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_a_get_changes_nothing(daily):
    client, _ = editor()
    issue = make_issue(daily, "Stay put")
    sending.start(issue)
    for move in ("pause", "cancel", "resume", "test"):
        assert client.get(f"{ISSUES}{issue.pk}/{move}/").status_code == 405
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT  # nobody to send to


def test_an_empty_issue_is_not_sent(daily):
    client, _ = editor()
    readers(daily, 1)
    issue = make_issue(daily, "Nothing", introduction="")
    response = client.post(f"{ISSUES}{issue.pk}/send/", {"when": "now"}, follow=True)
    assert "Add a story or an introduction before sending." in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT
