"""Readership in real Chromium: one beacon a view and one at the story's end, no cookie, and
nothing at all from a browser that asks not to be tracked or whose reader objected."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db.models import Sum
from playwright.sync_api import expect

from articles.factories import make_article, make_page
from articles.models import Page
from readership import counting
from readership.models import Tally


@pytest.fixture(autouse=True)
def no_counts_from_other_tests():
    counting.local.take()  # this process's batch is shared by every test in it
    yield
    counting.local.take()


# Headless Chromium names itself in its user agent, which the beacon drops as a bot.
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


@pytest.fixture
def story(transactional_db):
    make_page("Privacy notice", slug="privacy", body="<p>What we count.</p>")
    return make_article(
        "Tenants begin a rent strike over damp",
        body="".join(f"<p>Paragraph {n} of the report, long enough to scroll past.</p>" for n in range(60)),
    )


def reader_context(browser, live_server, **options):
    return browser.new_context(base_url=live_server.url, user_agent=READER_AGENT, **options)


def beacons_of(page):
    sent = []
    page.on(
        "request",
        lambda request: sent.append(request) if request.url.endswith("/readership/count/") else None,
    )
    return sent


def views():
    counting.fold_counts(datetime.now(UTC))
    return Tally.objects.filter(metric="view").aggregate(total=Sum("count"))["total"] or 0


def test_a_readers_visit_sends_one_beacon_to_this_site_only_and_gets_no_cookie(browser, live_server, story):
    context = reader_context(browser, live_server)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    sent = beacons_of(page)
    page.goto(story.get_absolute_url())
    expect(page.locator("h1")).to_have_text(story.headline)
    page.wait_for_timeout(500)
    assert [request.method for request in sent] == ["POST"]
    assert "e=view" in sent[0].post_data and "p=%2F" in sent[0].post_data
    page.locator(".story__body p").last.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert len(sent) == 2 and "e=read" in sent[1].post_data
    assert context.cookies() == []
    assert hosts == {urlsplit(live_server.url).netloc}
    assert views() == 1 and Tally.objects.get(metric="read").count == 1
    context.close()


def test_a_browser_with_global_privacy_control_sends_nothing(browser, live_server, story):
    context = reader_context(browser, live_server, extra_http_headers={"Sec-GPC": "1"})
    context.add_init_script("Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})")
    page = context.new_page()
    sent = beacons_of(page)
    page.goto(story.get_absolute_url())
    page.wait_for_timeout(500)
    assert sent == [] and views() == 0
    context.close()


def test_a_reader_who_objects_on_the_privacy_notice_is_not_counted_until_they_change_their_mind(
    browser, live_server, story
):
    context = reader_context(browser, live_server)
    page = context.new_page()
    sent = beacons_of(page)
    page.goto("/about/privacy/")
    page.wait_for_timeout(300)
    assert len(sent) == 1  # the notice itself was counted before the reader objected
    page.get_by_role("button", name="Don't count my visits").click()
    expect(page.get_by_role("button", name="Count my visits again")).to_have_attribute("aria-pressed", "true")
    page.goto(story.get_absolute_url())
    page.wait_for_timeout(500)
    assert len(sent) == 1
    page.goto("/about/privacy/")
    page.get_by_role("button", name="Count my visits again").click()
    page.goto(story.get_absolute_url())
    page.wait_for_timeout(500)
    assert len(sent) == 2
    assert context.cookies() == []
    context.close()


def test_the_demos_privacy_notice_leads_to_the_button_and_pressing_it_stops_the_counts(
    browser, live_server, story
):

    Page.objects.filter(slug="privacy").delete()  # the demo's own notice, not the fixture's
    call_command("seed_demo", verbosity=0)
    context = reader_context(browser, live_server)
    page = context.new_page()
    sent = beacons_of(page)
    page.goto("/about/privacy/")
    expect(page.get_by_role("heading", name="What we count when you read")).to_be_visible()
    page.get_by_role("link", name='"Don\'t count my visits" button').click()
    button = page.get_by_role("button", name="Don't count my visits")
    expect(button).to_be_in_viewport()
    button.click()
    expect(page.get_by_role("status")).to_have_text("This browser sends no counts.")
    page.goto(story.get_absolute_url())
    page.wait_for_timeout(500)
    assert len(sent) == 1  # the notice itself, before the reader objected
    assert context.cookies() == []
    context.close()


def test_a_reader_from_a_newsletter_issue_is_counted_for_that_issue(browser, live_server, story, settings):
    from newsletters import sending
    from newsletters.factories import make_issue, make_newsletter, subscribed
    from newsletters.models import IssueLink

    settings.SITE_URL = live_server.url  # the issue's links and its redirect lead here
    letter = make_newsletter()
    subscribed(letter, "reader@example.com")
    issue = make_issue(letter, "Monday's news", [story])
    sending.start(issue)
    link = IssueLink.redirects(issue)[live_server.url + story.get_absolute_url()]
    context = reader_context(browser, live_server)
    page = context.new_page()
    sent = beacons_of(page)
    page.goto(link)
    expect(page.locator("h1")).to_have_text(story.headline)
    page.wait_for_timeout(500)
    assert "v=newsletter" in sent[0].post_data and f"n={issue.pk}" in sent[0].post_data
    assert views() == 1 and Tally.objects.get(metric="view").issue == issue.pk
    assert context.cookies() == []
    context.close()
