"""Editors and finance sign in with a second factor; recovery codes work once; previews and
comment trust ask for the same second factor as the admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.factories import make_article
from articles.models import Comment
from tests.comment_helpers import stamp

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def staff(username, role):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(client, username, token=""):
    return client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "otp_token": token, "next": "/admin/"}
    )


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(client):
    page = client.get("/admin/two-factor/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post("/admin/two-factor/", {"code": code_for(device)})
    return device, re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())


def test_editor_without_an_authenticator_is_sent_to_set_one_up():
    staff("ed", "Editor")
    client = Client()
    response = sign_in(client, "ed")
    assert client.get("/admin/articles/article/", follow=True).redirect_chain[-1][0] == "/admin/two-factor/"
    assert response.status_code == 302


def test_setting_up_gives_recovery_codes_and_opens_the_newsroom():
    staff("ed", "Editor")
    client = Client()
    sign_in(client, "ed")
    device, codes = enrol(client)
    assert len(codes) == 10
    assert client.get("/admin/articles/article/").status_code == 200


def test_once_set_up_the_password_alone_is_not_enough():
    staff("ed", "Editor")
    setup = Client()
    sign_in(setup, "ed")
    device, _ = enrol(setup)
    client = Client()
    response = sign_in(client, "ed")
    assert response.status_code == 200
    assert client.get("/admin/articles/article/").status_code == 302
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert sign_in(client, "ed", code_for(device)).status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


def test_a_recovery_code_works_once():
    staff("fi", "Finance")
    setup = Client()
    sign_in(setup, "fi")
    _, codes = enrol(setup)
    first = Client()
    assert sign_in(first, "fi", codes[0]).status_code == 302
    assert first.get("/admin/supporters/donation/").status_code == 200
    again = Client()
    sign_in(again, "fi", codes[0])
    assert again.get("/admin/supporters/donation/").status_code == 302
    assert StaticToken.objects.count() == 9


def test_a_wrong_code_is_refused_with_a_message():
    staff("ed", "Editor")
    setup = Client()
    sign_in(setup, "ed")
    TOTPDevice.objects.get_or_create(user=get_user_model().objects.get(username="ed"), confirmed=False)
    response = setup.post("/admin/two-factor/", {"code": "000000"})
    assert "didn’t match" in response.content.decode()


def test_contributors_and_moderators_may_sign_in_with_a_password_alone():
    staff("co", "Contributor")
    client = Client()
    sign_in(client, "co")
    assert client.get("/admin/articles/article/").status_code == 200


def test_two_factor_is_optional_in_development(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    staff("ed", "Editor")
    client = Client()
    sign_in(client, "ed")
    assert client.get("/admin/articles/article/").status_code == 200


# --- Beyond the admin: previews and comments ------------------------------------------------------


@pytest.fixture
def draft():
    return make_article("Secret plans for the bypass", status="draft", body="<p>The plan in full.</p>")


def comment_as(client, user, article):
    client.post(
        f"/comments/{article.pk}/post/",
        {"name": user.username, "email": user.email, "body": "Well put.", "rendered": stamp(client)},
    )
    return Comment.objects.filter(user=user).latest("pk")


def test_an_editor_signed_in_without_the_second_factor_cannot_preview(draft):
    staff("ed", "Editor")
    client = Client()
    sign_in(client, "ed")  # the password alone: the admin sends them to set up an authenticator
    response = client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/preview/")
    enrol(client)
    assert "Secret plans for the bypass" in client.get(f"/preview/{draft.pk}/").content.decode()


def test_a_session_that_skipped_the_code_cannot_preview_even_where_it_is_optional(settings, draft):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    editor = staff("ed", "Editor")
    TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(editor)  # signed in some other way than the admin's form with its code
    assert client.get(f"/preview/{draft.pk}/").status_code == 302
    assert client.get("/admin/articles/article/").status_code == 302  # as the admin itself


def test_a_staff_comment_without_the_second_factor_waits_for_a_moderator(settings):
    settings.COMMENT_MIN_SECONDS = 0
    article = make_article("Open for discussion", comments="open")
    editor = staff("ed", "Editor")
    client = Client()
    sign_in(client, "ed")
    assert comment_as(client, editor, article).status == Comment.Status.PENDING
    enrol(client)
    assert comment_as(client, editor, article).status == Comment.Status.APPROVED
