"""Pictures downloaded during a WordPress import come from the public internet only.

A real HTTP server on 127.0.0.1 plays the old site. Imports that point at it directly are
refused before any connection. To show what a public site gets, the one seam
(``download(addresses=...)``, the function that says where a host may be reached) names the
server "pictures.example.test": a name DNS never answers (RFC 6761), so the picture arriving at
all proves the importer connected to the address it checked and looked nothing up again.
"""

import io
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.factories import picture_bytes
from articles.models import Image
from articles.wordpress.importer import Importer
from articles.wordpress.remote import MediaMissing, download, public_addresses

pytestmark = pytest.mark.django_db

SITE = Path(__file__).parent / "wxr" / "site.xml"
PUBLIC_NAME = "pictures.example.test"
PICTURES = {
    "/wp-content/uploads/2021/03/council-steps.jpg": picture_bytes(300, 200, seed=3),
    "/wp-content/uploads/2021/03/march.jpg": picture_bytes(300, 200, seed=4),
}


class OldSite(BaseHTTPRequestHandler):
    """The old WordPress site: its pictures, redirects to wherever ?to= says, a slow page."""

    def do_GET(self):
        self.server.requests.append((self.headers["Host"], self.path))
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(3)
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the size shows only while reading
            self.wfile.write(b"x" * 5000)
        elif self.path in PICTURES:
            self.send_response(200)
            self.send_header("Content-Length", str(len(PICTURES[self.path])))
            self.end_headers()
            self.wfile.write(PICTURES[self.path])
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    httpd.daemon_threads = True
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def as_public(host, port):
    """The test seam: our server counts as a public host; every other name is looked up as usual."""
    return ["127.0.0.1"] if host == PUBLIC_NAME else public_addresses(host, port)


def export_at(tmp_path, base):
    path = tmp_path / "export.xml"
    path.write_text(SITE.read_text().replace("https://old.example.invalid", base))
    return path


def run(path):
    out = io.StringIO()
    call_command("import_wordpress", str(path), stdout=out)
    return out.getvalue()


def closed_port():
    probe = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    port = probe.server_address[1]
    probe.server_close()
    return port


def test_an_export_pointing_at_this_machine_downloads_nothing(server, tmp_path):
    output = run(export_at(tmp_path, f"http://127.0.0.1:{server.server_port}"))
    assert server.requests == []
    assert not Image.objects.exists()
    assert "council-steps.jpg: could not be downloaded (no public address); imported without it" in output


def test_the_warning_is_the_same_whether_an_inside_host_answers_refuses_or_is_silent(server, tmp_path):
    hosts = {
        "answers": f"127.0.0.1:{server.server_port}",
        "refuses": f"127.0.0.1:{closed_port()}",
        "is silent": "10.255.255.1:81",
    }
    reports = {}
    for behaviour, host in hosts.items():
        started = time.monotonic()
        output = run(export_at(tmp_path, f"http://{host}")).replace(host, "HOST")
        reports[behaviour] = [line for line in output.splitlines() if "could not be" in line]
        assert time.monotonic() - started < 5  # refused at once, not after a timeout
    assert len(reports["answers"]) == 5
    assert reports["answers"] == reports["refuses"] == reports["is silent"]
    assert server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://2130706433:{port}/",  # 127.0.0.1 written as one number
        "http://0.0.0.0:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
        "http://224.0.0.1/",
        "http://240.0.0.1/",
    ],
)
def test_addresses_that_are_not_public_are_refused(server, address):
    with pytest.raises(MediaMissing, match=r"^could not be downloaded \(no public address\)$"):
        download(address.format(port=server.server_port), 10_000_000)
    assert server.requests == []


def test_a_public_site_is_reached_at_the_address_checked_with_its_own_host_name(
    server, tmp_path, monkeypatch
):
    # A proxy from the environment would see the request; none is used.
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.server_address[1]}")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
    proxy.server_close()
    host = f"{PUBLIC_NAME}:{server.server_port}"
    importer = Importer(export_at(tmp_path, f"http://{host}"), fetch=partial(download, addresses=as_public))
    importer.run()
    assert Image.objects.count() == 2
    asked = ["2021/03/council-steps.jpg", "2021/03/march.jpg", "2021/04/gone.jpg", "2021/04/lost-card.jpg"]
    assert sorted(server.requests) == [(host, f"/wp-content/uploads/{rel}") for rel in asked]


def test_each_redirect_is_checked_again(server):
    public = f"http://{PUBLIC_NAME}:{server.server_port}"
    inside = f"http://127.0.0.1:{server.server_port}"
    picture = "/wp-content/uploads/2021/03/march.jpg"
    fetch = partial(download, addresses=as_public)
    assert fetch(f"{public}/redirect?to={picture}", 10_000_000) == PICTURES[picture]
    server.requests.clear()
    for target in (f"{inside}{picture}", f"http://localhost:{server.server_port}{picture}"):
        with pytest.raises(MediaMissing, match=r"^could not be downloaded \(no public address\)$"):
            fetch(f"{public}/redirect?to={target}", 10_000_000)
    assert [path for _, path in server.requests] == [f"/redirect?to={inside}{picture}"] + [
        f"/redirect?to=http://localhost:{server.server_port}{picture}"
    ]


def test_redirects_time_and_size_are_limited(server, settings):
    public = f"http://{PUBLIC_NAME}:{server.server_port}"
    fetch = partial(download, addresses=as_public)
    settings.WORDPRESS_DOWNLOAD_REDIRECTS = 2
    loop = f"{public}/redirect?to={public}/redirect?to={public}/redirect?to=/big"
    with pytest.raises(MediaMissing, match="too many redirects"):
        fetch(loop, 10_000_000)
    with pytest.raises(MediaMissing, match="is larger than"):
        fetch(f"{public}/big", 4000)
    with pytest.raises(MediaMissing, match="is larger than"):
        fetch(f"{public}/wp-content/uploads/2021/03/march.jpg", 100)  # by its Content-Length
    settings.WORDPRESS_DOWNLOAD_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(MediaMissing, match=r"^could not be downloaded \(no answer\)$"):
        fetch(f"{public}/slow", 10_000_000)
    assert time.monotonic() - started < 2.5
