"""Start and stop Canary's processes on loopback, for the benchmark, the audit and the tests."""

# The commands run here are this project's own tools (gunicorn, nginx, wrk, npm, apt-get),
# with arguments built here: nothing comes from untrusted input.
# ruff: noqa: S603, S607

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(var_dir, **extra):
    """Production settings (DEBUG off, a key made now, loopback hosts) with their own VAR_DIR."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "locmem://",
        "DJANGO_SETTINGS_MODULE": "canary.settings",
    }
    # Paths that would otherwise follow the caller's VAR_DIR.
    for name in ("STATIC_ROOT", "MEDIA_ROOT", "PAGE_CACHE_GENERATION_FILE"):
        env.pop(name, None)
    env.update({name: str(value) for name, value in extra.items()})
    return env


def cpu_seconds(process_groups=(), pids=()):
    """CPU time (user + system) used so far by these processes and every live one in these groups."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) in process_groups or int(entry) in pids:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def manage(env, *args):
    """Run a management command; returns its output, raises with it on failure."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def request(port, path, headers=None, method="GET", timeout=30):
    """One request to 127.0.0.1:port; returns (status, headers as a dict, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, headers={**FORWARDED_HTTPS, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py on a free loopback port, stopped on exit."""

    def __init__(self, env, app="canary.wsgi", workers=None, log=None, probe="/healthz"):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.env.pop("GUNICORN_BIND", None)
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.app = app
        self.log = log
        self.probe = probe
        self.process = None

    def __enter__(self):
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 (closed in __exit__)
        self._out = out
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", self.app],
            cwd=BASE_DIR,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn ({self.app}) exited with {self.process.returncode}; see {self.log}"
                )
            try:
                request(self.port, self.probe, timeout=5)
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn ({self.app}) did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            # TERM to this gunicorn's own process group: its master and the workers it forked.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._out is not subprocess.DEVNULL:
            self._out.close()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"
