"""Editors compose an issue in the admin from published stories; only a draft can change."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import make_article, make_image
from articles.models import Article
from newsletters.exceptions import NotEditable
from newsletters.factories import make_issue, make_members_letter, make_newsletter
from newsletters.models import Issue, Newsletter, Story
from tests.newsletter_admin_helpers import ISSUES, editor, issue_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


@pytest.fixture
def daily():
    return make_newsletter()


def test_an_editor_composes_an_issue_from_published_stories_in_the_order_chosen(daily):
    client, _ = editor()
    pictured = make_article("Library saved", featured_image=make_image("Readers in the library"))
    plain = make_article("Fares rise")
    data = issue_form(
        daily,
        "Library saved; fares up",
        stories=[(pictured, 2), (plain, 1)],
        preheader="Two stories",
        introduction="Good morning.\n\nA good day.",
        email_only="Only in your inbox.",
    )
    response = client.post(f"{ISSUES}add/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    issue = Issue.objects.get()
    assert (issue.subject, issue.preheader, issue.email_only) == (
        "Library saved; fares up",
        "Two stories",
        "Only in your inbox.",
    )
    assert issue.status == Issue.Status.DRAFT
    first, second = issue.stories.all()
    assert [first.headline, second.headline] == ["Fares rise", "Library saved"]
    assert second.standfirst == pictured.standfirst
    assert second.picture == pictured.featured_image and first.picture is None
    assert second.link == settings.SITE_URL + pictured.get_absolute_url()
    # Its page shows each story with its picture and link.
    page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert f'href="{second.link}"' in page and 'alt="Readers in the library"' in page
    assert "A draft: change it below" in page


def test_an_editor_may_reword_a_story_and_reorder_the_stories(daily):
    client, _ = editor()
    one, two = make_article("One"), make_article("Two")
    issue = make_issue(daily, "Words", [one, two])
    first, second = issue.stories.all()
    second.headline = "Two, told better"
    data = issue_form(daily, "Words", existing=[(first, 5), (second, 1)])
    assert client.post(f"{ISSUES}{issue.pk}/change/", data).status_code == 302
    assert [story.headline for story in issue.stories.all()] == ["Two, told better", "One"]


def test_a_draft_or_a_future_article_cannot_be_picked_and_nothing_is_lost(daily):
    client, _ = editor()
    draft = make_article("Not out yet", status=Article.Status.DRAFT)
    response = client.post(f"{ISSUES}add/", issue_form(daily, "Keep my subject", stories=[(draft, 0)]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page and "Keep my subject" in page
    assert not Issue.objects.exists()


def test_the_article_search_offers_only_published_stories():
    client, _ = editor()
    make_article("Rent strike wins")
    make_article("Rent strike draft", status=Article.Status.DRAFT)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "newsletters", "model_name": "story", "field_name": "article", "term": "rent"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Rent strike wins"]


def test_a_sent_issue_is_read_only_and_a_stale_form_is_refused_with_a_message(daily):
    client, _ = editor()
    issue = make_issue(daily, "As it went", [make_article("Story")])
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT)
    page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
    assert "Only a draft can be changed; this issue is sent." in page
    assert 'name="subject"' not in page  # shown, not offered for editing
    # A form opened while it was a draft, saved after it went.
    response = client.post(f"{ISSUES}{issue.pk}/change/", issue_form(daily, "Changed after"), follow=True)
    assert response.status_code == 200
    assert "Only a draft can be changed or scheduled; this issue is sent. Your changes were not saved." in (
        response.content.decode()
    )
    issue.refresh_from_db()
    assert issue.subject == "As it went"
    assert client.post(f"{ISSUES}{issue.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_the_model_refuses_to_change_an_issue_or_its_stories_once_it_is_no_draft(daily):
    issue = make_issue(daily, "Settled", [make_article("Story")])
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SCHEDULED)
    issue.subject = "Sneaked in"
    with pytest.raises(NotEditable):
        issue.save()
    story = issue.stories.get()
    story.headline = "Sneaked in"
    with pytest.raises(NotEditable):
        story.save()
    with pytest.raises(NotEditable):
        story.delete()
    with pytest.raises(NotEditable):
        Story.from_article(issue, make_article("Late"), 3).save()
    assert Issue.objects.get(pk=issue.pk).subject == "Settled"
    assert list(issue.stories.values_list("headline", flat=True)) == ["Story"]


def test_a_list_bulk_delete_keeps_sent_issues(daily):
    client, _ = editor()
    sent = make_issue(daily, "Sent one")
    Issue.objects.filter(pk=sent.pk).update(status=Issue.Status.SENT)
    draft = make_issue(daily, "Draft one")
    data = {"action": "delete_selected", "_selected_action": [sent.pk, draft.pk], "post": "yes"}
    client.post(ISSUES, data)
    assert set(Issue.objects.values_list("subject", flat=True)) == {"Sent one", "Draft one"}


def test_the_list_shows_each_newsletters_issues_with_status_and_sent_date_in_bounded_queries(daily):
    client, _ = editor()
    members = make_members_letter()

    def page_queries(count):
        for n in range(count):
            make_issue(daily if n % 2 else members, f"Issue {n}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ISSUES, {"newsletter__id__exact": daily.pk})
        assert response.status_code == 200
        return len(queries), response.content.decode()

    few, _ = page_queries(2)
    many, page = page_queries(8)
    assert many == few
    assert "Issue 7" in page and "Issue 6" not in page  # only the daily's
    Issue.objects.filter(subject="Issue 7").update(status=Issue.Status.SENT, finished_at="2026-12-01T07:00Z")
    page = client.get(ISSUES, {"newsletter__id__exact": daily.pk}).content.decode()
    row = re.search(r"Issue 7</a></th>(.*?)</tr>", page, re.S).group(1)
    assert '<td class="field-status">Sent</td>' in row
    assert '<td class="field-finished_at nowrap">1 Dec 2026, 7 a.m.</td>' in row


def test_the_issue_page_is_built_in_the_same_queries_however_many_stories(daily):
    client, _ = editor()

    def queries_for(count):
        articles = [make_article(f"Story {n}", featured_image=make_image()) for n in range(count)]
        issue = make_issue(daily, f"{count} stories", articles)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{ISSUES}{issue.pk}/change/").status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(6)


def test_a_sending_issues_status_and_clicks_are_built_in_the_same_queries_however_many_links(daily):
    from newsletters import sending
    from newsletters.factories import subscribed

    client, _ = editor()
    subscribed(daily, "reader@example.com")

    def queries_for(count):
        issue = make_issue(daily, f"{count} links", [make_article(f"Story {n}") for n in range(count)])
        sending.start(issue)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"{ISSUES}{issue.pk}/change/").content.decode()
        assert "Sending status" in page and page.count("Open the story") == count
        assert "Clicks per link" in page
        return len(queries)

    queries_for(1)  # the first page of a process looks up what it then keeps (content types)
    assert queries_for(2) == queries_for(6)


def test_the_preview_shows_both_copies_at_phone_and_desktop_width_and_their_text(daily):
    client, _ = editor()
    issue = make_issue(daily, "Preview me", [make_article("Council votes")], email_only="Inbox only.")
    page = client.get(f"{ISSUES}{issue.pk}/preview/").content.decode()
    for copy in ("others", "members"):
        assert page.count(f'src="{ISSUES}{issue.pk}/preview/{copy}.html"') == 2
    assert 'class="phone"' in page and "Non-members' copy" in page
    assert "Council votes" in page and "Inbox only." in page  # the text versions
    assert "urn:canary" not in page
    framed = client.get(f"{ISSUES}{issue.pk}/preview/others.html")
    assert (
        framed.status_code == 200
        and b"Council votes" in framed.content
        and b"urn:canary" not in framed.content
    )
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "script-src" not in framed["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
    assert client.get(f"{ISSUES}{issue.pk}/preview/everyone.html").status_code == 404


def test_a_members_letter_is_previewed_only_as_the_members_copy():
    client, _ = editor()
    issue = make_issue(make_members_letter(), "For members")
    page = client.get(f"{ISSUES}{issue.pk}/preview/").content.decode()
    assert "Non-members" not in page and "Members' copy" in page


def test_each_newsletter_links_to_its_own_issues(daily):
    client, _ = editor()
    page = client.get("/admin/newsletters/newsletter/").content.decode()
    assert f'href="{ISSUES}?newsletter__id__exact={daily.pk}"' in page


def test_a_newsletters_name_and_sender_go_on_one_line_or_not_at_all():
    """They go into every message's From and List-Id headers: a forged line break is refused
    with a message, never stored to stop a send later."""
    client, _ = editor()
    form = {
        "name": "The Daily\r\nBcc: everyone@example.com",
        "slug": "daily",
        "description": "",
        "audience": "everyone",
        "public": "on",
        "position": "0",
        "sender_name": "Canary\nnews",
        "reply_to": "",
        "schedule": "manual",
        "send_time": "",
        "weekday": "",
    }
    response = client.post("/admin/newsletters/newsletter/add/", form)
    assert response.status_code == 200
    assert response.content.decode().count("Write it on one line") == 2
    assert not Newsletter.objects.exists()
