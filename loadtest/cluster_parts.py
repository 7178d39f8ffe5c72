"""The processes of make cluster: app servers and workers that can be killed whole and started
again, nginx in front of them as an unprivileged user, and an SMTP sink that counts recipients.

Each app server and worker runs in a session of its own, so SIGKILL to its process group takes
the gunicorn master and its workers at once, as a machine that dies would.
"""

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from services import wait_for_port

from bench.nginx import adapt, nginx_binary

BASE_DIR = Path(__file__).resolve().parent.parent
CONFIG = BASE_DIR / "deploy" / "nginx.conf"
# Root runs nginx as this user instead: the rehearsal never runs a network server as root.
UNPRIVILEGED = "nobody"


class Group:
    """A command in a session of its own, logged to a file, killed whole or stopped gently."""

    def __init__(self, name, command, env, log_path):
        self.name, self.command, self.env, self.log_path = name, command, env, log_path
        self.process = None
        # A restart runs in a thread of its own: once the run is stopping, it starts nothing.
        self.lock, self.closed = threading.Lock(), False

    def start(self):
        with self.lock, open(self.log_path, "ab") as log:
            if self.closed:
                return
            self.process = subprocess.Popen(  # noqa: S603 - our own commands
                self.command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self):
        """SIGKILL to the whole group: no goodbye, no graceful end of requests in flight."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self, grace=15):
        with self.lock:
            self.closed = True
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        self.kill()  # whatever of the group is left, and gunicorn's workers if the master is gone


class AppServer(Group):
    def __init__(self, name, env, folder):
        self.port = int(env["PORT"])
        # Its control socket in the run's folder: a killed master leaves nothing in /tmp.
        env = {**env, "GUNICORN_CONTROL_SOCKET": str(folder / f"{name}.ctl")}
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "canary.wsgi"]
        super().__init__(name, command, env, folder / f"{name}.log")

    def requests_served(self):
        """Lines of its access log, over every start."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return 0
        return len(re.findall(r'"(?:GET|HEAD|POST) ', text))


class Worker(Group):
    def __init__(self, name, env, folder):
        command = [sys.executable, "manage.py", "worker", "--no-startup-delay", "--worker-id", name]
        super().__init__(name, command, env, folder / f"{name}.log")


def nginx_config(*, port, upstreams, static_root, temp_dir):
    """deploy/nginx.conf as bench/nginx.py adapts it for loopback, without a `user` line: the
    master already runs as the unprivileged user, and nginx warns about the line otherwise."""
    text = adapt(
        CONFIG.read_text(),
        port=port,
        upstreams=upstreams,
        static_root=static_root,
        media_root=Path(temp_dir) / "no-media",  # media is in the bucket
        temp_dir=temp_dir,
    )
    text = re.sub(r"^user .*;\n", "", text, flags=re.M)
    # The site's address here has a port (https://127.0.0.1:PORT): the Host header keeps it, so
    # Django's CSRF check finds the Origin it expects, as on 443 in production.
    return text.replace("proxy_set_header Host $host;", "proxy_set_header Host $http_host;")


def unprivileged_ids():
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(UNPRIVILEGED)
    return entry.pw_uid, entry.pw_gid


class Nginx:
    def __init__(self, folder, port, upstreams, static_root):
        self.folder = Path(folder) / "nginx"
        self.folder.mkdir()
        self.port = port
        self.config = self.folder / "nginx.conf"
        self.config.write_text(
            nginx_config(port=port, upstreams=upstreams, static_root=static_root, temp_dir=self.folder)
        )
        self.ids = unprivileged_ids()
        if self.ids:
            os.chown(self.folder, *self.ids)
        self.process = None

    def command(self, *extra):
        return [nginx_binary(), "-p", str(self.folder), "-c", str(self.config), *extra]

    def run_as(self):
        return {"user": self.ids[0], "group": self.ids[1], "extra_groups": []} if self.ids else {}

    def start(self):
        if nginx_binary() is None:
            raise RuntimeError("make cluster needs nginx (apt-get install nginx-light).")
        checked = subprocess.run(  # noqa: S603 - our own arguments
            self.command("-t", "-q"), capture_output=True, text=True, check=False, **self.run_as()
        )
        if checked.returncode != 0:
            raise RuntimeError(f"nginx rejects the configuration: {checked.stderr.strip()}")
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            self.command("-g", "daemon off;"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            **self.run_as(),
        )
        wait_for_port(self.port)

    def upstream_errors(self):
        """{app server address: lines of nginx's error log about it} (refused, reset, timed out)."""
        try:
            text = (self.folder / "error.log").read_text(errors="replace")
        except OSError:
            return {}
        return dict(Counter(re.findall(r'upstream: "http://([0-9.:]+)', text)))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: the master and its own workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


class CountingInbox:
    """aiosmtpd handler: how many messages each recipient got."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recipients = Counter()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def delivered(self):
        with self.lock:
            return Counter(self.recipients)


def start_mail_sink(port):
    from aiosmtpd.controller import Controller

    inbox = CountingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def weed_leftovers(ports):
    """weed leaves its gRPC sockets in /tmp, named by port (tests/object_storage.py clears them too)."""
    return [path for port in ports for path in Path("/tmp").glob(f"seaweedfs-*-{port}.sock")]  # noqa: S108


def have_tools():
    missing = [name for name in ("redis-server",) if shutil.which(name) is None]
    if nginx_binary() is None:
        missing.append("nginx")
    return missing
