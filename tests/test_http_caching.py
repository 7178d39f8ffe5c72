"""HTTP caching for browsers, proxies and CDNs: validators, gzip, static files (deploy/nginx.conf in
test_nginx_caching.py)."""

import gzip
import json
import os
import secrets
import subprocess
import sys
import time
from email.utils import formatdate, parsedate_to_datetime

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.urls import include, path
from django.views.decorators.cache import cache_control

from articles.factories import make_article

pytestmark = pytest.mark.django_db
THIS_MODULE = "tests.test_http_caching"
WORDS = "<p>" + "A co-operative newsroom reports on its city. " * 80 + "</p>"


# Views for the cases the reader pages do not show on their own, mounted with @pytest.mark.urls.
@cache_control(public=True)
def public_page(request):
    return HttpResponse(f"<!doctype html><title>Words</title>{WORDS}")


@cache_control(public=True)
def tiny_page(request):
    return HttpResponse("ok")


@cache_control(public=True)
def page_setting_a_cookie(request):
    response = HttpResponse(WORDS)
    response.set_cookie("seen", "1")
    return response


@cache_control(public=True)
def page_using_the_csrf_token(request):
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}></form>")


urlpatterns = [
    path("words/", public_page),
    path("tiny/", tiny_page),
    path("cookie/", page_setting_a_cookie),
    path("csrf/", page_using_the_csrf_token),
    # The beacon middleware reverses its own address, whatever URLconf a test mounts.
    path("readership/", include("readership.urls")),
]


# --- gzip -----------------------------------------------------------------------------------


@pytest.mark.urls(THIS_MODULE)
def test_a_reader_accepting_gzip_gets_the_copy_compressed_at_store_time(anonymous):
    plain = anonymous.get("/words/")
    first = anonymous.get("/words/", headers={"Accept-Encoding": "gzip, deflate, br"})
    second = anonymous.get("/words/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain["X-Cache"] == "miss"
    assert first["X-Cache"] == "hit"
    assert second["X-Cache"] == "hit"
    for response in (first, second):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content) / 3
    assert "Content-Encoding" not in plain
    assert int(plain["Content-Length"]) == len(plain.content)


@pytest.mark.urls(THIS_MODULE)
def test_the_first_reader_already_gets_the_compressed_copy(anonymous):
    first = anonymous.get("/words/", headers={"Accept-Encoding": "gzip"})
    assert first["X-Cache"] == "miss"
    assert first["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content).startswith(b"<!doctype html>")


@pytest.mark.urls(THIS_MODULE)
def test_both_copies_say_they_vary_by_encoding_and_have_distinct_etags(anonymous):
    plain = anonymous.get("/words/")
    compressed = anonymous.get("/words/", headers={"Accept-Encoding": "gzip"})
    for response in (plain, compressed):
        assert "Accept-Encoding" in response["Vary"]
    assert compressed["ETag"].endswith('-gz"')
    assert plain["ETag"] == compressed["ETag"].replace("-gz", "")


@pytest.mark.urls(THIS_MODULE)
@pytest.mark.parametrize("header", ["identity", "gzip;q=0", "deflate, gzip; q=0.0", "br"])
def test_a_reader_refusing_gzip_gets_plain_text(anonymous, header):
    anonymous.get("/words/")
    response = anonymous.get("/words/", headers={"Accept-Encoding": header})
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"<!doctype html>")


@pytest.mark.urls(THIS_MODULE)
def test_a_body_too_small_to_gain_is_not_compressed(anonymous):
    anonymous.get("/tiny/")
    response = anonymous.get("/tiny/", headers={"Accept-Encoding": "gzip"})
    assert response["X-Cache"] == "hit"
    assert "Content-Encoding" not in response
    assert response.content == b"ok"


@pytest.mark.urls(THIS_MODULE)
def test_head_gives_the_compressed_length_without_a_body(anonymous):
    compressed = anonymous.get("/words/", headers={"Accept-Encoding": "gzip"})
    head = anonymous.head("/words/", headers={"Accept-Encoding": "gzip"})
    assert head["X-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == compressed["Content-Length"]


def test_reader_pages_are_compressed_too(anonymous):
    make_article("Compressed news")
    for url in ("/", "/feed/", "/sitemap.xml"):
        anonymous.get(url)
        response = anonymous.get(url, headers={"Accept-Encoding": "gzip"})
        assert response["X-Cache"] == "hit", url
        assert response["Content-Encoding"] == "gzip", url
    assert b"Compressed news" in gzip.decompress(
        anonymous.get("/", headers={"Accept-Encoding": "gzip"}).content
    )


# --- Validators -----------------------------------------------------------------------------


@pytest.mark.urls(THIS_MODULE)
def test_if_none_match_is_answered_304_per_encoding(anonymous):
    plain_tag = anonymous.get("/words/")["ETag"]
    gzip_tag = anonymous.get("/words/", headers={"Accept-Encoding": "gzip"})["ETag"]
    not_modified = anonymous.get("/words/", headers={"If-None-Match": plain_tag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == plain_tag
    assert "s-maxage" in not_modified["Cache-Control"]
    assert "Accept-Encoding" in not_modified["Vary"]
    assert "Last-Modified" in not_modified
    # The compressed copy's tag does not validate the plain copy, and the other way round.
    assert anonymous.get("/words/", headers={"If-None-Match": gzip_tag}).status_code == 200
    assert (
        anonymous.get("/words/", headers={"If-None-Match": plain_tag, "Accept-Encoding": "gzip"}).status_code
        == 200
    )
    both = anonymous.get("/words/", headers={"If-None-Match": f"{gzip_tag}, {plain_tag}"})
    assert both.status_code == 304


@pytest.mark.urls(THIS_MODULE)
def test_a_weakened_etag_still_validates(anonymous):
    # nginx turns strong tags weak when it compresses; the comparison for 304 is the weak one.
    tag = anonymous.get("/words/")["ETag"]
    assert anonymous.get("/words/", headers={"If-None-Match": f"W/{tag}"}).status_code == 304
    assert anonymous.get("/words/", headers={"If-None-Match": "*"}).status_code == 304


@pytest.mark.urls(THIS_MODULE)
def test_last_modified_is_when_the_page_was_stored(anonymous):
    before = int(time.time())
    first = anonymous.get("/words/")
    stored = parsedate_to_datetime(first["Last-Modified"]).timestamp()
    assert before <= stored <= time.time()
    assert anonymous.get("/words/")["Last-Modified"] == first["Last-Modified"]


@pytest.mark.urls(THIS_MODULE)
def test_if_modified_since_is_answered_from_the_cache(anonymous):
    last_modified = anonymous.get("/words/")["Last-Modified"]
    stored = parsedate_to_datetime(last_modified).timestamp()
    same = anonymous.get("/words/", headers={"If-Modified-Since": last_modified})
    assert same.status_code == 304
    assert same["Last-Modified"] == last_modified
    later = anonymous.get("/words/", headers={"If-Modified-Since": formatdate(stored + 60, usegmt=True)})
    assert later.status_code == 304
    older = anonymous.get("/words/", headers={"If-Modified-Since": formatdate(stored - 60, usegmt=True)})
    assert older.status_code == 200
    assert anonymous.get("/words/", headers={"If-Modified-Since": "not a date"}).status_code == 200


@pytest.mark.urls(THIS_MODULE)
def test_if_none_match_takes_precedence_over_if_modified_since(anonymous):
    last_modified = anonymous.get("/words/")["Last-Modified"]
    response = anonymous.get(
        "/words/", headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    )
    assert response.status_code == 200


def test_a_change_gives_a_new_validator(anonymous, django_capture_on_commit_callbacks):
    make_article("Before")
    first = anonymous.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        make_article("After")
    response = anonymous.get("/", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert b"After" in response.content


# --- What is never shared -------------------------------------------------------------------


@pytest.mark.urls(THIS_MODULE)
@pytest.mark.parametrize("url", ["/cookie/", "/csrf/"])
def test_a_public_view_that_turns_personal_is_neither_stored_nor_shared(anonymous, url):
    for _ in range(2):
        response = anonymous.get(url)
        anonymous.cookies.clear()
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "private, no-store"


def test_signed_in_readers_get_no_validators_from_the_cache(client):
    make_article()
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "0123456789abcdefghijklmnopqrstuv"  # a session key
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Cache" not in response
    assert "Content-Encoding" not in response


# --- Static files in production (WhiteNoise) ------------------------------------------------

STATIC_PROBE = """
import json, django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
client = Client()
hashed = staticfiles_storage.url("css/site.css")
found = {"hashed_url": hashed}
for name, url, encoding in (("hashed", hashed, "gzip"), ("plain", "/static/css/site.css", "")):
    response = client.get(url, secure=True, headers={"Accept-Encoding": encoding})
    found[name] = {"status": response.status_code, **{k: v for k, v in response.headers.items()}}
print(json.dumps(found))
"""


def test_whitenoise_serves_hashed_static_files_for_a_year_immutable(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATIC_MANIFEST": "1",
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    run = {"cwd": settings.BASE_DIR, "env": env, "capture_output": True, "text": True, "check": True}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    found = json.loads(subprocess.run([sys.executable, "-c", STATIC_PROBE], **run).stdout)
    assert found["hashed_url"] != "/static/css/site.css"
    hashed, plain = found["hashed"], found["plain"]
    assert hashed["status"] == 200
    assert "immutable" in hashed["Cache-Control"]
    assert "max-age=315360000" in hashed["Cache-Control"]
    assert hashed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hashed["Vary"]
    assert plain["status"] == 200
    assert "immutable" not in plain["Cache-Control"]
    assert "max-age=3600" in plain["Cache-Control"]


# --- The Redis hit path ---------------------------------------------------------------------

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "canary.cache_backend.ResilientRedisCache",
        # Port 1 on loopback: nothing listens, so every connection is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_pages_are_served_uncached_with_a_warning_while_redis_is_down(anonymous, caplog):
    make_article("Still readable")
    # A context manager, not the settings fixture: the cache must be back before teardown clears it.
    with override_settings(CACHES=UNREACHABLE_REDIS, PAGE_CACHE_GENERATION_FILE=None):
        for _ in range(2):
            response = anonymous.get("/", headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200
            assert b"Still readable" in response.content
            assert "X-Cache" not in response
    assert any("pages served uncached" in record.getMessage() for record in caplog.records)


def test_the_local_copies_of_redis_entries_stay_within_their_budget():
    from django.core.cache import caches

    from canary.cache_backend import RedisReader

    with override_settings(CACHES=UNREACHABLE_REDIS):
        reader = RedisReader(caches["default"], "generation", max_bytes=1000)
    for number in range(10):
        reader.keep(f"page:{number}", b"g", time.time() + 60, b"x" * 200)
    assert reader.size <= 1000
    assert list(reader.copies) == [f"page:{number}" for number in range(5, 10)]
    reader.keep("too-big", b"g", time.time() + 60, b"x" * 600)
    assert "too-big" not in reader.copies
    reader.forget("page:9")
    assert reader.size == 800


def test_a_local_copy_is_served_only_while_its_generation_is_current(
    on_redis, anonymous, django_capture_on_commit_callbacks
):
    make_article("First")
    anonymous.get("/")
    assert anonymous.get("/")["X-Cache"] == "hit"  # a copy is kept in this process now
    assert anonymous.get("/")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Second")
    response = anonymous.get("/")
    assert response["X-Cache"] == "miss"
    assert b"Second" in response.content
