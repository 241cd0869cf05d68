"""A server worker's full garbage collections wait until no request is in flight
(search_web/collector.py); younger collections go on as usual."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from search_web.collector import FULL_AFTER, FULL_AT_LATEST, IdleCollector


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The full collections run from now on (one entry each), CPython's thresholds restored
    afterwards."""
    saved = gc.get_threshold()
    found: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            found.append(1)

    gc.collect()
    gc.callbacks.append(seen)
    try:
        yield found
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*saved)


def allocate_until(middle_collections: int) -> list:
    """Keep container objects alive until the middle generation was collected that often
    since the last full collection."""
    kept: list = []
    while gc.get_count()[2] < middle_collections:
        kept.extend([[] for _ in range(1000)])
    return kept


def test_a_due_full_collection_waits_for_the_last_request(full_collections) -> None:
    collector = IdleCollector()
    collector.install()
    collector.request_started()
    collector.request_started()  # two threads' requests at once
    kept = allocate_until(FULL_AFTER + 5)
    assert full_collections == []  # CPython would have started one by now
    assert gc.get_count()[2] < FULL_AT_LATEST
    collector.request_ended()
    assert full_collections == []  # one request still in flight
    collector.request_ended()
    assert full_collections == [1] and gc.get_count()[2] == 0
    del kept


def test_a_worker_never_idle_still_collects(full_collections) -> None:
    collector = IdleCollector()
    collector.install()
    collector.request_started()
    collector.request_started()
    kept = allocate_until(FULL_AT_LATEST)
    collector.request_ended()
    assert full_collections == [1]
    del kept
