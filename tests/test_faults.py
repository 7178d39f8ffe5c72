"""Redis going away: pages are still served (uncached), writes still land, and nobody is signed out.

A real, throwaway redis-server on a free loopback port of its own is started, used, stopped and
started again; the shared Redis that other test runs use is never touched. Email down is covered
by tests/test_mail.py and the database down (503 with Retry-After) by tests/test_health.py.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from django.test import Client

from articles.factories import make_article
from articles.models import Comment
from tests.security_helpers import signed_in, supporter_user

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayRedis:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def freeze(self):
        """Hung, not dead: the kernel still accepts connections, nothing ever answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class SilentRedis:
    """A port that accepts connections and reads what is sent, but never answers: a hung Redis.

    It counts the connections and bytes it gets, so a test sees whether anyone still asks.
    """

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = self.received = 0
        self.sockets = []
        threading.Thread(target=self.accept, daemon=True).start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.sockets.append(connection)
            threading.Thread(target=self.read, args=(connection,), daemon=True).start()

    def read(self, connection):
        while True:
            try:
                data = connection.recv(65536)
            except OSError:
                return
            if not data:
                return
            self.received += len(data)

    def asked(self):
        return self.connections, self.received

    def close(self):
        self.listener.close()
        for connection in self.sockets:
            connection.close()


def use_redis(settings, url):
    settings.REDIS_URL = url
    settings.PAGE_CACHE_GENERATION_FILE = None
    settings.CACHES = {
        "default": {
            "BACKEND": "canary.cache_backend.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache(settings, tmp_path):
    """The site's cache and page-cache generation in a Redis of this test's own."""
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (apt-get install redis-server): fault tests NOT RUN"
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: every tool the suite needs must be there
            pytest.fail(message)
        pytest.skip(message)
    server = ThrowawayRedis(tmp_path)
    server.start()
    before = settings.CACHES, settings.REDIS_URL, settings.PAGE_CACHE_GENERATION_FILE
    settings.REDIS_RETRY_SECONDS = 1
    use_redis(settings, server.url)
    yield server
    # Back to the suite's own cache before this Redis goes, so the suite's clean-up finds one.
    settings.CACHES, settings.REDIS_URL, settings.PAGE_CACHE_GENERATION_FILE = before
    server.stop()


@pytest.fixture
def hung_redis(settings):
    silent = SilentRedis()
    before = settings.CACHES, settings.REDIS_URL, settings.PAGE_CACHE_GENERATION_FILE
    use_redis(settings, silent.url)
    yield silent
    settings.CACHES, settings.REDIS_URL, settings.PAGE_CACHE_GENERATION_FILE = before
    silent.close()


def test_redis_down_serves_pages_uncached_keeps_sessions_and_takes_comments(redis_cache, settings):
    settings.COMMENT_MIN_SECONDS = 0
    article = make_article("Still here", comments="open")
    url = article.get_absolute_url()
    reader = Client()
    assert reader.get(url)["X-Cache"] == "miss"
    assert reader.get(url)["X-Cache"] == "hit"  # the page cache really is in this Redis
    user, _, _ = supporter_user()
    member = signed_in(user)
    assert member.get("/account/").status_code == 200

    redis_cache.stop()
    started = time.monotonic()
    response = reader.get(url)
    assert response.status_code == 200 and "Still here" in response.content.decode()
    assert response.get("X-Cache") != "hit"
    assert time.monotonic() - started < 5  # a refused connection is noticed at once
    assert member.get("/account/").status_code == 200  # sessions live in the database
    health = Client().get("/healthz")
    # Still in the load balancer: pages are served, only uncached.
    assert health.status_code == 200 and health.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "down",
        "storage": "ok",
    }
    assert Client().get("/healthz?strict=1").status_code == 503
    from tests.comment_helpers import comment_data

    posted = reader.post(f"/comments/{article.pk}/post/", comment_data(reader))
    assert posted.status_code == 302  # the rate limit lets it through rather than turn readers away
    assert Comment.objects.count() == 1

    redis_cache.start()
    time.sleep(settings.REDIS_RETRY_SECONDS)  # the pause before Redis is tried again
    assert Client().get("/healthz").json()["redis"] == "ok"
    assert member.get("/account/").status_code == 200
    fresh = Client()
    fresh.get(url)
    assert fresh.get(url)["X-Cache"] == "hit"  # caching again, with no restart of anything


def test_a_hung_redis_costs_one_timeout_then_is_left_alone_until_the_pause_is_over(
    hung_redis, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_RETRY_SECONDS = 5  # room for a slow machine to do the requests inside it
    settings.COMMENT_MIN_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("Still here", comments="open")
    url = article.get_absolute_url()
    reader = Client()

    # Saving the story already met the timeout (on commit it drops cached parts): the breaker is open.
    asked = hung_redis.asked()
    assert asked[1] > 0  # Redis was asked, and did not answer

    started = time.monotonic()
    for _ in range(5):
        response = reader.get(url)
        assert response.status_code == 200 and "Still here" in response.content.decode()
    health = Client().get("/healthz")
    assert health.status_code == 200 and health.json()["redis"] == "down"
    from tests.comment_helpers import comment_data

    with django_capture_on_commit_callbacks(execute=True):  # the confirmation marker is set on commit
        posted = reader.post(f"/comments/{article.pk}/post/", comment_data(reader))
    assert posted.status_code == 302  # the rate limit and the confirmation marker skip Redis too
    assert hung_redis.asked() == asked  # not one connection nor one byte more
    assert time.monotonic() - started < 2  # no request waited for Redis (each wait: 0.5 s)

    time.sleep(settings.REDIS_RETRY_SECONDS)
    assert reader.get(url).status_code == 200
    assert hung_redis.asked()[1] > asked[1]  # the pause is over: Redis is tried again


def test_a_frozen_redis_server_then_thawed_serves_cached_pages_again(redis_cache, settings):
    url = make_article("Still here").get_absolute_url()
    assert Client().get(url)["X-Cache"] == "miss"
    redis_cache.freeze()
    started = time.monotonic()
    for _ in range(6):
        response = Client().get(url)
        assert response.status_code == 200 and response.get("X-Cache") != "hit"
    assert time.monotonic() - started < 3  # six pages, one timeout
    assert Client().get("/healthz").json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "down",
        "storage": "ok",
    }

    redis_cache.thaw()
    time.sleep(settings.REDIS_RETRY_SECONDS)
    assert Client().get(url).status_code == 200
    assert Client().get(url)["X-Cache"] == "hit"
    assert Client().get("/healthz").json()["status"] == "ok"


DATABASE_DOWN = r"""
import json

import django

django.setup()
from django.test import Client

answers = {}
for name, cookies in (("anonymous", {}), ("with a session", {"sessionid": "a" * 32})):
    client = Client(raise_request_exception=False)
    for cookie, value in cookies.items():
        client.cookies[cookie] = value
    for method in ("get", "post"):
        response = getattr(client, method)("/latest/" if method == "get" else "/support/", secure=True)
        answers[f"{name} {method}"] = [
            response.status_code,
            response.get("Retry-After"),
            "Content-Security-Policy" in response,
            "back in a moment" in response.content.decode(),
        ]
print(json.dumps(answers))
"""


def test_database_down_is_a_503_even_where_a_middleware_meets_it_first():
    """A session cookie makes a middleware read the database before any view: still 503, never 500."""
    import json
    import os
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "DEBUG": "0",
        "SECRET_KEY": "f" * 50,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers == {name: [503, "30", True, True] for name in answers}, answers
