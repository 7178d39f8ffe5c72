"""Each public newsletter's archive has an Atom feed of its sent issues: never a draft, an issue
still going out, a members' letter or the email-only text; linked from the archive and from
every page's list of feeds, and cached like the site's other feeds."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.factories import make_article
from newsletters import sending
from newsletters.factories import make_issue, make_members_letter, make_newsletter, subscribed

pytestmark = pytest.mark.django_db(transaction=True)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def daily():
    return make_newsletter()


def sent(newsletter, subject, **fields):
    """An issue of the newsletter that has gone out (to nobody: the send finishes at once)."""
    story = make_article(f"The story in {subject}", standfirst="What happened, and why.")
    issue = make_issue(newsletter, subject, articles=[story], **fields)
    sending.start(issue)
    issue.refresh_from_db()
    return issue


def entries(response):
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output, proved well-formed
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_sent_issues_newest_first_and_nothing_else(anonymous, daily):
    first = sent(daily, "Monday's stories")
    second = sent(daily, "Tuesday's stories", email_only="Only for our readers' inboxes.")
    make_issue(daily, "A draft nobody has seen")
    subscribed(daily, "reader@example.com")
    going_out = make_issue(daily, "Still going out")
    sending.start(going_out)  # one reader and no worker yet: it stays "sending"

    response = anonymous.get("/newsletters/daily/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root, found = entries(response)
    assert root.find(f"{ATOM}title").text == "The Daily Canary | The Canary"
    assert [entry.find(f"{ATOM}title").text for entry in found] == [second.subject, first.subject]
    [link] = found[0].findall(f"{ATOM}link")
    assert link.get("href") == "http://127.0.0.1:8000" + second.get_absolute_url()
    content = found[0].find(f"{ATOM}content").text
    assert "The story in Tuesday" in content and "What happened, and why." in content
    body = response.content.decode()
    assert "Only for our readers" not in body and "draft nobody" not in body and "Still going" not in body
    assert "/newsletters/leave/" not in body


def test_a_members_letter_a_hidden_letter_and_an_unknown_slug_have_no_feed(anonymous):
    members = make_members_letter()
    sent(members, "What your money did")
    hidden = make_newsletter("Hidden", "hidden", public=False)
    sent(hidden, "Nobody should see this")
    for slug in ("members", "hidden", "nope"):
        assert anonymous.get(f"/newsletters/{slug}/feed/").status_code == 404, slug


def test_the_feed_costs_the_same_few_queries_however_many_issues(
    anonymous, settings, daily, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # measure the feed; the page cache is tested elsewhere
    sent(daily, "The first")
    # The newsletter, its issues, their stories.
    with django_assert_num_queries(3):
        anonymous.get("/newsletters/daily/feed/")
    for n in range(6):
        sent(daily, f"Issue {n}")
    with django_assert_num_queries(3):
        response = anonymous.get("/newsletters/daily/feed/")
    assert len(entries(response)[1]) == 7


def test_the_feed_is_cached_for_everyone_like_the_sites_own(anonymous, daily):
    sent(daily, "Monday's stories")
    ours, theirs = anonymous.get("/newsletters/daily/feed/"), anonymous.get(reverse("articles:feed-atom"))
    assert ours["Cache-Control"] == theirs["Cache-Control"]
    assert "public" in ours["Cache-Control"] and not ours.cookies


def test_the_archive_and_every_page_point_feed_readers_to_it(anonymous, daily):
    make_members_letter()
    feed = reverse("newsletters:feed", args=["daily"])
    archive = anonymous.get(daily.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="The Daily Canary: past issues" href="{feed}">'
        in archive
    )
    assert f'<a href="{feed}">' in archive  # visible, for a reader who wants to copy it
    home = anonymous.get("/").content.decode()
    assert f'href="{feed}"' in home and "/newsletters/members/feed/" not in home


def test_a_sent_issue_is_in_the_cached_archive_and_feed_at_once_and_a_draft_changes_nothing(anonymous, daily):
    sent(daily, "Monday news")
    waiting, tuesday = make_article("A story for later"), make_issue(daily, "Tuesday news")
    archive, feed = (
        reverse("newsletters:archive", args=[daily.slug]),
        reverse("newsletters:feed", args=[daily.slug]),
    )
    for path in (archive, feed):
        anonymous.get(path)
        assert anonymous.get(path)["X-Cache"] == "hit"
    # An editor writing tomorrow's issue changes no reader's page.
    make_issue(daily, "Tuesday draft", articles=[waiting])
    assert anonymous.get(archive)["X-Cache"] == "hit"
    # The send finishing does: the next reader gets the new issue, not the kept page.
    sending.start(tuesday)
    for path in (archive, feed):
        response = anonymous.get(path)
        assert response["X-Cache"] == "miss" and "Tuesday news" in response.content.decode()
