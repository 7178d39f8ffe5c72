"""What the readership script costs the warm article: the page with it and without it
(READERSHIP_SCRIPT=0), each from a fresh server of its own under a cache prefix of its own,
measured in turn (with, without, without, with, and again) so that neither gets the other's quieter
minute, fresher workers or place in the order. One measurement of each, minutes apart on servers of different
ages, differed by more than the script could explain (0.79 against 0.91 by CPU).
"""

from statistics import mean

from bench.servers import Gunicorn, request

# Paired 10-second runs of one server move by up to 12% on this machine (0.73 and 0.84 for the
# same page in one run): four rounds, with first, then without first, and so on.
ROUNDS = 4
KINDS = {"with": {}, "without": {"READERSHIP_SCRIPT": "0"}}


def prefixes(prefix):
    return [f"{prefix}-{kind}-script" for kind in KINDS]


def measure(bench, env, prefix, article, log, redis, workers):
    """{"with": figure, "without": figure}: each the mean of its ROUNDS paired runs (bench.measure
    pairs each with a run of the reference just before it)."""
    from bench.run import warm_up

    runs = {kind: [] for kind in KINDS}
    servers = {}
    with (
        Gunicorn({**env, **KINDS["with"], "CACHE_KEY_PREFIX": prefixes(prefix)[0]}, log=log) as servers[
            "with"
        ],
        Gunicorn({**env, **KINDS["without"], "CACHE_KEY_PREFIX": prefixes(prefix)[1]}, log=log) as servers[
            "without"
        ],
    ):
        for kind, server in servers.items():
            warm_up(server.port, article, workers)
            if (b"js/readership" in request(server.port, article)[2]) != (kind == "with"):
                raise RuntimeError(
                    f"the article {kind} the readership script is not what READERSHIP_SCRIPT says"
                )
        for round_number in range(ROUNDS):
            # With first, then without first: neither always follows the other.
            order = list(servers.items()) if round_number % 2 == 0 else list(servers.items())[::-1]
            for kind, server in order:
                runs[kind].append(
                    bench.measure(
                        f"warm article, {kind} the readership script",
                        server.port,
                        article,
                        groups=[server.process.pid],
                        pids=redis,
                    )
                )
    return {kind: averaged(figures) for kind, figures in runs.items()}


def averaged(figures):
    """One row's figures from several runs: means, the worst p99, every error."""
    figure = {name: round(mean(run[name] for run in figures), 3) for name in ("rps", "p50_ms", "ratio")}
    figure["p99_ms"] = max(run["p99_ms"] for run in figures)
    figure["errors"] = sum(run["errors"] for run in figures)
    for name in ("cpu_us", "cpu_ratio"):
        if all(run.get(name) for run in figures):
            figure[name] = round(mean(run[name] for run in figures), 3)
    figure["runs"] = figures
    return figure
