"""What make cluster concludes: which owed emails never reached the sink, which errors readers saw
inside and outside the kills, and whether the run passes. Pure: no processes, no database."""

from collections import Counter

from findings import request_lines

# After a kill, the seconds in which an error is the kill's: requests in flight on the killed
# process, and nginx learning that the server is gone.
KILL_WINDOW = 3.0


def mail_check(owed, delivered):
    """`owed`: kind -> addresses owed one message each; `delivered`: recipients the sink got.

    An address the sink never saw is a lost email; one that got more than it was owed got a
    message twice (a worker killed between sending and recording it: a duplicate, not a loss).
    """
    checks = {}
    for kind, addresses in owed.items():
        wanted = Counter(addresses)
        checks[kind] = {
            "owed": sum(wanted.values()),
            "lost": sum(n - min(n, delivered[address]) for address, n in wanted.items()),
            "twice": sum(1 for address, n in wanted.items() if delivered[address] > n),
        }
    return checks


def reader_errors(timeline, kills, window=KILL_WINDOW):
    """Failed requests of readers, commenters and donors: (within `window` of a kill, elsewhere)."""
    near = elsewhere = 0
    for at, kind, ok in timeline:
        if ok or kind == "health":
            continue
        if any(start <= at <= start + window for start in kills):
            near += 1
        else:
            elsewhere += 1
    return near, elsewhere


def failures(checks, mail, kills=()):
    """Why the rehearsal fails, in words; empty when nothing acknowledged was lost or doubled
    and every killed process came back."""
    reasons = [
        f"{checks[name]} {name}"
        for name in ("comments lost", "comments duplicated", "donations lost", "donations duplicated")
        if checks[name]
    ]
    reasons += [f"{check['lost']} {kind} emails lost" for kind, check in mail.items() if check["lost"]]
    reasons += [f"{kill['what']} not back" for kill in kills if kill.get("back") is None]
    return reasons


def report(elapsed, tally, served, kills, errors, checks, mail, drained):
    print()
    print(f"Requests in {elapsed:.1f} s through nginx:")
    request_lines(tally, elapsed)
    print("  served by " + ", ".join(f"{name}: {count}" for name, count in served.items()))
    print()
    print("Kills (SIGKILL, then started again):")
    for kill in kills:
        back = kill.get("back")
        again = "not back within the run" if back is None else f"back after {back:.2f} s"
        sink = f" ({kill['mail before']} emails at the sink by then)" if "mail before" in kill else ""
        print(f"  {kill['what']:<28} at {kill['at']:5.1f} s, {again}{sink}")
    near, elsewhere, upstream = errors
    print(f"  errors readers saw: {near} within {KILL_WINDOW:.0f} s of a kill, {elsewhere} at other times")
    print(
        "  nginx's failed tries (the GETs among them went to the other server): "
        + ", ".join(f"{name}: {count}" for name, count in upstream.items())
    )
    print()
    print("Acknowledged writes and the emails they owe:")
    print(
        f"  comments:  {checks['comments acknowledged']} acknowledged, {checks['comments lost']} lost, "
        f"{checks['comments duplicated']} duplicated"
    )
    print(
        f"  gifts:     {checks['donations acknowledged']} acknowledged, {checks['donations lost']} lost, "
        f"{checks['donations duplicated']} duplicated"
    )
    for kind, check in mail.items():
        print(
            f"  {kind + ' emails:':<36} {check['owed']} owed, {check['lost']} lost, "
            f"{check['twice']} delivered twice"
        )
    print(f"  (outbox drained {drained})")
