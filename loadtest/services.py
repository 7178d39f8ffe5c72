"""What make loadtest starts beside the app and then breaks: the database proxy and Redis.

Also the ports they listen on and gunicorn's worker processes, which the run kills one of.
"""

import asyncio
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

RUN_SCRIPT = str(Path(__file__).resolve().with_name("run.py"))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


# --- The database proxy: a process of its own, so stopping it drops every connection at once -------


async def _pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def serve_proxy(listen_port, target_host, target_port):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, server_writer), _pipe(server_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port, reuse_address=True)
    async with server:
        await server.serve_forever()


class Proxy:
    """`python run.py --proxy PORT HOST:PORT` (run.py's main serves it), started and killed by the load test."""

    def __init__(self, target_host, target_port):
        self.port = free_port()
        self.target = f"{target_host}:{target_port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own script and arguments
            [sys.executable, RUN_SCRIPT, "--proxy", str(self.port), self.target]
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.kill()  # every connection through it ends now, as in a crash
            self.process.wait()
            self.process = None


# --- Redis and gunicorn -------------------------------------------------------------------------


class Redis:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None


def worker_pids(master_pid):
    try:
        return [
            int(pid) for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        ]
    except OSError:
        return []
