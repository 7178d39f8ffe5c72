"""Leaving a newsletter on a phone: the link from the email, one button, done."""

from django.utils import timezone
from playwright.sync_api import expect

from newsletters.factories import make_newsletter
from newsletters.links import leave_url
from newsletters.models import Subscriber, Subscription


def test_a_reader_on_a_phone_leaves_with_one_press_and_sees_it_done(
    phone_page, live_server, transactional_db
):
    daily = make_newsletter()
    subscription = Subscription.objects.create(
        subscriber=Subscriber.objects.create(email="reader@example.com"),
        newsletter=daily,
        status=Subscription.Status.SUBSCRIBED,
        confirmed_at=timezone.now(),
    )
    link = leave_url(subscription.subscriber, daily).removeprefix("http://127.0.0.1:8000")
    phone_page.goto(link)
    expect(phone_page.get_by_role("heading", name="Leave The Daily Canary?")).to_be_visible()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.SUBSCRIBED  # opening the link changes nothing

    button = phone_page.get_by_role("button", name="Unsubscribe")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 390  # a thumb-sized target, on screen
    button.click()
    expect(phone_page.get_by_role("heading", name="You have left The Daily Canary")).to_be_visible()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert phone_page.context.cookies() == []
