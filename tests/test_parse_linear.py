"""The readers take time linear in their input: work at 4n is compared with work at n
(CPU time, best of a few runs): about 4x when linear, 16x when quadratic."""

from __future__ import annotations

import pytest

from .parse_inputs import CASES, cpu_seconds

# Linear work grows 4x; quadratic 16x. Between them, room for caches and noise.
MAX_GROWTH = 8.0
# A single run slower than this at 1x is already the bug; 4x would take minutes.
MAX_SECONDS_AT_1X = 10.0
# Runs faster than this are compared as if they took this long (timer and cache noise).
FLOOR_SECONDS = 0.01


@pytest.mark.parametrize("name", list(CASES))
def test_reading_time_grows_linearly(name: str) -> None:
    size, make, read = CASES[name]
    small = cpu_seconds(read, make(size), runs=2)
    assert small < MAX_SECONDS_AT_1X, f"{name}: {small:.1f} s at {size} characters"
    large = cpu_seconds(read, make(4 * size), runs=2)
    growth = large / max(small, FLOOR_SECONDS)
    assert growth < MAX_GROWTH, f"{name}: {small:.3f} s -> {large:.3f} s at 4x ({growth:.1f}x)"
