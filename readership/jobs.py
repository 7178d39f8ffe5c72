"""Readership's work on the clock (core/clock.py)."""

from django.utils import timezone

from core.clock import every

from .counting import fold_counts


@every("readership.fold", seconds=60)
def fold(due_at):
    """Move the counts gathered in Redis (or this process) into the database, once a minute."""
    fold_counts(timezone.now())
