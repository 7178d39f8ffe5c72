"""Previews: staff see unpublished articles as readers will; share links work until they expire."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from articles.factories import make_article
from articles.views.preview import SHARE_MAX_AGE, share_token, share_url
from tests.editorial_helpers import CHANGE, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_editor():
    client = Client()
    client.force_login(staff("eddie", "Editor"))
    return client


@pytest.fixture
def draft():
    return make_article("Secret plans for the bypass", status="draft", body="<p>The plan in full.</p>")


def test_staff_preview_a_draft_as_readers_will_see_it(as_editor, draft):
    response = as_editor.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not published" in page
    assert "Secret plans for the bypass" in page and "The plan in full." in page
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<article class="story">' in page, "the preview is laid out as the article page"


def test_scheduled_article_preview_says_when_it_goes_out(as_editor):
    when = timezone.now() + timedelta(days=1)
    article = make_article("Tomorrow's story", published_at=when)
    page = as_editor.get(f"/preview/{article.pk}/").content.decode()
    assert "Readers will see it from" in page


def test_anonymous_visitors_are_sent_to_log_in(anonymous, draft):
    response = anonymous.get(f"/preview/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/preview/")
    assert "Secret plans" not in anonymous.get("/").content.decode()


def test_signed_in_reader_without_staff_rights_is_refused(draft):
    from django.contrib.auth import get_user_model

    reader = Client()
    reader.force_login(get_user_model().objects.create_user("reader", "r@example.com", "x-long-password-1"))
    assert reader.get(f"/preview/{draft.pk}/").status_code == 403


def test_preview_is_never_stored_by_the_page_cache(as_editor, anonymous, draft):
    url = share_url(draft).removeprefix("http://127.0.0.1:8000")
    first = anonymous.get(url)
    second = anonymous.get(url)
    assert first.status_code == second.status_code == 200
    assert "X-Cache" not in second or second["X-Cache"] != "hit"
    assert second["Cache-Control"] == "private, no-store"


def test_share_link_opens_without_an_account_until_it_expires(anonymous, draft):
    path = f"/preview/share/{share_token(draft)}/"
    response = anonymous.get(path)
    assert response.status_code == 200
    assert "Preview — not published" in response.content.decode()
    assert "Secret plans for the bypass" in response.content.decode()
    later = timezone.now() + SHARE_MAX_AGE + timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        expired = anonymous.get(path)
    assert expired.status_code == 410
    assert "This preview link has expired" in expired.content.decode()
    assert "Secret plans" not in expired.content.decode()


def test_tampered_share_link_is_refused(anonymous, draft):
    token = share_token(draft)
    forged = signing.dumps({"article": draft.pk + 1}, salt="another-salt", compress=True)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged):
        response = anonymous.get(f"/preview/share/{bad}/")
        assert response.status_code == 404
        assert "This preview link is not valid" in response.content.decode()


def test_share_link_of_a_published_article_goes_to_the_real_page(anonymous):
    article = make_article("Out now")
    response = anonymous.get(f"/preview/share/{share_token(article)}/")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()


def test_change_page_offers_the_share_link_and_a_preview_button(as_editor, draft):
    page = as_editor.get(CHANGE.format(draft.pk)).content.decode()
    assert "Copy share link" in page and "/preview/share/" in page
    assert f'href="/preview/{draft.pk}/"' in page
