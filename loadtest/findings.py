"""What make loadtest reports: recovery times after each fault, and the printed summary."""

from collections import Counter


def first_after(timeline, moment, kinds):
    """Seconds from `moment` to the first successful request of one of `kinds`, or None."""
    for at, kind, ok in timeline:
        if at >= moment and ok and kind in kinds:
            return at - moment
    return None


def healthy_after(samples, moment):
    for at, status in samples:
        if at >= moment and status == 200:
            return at - moment
    return None


def errors_between(timeline, start, end):
    counts = Counter()
    for at, kind, ok in timeline:
        if start <= at <= end and not ok:
            counts[kind] += 1
    return dict(counts)


def seconds(value):
    return "never" if value is None else f"{value:.2f} s"


def request_lines(tally, elapsed):
    """Requests of each kind with their outcomes, and all of them a second: both load tests print these."""
    total = 0
    for kind in ("reader", "commenter", "donor", "health"):
        outcomes = tally.outcomes.get(kind, Counter())
        count = sum(outcomes.values())
        total += count
        detail = ", ".join(f"{outcome}: {n}" for outcome, n in outcomes.most_common())
        print(f"  {kind:<10} {count:>7}  ({detail})")
    print(f"  {'all':<10} {total:>7}  ({total / elapsed:.0f} a second)")


def report(options, elapsed, tally, faults, checks):
    print()
    print(f"Requests in {elapsed:.1f} s (every one with X-Forwarded-Proto: https):")
    request_lines(tally, elapsed)
    print()
    print("Faults and recovery (from the moment the fault was cleared):")
    for fault in faults:
        print(
            f"  {fault['fault']:<18} at {fault['at']:5.1f} s, down {fault['outage']:.2f} s"
            + (
                f", new worker after {fault['respawned after']:.2f} s"
                if fault["respawned after"] is not None
                else ""
            )
            + f"; healthy after {seconds(fault['healthy after'])},"
            f" pages after {seconds(fault['reader ok after'])},"
            f" comments after {seconds(fault['comment ok after'])},"
            f" donations after {seconds(fault['donation ok after'])};"
            f" failed requests: {fault['failed requests'] or 0}"
        )
    print()
    print("Acknowledged writes:")
    print(
        f"  comments:  {checks['comments acknowledged']} acknowledged, {checks['comments lost']} lost, "
        f"{checks['comments duplicated']} duplicated ({checks['comments stored in all']} stored in all)"
    )
    print(
        f"  donations: {checks['donations acknowledged']} acknowledged, {checks['donations lost']} lost, "
        f"{checks['donations duplicated']} duplicated ({checks['donations paid in all']} paid in all)"
    )
    print(f"  receipts:  {checks['receipts lost']} paid gifts without a receipt queued for delivery")
    print(f"  emails:    {checks['confirmations lost']} stored comments without their confirmation queued")
