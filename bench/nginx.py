"""Run deploy/nginx.conf on loopback: the production file, adapted for a benchmark or an audit.

What changes: the listen address (plain HTTP on a loopback port instead of TLS on 443, with
the forwarded scheme pinned to https, as the TLS server sends it), the app servers, the file
paths (static, media, cache, logs, pid, temp) and the worker user. Everything else (cache
key, bypass, lifetimes, gzip, static headers) is what production runs.
"""

# The commands run here are this project's own tools (gunicorn, nginx, wrk, npm, apt-get),
# with arguments built here: nothing comes from untrusted input.
# ruff: noqa: S603, S607

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CONFIG = BASE_DIR / "deploy" / "nginx.conf"
BEGIN, END = "    # BEGIN plain-http", "    # END plain-http\n"


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _sub(pattern, replacement, text, count=0):
    new, found = re.subn(pattern, lambda _: replacement, text, count=count, flags=re.M)
    if not found:
        raise ValueError(f"deploy/nginx.conf has changed: nothing matches {pattern!r}")
    return new


def adapt(text, *, port, upstreams, static_root, media_root, temp_dir):
    temp_dir = Path(temp_dir)
    start, end = text.index(BEGIN), text.index(END) + len(END)
    text = text[:start] + text[end:]
    # Workers run as the user running the benchmark: the files are in its working tree.
    text = _sub(r"^user .*;$", "user root;" if os.geteuid() == 0 else "", text)
    text = _sub(r"^pid .*;$", f"pid {temp_dir / 'nginx.pid'};", text)
    text = _sub(r"^error_log .*;$", f"error_log {temp_dir / 'error.log'} warn;", text)
    text = _sub(r"access_log /var/log/nginx/access.log", f"access_log {temp_dir / 'access.log'}", text)
    temp_paths = "".join(
        f"    {kind}_temp_path {temp_dir / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = _sub(r"^http \{\n", "http {\n" + temp_paths, text, count=1)
    text = _sub(r"proxy_cache_path /var/cache/nginx/canary ", f"proxy_cache_path {temp_dir / 'cache'} ", text)
    servers = "".join(f"        server {address};\n" for address in upstreams)
    text = _sub(r"^        server 127\.0\.0\.1:8000;\n", servers, text)
    text = _sub(r"^\s*listen 443 ssl http2;\n", f"        listen 127.0.0.1:{port};\n", text)
    text = _sub(r"^\s*listen \[::\]:443 ssl http2;\n", "", text)
    text = _sub(r"^\s*ssl_[a-z_]+ .*;\n", "", text)
    text = _sub(r"X-Forwarded-Proto \$scheme;", "X-Forwarded-Proto https;", text)
    text = _sub(r"/srv/canary/var/static/", f"{Path(static_root)}/", text)
    return _sub(r"/srv/canary/var/media/", f"{Path(media_root)}/", text)


def write_config(temp_dir, **options):
    temp_dir = Path(temp_dir)
    temp_dir.mkdir(parents=True, exist_ok=True)
    path = temp_dir / "nginx.conf"
    path.write_text(adapt(CONFIG.read_text(), temp_dir=temp_dir, **options))
    return path


def check(config, temp_dir):
    """`nginx -t` on the adapted file; returns (ok, what nginx said)."""
    result = subprocess.run(
        [nginx_binary(), "-t", "-q", "-p", str(temp_dir), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


class Nginx:
    """nginx in the foreground as a child process, stopped (only it) on exit."""

    def __init__(self, temp_dir, **options):
        self.temp_dir = Path(temp_dir)
        self.config = write_config(temp_dir, **options)
        self.port = options["port"]
        self.process = None

    def __enter__(self):
        ok, message = check(self.config, self.temp_dir)
        if not ok:
            raise RuntimeError(f"nginx rejects the adapted configuration: {message}")
        self.process = subprocess.Popen(
            [nginx_binary(), "-p", str(self.temp_dir), "-c", str(self.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # A process group of its own, so its CPU time can be counted (bench.servers.cpu_seconds).
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("nginx did not start listening")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            # QUIT: graceful stop of the master started here and its own workers.
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
