"""Buying a gift membership as a reader does, and reading what reached the mailboxes."""

import re

from django.core import mail

from core import clock
from supporters.models import Donation
from tests.test_accounts import deliver

GIFT = {
    "recipient_name": "Robin Recipient",
    "recipient_email": "robin@example.com",
    "send": "now",
    "message": "Happy birthday! <b>Read</b> well & often.",
    "buyer_name": "Bea Buyer",
    "buyer_email": "bea@example.com",
    "consent": "on",
}


def order_gift(client, **changes):
    """Submit the gift form; returns the response (a redirect to the checkout when it is valid)."""
    return client.post("/support/gift/", {**GIFT, **changes})


def buy_gift(client, pay=True, **changes):
    """Order a gift and pay (or decline) through the dev checkout."""
    response = order_gift(client, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    checkout = response["Location"]
    assert checkout.startswith("/support/checkout/test/")
    finished = client.post(checkout, {"action": "pay" if pay else "decline"})
    return Donation.objects.latest("id"), finished


def inbox(to=None, subject=""):
    """What reached the mailboxes once the worker has sent what the outbox holds."""
    deliver()
    return [m for m in mail.outbox if subject in m.subject and (to is None or m.to == [to])]


def run_clock(at):
    clock.tick(at)
    deliver()


def claim_link(message):
    return re.search(r"https?://\S+/support/gift/claim/\S+/", message.body).group(0)


def claim_path(message):
    return re.sub(r"^https?://[^/]+", "", claim_link(message))
