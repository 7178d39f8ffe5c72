import json
import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_health_check_answers_ok_with_the_database_up(anonymous):
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    if settings.REDIS_URL:
        assert body["redis"] == "ok"


def test_health_check_answers_503_naming_the_database_when_it_is_down():
    """A real, unreachable PostgreSQL: nothing listens on port 1."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["database"] == "down"
    assert answer["body"]["status"] == "down"


def test_reader_page_answers_503_with_retry_after_when_the_database_is_down():
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/');"
        "print(json.dumps({'status': r.status_code, 'retry': r.get('Retry-After'),"
        " 'page': r.content.decode()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["retry"] == "30"
    assert "back in a moment" in answer["page"]


def run_site(code, database_url, **extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "canary.settings", "DATABASE_URL": database_url, **extra}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_hung_database_answers_503_within_seconds():
    """PostgreSQL's port accepts connections and never answers (a frozen server)."""
    code = (
        "import django, json, time; django.setup();"
        "from django.test import Client;"
        "started = time.monotonic();"
        "r = Client(raise_request_exception=False).get('/latest/');"
        "print(json.dumps({'status': r.status_code, 'retry': r.get('Retry-After'),"
        " 'took': time.monotonic() - started}))"
    )
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        answer = run_site(code, f"postgres://postgres@127.0.0.1:{port}/nothing", DATABASE_CONNECT_TIMEOUT="2")
    assert answer["status"] == 503 and answer["retry"] == "30"
    assert answer["took"] < 10  # libpq may try the address twice: a few seconds, never a hang


def test_database_connections_notice_a_dead_peer_within_seconds():
    """TCP keepalives and a user timeout on the real connection: a server or network that goes
    silent mid-query is given up in seconds, not after the kernel's two hours."""
    code = (
        "import django, json, socket; django.setup();"
        "from django.db import connection;"
        "connection.ensure_connection();"
        "s = socket.socket(fileno=connection.connection.fileno());"
        "o = lambda level, name: s.getsockopt(level, name);"
        "print(json.dumps([o(socket.SOL_SOCKET, socket.SO_KEEPALIVE) != 0,"
        " o(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE), o(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),"
        " o(socket.IPPROTO_TCP, socket.TCP_KEEPCNT), o(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT)]));"
        "s.detach()"
    )
    # The server the suite runs on, else the PostgreSQL every machine runs; its always-there database.
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        server = "postgres://postgres@127.0.0.1:5432/postgres"
    database_url = urlunsplit(urlsplit(server)._replace(path="/postgres"))
    keepalive, idle, interval, count, user_timeout = run_site(code, database_url)
    assert keepalive and idle + interval * count <= 20 and user_timeout <= 20_000
    assert run_site(code, database_url, DATABASE_TCP_TIMEOUT="3")[-1] == 3000
