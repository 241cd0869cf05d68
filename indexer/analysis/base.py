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
class Detection:
    """What tells a text in this language from others written in the same script.

    letters: letters only this language (of those sharing its script) uses; each counts two
    points, once they make up more than `min_letter_share` of the text's letters (a stray
    letter in a long text is a loan word, not evidence);
    function_words: its most frequent function words, one point each.
    """

    letters: frozenset[str] = field(default_factory=frozenset)
    function_words: frozenset[str] = field(default_factory=frozenset)
    min_letter_share: float = 0.0


@dataclass(frozen=True)
class Language:
    """Everything polyfind knows about one language (its registry record).

    Analysis is a function of one normalized word:
    stems: the stems a word may have, best first (Hebrew prefix letters give several);
    fold: the word as typed without the language's special letters;
    transliterate: for a Latin-typed query word, the same word in this language's script;
    folded_stems: the stems of a word typed without the special letters (`fold` of a word),
    added to the fold view so that a word typed without them and inflected differently
    still meets its other forms (None: the language adds none);
    beginnings: for a word still being typed, the beginnings of its stems besides itself
    (Hebrew: without its prefix letters), completed in the stem view (None: none);
    near_beginnings: beginnings that other forms of a word's lemma may have besides the
    word's own first letters (Georgian: the same preverb and root with another version
    vowel), for near-word matching (indexer/near_words.py; None: only the first letters).

    Around the analysis: name (in the language itself) and english_name; script (a Unicode
    script name: Georgian, Hebrew, Cyrillic, Latin) and direction of writing;
    script_identifies: no other language we may meet is written in this script, so the
    script alone tells the language
    (detection and query targeting need no hints, and a query in it searches nowhere else);
    detection: hints that tell it from other languages of its script; opening_headings and
    closing_headings: generic section headings (lower case) that never start an article, the
    closing ones end one (the dump splitter, indexer/segment.py); locale: the CLDR locale its
    numbers and plurals follow (the code when empty).
    """

    code: str
    name: str
    english_name: str = ""
    script: str = "Latin"
    direction: str = "ltr"
    script_identifies: bool = False
    detection: Detection = field(default_factory=Detection)
    opening_headings: tuple[str, ...] = ()
    closing_headings: tuple[str, ...] = ()
    locale: str = ""
    stems: Callable[[str], tuple[str, ...]] = _no_stems
    fold: Callable[[str], str] = _identity
    stopwords: frozenset[str] = field(default_factory=frozenset)
    transliterate: Callable[[str], str] | None = None
    folded_stems: Callable[[str], tuple[str, ...]] | None = None
    beginnings: Callable[[str], tuple[str, ...]] | None = None
    near_beginnings: Callable[[str], tuple[str, ...]] | None = None


@cache
def load_stopwords(code: str) -> frozenset[str]:
    """The stopword list shipped next to the language module (stopwords/<code>.txt)."""
    path = resources.files("indexer.analysis").joinpath(f"stopwords/{code}.txt")
    if not path.is_file():
        return frozenset()
    words = (line.strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))

