"""A 403 or 404 inside the newsroom is the admin's own page, with its header and a way back; the
readers' error pages (their appeals and banners) and Django's plain ones stay outside it."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.factories import make_article
from articles.models import Comment
from tests.security_helpers import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False


def as_staff(role, username):
    client = Client()
    client.force_login(staff_user(role, username))
    return client


def in_the_admins_frame(page):
    assert 'id="site-name"' in page and "newsroom</a>" in page  # the admin's header
    assert f'<a class="button" href="{reverse("admin:index")}">Back to the newsroom</a>' in page
    assert 'class="breadcrumbs"' in page
    assert "Signed in as" in page  # the person's own tools, as on every admin page
    # Nothing of the readers' error pages or of Django's bare ones.
    assert "error-page" not in page and "Go to the front page" not in page
    assert "Page not found" not in page and "403 Forbidden" not in page


def test_a_list_outside_your_role_is_refused_in_the_admins_frame():
    response = as_staff("Moderator", "mo").get("/admin/supporters/donation/")
    assert response.status_code == 403
    page = response.content.decode()
    in_the_admins_frame(page)
    assert "This page isn’t part of your work here" in page
    assert "Your role in the newsroom doesn’t include this page." in page


def test_a_refusal_we_wrote_says_why():
    comment = Comment.objects.create(
        article=make_article("Bins strike", comments="open"), name="Sam", email="s@canary.example", body="Hi"
    )
    url = reverse("admin:articles_comment_moderate", args=[comment.pk, "approve"])
    response = as_staff("Finance", "fin").post(url)
    assert response.status_code == 403
    page = response.content.decode()
    in_the_admins_frame(page)
    assert "Only moderators and editors can moderate comments." in page


def test_an_address_nothing_answers_in_the_admin_is_the_admins_404():
    response = as_staff("Editor", "ed").get("/admin/no-such-desk/")
    assert response.status_code == 404
    page = response.content.decode()
    in_the_admins_frame(page)
    assert "There’s nothing at this address in the newsroom" in page


def test_with_make_runs_designed_pages_the_admins_404_is_still_the_admins(settings):
    settings.DEBUG, settings.DEBUG_ERROR_PAGES = True, False  # `make run`: DEBUG on, no debug pages
    response = as_staff("Editor", "ed").get("/admin/no-such-desk/")
    assert response.status_code == 404
    page = response.content.decode()
    in_the_admins_frame(page)
    assert "URLconf" not in page


def test_a_reader_outside_the_admin_still_gets_the_sites_own_404(anonymous):
    response = anonymous.get("/no-such-story/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()
    assert "Back to the newsroom" not in response.content.decode()
