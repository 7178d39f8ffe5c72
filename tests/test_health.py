import json
import os
import subprocess
import sys

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
