"""Beacons gathered in this process and sent to Redis together, about once a second.

One Redis round trip a beacon cost more than the rest of the beacon put together (the client
library's work, and the script's on the server). A web process now adds each beacon to a
counter in its own memory, and a thread of its own sends what has gathered every
READERSHIP_BUFFER_MS (1,000), or sooner once READERSHIP_BATCH_SIZE beacons wait: one script
call applies each client's per-minute limit and adds the counts, as it did for one beacon.

What this costs: a process killed outright loses the beacons of its last second (a graceful
stop sends them). If Redis cannot be reached, the counts go to this process's batch for the
database (counting.local), as a beacon's did. READERSHIP_BUFFER_MS=0 sends each beacon in its
own request instead.
"""

import atexit
import logging
import os
import threading
from collections import Counter

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger("canary.readership")

# Beyond this many distinct (client, page) entries, while the sender is stuck, beacons are
# answered but not kept: memory stays bounded whatever a flood of made-up paths sends.
MOST_ENTRIES = 50_000
# Entries a script call carries: a flush of more is sent in several calls.
CHUNK = 2_000


class BeaconBuffer:
    def __init__(self, send):
        self.send = send  # takes one chunk of a flush: [(counter key, field, beacons)]
        self.lock = threading.Lock()
        self.entries = Counter()  # (counter key, field) -> beacons
        self.waiting = 0
        self.dropped = 0
        self.wake = threading.Event()
        self.sender = None
        self.pid = None
        atexit.register(self._send_before_exit)

    def add(self, counter, field):
        """Keep one beacon; the sender thread takes it to Redis within READERSHIP_BUFFER_MS."""
        with self.lock:
            if len(self.entries) >= MOST_ENTRIES and (counter, field) not in self.entries:
                self.dropped += 1
                return
            self.entries[(counter, field)] += 1
            self.waiting += 1
            full = self.waiting >= settings.READERSHIP_BATCH_SIZE
        self._ensure_sender()
        if full:
            self.wake.set()

    def take(self):
        with self.lock:
            entries, self.entries, self.waiting = self.entries, Counter(), 0
            dropped, self.dropped = self.dropped, 0
        if dropped:
            logger.warning("readership: %d beacons not kept while the buffer was full", dropped)
        return entries

    def flush(self):
        """Send what has gathered, a chunk at a time."""
        entries = self.take()
        items = [(counter, field, n) for (counter, field), n in entries.items()]
        for start in range(0, len(items), CHUNK):
            self.send(items[start : start + CHUNK])

    def _ensure_sender(self):
        # Started in the process that counts (after gunicorn's fork), and again if it ever died.
        if self.pid == os.getpid() and self.sender is not None and self.sender.is_alive():
            return
        with self.lock:
            if self.pid == os.getpid() and self.sender is not None and self.sender.is_alive():
                return
            self.pid = os.getpid()
            self.sender = threading.Thread(target=self._send_forever, name="readership-beacons", daemon=True)
            self.sender.start()

    def _send_forever(self):
        while True:
            self.wake.wait(max(settings.READERSHIP_BUFFER_MS, 100) / 1000)
            self.wake.clear()
            try:
                self.flush()
            except Exception:
                logger.exception("readership: sending the gathered beacons failed")
            finally:
                close_old_connections()  # the database batch, if Redis was away, used this thread's

    def _send_before_exit(self):
        # A graceful stop (gunicorn's SIGTERM, a worker reaching max_requests) loses nothing.
        if self.pid == os.getpid():
            try:
                self.flush()
            except Exception:
                logger.exception("readership: sending the gathered beacons at exit failed")
