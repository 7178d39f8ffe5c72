"""A reader signing in, paying, managing an account or their email sees no appeal and no ad:
those pages interrupt nothing. Reading pages keep both."""

import pytest
from django.urls import reverse

from articles.factories import make_article, make_image
from newsletters.factories import make_newsletter
from supporters.models import AdSlot, CallToAction, HouseAd

pytestmark = pytest.mark.django_db


@pytest.fixture
def interruptions():
    CallToAction.objects.create(
        name="Banner", placement="banner", headline="Banner appeal words", link=reverse("supporters:support")
    )
    slot = AdSlot.objects.create(placement="header")
    HouseAd.objects.create(
        slot=slot, name="Book club", image=make_image(alt_text="Header house ad"), link="/"
    )


def shows(client, path):
    text = client.get(path).content.decode()
    return "Banner appeal words" in text, 'alt="Header house ad"' in text


@pytest.mark.parametrize(
    "name",
    [
        "supporters:support",
        "supporters:sign-in",
        "supporters:give-gift",
        "newsletters:check-email",
    ],
)
def test_pages_where_a_reader_is_busy_show_no_appeal_and_no_ad(anonymous, interruptions, name):
    response = anonymous.get(reverse(name))
    assert response.status_code == 200
    assert shows(anonymous, reverse(name)) == (False, False)


def test_the_sign_up_form_page_is_uninterrupted_but_the_newsletter_archive_is_a_reading_page(
    anonymous, interruptions
):
    letter = make_newsletter(public=True)
    assert shows(anonymous, reverse("newsletters:archive", args=[letter.slug])) == (True, True)


def test_reading_pages_keep_the_appeal_and_the_ad(anonymous, interruptions):
    story = make_article("Read me")
    for path in ("/", story.get_absolute_url(), reverse("articles:latest")):
        assert shows(anonymous, path) == (True, True), path
