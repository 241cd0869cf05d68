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


class Budget:
    """A deadline for one request's work; `exhausted` once any step found it passed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.exhausted = False

    def spent(self) -> bool:
        """Whether the time is up (and remember that it was, for the response)."""
        if not self.exhausted and time.monotonic() > self.ends:
            self.exhausted = True
        return self.exhausted

    def cut(self) -> None:
        """Mark the answer partial for another reason than time (a cap was reached)."""
        self.exhausted = True

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
    """At most `slots` expensive queries at once in this process; others wait briefly."""

    def __init__(self, slots: int, wait_seconds: float):
        self.wait_seconds = wait_seconds
        self._slots = threading.BoundedSemaphore(slots)

    def try_enter(self) -> bool:
        return self._slots.acquire(blocking=False)

    def enter(self) -> None:
        """Wait for a slot; BusyError when none frees up in time."""
        if not self._slots.acquire(timeout=self.wait_seconds):
            raise BusyError(
                "the server is busy with other expensive queries: retry in a moment, or "
                "search for fewer words, phrases or misspelled words"
            )

    def leave(self) -> None:
        self._slots.release()


class Ticket:
    """One request's standing with Admission: whether it holds an expensive-query slot."""

    def __init__(self, admission: Admission):
        self.admission = admission
        self.held = False

    def admit(self, expensive: bool) -> bool:
        """True when the query may run now (cheap, or a slot was free or already held)."""
        if not expensive or self.held:
            return True
        self.held = self.admission.try_enter()
        return self.held

    def wait(self, budget: Budget) -> None:
        with budget.paused():
            self.admission.enter()
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.admission.leave()
