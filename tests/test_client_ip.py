import pytest
from django.test import RequestFactory

from core.client_address import client_ip


def ip_for(proxies, forwarded, settings):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize("forwarded", [None, "203.0.113.9", "6.6.6.6, 203.0.113.9"])
def test_without_trusted_proxies_forwarded_headers_are_ignored(settings, forwarded):
    assert ip_for(0, forwarded, settings) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    assert ip_for(1, "203.0.113.9", settings) == "203.0.113.9"


def test_behind_two_proxies_the_first_forwarded_address_is_the_client(settings):
    assert ip_for(2, "203.0.113.9, 198.51.100.20", settings) == "203.0.113.9"


def test_a_forged_extra_address_cannot_choose_the_client(settings):
    assert ip_for(1, "6.6.6.6, 203.0.113.9", settings) != "6.6.6.6"


@pytest.mark.parametrize(
    "forwarded", ["6.6.6.6, 203.0.113.9", "6.6.6.6,7.7.7.7, 203.0.113.9", "not an address, 203.0.113.9"]
)
def test_behind_one_proxy_the_address_it_saw_counts_whatever_the_client_wrote(settings, forwarded):
    assert ip_for(1, forwarded, settings) == "203.0.113.9"


def test_behind_two_proxies_entries_written_before_them_are_ignored(settings):
    assert ip_for(2, "6.6.6.6, 203.0.113.9, 198.51.100.20", settings) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["203.0.113.9:51234", "[2001:db8::9]:443", "2001:db8::9"])
def test_a_port_the_proxy_added_is_not_part_of_the_address(settings, forwarded):
    assert ip_for(1, forwarded, settings) in {"203.0.113.9", "2001:db8::9"}


def test_a_request_that_came_past_no_proxy_is_its_own_address(settings):
    assert ip_for(1, None, settings) == "10.0.0.1"


PROXY = {"REMOTE_ADDR": "10.0.0.1"}  # every request arrives from the one trusted proxy


@pytest.mark.django_db
def test_an_attacker_with_a_forged_header_cannot_lock_staff_out_of_the_admin(client, settings):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("eve", "eve@example.com", "correct-horse-battery-9", is_staff=True)
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for guess in range(5):
        client.post(
            "/admin/login/",
            {"username": "eve", "password": f"guess-{guess}"},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{guess}, 198.51.100.66",
            **PROXY,
        )
    # Eve's office proxy adds a header of its own too: she arrives with two entries as well.
    response = client.post(
        "/admin/login/",
        {"username": "eve", "password": "correct-horse-battery-9"},
        HTTP_X_FORWARDED_FOR="10.8.0.5, 203.0.113.9",
        **PROXY,
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_attacker_with_a_forged_header_uses_up_only_their_own_searches(client, settings):
    settings.SEARCH_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        client.get(f"/search/?q=word{n}", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.66", **PROXY)
    reader = client.get("/search/?q=housing", HTTP_X_FORWARDED_FOR="192.168.1.20, 203.0.113.9", **PROXY)
    assert reader.status_code == 200
