"""make bench's targets, its verdicts against them and the printed table."""

import json

from bench import script_cost
from bench.servers import BASE_DIR
from bench.tools import say

BENCH_DIR = BASE_DIR / "var" / "bench"
PAGES = ["home", "article", "section", "tag", "search", "feed", "sitemap"]
TARGETS = {
    # (page, mode): minimum ratio to the reference
    ("article", "warm"): 0.8,
    ("article", "cold"): 0.1,
    ("search", "cold"): 0.05,
    ("article", "nginx"): 5.0,
    # A beacon does less than any page (a count, no template): it must keep up with the reference.
    ("beacon", "post"): 1.0,
}
WARM_P99_MS = 50


def evaluate(results):
    pages = results["pages"]
    verdicts = []
    for (name, mode), minimum in TARGETS.items():
        if mode == "nginx":
            figure = results.get("nginx")
        elif name == "beacon":
            figure = results.get("beacon")
        else:
            figure = pages[name].get(mode)
        ratio = figure.get("ratio") if figure else None
        verdicts.append(
            {
                "target": f"{name} {mode} >= {minimum:g} x reference",
                "value": ratio,
                "pass": ratio is not None and ratio >= minimum,
                # The same comparison by server CPU per request: steadier on a busy machine.
                "cpu_ratio": figure.get("cpu_ratio") if figure else None,
            }
        )
    runs = [
        results["reference"],
        results.get("nginx"),
        results.get("beacon"),
        results.get("beacon_django"),
        *[(results.get("readership_script") or {}).get(kind) for kind in script_cost.KINDS],
    ] + [pages[n][m] for n in PAGES for m in ("cold", "warm", "warm_gzip") if m in pages[n]]
    errors = sum(run["errors"] for run in runs if run)
    verdicts.append({"target": "zero errors", "value": errors, "pass": errors == 0})
    script = results.get("readership_script")
    if script:
        verdicts.append(script_cost.verdict(script))
    send = results.get("newsletter_send")
    if send:
        ratio = send["ratio"]
        verdicts.append(
            {"target": "newsletter send >= 0.5 x bare smtplib loop", "value": ratio, "pass": ratio >= 0.5}
        )
    worst = max(pages[n]["warm"]["p99_ms"] for n in PAGES)
    verdicts.append({"target": f"warm p99 < {WARM_P99_MS} ms", "value": worst, "pass": worst < WARM_P99_MS})
    return verdicts


def report(results):
    pages = results["pages"]
    reference = results["reference"]
    say("")
    header = (
        f"{'page':<10} {'mode':<9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'queries':>7} "
        f"{'ratio':>6} {'CPU us':>7} {'CPU ratio':>9}"
    )
    say(header)
    say("-" * len(header))

    def row(name, mode, figure, queries="-"):
        ratio = f"{figure['ratio']:.2f}" if "ratio" in figure else "1.00"
        cpu = f"{figure['cpu_us']:.0f}" if figure.get("cpu_us") else "-"
        cpu_ratio = f"{figure['cpu_ratio']:.2f}" if figure.get("cpu_ratio") else "-"
        say(
            f"{name:<10} {mode:<9} {figure['rps']:>8.0f} {figure['p50_ms']:>7.2f} {figure['p99_ms']:>7.2f} "
            f"{figure['errors']:>6} {queries!s:>7} {ratio:>6} {cpu:>7} {cpu_ratio:>9}"
        )

    row("reference", "median", reference, 0)
    for mode in ("cold", "warm"):
        for name in PAGES:
            row(name, mode, pages[name][mode], pages[name]["queries"] if mode == "cold" else 0)
    if "warm_gzip" in pages["article"]:
        row("article", "warm gzip", pages["article"]["warm_gzip"], 0)
    if results.get("nginx"):
        row("article", "nginx", results["nginx"], 0)
    script = results.get("readership_script")
    if script:
        # Fresh servers in alternating short runs (bench/script_cost.py); here the ratio column is
        # to the page without the script, and the control's to the page with it.
        row("article", "with js", {**script["with"], "ratio": script["ratio"]}, 0)
        row("article", "no js", {**script["without"], "ratio": 1.0}, 0)
        row("article", "js again", {**script["control"], "ratio": script["control_ratio"]}, 0)
    if results.get("beacon"):
        row("beacon", "post", results["beacon"], "-")
    if results.get("beacon_django"):
        row("beacon", "django", results["beacon_django"], "-")  # the WSGI shortcut off
    archive_lines(results.get("archive") or {})
    newsletter_lines(results)
    say("")
    for verdict in results["targets"]:
        cpu = f" (by CPU per request: {verdict['cpu_ratio']})" if verdict.get("cpu_ratio") else ""
        control = f" (the same page on two servers: {verdict['control']})" if verdict.get("control") else ""
        say(
            f"  {'PASS' if verdict['pass'] else 'FAIL'}  {verdict['target']}: {verdict['value']}{cpu}{control}"
        )
    spread = reference.get("spread") or 0
    say(
        f"\nReference: {len(reference['runs'])} runs, median {reference['rps']:.0f} requests/s; each ratio is to "
        f"the run just before it{f' (runs differ by up to {100 * spread:.0f}%: the machine was busy)' if spread > 0.2 else ''}."
    )
    say(f"Written to {BENCH_DIR / 'results.json'}")


def archive_lines(archive):
    """A big archive's one-off work: ten times the stories should cost about ten times the time."""
    for size in archive.get("archive", []):
        rebuild, made = size["rebuild"], size["generate"]
        generated = (
            "reused" if made is None else f"generated in {made['wall_s']:.0f} s ({made['cpu_s']:.0f} s CPU)"
        )
        say(
            f"\n{size['stories']} stories ({archive['database']}): {generated}; index rebuilt in "
            f"{rebuild['wall_s']:.1f} s ({rebuild['cpu_s']:.1f} s CPU), peak {rebuild['peak_mb']:.0f} MB"
        )
    for posts in archive.get("wordpress", []):
        say(
            f"WordPress import of {posts['posts']} posts: {posts['seconds']} s ({posts['cpu_seconds']} s CPU), "
            f"peak {posts['peak_mb']} MB"
        )


def newsletter_lines(results):
    send = results.get("newsletter_send")
    if send:
        sizes = ", ".join(
            f"{size} readers {figure['msgs_per_s']} msgs/s (worker peak {max(figure['worker_peak_mb'])} MB)"
            for size, figure in send["sizes"].items()
        )
        say(f"\nNewsletter send, {send['workers']} workers: {sizes}")
        say(f"  bare smtplib loop {send['bare']['msgs_per_s']} msgs/s: ratio {send['ratio']} (goal >= 0.5)")
        if send.get("article"):
            alone, sending = send["article"]["alone"], send["article"]["while_sending"]
            say(
                f"  warm article CPU per request: {alone['cpu_us']} us alone, {sending['cpu_us']} us while sending"
            )
    fold = results.get("readership_fold") or {}
    if fold and "skipped" not in fold and "error" not in fold:
        say(
            f"Readership fold, {fold['views_a_minute']:,} views a minute ({fold['counts_a_fold']:,} counts a fold): "
            f"{fold['fold_ms']} ms a fold (worst {fold['worst_fold_ms']} ms); a day's 1,440 folds {fold['day_s']} s, "
            f"{100 * fold['share_of_a_core']:.2f}% of one core"
        )
    imported = results.get("newsletter_import") or {}
    if imported and "skipped" not in imported and "error" not in imported:
        say(f"Newsletter import: {json.dumps(imported)}")
