"""The beacon answered ahead of Django (readership/wsgi.py, READERSHIP_BEACON_BEFORE_DJANGO) and
by its middleware inside Django: the same answers and the same counts, beacon for beacon.

The shortcut leaves Django's request handling, so it stays only while both paths agree here
and `make bench` shows it pays (its "beacon django" row is the same beacon with it off).
"""

import io
import sys
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from articles.factories import make_article
from canary.wsgi import application, django_application
from readership.models import Tally
from tests.test_readership_counting import BEACON, BROWSER, fold

pytestmark = pytest.mark.django_db


@contextmanager
def inside_the_test_transaction():
    # As Django's test client does: the handler's housekeeping would close the connection
    # that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app, path, method="GET", body=b"", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": headers.pop("REMOTE_ADDR", "192.0.2.10"),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **{f"HTTP_{name}": value for name, value in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    with inside_the_test_transaction():
        chunks = app(environ, start_response)
        content = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    return answer["status"], answer["headers"], content


def beacons(url):
    """What readers' browsers (and others) send: each as (body, headers)."""
    view = {"e": "view", "p": url}
    return [
        (view | {"r": "www.google.co.uk"}, {"USER_AGENT": BROWSER}),
        (view | {"r": "t.co", "a": "7"}, {"USER_AGENT": BROWSER}),
        (view | {"v": "newsletter", "n": "12", "r": "lists.example.org"}, {"USER_AGENT": BROWSER}),
        ({"e": "read", "p": url}, {"USER_AGENT": BROWSER}),
        (view, {"USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1)"}),  # a bot
        (view, {"USER_AGENT": BROWSER, "SEC_GPC": "1"}),  # an objecting browser
        (view, {"USER_AGENT": BROWSER, "DNT": "1"}),
        (view, {}),  # no user agent at all
        (view | {"p": "https://elsewhere.example/"}, {"USER_AGENT": BROWSER}),
        (b"\xff\xfe\x00" * 50, {"USER_AGENT": BROWSER}),  # junk
    ] + [(view, {"USER_AGENT": BROWSER, "REMOTE_ADDR": "192.0.2.99"})] * 5  # over the limit of 3


def tallies():
    return sorted(Tally.objects.values_list("metric", "path", "source", "host", "appeal", "issue", "count"))


@pytest.mark.parametrize("store", ["batch", "redis"])
def test_both_paths_answer_and_count_every_kind_of_beacon_alike(settings, store, request, fresh_minute):
    if store == "redis":
        request.getfixturevalue("on_redis")
    settings.READERSHIP_RATE_LIMIT = 3
    article = make_article()
    results = {}
    for shortcut in (True, False):
        settings.READERSHIP_BEACON_BEFORE_DJANGO = shortcut
        answers = set()
        for number, (body, headers) in enumerate(beacons(article.get_absolute_url()), start=1):
            raw = body if isinstance(body, bytes) else urlencode(body).encode()
            headers = {"REMOTE_ADDR": f"192.0.2.{number}"} | headers  # a reader each, but the last five
            status, response_headers, content = call(application, BEACON, "POST", raw, **headers)
            answers.add(
                (status, content, response_headers.get("Cache-Control"), "Set-Cookie" in response_headers)
            )
        answers.add(call(application, BEACON, "GET", USER_AGENT=BROWSER)[0])  # not a beacon: 204 too
        fold()
        results[shortcut] = answers, tallies()
        Tally.objects.all().delete()
        cache.clear()  # the limit's counters: the second path's clients start afresh too
    assert results[True] == results[False]
    answers, counted = results[True]
    assert answers == {("204 No Content", b"", "no-store", False), "204 No Content"}
    assert sum(row[-1] for row in counted) == 7  # three views, one read, three of the five over-limit
    assert {row[2] for row in counted if row[0] == "view"} == {"search", "social", "newsletter", "direct"}


def test_every_other_request_goes_to_django_untouched(settings):
    article = make_article("Tenants win a rent freeze")
    settings.READERSHIP_BEACON_BEFORE_DJANGO = True
    wrapped = call(application, article.get_absolute_url())
    plain = call(django_application, article.get_absolute_url())
    assert wrapped[0] == plain[0] == "200 OK"
    assert b"Tenants win a rent freeze" in wrapped[2]
    assert wrapped[1]["Content-Type"] == plain[1]["Content-Type"]
