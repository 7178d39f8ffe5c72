"""Security headers on every kind of page, CSP without inline scripts, and production cookies and HSTS."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from articles.factories import make_article, make_author, make_image, make_page, make_section
from tests.security_helpers import Markup, dangerous_markup, signed_in, staff_user, supporter_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    section = make_section("Housing")
    author = make_author("Mara Okafor", bio="Reports on housing.")
    make_page("About us", slug="about-us", body="<p>Who we are.</p>")
    return make_article(
        "Tenants win a rent freeze",
        section=section,
        authors=[author],
        tags=["Rent"],
        featured_image=make_image(alt_text="Tenants on the steps"),
        comments="open",
    )


def reader_pages(article):
    day = article.local_date
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": "/tag/rent/",
        "author": article.authors.get().get_absolute_url(),
        "archive": f"/archive/{day:%Y}/{day:%m}/",
        "search": "/search/?q=rent",
        "static page": "/about/about-us/",
        "latest": "/latest/",
        "support": "/support/",
        "account login": "/account/login/",
        "404": "/no-such-page/",
    }


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "interest-cohort"):
        assert f"{feature}=()" in permissions
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == ["'none'"]


def assert_strict_reader_policy(response):
    csp = policy(response)
    assert csp["script-src"] == ["'self'"], csp["script-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]


def assert_page_needs_nothing_inline(html):
    """Under that policy an inline script, handler or style would not run: a page must need none."""
    assert dangerous_markup(html) == []
    elements = Markup(html).elements
    assert not [tag for tag, _, _ in elements if tag == "style"]
    assert not [(tag, attrs) for tag, attrs, _ in elements if "style" in attrs]


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "article",
        "section",
        "tag",
        "author",
        "archive",
        "search",
        "static page",
        "latest",
        "support",
        "account login",
        "404",
    ],
)
def test_every_reader_page_type_has_the_headers_and_a_strict_policy(anonymous, article, kind):
    url = reader_pages(article)[kind]
    expected = 404 if kind == "404" else 200
    for attempt in ("miss", "hit"):  # the page cache must keep the headers with the page
        response = anonymous.get(url)
        assert response.status_code == expected, (kind, attempt)
        assert_common_headers(response)
        assert_strict_reader_policy(response)
        assert_page_needs_nothing_inline(response.content.decode())
    if kind in ("home", "article", "section", "tag", "author", "archive", "search", "static page"):
        assert response["X-Cache"] == "hit", kind


def test_signed_in_pages_have_the_same_headers():
    user, _, _ = supporter_user()
    client = signed_in(user)
    for url in ("/account/", "/account/delete/", "/", "/support/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_common_headers(response)
        assert_strict_reader_policy(response)
        assert_page_needs_nothing_inline(response.content.decode())


def test_error_pages_and_other_answers_have_the_headers(anonymous, article):
    closed = make_article("Closed story", comments="closed")
    answers = {
        "400": anonymous.get("/about/bad\x00path/"),
        "403": anonymous.post(f"/comments/{closed.pk}/preview/", {"body": "x"}),
        "405": anonymous.post("/latest/"),
        "feed": anonymous.get("/feed/"),
        "robots": anonymous.get("/robots.txt"),
        "sitemap": anonymous.get("/sitemap.xml"),
        "token": anonymous.get("/comments/token/"),
        "health": anonymous.get("/healthz"),
    }
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {
        "400": 400,
        "403": 403,
        "405": 405,
        "feed": 200,
        "robots": 200,
        "sitemap": 200,
        "token": 200,
        "health": 200,
    }
    for response in answers.values():
        assert_common_headers(response)
        assert_strict_reader_policy(response)


def test_the_admin_allows_only_the_editors_import_map_and_only_by_its_hash():
    client = signed_in(staff_user("Editor"))
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    csp = policy(response)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert set(csp["script-src"]) - {"'self'"} == {
        src for src in csp["script-src"] if re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", src)
    }
    inline = [
        (attrs, text) for tag, attrs, text in Markup(response.content.decode()).elements if tag == "script"
    ]
    for attrs, text in inline:
        if "src" in attrs:
            assert attrs["src"].startswith("/") and not attrs["src"].startswith("//"), attrs
            continue
        # The one inline script allowed: an import map whose exact text the policy names.
        assert attrs.get("type") == "importmap", attrs
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    assert_common_headers(response)


# --- Production settings, in a process of their own ---------------------------------------------

PROBE = r"""
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)

from django.test import Client

from articles.commenting import confirmation_token


def cookie(morsel):
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}


client = Client()
plain = client.get("/")
secure = client.get("/", secure=True)
token = client.get("/comments/token/", secure=True)
confirmed = client.post(f"/comments/confirm/{confirmation_token('reader@example.com')}/", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "secure": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "csrf_cookie": cookie(token.cookies["csrftoken"]),
    "session_cookie": cookie(confirmed.cookies["sessionid"]),
    "session_age": confirmed.cookies["sessionid"]["max-age"],
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """What a browser gets from Canary with production variables (DEBUG=0 and the rest)."""
    folder = tmp_path_factory.mktemp("production")
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {
        **{k: v for k, v in os.environ.items() if k not in unset},
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "DEBUG": "0",
        "SECRET_KEY": "p" * 20 + "-production-test-key-" + "q" * 30,
        "ALLOWED_HOSTS": "testserver",
        "CSRF_TRUSTED_ORIGINS": "https://testserver",
        "SITE_URL": "https://testserver",
        "VAR_DIR": str(folder),
        "EMAIL_URL": "locmem://",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_and_sends_hsts(production):
    assert production["plain"] == [301, "https://testserver/"]
    assert production["secure"] == 200
    assert production["hsts"] == "max-age=31536000"


def test_production_session_cookie_is_secure_http_only_and_lax(production):
    # Lax, not Strict: the reader coming back from Stripe's checkout must still carry it.
    assert production["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_production_csrf_cookie_is_secure_and_lax(production):
    assert production["csrf_cookie"]["secure"] is True
    assert production["csrf_cookie"]["samesite"] == "Lax"


def test_development_cookies_are_http_only_lax_too(client, article):
    from articles.commenting import confirmation_token

    response = client.post(f"/comments/confirm/{confirmation_token('reader@example.com')}/")
    morsel = response.cookies["sessionid"]
    assert morsel["httponly"] and morsel["samesite"] == "Lax"
    assert isinstance(Client().get("/comments/token/").json()["csrf"], str)
