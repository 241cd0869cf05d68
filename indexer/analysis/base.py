"""What a language module provides, and the helpers its stemmers share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    still meets its other forms (None: the language adds none);
    near_beginnings: beginnings that other forms of a word's lemma may have besides the
    word's own first letters (Georgian: the same preverb and root with another version
    vowel), for near-word matching (indexer/near_words.py; None: only the first letters).
    """

    code: str
    name: str
    stems: Callable[[str], tuple[str, ...]] = _no_stems
    fold: Callable[[str], str] = _identity
    stopwords: frozenset[str] = field(default_factory=frozenset)
    transliterate: Callable[[str], str] | None = None
    folded_stems: Callable[[str], tuple[str, ...]] | None = None
    near_beginnings: Callable[[str], tuple[str, ...]] | None = None


@cache
def load_stopwords(code: str) -> frozenset[str]:
    """The stopword list shipped next to the language module (stopwords/<code>.txt)."""
    path = resources.files("indexer.analysis").joinpath(f"stopwords/{code}.txt")
    if not path.is_file():
        return frozenset()
    words = (line.strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


def strip_suffixes(
    word: str, suffixes: Iterable[str], min_stem: int, max_rounds: int = 4
) -> str:
    """Strip the longest matching suffix again and again while `min_stem` letters remain."""
    ordered = sorted(set(suffixes), key=len, reverse=True)
    for _ in range(max_rounds):
        for suffix in ordered:
            if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word
