"""What the index holds for one word, for the per-language analysis tests."""

from __future__ import annotations

from indexer.analysis.pipeline import word_views


def fold_terms(lang: str, word: str) -> set[str]:
    """The word's terms in the fold view (what a query typed without special letters meets)."""
    views = word_views(lang, word)
    assert views is not None
    return set(views[2])
