"""What the readership script costs the warm article: the page with it and without it
(READERSHIP_SCRIPT=0), and, as a control, the page with it from a second server of the same
configuration, each server fresh and under a cache prefix of its own.

Short runs of the three alternate, round after round, in an order that turns and reverses, and
each figure is the median of the round-by-round ratios. Ten-second runs of one server move by up
to 12% on this 2-core machine, and the means of four pairs leaned 4 to 13% one way in several
runs; so did two servers of one configuration, once, by 4%. The control says how finely this
run can tell two servers apart: the same page, two servers, should give 1.0.
"""

import os
from contextlib import ExitStack
from statistics import mean, median

from bench.servers import Gunicorn, request

ROUNDS = int(os.environ.get("BENCH_SCRIPT_ROUNDS") or 12)
SECONDS = float(os.environ.get("BENCH_SCRIPT_SECONDS") or 5)
KINDS = {"with": {}, "without": {"READERSHIP_SCRIPT": "0"}, "control": {}}
# "No worse" within the resolution the control shows: same-page pairs gave 0.96 to 1.02.
TARGET = 0.95


def prefixes(prefix):
    return [f"{prefix}-{kind}-script" for kind in KINDS]


def order(round_number):
    """The servers' order in a round: turned by one each round, reversed every other round."""
    kinds = list(KINDS)
    turned = kinds[round_number % len(kinds) :] + kinds[: round_number % len(kinds)]
    return turned[::-1] if round_number % 2 else turned


def measure(bench, env, prefix, article, log, redis, workers):
    """{"with", "without", "control": figures; "ratio", "cpu_ratio", "control_ratio",
    "control_cpu_ratio": medians of the rounds' ratios to "without" (to "with" for the control)}."""
    from bench.run import warm_up
    from bench.tools import say

    runs = {kind: [] for kind in KINDS}
    servers = {}
    with ExitStack() as stack:
        for kind, name in zip(KINDS, prefixes(prefix), strict=True):
            server_env = {**env, **KINDS[kind], "CACHE_KEY_PREFIX": name}
            servers[kind] = stack.enter_context(Gunicorn(server_env, log=log))
        for kind, server in servers.items():
            warm_up(server.port, article, workers)
            if (b"js/readership" in request(server.port, article)[2]) != (kind != "without"):
                raise RuntimeError(f"the article from the {kind} server is not what READERSHIP_SCRIPT says")
        for round_number in range(ROUNDS):
            for kind in order(round_number):
                server = servers[kind]
                url = f"http://127.0.0.1:{server.port}{article}"
                runs[kind].append(bench.run(url, [server.process.pid], redis, seconds=SECONDS))
    result = {kind: summed(figures) for kind, figures in runs.items()}
    result.update(ratios(runs))
    say(
        f"  warm article with the readership script: {result['ratio']:.3f} of without it "
        f"(CPU per request: {result.get('cpu_ratio', '-')}); the same page on two servers: "
        f"{result['control_ratio']:.3f} (CPU: {result.get('control_cpu_ratio', '-')}), "
        f"medians of {ROUNDS} rounds of {SECONDS:g} s"
    )
    return result


def ratios(runs):
    def rounds(name, top, bottom, inverse=False):
        pairs = [
            (b[name] / t[name]) if inverse else (t[name] / b[name])
            for t, b in zip(runs[top], runs[bottom], strict=True)
            if t.get(name) and b.get(name)
        ]
        return round(median(pairs), 3) if len(pairs) == len(runs[top]) else None

    found = {
        "ratio": rounds("rps", "with", "without"),
        "cpu_ratio": rounds("cpu_us", "with", "without", inverse=True),
        "control_ratio": rounds("rps", "control", "with"),
        "control_cpu_ratio": rounds("cpu_us", "control", "with", inverse=True),
    }
    return {name: value for name, value in found.items() if value is not None}


def summed(figures):
    """One server's figures over its runs: the median rate and CPU, the worst p99, every error."""
    figure = {"rps": round(median(run["rps"] for run in figures), 1)}
    figure["p50_ms"] = round(mean(run["p50_ms"] for run in figures), 2)
    figure["p99_ms"] = max(run["p99_ms"] for run in figures)
    figure["errors"] = sum(run["errors"] for run in figures)
    if all(run.get("cpu_us") for run in figures):
        figure["cpu_us"] = round(median(run["cpu_us"] for run in figures), 1)
    figure["runs"] = figures
    return figure


def verdict(result):
    """The bench target: by CPU per request where it was read (steadier on a busy machine)."""
    value = result.get("cpu_ratio") or result["ratio"]
    control = result.get("control_cpu_ratio") or result["control_ratio"]
    return {
        "target": f"warm article with the readership script >= {TARGET:g} x without it",
        "value": value,
        "pass": value >= TARGET,
        "control": control,
    }
