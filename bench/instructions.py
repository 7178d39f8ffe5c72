"""`make instructions`: machine instructions per uncached request, page by page.

Seconds move with whatever else the machine is doing; the number of instructions a request
executes does not. This counts them with valgrind's callgrind, as the difference between a run
of ROUNDS requests (20) and a run of none, each after the same warm-up (not counted), on make profile's site
(var/profile/, built the first time; with DATABASE_URL a scratch <name>_profile database beside
the one named, as make profile says). The figure repeats to a few thousandths between runs,
so a change to a page can be judged before and after on a busy machine. About 80 s a page.
"""

# The commands run here are valgrind, apt-get and this project's own Python.
# ruff: noqa: S603, S607

import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench.profile import pages, requester, scratch_database, site_env
from bench.servers import BASE_DIR

WARM_UP = 15
COLLECTED = re.compile(r"Collected : (\d+)")
# The speed tricks' switches, printed with the figures so that a run says what it measured.
SWITCHES = ("COMPILED_QUERIES", "PYTHON_STORY_PARTS")


def instrumenting(on):
    """Turns callgrind's counting on or off in this process (callgrind_control, through vgdb)."""
    subprocess.run(
        ["callgrind_control", "--instr=on" if on else "--instr=off", str(os.getpid())],
        capture_output=True,
        check=True,
    )


def requests(url, count):
    """Runs in the child under valgrind: the warm-up, then count requests for url, counted.

    Valgrind starts with its counting off (--instr-atstart=no), so Python's start, Django's
    setup and the warm-up run several times faster than counted code; it is turned on for the
    requests alone. What turning it on and off costs is the same in the run of none."""
    os.environ.update(site_env())
    import django

    django.setup()
    one = requester(url)
    for _ in range(WARM_UP):
        status = one()
    if not status.startswith("200"):
        sys.exit(f"{url} answered {status}")
    instrumenting(True)
    for _ in range(count):
        one()
    instrumenting(False)


def instructions(url, count, valgrind):
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={scratch}/callgrind.out",
                sys.executable,
                "-m",
                "bench.instructions",
                "--child",
                url,
                str(count),
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
    found = COLLECTED.search(result.stderr)
    if result.returncode != 0 or not found:
        sys.exit(f"valgrind failed for {url}:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def find_valgrind():
    """valgrind, installed with apt-get when missing (as make bench installs wrk and nginx)."""
    if not shutil.which("valgrind") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing valgrind...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], env=env, check=False)
    return shutil.which("valgrind")


def main():
    if sys.argv[1:2] == ["--child"]:
        requests(sys.argv[2], int(sys.argv[3]))
        return
    valgrind = find_valgrind()
    if not valgrind:
        sys.exit("make instructions needs valgrind (apt-get install valgrind)")
    rounds = int(os.environ.get("ROUNDS", "20"))
    chosen = pages(site_env(), int(os.environ.get("N", "2000")))
    targets = (
        {"page": os.environ["PAGE"]} if os.environ.get("PAGE") else {n: p["url"] for n, p in chosen.items()}
    )
    database = scratch_database() or "SQLite"
    switches = ", ".join(f"{name}={os.environ[name]}" for name in SWITCHES if name in os.environ)
    print(f"Instructions per uncached request, page cache off ({rounds} requests after {WARM_UP})")
    print(f"Database: {database.rpartition('@')[2]}; {switches or 'default settings'}")
    for name, url in targets.items():
        per_request = (instructions(url, rounds, valgrind) - instructions(url, 0, valgrind)) / rounds
        print(f"{name:10} {per_request / 1e6:7.2f} M  {url}", flush=True)


if __name__ == "__main__":
    main()
