"""Clock jobs of the parts that may not import the clock themselves (mailroom uses nothing of ours)."""

import logging

from django.conf import settings

from core.clock import every
from mailroom.services import sweep

logger = logging.getLogger("canary.worker")


@every("mailroom.sweep", seconds=settings.SWEEP_SECONDS)
def sweep_outbox(due_at):
    """Hand stranded emails a new task and clear old addresses (mailroom/services.py)."""
    done = sweep()
    if any(done.values()):
        logger.info("Outbox sweep: %s", done)
