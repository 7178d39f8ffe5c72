"""A first run with no traps: links on the chosen port, designed error pages, a clean stop."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.error import HTTPError

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client

from bench.servers import free_port
from tests.supporters_helpers import give, link_from

NOT_FOUND = "We can’t find that page"
CRASHED = "Something went wrong on our side"


def settings_value(name, **env):
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "canary.settings", **env}
    environment.pop("SITE_URL", None)
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_absolute_links_follow_the_port_unless_site_url_is_set():
    assert settings_value("SITE_URL", PORT="8801") == "http://127.0.0.1:8801"
    assert settings_value("SITE_URL", PORT="8801", SITE_URL="https://news.canary.example/") == (
        "https://news.canary.example"
    )


@pytest.mark.django_db(transaction=True)
def test_the_emailed_sign_in_link_on_port_8801_signs_in(settings):
    settings.SITE_URL = "http://127.0.0.1:8801"
    give(Client(), email="reader@canary.example")
    browser = Client(HTTP_HOST="127.0.0.1:8801", enforce_csrf_checks=False)
    browser.post("/account/login/", {"email": "reader@canary.example"})
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    link = link_from([m for m in mail.outbox if "Sign in" in m.subject][-1].body)
    assert link.startswith("http://127.0.0.1:8801/account/login/")
    assert browser.post(link.removeprefix("http://127.0.0.1:8801"))["Location"] == "/account/"


@pytest.fixture
def designed_pages(settings):
    """`make run`'s settings: DEBUG on, the designed error pages."""
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    settings.ROOT_URLCONF = "tests.crash_urls"


@pytest.mark.django_db
def test_an_unknown_address_gets_the_designed_404_not_the_url_list(designed_pages):
    response = Client().get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND in page and "URLconf" not in page


@pytest.mark.django_db
def test_a_story_that_is_not_there_gets_the_designed_404(designed_pages):
    response = Client().get("/2026/01/01/never-written/")
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()


@pytest.mark.django_db
def test_a_crash_gets_the_designed_500_and_is_logged_with_its_traceback(designed_pages, caplog):
    response = Client(raise_request_exception=False).get("/crash/")
    page = response.content.decode()
    assert response.status_code == 500
    assert CRASHED in page and "Traceback" not in page
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert logged and logged[0].exc_info[1].args == ("a bug in a view",)


@pytest.mark.django_db
def test_make_dev_keeps_the_debug_pages(settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = True
    page = Client().get("/no-such-page/").content.decode()
    assert "URLconf" in page and NOT_FOUND not in page


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback server
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def test_the_run_server_serves_designed_pages_logs_one_format_and_stops_cleanly(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "1",
        "PORT": str(port),
        "VAR_DIR": str(tmp_path),
        "WEB_CONCURRENCY": "1",
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "SITE_URL", "STATIC_ROOT", "MEDIA_ROOT", "DEBUG_ERROR_PAGES"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    log = (tmp_path / "run.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "canary.devserver"], cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        status, page = get(f"http://127.0.0.1:{port}/no-such-page/")
        assert status == 404 and NOT_FOUND in page and "URLconf" not in page
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(30)
    log.seek(0)
    lines = [line for line in log.read().splitlines() if line.strip()]
    assert code == 0
    assert lines[-1] == "Canary stopped."
    events = [json.loads(line) for line in lines[:-1]]  # one format: a JSON object a line
    text = "\n".join(lines)
    assert "Traceback" not in text and "Segmentation" not in text
    # Nothing to worry a newcomer: the only warning is the request for a page that is not there.
    warnings = [e["message"] for e in events if e["level"] not in ("INFO", "DEBUG")]
    assert warnings == ["Not Found: /no-such-page/"]
