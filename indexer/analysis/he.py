"""Hebrew: prefix letters tried with and without, light suffixes, acronym-aware folding.

Hebrew writes the conjunction ו, the article ה, the prepositions ב ל מ כ and the relative ש
as letters glued to the next word, in chains (וכשהלקוח = ו+כש+ה+לקוח). Without a
dictionary a leading ב may be a prefix or part of the root (בית), so the stem view emits
every reading: the word itself, and the word without each possible prefix chain, each also
without a light suffix (plural ים/ות, construct ת / feminine ה, construct plural י,
possessives יו/יהם/יהן/נו). Final letters (ך ם ן ף ץ) are folded so a stripped stem meets its
inflected forms. The exact view keeps the word as written, so an exact match ranks above a
prefix or stem match. Acronyms with gershayim (דוא"ל) are one word; the fold view also drops
the mark, for users who type דואל.
"""

from __future__ import annotations

from functools import lru_cache

from .base import Language, load_stopwords
from .normalize import fold_hebrew

PREFIX_LETTERS = set("והבלמשכ")
MAX_PREFIX = 4
MIN_REMAINDER = 2
SUFFIXES = ("יהם", "יהן", "יות", "יים", "ים", "ות", "יו", "נו", "ת", "ה", "י")
MIN_SUFFIX_STEM = 2


def _prefix_readings(word: str) -> list[str]:
    """The word without each possible chain of prefix letters (ו only first)."""
    readings = []
    for k in range(1, min(MAX_PREFIX, len(word) - MIN_REMAINDER) + 1):
        letter = word[k - 1]
        if letter not in PREFIX_LETTERS or (letter == "ו" and k > 1):
            break
        readings.append(word[k:])
    return readings


def _suffix_readings(word: str) -> list[str]:
    if '"' in word or "'" in word:
        return []  # acronyms and loanwords with geresh keep their ending
    return [word[: -len(s)] for s in SUFFIXES
            if word.endswith(s) and len(word) - len(s) >= MIN_SUFFIX_STEM][:2]


@lru_cache(maxsize=200_000)
def hebrew_stems(word: str) -> tuple[str, ...]:
    """Readings of a Hebrew word, best first: without suffix, as is, then without prefixes."""
    if not any("\u05d0" <= ch <= "\u05ea" for ch in word):
        return (word,)
    readings: list[str] = []
    for base in [word, *_prefix_readings(word)]:
        for reading in [*_suffix_readings(base), base]:
            folded = fold_hebrew(reading) if '"' not in reading else reading.translate(FINALS)
            if folded not in readings:
                readings.append(folded)
    return tuple(readings)


FINALS = str.maketrans("ךםןףץ", "כמנפצ")

LANGUAGE = Language(
    code="he",
    name="עברית",
    stems=hebrew_stems,
    fold=fold_hebrew,
    stopwords=load_stopwords("he"),
)
