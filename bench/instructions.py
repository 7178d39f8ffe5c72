"""`make instructions`: machine instructions per uncached request, page by page (WARM=1: per
request served from the page cache, to compare two settings of a cached page, such as
READERSHIP_SCRIPT=0 against the default).

Seconds move with whatever else the machine is doing; the number of instructions a request
executes does not. This counts them with valgrind's callgrind on make profile's site
(var/profile/, built the first time; with DATABASE_URL a scratch <name>_profile database beside
the one named, as make profile says): one process serves every page (or PAGE=/some/path/, or
PAGES="home article"), and for each counts ROUNDS requests (20) after a warm-up that is not
counted, less what turning the count on and off costs. The figure moves by well under 1%
between runs, so a change to a page can be judged before and after on a busy machine; keep
ROUNDS at 10 or more, as fewer may miss the garbage collector's full passes and read a few
per cent low. About 8 minutes for the seven pages on 2 cores shared with a load of 10.
"""

# The commands run here are valgrind, apt-get and this project's own Python.
# ruff: noqa: S603, S607

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.profile import pages, requester, scratch_database, site_env
from bench.servers import BASE_DIR

WARM_UP = 15
TRIGGER = re.compile(r"^desc: Trigger: dump (.+)$", re.MULTILINE)
TOTALS = re.compile(r"^totals: (\d+)$", re.MULTILINE)
# The speed tricks' switches, printed with the figures so that a run says what it measured.
SWITCHES = ("COMPILED_QUERIES", "PYTHON_STORY_PARTS", "READERSHIP_SCRIPT")


def control(option):
    """A command to callgrind about this very process (callgrind_control, through vgdb)."""
    subprocess.run(["callgrind_control", option, str(os.getpid())], capture_output=True, check=True)


def counted(label, one, count):
    """Runs one() count times with counting on, then dumps the count under label."""
    control("--instr=on")
    for _ in range(count):
        one()
    control("--instr=off")
    control(f"--dump={label}")


def requests(count, targets):
    """Runs in the child under valgrind: for each page, its warm-up, then count requests, counted.

    Valgrind starts with its counting off (--instr-atstart=no), so Python's start, Django's
    setup and each warm-up run several times faster than counted code, and every page is
    measured in one process, as a long-running worker serves them. Turning counting on and off
    costs instructions too: a run of nothing measures that for each page, to subtract."""
    os.environ.update(site_env())
    if warm():
        os.environ["PAGE_CACHE_ENABLED"] = "1"  # the warm-up fills the cache; counted requests are hits
    import django

    django.setup()
    for name, url in targets:
        one = requester(url)
        for _ in range(WARM_UP):
            status = one()
        if not status.startswith("200"):
            sys.exit(f"{url} answered {status}")
        if warm() and one.answer["headers"].get("X-Cache") != "hit":
            sys.exit(f"{url} is not served from the page cache after the warm-up")
        counted(f"none {name}", one, 0)
        counted(f"page {name}", one, count)


def warm():
    return os.environ.get("WARM") == "1"


def instructions(targets, count, valgrind):
    """{page name: instructions per request} for these (name, url) pages."""
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
                str(count),
                *(f"{name}={url}" for name, url in targets),
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            sys.exit(f"valgrind failed:\n{result.stderr[-2000:]}")
        dumps = {}
        for path in Path(scratch).glob("callgrind.out.*"):
            text = path.read_text()
            dumps[TRIGGER.search(text).group(1)] = int(TOTALS.search(text).group(1))
    return {name: (dumps[f"page {name}"] - dumps[f"none {name}"]) / count for name, _ in targets}


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
        requests(int(sys.argv[2]), [target.split("=", 1) for target in sys.argv[3:]])
        return
    valgrind = find_valgrind()
    if not valgrind:
        sys.exit("make instructions needs valgrind (apt-get install valgrind)")
    rounds = int(os.environ.get("ROUNDS", "20"))
    chosen = pages(site_env(), int(os.environ.get("N", "2000")))
    if os.environ.get("PAGE"):
        targets = [("page", os.environ["PAGE"])]
    else:
        wanted = os.environ.get("PAGES", "").split() or list(chosen)
        targets = [(name, chosen[name]["url"]) for name in wanted]
    database = scratch_database() or "SQLite"
    switches = ", ".join(f"{name}={os.environ[name]}" for name in SWITCHES if name in os.environ)
    kind = "request served from the page cache" if warm() else "uncached request, page cache off"
    print(f"Instructions per {kind} ({rounds} requests after {WARM_UP})")
    print(f"Database: {database.rpartition('@')[2]}; {switches or 'default settings'}")
    per_request = instructions(targets, rounds, valgrind)
    for name, url in targets:
        print(f"{name:10} {per_request[name] / 1e6:8.3f} M  {url}", flush=True)


if __name__ == "__main__":
    main()
