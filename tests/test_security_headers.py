import pytest

from articles.factories import make_article

pytestmark = pytest.mark.django_db


def test_reader_pages_carry_the_security_headers(anonymous):
    make_article()
    for _ in range(2):  # a miss and a cache hit
        response = anonymous.get("/")
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_admin_allows_inline_styles_but_never_inline_scripts(client):
    csp = client.get("/admin/login/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "script-src 'self'" in csp
    assert "script-src 'self' 'unsafe-inline'" not in csp


def test_a_changed_policy_setting_reaches_reader_pages(anonymous, settings):
    """The site's policy is built once per process; a change to its setting is not missed."""
    make_article()
    anonymous.get("/")
    directives = {
        **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "img-src": ["'self'", "https://pictures.example"],
    }
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "DIRECTIVES": directives}
    settings.PAGE_CACHE_ENABLED = False

    assert "img-src 'self' https://pictures.example" in anonymous.get("/")["Content-Security-Policy"]
