"""`make run`'s server: gunicorn and one background worker, stopped together and quietly.

Ctrl-C (SIGINT, sent by the terminal to every process in the group) or SIGTERM stops both: each
child is asked once, given GRACE seconds, then killed; this process exits 0, so make prints no
error and no child is left behind.
"""

import os
import signal
import subprocess
import sys
import time

GRACE = 10


def children(python):
    worker = [python, "manage.py", "worker", "--no-startup-delay", "--no-reload"]
    web = [python, "-m", "gunicorn", "--config", "gunicorn.conf.py", "canary.wsgi"]
    return [subprocess.Popen(command) for command in (worker, web)]  # noqa: S603 - our own commands


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    stopping = []

    def ask_to_stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, ask_to_stop)
    signal.signal(signal.SIGTERM, ask_to_stop)
    processes = children(sys.executable)
    try:
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.2)
    finally:
        stop(processes)
    if stopping:
        print("Canary stopped.", flush=True)
        return 0
    failed = [process.args[2] for process in processes if process.returncode]
    print(f"Canary stopped: {', '.join(failed) or 'a process'} ended on its own.", flush=True)
    return 1


if __name__ == "__main__":
    os.environ.setdefault("DEBUG_ERROR_PAGES", "0")
    sys.exit(main())
