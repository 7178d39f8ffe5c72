"""deploy/nginx.conf, live on loopback in front of a stand-in app server: what it keeps, what it
never shares, gzip and static files."""

import gzip
import http.client
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.nginx import Nginx, nginx_binary
from bench.servers import free_port

pytestmark = pytest.mark.django_db
WORDS = "<p>" + "A co-operative newsroom reports on its city. " * 80 + "</p>"


class Upstream(BaseHTTPRequestHandler):
    """Stands in for the app servers: counts requests and answers like Canary's page cache."""

    seen = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        Upstream.seen.append((self.path, dict(self.headers)))
        personal = "sessionid=" in self.headers.get("Cookie", "")
        body = f"<!doctype html><p>{'personal' if personal else 'public'} {len(Upstream.seen)}</p>{WORDS}"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body.encode())))
        if personal:
            self.send_header("Cache-Control", "private, no-store")
        else:
            self.send_header("Cache-Control", "public, max-age=0, s-maxage=30, stale-while-revalidate=30")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not nginx_binary():
        message = "nginx is not installed (apt-get install nginx-light): the proxy tests did NOT run"
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: every optional tool must be there
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("nginx")
    static = root / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.0123456789ab.css").write_text("body { color: black; }\n" * 100)
    (static / "css" / "site.0123456789ab.css.gz").write_bytes(
        gzip.compress(b"body { color: black; }\n" * 100)
    )
    (static / "css" / "site.css").write_text("body { color: black; }\n")
    (root / "media").mkdir()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    options = {
        "port": port,
        "upstreams": [f"127.0.0.1:{upstream.server_address[1]}"],
        "static_root": static,
        "media_root": root / "media",
    }
    try:
        with Nginx(root / "run", **options):
            yield port
    finally:
        upstream.shutdown()
        upstream.server_close()


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.django_db(False)
def test_nginx_keeps_public_pages_and_ignores_tracking_parameters(nginx):
    before = len(Upstream.seen)
    status, headers, first = fetch(nginx, "/story/")
    assert status == 200
    assert headers["x-proxy-cache"] == "MISS"
    for query in ("", "?utm_source=newsletter&utm_medium=email", "?fbclid=abc&gclid=def"):
        status, headers, body = fetch(nginx, f"/story/{query}")
        assert headers["x-proxy-cache"] == "HIT", query
        assert body == first
    assert len(Upstream.seen) == before + 1
    # The proxy tells the app the reader came over HTTPS.
    assert Upstream.seen[-1][1]["X-Forwarded-Proto"] == "https"
    status, headers, _ = fetch(nginx, "/story/?page=2")
    assert headers["x-proxy-cache"] == "MISS"


@pytest.mark.django_db(False)
def test_nginx_never_serves_or_stores_a_page_for_a_reader_with_a_session(nginx):
    fetch(nginx, "/members/")
    for cookie in ("sessionid=abc123", "csrftoken=x; sessionid=abc123", "messages=hello"):
        before = len(Upstream.seen)
        status, headers, body = fetch(nginx, "/members/", {"Cookie": cookie})
        assert headers["x-proxy-cache"] == "BYPASS", cookie
        assert len(Upstream.seen) == before + 1
    status, headers, body = fetch(nginx, "/members/")
    assert headers["x-proxy-cache"] == "HIT"
    assert b"personal" not in body


@pytest.mark.django_db(False)
def test_nginx_keeps_one_copy_per_encoding_and_compresses(nginx):
    _, plain_headers, plain = fetch(nginx, "/encoded/")
    _, headers, compressed = fetch(nginx, "/encoded/", {"Accept-Encoding": "gzip, deflate, br"})
    assert "content-encoding" not in plain_headers
    assert headers["content-encoding"] == "gzip"
    assert headers["x-proxy-cache"] == "MISS"
    # The same page apart from the upstream's request counter at the top.
    assert gzip.decompress(compressed).split(b"</p>", 1)[1] == plain.split(b"</p>", 1)[1]
    _, headers, _ = fetch(nginx, "/encoded/", {"Accept-Encoding": "br, gzip"})
    assert headers["x-proxy-cache"] == "HIT"


@pytest.mark.django_db(False)
def test_nginx_serves_static_files_itself_hashed_ones_immutable(nginx):
    before = len(Upstream.seen)
    status, headers, body = fetch(nginx, "/static/css/site.0123456789ab.css", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    status, headers, _ = fetch(nginx, "/static/css/site.css")
    assert status == 200
    assert headers["cache-control"] == "public, max-age=3600"
    assert fetch(nginx, "/static/missing.css")[0] == 404
    assert len(Upstream.seen) == before
