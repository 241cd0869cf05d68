"""The one cache policy of the search service: least recently used first out, bounded by
total weight (entries, or postings for scored posting lists), safe to share between threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class LRU(Generic[K, V]):
    """At most `capacity` in total weight (each entry weighs 1 unless `weight` says how
    much); an entry heavier than the whole capacity is not kept."""

    def __init__(self, capacity: int, weight: Callable[[V], int] = _one):
        self.capacity = capacity
        self._weight = weight
        self._items: OrderedDict[K, V] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        weight = self._weight(value)
        if weight > self.capacity:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._total -= self._weight(old)
            self._items[key] = value
            self._total += weight
            while self._total > self.capacity:
                _key, evicted = self._items.popitem(last=False)
                self._total -= self._weight(evicted)

    __setitem__ = put

    @property
    def total(self) -> int:
        """The weight held now."""
        return self._total

    def values(self) -> Iterator[V]:
        with self._lock:
            return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)
