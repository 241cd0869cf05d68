"""The one cache policy: least recently used out first, within a total weight."""

from __future__ import annotations

from indexer.lru import LRU


def test_least_recently_used_goes_first_within_the_weight() -> None:
    cache: LRU[str, list[int]] = LRU(5, len)
    cache.put("a", [1, 2])
    cache.put("b", [1, 2])
    assert cache.get("a") == [1, 2]  # "a" is now the most recently used
    cache.put("c", [1, 2])  # 6 > 5: "b" goes
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    assert cache.total == 4
    cache.put("huge", [0] * 6)  # heavier than the whole cache: not kept, nothing dropped
    assert cache.get("huge") is None and cache.total == 4
    cache.put("a", [1])  # replaced: its weight too
    assert cache.total == 3 and len(cache) == 2


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache: LRU[str, int] = LRU(0)
    cache["a"] = 1
    assert cache.get("a") is None and len(cache) == 0
