"""Shared steps for the supporter tests: give through the dev checkout like a reader does."""

import re

from supporters.models import Donation


def give(
    client, amount="5", frequency="monthly", email="new@example.com", name="New Supporter", pay=True, **extra
):
    response = client.post(
        "/support/",
        {"frequency": frequency, "amount": amount, "name": name, "email": email, "consent": "on", **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    checkout = response["Location"]
    assert checkout.startswith("/support/checkout/test/")
    page = client.get(checkout)
    assert "TEST MODE" in page.content.decode()
    finished = client.post(checkout, {"action": "pay" if pay else "decline"})
    donation = Donation.objects.latest("id")
    return donation, finished


def link_from(text):
    return re.search(r"https?://\S+", text).group(0)
