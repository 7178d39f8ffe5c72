"""A suppressed address comes back only by a fresh confirmed opt-in, and only to the letter it
confirms: a bounce, a complaint or an old list's unsubscribe holds until the reader asks again
and confirms from the mailbox; an import or an unconfirmed sign-up never lifts it."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from newsletters import audience
from newsletters.factories import make_newsletter, subscribed
from newsletters.models import Subscriber, Subscription, Suppression, address_hash

pytestmark = pytest.mark.django_db(transaction=True)
ADDRESS = "reader@example.com"


def ask_and_confirm(client, newsletter):
    mail.outbox.clear()
    data = {"email": ADDRESS, "name": "", "newsletters": [newsletter.pk], "page": "/"}
    client.post("/newsletters/sign-up/", data, REMOTE_ADDR="192.0.2.10")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [message] = mail.outbox
    link = re.search(r"http://127\.0\.0\.1:8000(/newsletters/confirm/\S+/)", message.body).group(1)
    return client, link


def receives(newsletter):
    return ADDRESS in {subscriber.email for subscriber in audience.recipients(newsletter)}


@pytest.mark.parametrize("reason", [Suppression.Reason.COMPLAINED, Suppression.Reason.BOUNCED])
def test_after_a_complaint_or_bounce_a_confirmed_opt_in_brings_back_that_letter_only(anonymous, reason):
    daily, weekly = make_newsletter("The Daily", slug="daily"), make_newsletter("The Weekly", slug="weekly")
    for letter in (daily, weekly):
        subscribed(letter, ADDRESS)
    Subscriber.objects.filter(email=ADDRESS).update(soft_bounces=2)
    Suppression.objects.create(address_hash=address_hash(ADDRESS), newsletter=None, reason=reason)
    assert not receives(daily) and not receives(weekly)

    client, link = ask_and_confirm(anonymous, daily)
    # Asking is not enough: until the button is pressed in the mailbox, nothing changes.
    assert not receives(daily)
    client.post(link)
    assert receives(daily)
    assert not receives(weekly)  # still held: the reader asked for the daily alone
    assert Subscriber.objects.get(email=ADDRESS).soft_bounces == 0
    # The hold on the weekly keeps its reason, and no import lifts it.
    kept = Suppression.objects.get(address_hash=address_hash(ADDRESS), newsletter=weekly)
    assert kept.reason == reason


def test_an_old_lists_unsubscribe_is_lifted_by_the_readers_own_confirmation(anonymous):
    daily = make_newsletter("The Daily", slug="daily")
    Suppression.objects.create(
        address_hash=address_hash(ADDRESS), newsletter=daily, reason=Suppression.Reason.IMPORTED
    )
    client, link = ask_and_confirm(anonymous, daily)
    client.post(link)
    assert Subscription.objects.get(subscriber__email=ADDRESS, newsletter=daily).status == "subscribed"
    assert receives(daily)
