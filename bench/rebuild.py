"""One search-index rebuild of the database the environment names, measured: wall time, this
process's CPU, the PostgreSQL server backend's CPU and this process's peak memory, as one JSON
line. bench/archive.py runs it in a process of its own.

    DATABASE_URL=postgres://… python -m bench.rebuild

The server's CPU is read from /proc/<pid>/stat, so it is counted only where the server runs on
this machine (null elsewhere): the backend's, and its parallel workers', which come and go with
each query and are read every quarter second while they live (each may be counted up to
0.25 s short). On a shared machine wall time moves with the others' load, while CPU time (client
plus server) is what the rebuild itself costs.
"""

import json
import os
import resource
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
django.setup()

from django.db import connection  # noqa: E402

from articles import search  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid):
    """utime + stime of a local process, in seconds; None if it is not on this machine."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces: the fields after it start past its ")".
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


class WorkerWatch(threading.Thread):
    """The CPU seconds of the backend's parallel workers, read while they live."""

    def __init__(self, leader):
        super().__init__(daemon=True)
        self.title = f"parallel worker for PID {leader}".encode()
        self.seen, self.done = {}, threading.Event()

    def run(self):
        while not self.done.wait(0.25):
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        if self.title in (entry / "cmdline").read_bytes():
                            self.seen[entry.name] = backend_cpu(entry.name) or 0.0
                    except OSError:
                        continue  # gone between the listing and the read

    def total(self):
        self.done.set()
        self.join()
        return sum(self.seen.values())


def own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    server_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (server_pid,) = cursor.fetchone()
    server_before, client_before = backend_cpu(server_pid) if server_pid else None, own_cpu()
    workers = WorkerWatch(server_pid)
    if server_before is not None:
        workers.start()
    started = time.monotonic()
    count = search.rebuild()
    wall = time.monotonic() - started
    client = own_cpu() - client_before
    server = None
    if server_before is not None:
        server = backend_cpu(server_pid) - server_before + workers.total()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "stories": count,
                "wall_s": round(wall, 2),
                "client_cpu_s": round(client, 2),
                "server_cpu_s": None if server is None else round(server, 2),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
