"""Windows cut on the wall clock (rate limits' minutes, "Most read"'s periods): a test that
counts or caches inside one starts well inside it, so a boundary cannot fall mid-test."""

import time


def start_well_inside(period, margin):
    """Sleep past the next boundary of the period-second windows when fewer than margin
    seconds of the current one are left."""
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
