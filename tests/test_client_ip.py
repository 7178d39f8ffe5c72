import pytest
from django.test import RequestFactory

from articles.client import client_ip


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
