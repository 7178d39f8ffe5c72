"""Odd but plausible things editors type: each gets a clear answer, and readers never an error page."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from articles.admin.history import _word_diff
from articles.factories import make_article
from articles.models import Article, BlockedCommenter, Page
from supporters.models import AmountPreset, CallToAction, GivingPage
from tests.editorial_helpers import CHANGE, article_form, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    client = Client()
    client.force_login(staff("eddie", "Editor"))
    return client


@pytest.fixture
def moderator():
    client = Client()
    client.force_login(staff("mo", "Moderator"))
    return client


@pytest.mark.parametrize("name", ["住房", "Ελλάδα", "Café culture"])
def test_a_tag_in_any_alphabet_gets_its_own_page(editor, anonymous, name):
    article = make_article("Council cuts")
    assert editor.post(CHANGE.format(article.pk), article_form(article, tags=name)).status_code == 302
    story = anonymous.get(article.get_absolute_url())
    assert story.status_code == 200
    tag = article.tags.get()
    assert tag.name == name
    tag_page = anonymous.get(f"/tag/{tag.slug}/")
    assert tag_page.status_code == 200
    assert "Council cuts" in tag_page.content.decode()


def test_a_tag_without_a_letter_or_number_is_refused_with_a_reason(editor):
    article = make_article("Council cuts")
    response = editor.post(CHANGE.format(article.pk), article_form(article, tags="!!!"))
    assert response.status_code == 200
    assert "a tag needs at least one letter or number" in response.content.decode()
    assert not article.tags.exists()


def test_an_overlong_tag_is_refused_and_the_rest_of_the_edit_kept_on_the_form(editor):
    article = make_article("Council cuts")
    data = article_form(article, tags="x" * 150, headline="Council cuts deepen")
    response = editor.post(CHANGE.format(article.pk), data)
    text = response.content.decode()
    assert "Tags are at most 100 characters" in text
    assert 'value="Council cuts deepen"' in text
    article.refresh_from_db()
    assert article.headline == "Council cuts"


def test_emptying_a_published_articles_slug_makes_one_and_the_old_address_still_leads_there(
    editor, anonymous
):
    article = make_article("Council cuts")
    old_url = article.get_absolute_url()
    response = editor.post(CHANGE.format(article.pk), article_form(article, slug="", headline="Budget cuts"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "budget-cuts"
    assert anonymous.get(article.get_absolute_url()).status_code == 200
    assert anonymous.get(old_url).url == article.get_absolute_url()


def test_a_draft_with_its_slug_emptied_publishes_without_breaking_the_home_page(editor, anonymous):
    article = make_article("Quiet draft", status=Article.Status.DRAFT)
    editor.post(CHANGE.format(article.pk), article_form(article, slug=""))
    editor.post("/admin/articles/article/", {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.slug == "quiet-draft"
    assert article.status == Article.Status.PUBLISHED
    for url in ("/", "/latest/", "/feed/"):
        assert anonymous.get(url).status_code == 200


def test_blocking_an_address_already_blocked_in_other_capitals_says_so(moderator):
    BlockedCommenter.objects.create(email="troll@example.com")
    response = moderator.post(
        "/admin/articles/blockedcommenter/add/", {"email": "Troll@Example.com", "reason": ""}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert BlockedCommenter.objects.count() == 1


@pytest.mark.parametrize(
    "link",
    ["/support/?amount=5", "/support/?utm_source=banner", "/support", "http://127.0.0.1:8000/support/"],
)
def test_an_appeal_for_money_is_known_however_its_link_is_written(link):
    appeal = CallToAction(name="Give", headline="Give", placement="banner", audience="everyone", link=link)
    assert appeal.asks_for_money
    assert not appeal.suits(member=True)


def test_an_appeal_to_another_page_is_not_an_appeal_for_money():
    appeal = CallToAction(name="Read", headline="Read", placement="banner", link="/about/supporters/")
    assert not appeal.asks_for_money


def test_an_appeal_that_ends_before_it_starts_is_refused():
    start = timezone.now()
    appeal = CallToAction(
        name="Give",
        headline="Give",
        placement="end",
        active_from=start,
        active_until=start - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="The end comes before the start"):
        appeal.full_clean()


def test_a_preset_the_support_form_would_refuse_cannot_be_offered():
    with pytest.raises(ValidationError, match="Offer between 100 and"):
        AmountPreset(frequency="one_off", amount_pence=50).full_clean()
    AmountPreset(frequency="one_off", amount_pence=500).full_clean()


def test_a_very_long_rewritten_paragraph_shows_as_replaced_whole_in_the_history():
    old = " ".join(f"word{n}" for n in range(3000))
    new = " ".join(f"term{n}" for n in range(3000))
    shown = str(_word_diff(old, new))
    assert shown == f"<del>{old}</del><ins>{new}</ins>"


def test_a_short_changed_paragraph_is_still_compared_word_by_word():
    shown = str(_word_diff("Rents rose sharply", "Rents rose again"))
    assert shown == "Rents rose <del>sharply</del><ins>again</ins>"


def opened_state(client, url):
    """The hidden fingerprint of the row, as the change form carries it when an editor opens it."""
    return re.search(r'name="opened_state" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)


def second_editor():
    client = Client()
    client.force_login(staff("edna", "Editor"))
    return client


def test_two_editors_on_one_static_page_the_later_save_is_refused_not_lost(editor):
    page = Page.objects.create(title="About us", slug="about-us", body="<p>Who we are.</p>")
    url = f"/admin/articles/page/{page.pk}/change/"
    fields = {"title": "About us", "slug": "about-us", "summary": "", "position": "0", "in_footer": "on"}
    mine = opened_state(editor, url)
    theirs = second_editor()
    saved = theirs.post(url, {**fields, "body": "<p>Theirs.</p>", "opened_state": opened_state(theirs, url)})
    assert saved.status_code == 302
    refused = editor.post(url, {**fields, "body": "<p>Mine.</p>", "opened_state": mine})
    assert refused.status_code == 200
    assert "Someone saved this since you opened it" in refused.content.decode()
    page.refresh_from_db()
    assert page.body == "<p>Theirs.</p>"


def test_saving_a_static_page_nobody_else_touched_goes_through(editor):
    page = Page.objects.create(title="About us", slug="about-us", body="<p>Who we are.</p>")
    url = f"/admin/articles/page/{page.pk}/change/"
    data = {"title": "About us", "slug": "about-us", "summary": "", "position": "0", "body": "<p>New.</p>"}
    assert editor.post(url, {**data, "opened_state": opened_state(editor, url)}).status_code == 302
    page.refresh_from_db()
    assert page.body == "<p>New.</p>"


def test_two_editors_on_one_appeal_the_later_save_is_refused_not_lost(editor):
    appeal = CallToAction.objects.create(
        name="Winter", headline="Keep us going", placement="end", link="/support/"
    )
    url = f"/admin/supporters/calltoaction/{appeal.pk}/change/"
    fields = {
        "name": "Winter",
        "placement": "end",
        "after_paragraph": "3",
        "link": "/support/",
        "audience": "non_members",
        "weight": "1",
        "enabled": "on",
        "button_label": "Support us",
        "text": "",
    }
    mine = opened_state(editor, url)
    theirs = second_editor()
    saved = theirs.post(url, {**fields, "headline": "Their words", "opened_state": opened_state(theirs, url)})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    refused = editor.post(url, {**fields, "headline": "My words", "opened_state": mine})
    assert "Someone saved this since you opened it" in refused.content.decode()
    appeal.refresh_from_db()
    assert appeal.headline == "Their words"


def test_two_editors_on_the_support_page_words_the_later_save_is_refused(editor):
    page = GivingPage.objects.create()
    url = f"/admin/supporters/givingpage/{page.pk}/change/"
    mine = opened_state(editor, url)
    theirs = second_editor()
    theirs.post(
        url,
        {
            "headline": "Their headline",
            "body": "Theirs.",
            "gift_price_pence": 6000,
            "opened_state": opened_state(theirs, url),
        },
    )
    refused = editor.post(
        url, {"headline": "My headline", "body": "Mine.", "gift_price_pence": 6000, "opened_state": mine}
    )
    assert "Someone saved this since you opened it" in refused.content.decode()
    page.refresh_from_db()
    assert page.headline == "Their headline"
