"""A reader's whole way with the daily newsletter, on a phone in real Chromium, every email
through a real SMTP server: sign up under an article, confirm from the email, receive the next
digest the clock sends, leave with one press from its link, and hear no more."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.factories import make_article
from core import clock
from newsletters.factories import make_newsletter, subscribed
from newsletters.models import Subscription

LONDON = ZoneInfo("Europe/London")
SITE = "http://127.0.0.1:8000"  # SITE_URL in the tests: the emails' links, read as paths here
READER = "robin.reader@example.org"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def link_in(html, path):
    """The path of the first link in an email's HTML that goes under `path`."""
    return re.search(rf'href="{re.escape(SITE)}({re.escape(path)}[^"]+)"', html).group(1)


def to_reader(inbox):
    return [message for message in inbox.messages if message.recipients == [READER]]


@pytest.fixture
def story(transactional_db):
    daily = make_newsletter()
    subscribed(daily, "neighbour@example.com")  # someone else on the list, so every send has a reader
    return make_article(
        "Tenants begin a rent strike over damp",
        standfirst="Forty-seven households are withholding rent until repairs are made.",
        published_at=timezone.now() - timedelta(hours=1),
        comments="open",
    )


def sign_up_from_the_article(page, story):
    page.goto(story.get_absolute_url())
    form = page.locator("form.newsletter-signup__form")
    expect(form).to_be_visible()
    box = form.bounding_box()
    comments = page.locator("#comment-form").bounding_box()
    assert box["y"] + box["height"] <= comments["y"]  # above the comments
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # nothing off a phone's screen
    form.get_by_label("The Daily Canary").check()
    form.get_by_label("Email address").fill(READER)
    return form


def test_a_reader_on_a_phone_signs_up_confirms_gets_the_digest_and_leaves_with_one_press(
    phone_page, live_server, smtp_server, story
):
    page = phone_page
    form = sign_up_from_the_article(page, story)
    # The cached page's form has no token until the reader starts to fill it in.
    expect(form).to_have_attribute("action", "/newsletters/sign-up/")
    form.get_by_label("Name (optional)").fill("Robin")
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    run_worker()  # the outbox hands the confirmation to the mail server
    [confirmation] = to_reader(smtp_server)
    text, html = smtp_server.parts(confirmation)
    assert "Robin" not in text + html  # a typed name never reaches anyone's inbox
    page.goto(link_in(html, "/newsletters/confirm/"))
    expect(page.get_by_role("heading", name="Confirm your subscription")).to_be_visible()
    assert not Subscription.objects.filter(subscriber__email=READER, status="subscribed").exists()
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()

    # The clock builds the day's digest at 07:00 London; the worker sends it.
    day = (timezone.now() - timedelta(days=1)).astimezone(LONDON).date()
    clock.tick(datetime.combine(day, time(7, 0), tzinfo=LONDON))
    run_worker()
    [digest] = to_reader(smtp_server)[1:]
    assert digest["Subject"].startswith("The Daily Canary, ") and story.headline in digest["Subject"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = smtp_server.parts(digest)
    assert story.headline in text and story.headline in html

    page.goto(link_in(html, "/newsletters/leave/"))
    expect(page.get_by_role("heading", name="Leave The Daily Canary?")).to_be_visible()
    assert Subscription.objects.get(subscriber__email=READER).status == "subscribed"  # a GET leaves nobody
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You have left The Daily Canary")).to_be_visible()

    make_article("A later story", published_at=timezone.now())
    call_command("send_digest", "daily", verbosity=0, stdout=None)
    run_worker()
    assert len(to_reader(smtp_server)) == 2  # the confirmation and the one digest, no more
    assert [m.recipients for m in smtp_server.messages[-1:]] == [["neighbour@example.com"]]


def test_without_javascript_the_same_form_signs_up_through_its_check_step(
    browser, live_server, smtp_server, story
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    form = sign_up_from_the_article(page, story)
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Sign up for our newsletters")).to_be_visible()
    assert Subscription.objects.filter(subscriber__email=READER).count() == 0  # the check stores nothing
    expect(page.get_by_label("The Daily Canary")).to_be_checked()
    page.get_by_role("button", name="Sign me up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    run_worker()
    assert len(to_reader(smtp_server)) == 1
    assert Subscription.objects.get(subscriber__email=READER).status == "pending"
    context.close()
