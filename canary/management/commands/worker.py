"""The background worker, with the periodic upkeep the task backend cannot schedule itself.

django-tasks' database worker runs tasks but has no periodic ones (a task that enqueues its
own next run multiplies with every restart). Until the project has a clock, this command
runs `db_worker`'s loop and, beside it, the outbox sweep every SWEEP_SECONDS: any number of
workers may run it, since the sweep's effects are idempotent.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from mailroom.services import sweep

logger = logging.getLogger("canary.worker")


def sweep_forever(stop, every):
    while not stop.wait(every):
        close_old_connections()
        try:
            done = sweep()
            if any(done.values()):
                logger.info("Outbox sweep: %s", done)
        except Exception:  # a database blip must not end the sweeping; the next run tries again
            logger.exception("Outbox sweep failed")
        finally:
            connections.close_all()


class Command(DatabaseWorker):
    help = "Run the background worker: tasks, plus the outbox sweep every minute."

    def handle(self, *args, **options):
        stop = threading.Event()
        sweeper = threading.Thread(
            target=sweep_forever, args=(stop, settings.SWEEP_SECONDS), name="outbox-sweep", daemon=True
        )
        if not options.get("batch"):
            sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
