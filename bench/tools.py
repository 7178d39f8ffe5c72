"""What make bench needs around it: wrk and nginx installed, a Redis found, a scratch
PostgreSQL, and its own measuring scripts run beside the site.

The commands run here are this project's own tools (apt-get, pgrep, python), with arguments
built here.
"""

# ruff: noqa: S603, S607

import json
import os
import shutil
import subprocess
from urllib.parse import urlsplit, urlunsplit

from bench.nginx import nginx_binary
from bench.servers import BASE_DIR, PYTHON

DEFAULT_REDIS = "redis://127.0.0.1:6379/5"


def say(message):
    print(message, flush=True)


def ensure_tools():
    """wrk and nginx from Debian's packages when missing (as root with apt), else do without."""
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk")
    if not nginx_binary():
        missing.append("nginx-light")
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say(f"Note: {', '.join(missing)} not installed and apt-get unavailable; carrying on without.")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(f"Installing {' '.join(missing)} from Debian's packages...")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    result = subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, check=False)
    if result.returncode != 0 and "nginx-light" in missing:
        # Some releases only ship the full package.
        others = [name for name in missing if name != "nginx-light"]
        subprocess.run(["apt-get", "install", "-y", "-qq", *others, "nginx"], env=env, check=False)


def redis_url():
    url = os.environ.get("REDIS_URL")
    if url:
        return url
    try:
        import redis

        redis.Redis.from_url(DEFAULT_REDIS, socket_connect_timeout=0.5).ping()
        return DEFAULT_REDIS
    except Exception:  # noqa: BLE001 (any failure means: no Redis)
        return None


def local_redis_pids():
    """A local redis-server's process: a warm hit costs some of its CPU too."""
    found = subprocess.run(["pgrep", "-x", "redis-server"], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()[:1]]


def forget_redis_keys(url, prefix):
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def scratch_postgres(url):
    """A fresh database beside the one DATABASE_URL names: <name>_bench, dropped and created."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'canary'}_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def side_step(env, module, label):
    """One of the bench's own measuring scripts, run against the site: its one JSON line."""
    if not (BASE_DIR / "bench" / f"{module}.py").exists():
        return {"skipped": f"bench/{module}.py does not exist"}
    result = subprocess.run(
        [PYTHON, "-m", f"bench.{module}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        say(f"{label} failed:\n{result.stdout}\n{result.stderr}")
        return {"error": (result.stdout + result.stderr)[-2000:]}
    return json.loads(result.stdout.strip().splitlines()[-1])
