"""What a language module provides, and the helpers its stemmers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


def _identity(word: str) -> str:
    return word


def _no_stems(word: str) -> tuple[str, ...]:
    return (word,)


@dataclass(frozen=True)
class Language:
    """One language's analysis: everything is a function of one normalized word.

    stems: the stems a word may have, best first (Hebrew prefix letters give several);
    fold: the word as typed without the language's special letters;
    transliterate: for a Latin-typed query word, the same word in this language's script;
    folded_stems: the stems of a word typed without the special letters (`fold` of a word),
    added to the fold view so that a word typed without them and inflected differently
    still meets its other forms (None: the language adds none).
    """

    code: str
    name: str
    stems: Callable[[str], tuple[str, ...]] = _no_stems
    fold: Callable[[str], str] = _identity
    stopwords: frozenset[str] = field(default_factory=frozenset)
    transliterate: Callable[[str], str] | None = None
    folded_stems: Callable[[str], tuple[str, ...]] | None = None


@cache
def load_stopwords(code: str) -> frozenset[str]:
    """The stopword list shipped next to the language module (stopwords/<code>.txt)."""
    path = resources.files("indexer.analysis").joinpath(f"stopwords/{code}.txt")
    if not path.is_file():
        return frozenset()
    words = (line.strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))

