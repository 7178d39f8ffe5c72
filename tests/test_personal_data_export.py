"""A supporter's "Download my data" holds the consent they gave, with each gift."""

import json

import pytest
from django.test import Client

from tests.security_helpers import sign_in_by_link
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db


def test_the_download_says_when_the_privacy_notice_was_agreed_to_with_each_gift():
    donation, _ = give(Client(), email="mo@example.com", frequency="one_off", amount="10")
    browser = sign_in_by_link(donation.supporter, Client())
    data = json.loads(browser.get("/account/data/").content)
    (gift,) = data["donations"]
    donation.refresh_from_db()
    assert gift["agreed_to_privacy_notice_at"] == donation.consent_at.isoformat()
