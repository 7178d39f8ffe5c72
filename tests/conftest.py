import os
import secrets
import shutil

import pytest
from django.core.cache import cache

from canary.redis_breaker import breaker
from tests.wall_clock import start_well_inside


@pytest.fixture(autouse=True)
def isolated_site(settings, tmp_path):
    """Each test gets its own media folder, page-cache generation and empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Each beacon counted in its own request, so a test reads its counts at once; the buffer
    # that sends them together in production has tests of its own (test_readership_buffer.py).
    settings.READERSHIP_BUFFER_MS = 0
    if settings.PAGE_CACHE_GENERATION_FILE:
        settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "cache" / "generation"
    breaker.succeeded()  # a Redis a test hung is no one else's
    cache.clear()
    # A cached home page lives until "Most read" next changes: a test that reads it twice must
    # not straddle that moment (tests of the moment itself shorten the period and wait for it).
    start_well_inside(settings.READERSHIP_MOST_READ_SECONDS, 2.5)
    yield
    cache.clear()
    breaker.succeeded()


@pytest.fixture
def fresh_minute():
    """For a test that counts against a per-minute limit: it starts with 10 s of the minute left
    at least, so the count cannot start again halfway."""
    start_well_inside(60, 10)


@pytest.fixture
def anonymous(client):
    """A reader's browser: the Django test client with no cookies."""
    client.cookies.clear()
    return client


def chromium_path():
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@pytest.fixture
def on_redis(settings):
    """The production cache: Redis runs on every machine, so this runs on every suite."""
    settings.CACHES = {
        "default": {
            "BACKEND": "canary.cache_backend.ResilientRedisCache",
            # TEST_REDIS_URL lets suites that run side by side keep to a database each.
            "LOCATION": os.environ.get("REDIS_URL")
            or os.environ.get("TEST_REDIS_URL")
            or "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"canary-test-{secrets.token_hex(4)}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE_GENERATION_FILE = None
    yield


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server; Django's mail goes to it. Yields its inbox."""
    from tests import mail_server

    controller, inbox = mail_server.start(settings)
    yield inbox
    controller.stop()


@pytest.fixture
def editor(db):
    """A member of the Editor group (a module's own ``editor`` fixture takes precedence)."""
    from tests.editorial_helpers import staff

    return staff("eddie", "Editor")


@pytest.fixture
def as_editor(editor):
    from tests.editorial_helpers import signed_in

    return signed_in(editor)


@pytest.fixture(scope="session")
def seaweedfs():
    """One SeaweedFS for the whole session (it takes a few seconds to start), stopped at the end."""
    from tests import object_storage

    server = object_storage.start()
    yield server
    server.stop()


@pytest.fixture(params=["disk", "bucket"])
def media_storage(request, settings, monkeypatch):
    """Media on the local disk, then in a real bucket (each test in a folder of its own).

    Yields the environment a subprocess needs to use the same storage.
    """
    if request.param == "disk":
        yield {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
        return
    from canary.csp_policy import content_security_policy
    from canary.media_storage import media_settings

    environment = request.getfixturevalue("seaweedfs").environment(f"t-{secrets.token_hex(6)}")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    storage, settings.MEDIA_URL, settings.MEDIA_ORIGIN = media_settings("/media/")
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.CONTENT_SECURITY_POLICY = content_security_policy(settings.MEDIA_ORIGIN)
    yield environment
