"""Who publishes the site, at the foot of every reader page (the settings the emails use), and
the page that explains feeds and lists every one, which the footer and list pages lead to."""

import re

import pytest
from django.urls import reverse

from articles.factories import make_article, make_author, make_section
from canary.environment import env_links
from newsletters.factories import make_members_letter, make_newsletter

pytestmark = pytest.mark.django_db


def test_every_reader_page_names_the_co_op_behind_it(anonymous, settings):
    settings.COOP_LEGAL_NAME = "Canary News Co-operative Ltd"
    settings.COOP_REGISTERED_NUMBER = "IP031234"
    settings.COOP_ADDRESS = "12 Rope Walk, Bristol BS1 4AA"
    settings.COOP_CONTACT_EMAIL = "newsroom@canary.example"
    story = make_article("Footer check")
    for path in ("/", story.get_absolute_url(), reverse("articles:feeds"), reverse("newsletters:index")):
        footer = anonymous.get(path).content.decode().split('<footer class="site-footer">')[1]
        assert "Canary News Co-operative Ltd, registered number IP031234." in footer, path
        assert "12 Rope Walk, Bristol BS1 4AA" in footer
        assert '<a href="mailto:newsroom@canary.example">newsroom@canary.example</a>' in footer
        assert f'<a href="{reverse("articles:feeds")}">Feeds</a>' in footer


def test_development_defaults_say_what_is_not_set_rather_than_invent_it(anonymous):
    footer = anonymous.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert "registered number not set (COOP_REGISTERED_NUMBER)" in footer
    assert "No postal address set (COOP_ADDRESS)" in footer
    # No invented accounts elsewhere.
    assert "site-footer__social" not in footer


def test_social_links_are_plain_links_marked_as_the_co_ops_own(anonymous, settings):
    settings.COOP_SOCIAL_LINKS = [("Mastodon", "https://social.canary.example/@news")]
    footer = anonymous.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="https://social.canary.example/@news" rel="me noopener">Mastodon</a>' in footer
    assert "<script" not in footer.split("</footer>")[0] and "<img" not in footer.split("</footer>")[0]


@pytest.mark.parametrize(
    "value, links",
    [
        ("", []),
        (
            "Mastodon=https://social.canary.example/@news, Bluesky=https://bsky.app/profile/canary.example",
            [
                ("Mastodon", "https://social.canary.example/@news"),
                ("Bluesky", "https://bsky.app/profile/canary.example"),
            ],
        ),
    ],
)
def test_social_links_are_read_from_the_environment(monkeypatch, value, links):
    monkeypatch.setenv("COOP_SOCIAL_LINKS", value)
    assert env_links("COOP_SOCIAL_LINKS") == links


@pytest.mark.parametrize(
    "value",
    [
        "https://social.canary.example/@news",
        "Mastodon=http://insecure.example",
        "Mastodon=javascript:alert(1)",
        "=https://x.example",
    ],
)
def test_a_malformed_social_link_stops_the_server_with_the_variables_name(monkeypatch, value):
    monkeypatch.setenv("COOP_SOCIAL_LINKS", value)
    with pytest.raises(ValueError, match="COOP_SOCIAL_LINKS: .* is not Name=https://address"):
        env_links("COOP_SOCIAL_LINKS")


def test_the_feeds_page_lists_every_feed_by_its_full_address_and_each_one_answers(anonymous, settings):
    settings.SITE_URL = "https://news.canary.example"
    make_section("Climate")
    make_section("Housing")
    make_article("In the feed")
    make_newsletter("The Morning Canary", slug="morning", public=True)
    make_members_letter()
    response = anonymous.get(reverse("articles:feeds"))
    assert response.status_code == 200
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    assert "A feed is an address that a <strong>feed reader</strong> checks for you" in page
    addresses = re.findall(r'type="text" value="([^"]+)" readonly', page)
    site = "https://news.canary.example"
    assert f"{site}/feed/" in addresses and f"{site}/feed/atom/" in addresses
    assert f"{site}/section/climate/feed/" in addresses and f"{site}/section/housing/feed/" in addresses
    assert f"{site}/newsletters/morning/feed/" in addresses
    # A members-only letter's archive is not offered to everyone.
    assert f"{site}/newsletters/members/feed/" not in addresses
    for address in addresses:
        feed = anonymous.get(address.removeprefix(site))
        assert feed.status_code == 200, address
        assert b"<?xml" in feed.content[:100]
    # Each address has its own label for a screen reader, and a Copy button the script shows.
    assert page.count('data-copy="feed-') == len(addresses)
    assert page.count("<label") >= len(addresses)


def test_list_pages_offer_their_own_feed_and_explain_it(anonymous, settings):
    settings.SITE_URL = "https://news.canary.example"
    section = make_section("Climate")
    writer = make_author("Rosa Reporter")
    make_article("Filed", section=section, authors=[writer], tags=["Floods"])
    for path, feed in (
        (section.get_absolute_url(), "/section/climate/feed/"),
        (writer.get_absolute_url(), f"/author/{writer.slug}/feed/"),
        (reverse("articles:tag", args=["floods"]), "/tag/floods/feed/"),
    ):
        page = anonymous.get(path).content.decode()
        follow = page.split('<section class="feed-follow"')[1].split("</section>")[0]
        assert f'value="https://news.canary.example{feed}"' in follow, path
        assert f'<a href="{reverse("articles:feeds")}">What is a feed?</a>' in follow
        assert anonymous.get(feed).status_code == 200
