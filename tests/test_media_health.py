"""/healthz names the media storage: "ok", "down" when it answers with an error, "slow" when it
does not answer in time. Either is "degraded", never a failure that takes app servers out."""

import socket
import threading

import pytest

from canary import health
from canary.media_storage import media_settings

pytestmark = pytest.mark.django_db


def use_bucket(settings, monkeypatch, endpoint, key="nobody", secret="nothing"):  # noqa: S107 - refused on purpose
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "canary-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("MEDIA_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("MEDIA_READ_TIMEOUT", "5")
    storage, _, _ = media_settings("/media/")
    settings.STORAGES = {**settings.STORAGES, "default": storage}


def test_the_storage_is_named_ok_when_it_answers(media_storage, anonymous):
    body = anonymous.get("/healthz").json()
    assert body["storage"] == "ok" and body["status"] == "ok"


def test_a_bucket_that_refuses_us_is_down_and_the_site_only_degraded(
    seaweedfs, settings, monkeypatch, anonymous
):
    use_bucket(settings, monkeypatch, seaweedfs.endpoint, key="stolen", secret="wrong")
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "storage": "down"} | (
        {"redis": "ok"} if settings.REDIS_URL else {}
    )
    assert anonymous.get("/healthz?strict=1").status_code == 503


def test_a_storage_that_is_not_there_is_down(settings, monkeypatch, anonymous):
    use_bucket(settings, monkeypatch, "http://127.0.0.1:1")  # nothing listens on port 1
    body = anonymous.get("/healthz").json()
    assert (body["status"], body["storage"]) == ("degraded", "down")


@pytest.fixture
def hanging_server():
    """A loopback server that takes connections and never answers, like a storage that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []

    def hold():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    yield listener.getsockname()[1], held
    listener.close()
    for connection in held:
        connection.close()
    # The probe it held now fails at once; let it end before the next test asks.
    for probe in list(health._last_probe.values()):
        probe.exception(timeout=30)


def test_a_storage_that_hangs_is_slow_and_the_check_does_not_wait_for_it(
    hanging_server, settings, monkeypatch, anonymous
):
    port, held = hanging_server
    use_bucket(settings, monkeypatch, f"http://127.0.0.1:{port}")
    settings.MEDIA_HEALTH_TIMEOUT = 0.5
    first = anonymous.get("/healthz")
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["storage"]) == ("degraded", "slow")
    # While the first probe hangs, the next checks answer "slow" without asking again.
    for _ in range(3):
        assert anonymous.get("/healthz").json()["storage"] == "slow"
    assert len(held) == 1
