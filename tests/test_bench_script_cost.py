"""make bench's comparison of the article with and without the readership script
(bench/script_cost.py): a fair order and a verdict from medians, not from one lucky round."""

from collections import Counter

from bench import script_cost


def test_every_server_goes_first_and_last_equally_often_and_none_always_follows_another():
    rounds = [script_cost.order(n) for n in range(6)]
    assert all(sorted(kinds) == sorted(script_cost.KINDS) for kinds in rounds)
    assert Counter(kinds[0] for kinds in rounds) == dict.fromkeys(script_cost.KINDS, 2)
    assert Counter(kinds[-1] for kinds in rounds) == dict.fromkeys(script_cost.KINDS, 2)
    followers = Counter((a, b) for kinds in rounds for a, b in zip(kinds, kinds[1:], strict=False))
    assert len(followers) == 6  # each ordered pair of servers, both ways


def run(rps, cpu_us):
    return {"rps": rps, "cpu_us": cpu_us, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}


def test_one_wild_round_does_not_decide_the_verdict():
    runs = {
        "with": [run(1000, 1000), run(1000, 1000), run(600, 1700)],  # the last round was unlucky
        "without": [run(1000, 1000), run(1010, 990), run(1000, 1000)],
        "control": [run(990, 1010), run(1000, 1000), run(1000, 1000)],
    }
    ratios = script_cost.ratios(runs)
    assert ratios["ratio"] == 0.99 and ratios["cpu_ratio"] == 0.99
    result = {**{kind: script_cost.summed(figures) for kind, figures in runs.items()}, **ratios}
    verdict = script_cost.verdict(result)
    assert verdict["pass"] and verdict["value"] == 0.99
    assert result["with"]["errors"] == 0 and result["with"]["p99_ms"] == 2.0


def test_a_page_that_really_costs_more_fails():
    runs = {
        "with": [run(800, 1250)] * 3,
        "without": [run(1000, 1000)] * 3,
        "control": [run(800, 1250)] * 3,
    }
    verdict = script_cost.verdict(script_cost.ratios(runs))
    assert not verdict["pass"] and verdict["value"] == 0.8 and verdict["control"] == 1.0
