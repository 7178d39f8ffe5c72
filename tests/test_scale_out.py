"""Scale-out, shown: two app servers (two live gunicorn processes) on one database and one cache.

A story published through one is on the other's home page at the next request, although
that server had the page in its cache. On SQLite both share a file and the page-cache
generation file; with DATABASE_URL they share a scratch PostgreSQL database made for this
test; with REDIS_URL they share Redis (under a prefix of their own), as in production.
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile

import pytest
from django.conf import settings

from bench.servers import Gunicorn, production_env, request
from tests.scratch_databases import scratch_database

PUBLISH = """
import django
django.setup()
from articles.factories import make_article, make_section
article = make_article({headline!r}, section=make_section("News"), tags=["scale"])
print(article.get_absolute_url())
"""

UNPUBLISH = """
import django
django.setup()
from articles.models import Article
article = Article.objects.get(headline={headline!r})
article.status = Article.Status.DRAFT
article.save()
"""


def run_python(env, code):
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def shared_database():
    """The DATABASE_URL both servers use: a scratch PostgreSQL database, or None for SQLite."""
    with scratch_database("scaleout") as url:
        yield url


@pytest.fixture
def site_env(tmp_path, shared_database):
    extra = {"STATIC_MANIFEST": "0", "GUNICORN_MAX_REQUESTS": "0"}
    if shared_database:
        extra["DATABASE_URL"] = shared_database
    if os.environ.get("REDIS_URL"):
        extra["CACHE_KEY_PREFIX"] = f"scaleout-{secrets.token_hex(4)}"
    env = production_env(tmp_path, **extra)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    yield env
    if os.environ.get("REDIS_URL"):
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(match=f"{extra['CACHE_KEY_PREFIX']}:*"):
            client.delete(key)


def home(server):
    status, headers, body = request(server.port, "/")
    assert status == 200, body[:500]
    return headers, body.decode()


def test_a_story_published_through_one_server_shows_at_once_on_the_other(site_env, tmp_path):
    run_python(site_env, PUBLISH.format(headline="Yesterdays news from the docks"))
    with (
        Gunicorn(site_env, workers=2, log=tmp_path / "a.log") as first,
        Gunicorn(site_env, workers=2, log=tmp_path / "b.log") as second,
    ):
        # Each server has a control socket of its own (gunicornc), named by its master's pid.
        for server in (first, second):
            socket_path = os.path.join(tempfile.gettempdir(), f"canary-gunicorn-{server.process.pid}.ctl")
            workers = subprocess.run(
                [os.path.join(os.path.dirname(sys.executable), "gunicornc"), "-s", socket_path]
                + ["-c", "show workers", "-j"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            assert workers.returncode == 0, workers.stdout + workers.stderr
            assert len(json.loads(workers.stdout)["workers"]) == 2

        # The second server's workers have the home page in their caches.
        seen = [home(second)[0].get("X-Cache") for _ in range(6)]
        assert "hit" in seen
        assert "Yesterdays news from the docks" in home(second)[1]

        url = run_python(site_env, PUBLISH.format(headline="Breaking: the co-op wins its case"))

        for _ in range(4):  # whichever worker answers
            headers, page = home(second)
            assert "Breaking: the co-op wins its case" in page
        assert request(second.port, url)[0] == 200
        assert "Breaking: the co-op wins its case" in home(first)[1]

        run_python(site_env, UNPUBLISH.format(headline="Breaking: the co-op wins its case"))

        for _ in range(4):
            assert "Breaking: the co-op wins its case" not in home(second)[1]
        assert request(second.port, url)[0] == 404
