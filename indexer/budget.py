"""One time budget per request, and admission control for expensive queries.

A Budget is made when a request starts; every costly step asks it whether time is left
and stops early when not, and the response then says it is partial. Waits (for a searcher,
for admission) are bounded on their own and do not use up the budget of work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import BusyError
from .limits import YIELD_EVERY_SECONDS, YIELD_SECONDS


class Budget:
    """A deadline for one request's work; `exhausted` once any step found it passed,
    `capped` when a cap dropped part of the query.

    An expensive query's budget also yields: at its checks it pauses now and then while
    other searches are running in the process, so they are not slowed down by it much
    (Python runs one thread at a time, and would share the time about equally)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.exhausted = False
        self.capped = False
        self.yields_to: Admission | None = None
        self._worked_since = time.monotonic()

    def spent(self) -> bool:
        """Whether the time is up (and remember that it was, for the response)."""
        now = time.monotonic()
        if self.yields_to is not None and now - self._worked_since >= YIELD_EVERY_SECONDS:
            now = self._yield(now)
        if not self.exhausted and now > self.ends:
            self.exhausted = True
        return self.exhausted

    def _yield(self, now: float) -> float:
        assert self.yields_to is not None
        if self.yields_to.others_running():
            time.sleep(YIELD_SECONDS)
            after = time.monotonic()
            self.ends += after - now  # courtesy is not counted as work
            now = after
        self._worked_since = now
        return now

    def cut(self) -> None:
        """Mark the answer partial for another reason than time (a cap dropped words): the
        rest of the work goes on as planned."""
        self.capped = True

    @property
    def partial(self) -> bool:
        """Whether the answer lacks something: the time ran out, or a cap dropped words."""
        return self.exhausted or self.capped

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Time spent waiting in the block is not counted as work."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.ends += time.monotonic() - started


UNLIMITED_SECONDS = float("inf")


def unlimited() -> Budget:
    """A budget that never runs out (tests comparing scores, evaluation)."""
    return Budget(UNLIMITED_SECONDS)


class Admission:
    """At most `slots` expensive queries at once in this process; others wait briefly.
    Also counts the searches running, so that an expensive one can yield to them."""

    def __init__(self, slots: int, wait_seconds: float):
        self.wait_seconds = wait_seconds
        self._slots = threading.BoundedSemaphore(slots)
        self._running = 0
        self._expensive = 0
        self._lock = threading.Lock()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def others_running(self) -> bool:
        """Whether searches other than the expensive ones are running."""
        return self._running > self._expensive

    def try_enter(self) -> bool:
        return self._admitted(self._slots.acquire(blocking=False))

    def enter(self) -> None:
        """Wait for a slot; BusyError when none frees up in time."""
        if not self._admitted(self._slots.acquire(timeout=self.wait_seconds)):
            raise BusyError(
                "the server is busy with other expensive queries: retry in a moment, or "
                "search for fewer words, phrases or misspelled words"
            )

    def leave(self) -> None:
        with self._lock:
            self._expensive -= 1
        self._slots.release()

    def _admitted(self, acquired: bool) -> bool:
        if acquired:
            with self._lock:
                self._expensive += 1
        return acquired


class Ticket:
    """One request's standing with Admission: whether it holds an expensive-query slot
    (then its budget yields to the other searches)."""

    def __init__(self, admission: Admission, budget: Budget):
        self.admission = admission
        self.budget = budget
        self.held = False

    def admit(self, expensive: bool) -> bool:
        """True when the query may run now (cheap, or a slot was free or already held)."""
        if not expensive or self.held:
            return True
        self._hold(self.admission.try_enter())
        return self.held

    def wait(self) -> None:
        with self.budget.paused():
            self.admission.enter()
        self._hold(True)

    def _hold(self, held: bool) -> None:
        self.held = held
        if held:
            self.budget.yields_to = self.admission

    def release(self) -> None:
        if self.held:
            self.held = False
            self.budget.yields_to = None
            self.admission.leave()
