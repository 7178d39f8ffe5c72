from django.test import RequestFactory

from articles.client import client_ip

FORWARDED = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9", "REMOTE_ADDR": "10.0.0.1"}


def test_without_trusted_proxies_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(RequestFactory().get("/", **FORWARDED)) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(RequestFactory().get("/", **FORWARDED)) == "203.0.113.9"
