"""The background worker: django-tasks' database worker, and the clock ticking beside it.

The task backend has no periodic or dated work; the clock (core/clock.py) does. Every worker
ticks it every CLOCK_TICK_SECONDS: any number of workers may, since each occurrence is claimed
by one of them. With --batch the clock ticks once, before the tasks are run.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from core import clock

logger = logging.getLogger("canary.worker")


def tick_once():
    try:
        done = clock.tick()
        if done:
            logger.info("Clock: %s", done)
    except Exception:  # a database blip must not stop the clock; the next tick tries again
        logger.exception("Clock tick failed")


def tick_forever(stop, every):
    """The ticking thread: its own connection, given back after each tick."""
    while not stop.wait(every):
        close_old_connections()
        try:
            tick_once()
        finally:
            connections.close_all()


class Command(DatabaseWorker):
    help = "Run the background worker: tasks, and the clock's periodic and dated jobs."

    def handle(self, *args, **options):
        if options.get("batch"):
            tick_once()
            return super().handle(*args, **options)
        stop = threading.Event()
        ticker = threading.Thread(
            target=tick_forever, args=(stop, settings.CLOCK_TICK_SECONDS), name="clock", daemon=True
        )
        ticker.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
