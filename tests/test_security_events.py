"""Sign-ins, failures and role changes are logged with who; idle staff sessions end."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_user(
        "eve", "eve@example.com", "correct-horse-battery-9", is_staff=True
    )


def messages_of(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "canary.security"]


def test_sign_in_and_failed_sign_in_are_logged_without_the_password(client, editor, caplog):
    caplog.set_level(logging.INFO, logger="canary.security")
    client.post("/admin/login/", {"username": "eve", "password": "wrong-guess-123"})
    client.post("/admin/login/", {"username": "eve", "password": "correct-horse-battery-9"})
    logged = messages_of(caplog)
    assert any("Failed sign-in for 'eve'" in m for m in logged)
    assert any(m.startswith("Sign-in: eve (staff=True)") for m in logged)
    assert not any("wrong-guess-123" in m or "correct-horse" in m for m in logged)


def test_role_changes_are_logged(editor, caplog):
    editor.groups.add(Group.objects.get(name="Finance"))
    assert any("Role change: eve add ['Finance']" in m for m in messages_of(caplog))


def test_staff_sessions_expire_after_hours_without_a_request(client, editor, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 3600
    client.force_login(editor)
    client.get("/admin/")
    assert client.session.get_expiry_age() == 3600


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_page(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/admin/login/", {"username": "eve", "password": "wrong-guess-123"})
    response = client.post("/admin/login/", {"username": "eve", "password": "correct-horse-battery-9"})
    assert response.status_code == 429
    assert "Signing in is paused for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_counts_the_real_client_behind_the_proxy(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        client.post(
            "/admin/login/",
            {"username": "eve", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    other_reader = client.post(
        "/admin/login/",
        {"username": "eve", "password": "correct-horse-battery-9"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other_reader.status_code == 302


@pytest.mark.parametrize("refused", ["https://evil.example/", "//evil", "/\\evil.example"])
def test_a_refused_next_signs_in_to_the_admin_index(client, editor, refused):
    form = client.get("/admin/login/", {"next": refused})
    assert form.status_code == 200
    response = client.post(
        f"/admin/login/?next={refused}",
        {"username": "eve", "password": "correct-horse-battery-9", "next": refused},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_next_on_this_site_is_still_followed(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/articles/",
        {"username": "eve", "password": "correct-horse-battery-9", "next": "/admin/articles/"},
    )
    assert response["Location"] == "/admin/articles/"


def test_security_txt_names_the_contact(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@coop.example"
    body = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:security@coop.example" in body
    assert "Expires: " in body


def test_links_with_control_characters_are_refused():
    from django.core.exceptions import ValidationError

    from supporters.models.appeals import validate_target

    for link in ("/\t/evil.example", "/\\evil.example", "/support/\n"):
        with pytest.raises(ValidationError):
            validate_target(link)


def test_body_images_survive_an_absolute_media_url(settings):
    from articles.sanitize import clean_html

    settings.MEDIA_URL = "https://media.coop.example/"
    kept = clean_html('<img src="https://media.coop.example/images/a.jpg" alt="x">')
    assert 'src="https://media.coop.example/images/a.jpg"' in kept
    for elsewhere in (
        "https://evil.example/a.jpg",
        "//evil.example/a.jpg",
        "https://media.coop.example.evil/a.jpg",
    ):
        assert "evil" not in clean_html(f'<img src="{elsewhere}" alt="x">')
