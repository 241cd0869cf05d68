"""A server worker's full garbage collections, moved out of its requests. A full collection
walks every object the worker's caches hold, and CPython starts one inside whichever
request happens to allocate at the time; here it waits until the worker has no request in
flight, between a user's keystrokes."""

from __future__ import annotations

import gc
import logging
import threading
import time

log = logging.getLogger(__name__)

# A full collection is due after this many collections of the middle generation (CPython's
# own threshold for the oldest one).
FULL_AFTER = 10
# ...and runs even with requests in flight past this many: a worker that is never idle
# must still free its reference cycles.
FULL_AT_LATEST = 100
# The oldest generation's threshold while collections are done here: never reached.
NEVER = 1 << 30


class IdleCollector:
    """Counts the requests in flight in this process and runs a due full collection when
    the last one ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self.installed = False

    def install(self) -> None:
        """Stop CPython from starting full collections by itself (younger ones go on)."""
        young, middle, _oldest = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
        self.installed = True

    def request_started(self) -> None:
        with self._lock:
            self._in_flight += 1

    def request_ended(self) -> None:
        with self._lock:
            self._in_flight = max(self._in_flight - 1, 0)
            idle = self._in_flight == 0
        due = gc.get_count()[2]
        if self.installed and ((idle and due >= FULL_AFTER) or due >= FULL_AT_LATEST):
            started = time.perf_counter()
            gc.collect()
            log.debug("full collection (%s in flight) took %.1f ms", "none" if idle else "some",
                      (time.perf_counter() - started) * 1000)


COLLECTOR = IdleCollector()
