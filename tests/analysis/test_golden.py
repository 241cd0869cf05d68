"""Golden analysis cases per language (tests/analysis/data/<lang>.tsv: mode, input, expected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.analysis import get_language, registry
from indexer.analysis.pipeline import analyze, word_views

DATA = Path(__file__).parent / "data"


def load_cases() -> list[tuple[str, str, str, str, int]]:
    cases = []
    for path in sorted(DATA.glob("*.tsv")):
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            mode, text, expected = line.split("\t")
            cases.append((path.stem, mode, text, expected, lineno))
    return cases


CASES = load_cases()


def test_every_language_has_golden_data() -> None:
    for code in registry():
        rows = [c for c in CASES if c[0] == code]
        assert len(rows) >= 40, f"{code}: only {len(rows)} golden cases"


@pytest.mark.parametrize(
    ("lang", "mode", "text", "expected", "lineno"), CASES,
    ids=[f"{c[0]}:{c[4]}:{c[1]}" for c in CASES],
)
def test_golden(lang: str, mode: str, text: str, expected: str, lineno: int) -> None:
    if mode.startswith("gap-"):
        # A known gap: right for the language, beyond our rule-based analysis (no dictionary).
        # Strict xfail, so the day it passes the row is promoted back.
        with pytest.raises(AssertionError):
            check(lang, mode.removeprefix("gap-"), text, expected)
        return
    check(lang, mode, text, expected)


def check(lang: str, mode: str, text: str, expected: str) -> None:
    tokens = analyze(lang, text)
    if mode == "tokens":
        assert [t.normalized for t in tokens] == expected.split()
    elif mode == "fold":
        assert [t.folded[0] for t in tokens] == expected.split()
    elif mode == "query":
        assert [t.normalized for t in tokens if not t.stopword] == expected.split()
    elif mode == "same":
        readings = [set(get_language(lang).stems(t.normalized)) for t in tokens]
        assert set.intersection(*readings), f"no shared stem: {readings}"
    elif mode == "differ":
        primary = [get_language(lang).stems(t.normalized)[0] for t in tokens]
        assert len(set(primary)) == len(primary), f"conflated: {primary}"
    elif mode == "apart":
        # No reading in common: the words must not match or highlight each other.
        readings = [set(get_language(lang).stems(t.normalized)) for t in tokens]
        for i, one in enumerate(readings):
            for other in readings[i + 1:]:
                assert not one & other, f"shared stem terms: {one & other}"
    elif mode == "meet-fold":
        # The first word typed without special letters still finds the others.
        views = [word_views(lang, t.surface) for t in tokens]
        query = set(views[0][2])
        for other in views[1:]:
            assert query & set(other[2]), f"no shared folded term: {query} {other[2]}"
    elif mode == "stem":
        assert [get_language(lang).stems(t.normalized)[0] for t in tokens] == expected.split()
    elif mode == "translit":
        language = get_language(lang)
        assert language.transliterate is not None
        got = language.transliterate(text)
        if "'" in text or "’" in text:
            assert got == expected
        assert language.fold(got) == language.fold(expected)
    else:
        pytest.fail(f"unknown mode {mode!r}")
