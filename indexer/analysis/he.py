"""Hebrew: prefix letters tried with and without, two layers of light suffixes, acronym-aware
folding.

Hebrew writes the conjunction ו, the article ה, the prepositions ב ל מ כ and the relative ש
as letters glued to the next word, in chains (וכשהלקוח = ו+כש+ה+לקוח). Without a
dictionary a leading ב may be a prefix or part of the root (בית), and a final ה, ת, י, ו
may be an ending or part of the word (מכונה/מכון, שרת/שר, מלאי/מלא), so the stem view emits
several readings:

1. The primary reading (first): the word with NO prefix removed and only the unambiguous
   endings removed - possessives of the plural (יהם/יהן) and the plurals ים (stem of 3+ letters)
   and ות (stem of 4+: a 3-letter stem + ות is as often a singular lexeme, שירות, עדות, חנות,
   or a plural whose stripping merges words, חברות/חבר). Single-letter endings are never
   removed here, because they are as often part of the word (מכונה, תוכנית, שרת, מלאי). The
   primary reading is what keeps different words apart.
2. Then the word itself and the word without each prefix chain Hebrew grammar allows
   (PREFIX_CHAIN: ו, then ש or כש, then one of ב ל כ מ ה, or מה), each also without
   a possessive (יהם, יהן, יה, יו, נו, ו, ה, ם, ן), without a number/gender ending (ים, ות,
   the -יה family יה/יית/יות/יים, construct ת, feminine ה, construct plural / adjective י),
   and without both, in that order (יתרונותיו = יתרונ+ות+יו). Only the longest ending of each
   layer is tried. These readings are where inflected forms meet (מכירה/מכירת/מכירות → מכיר,
   דיגיטלי/דיגיטלית/דיגיטליים → דיגיטל). A reading is kept only when it leaves a plausible
   word, the lesson of hspell's method (keep a prefix split only if the rest is a word) without
   its AGPL lexicon: at least three letters, and never a stopword (בינה must not become בין,
   בבתים must not become בת). Short roots lose some forms to this (שנה/שנים); they can come
   back with a permissively licensed lexicon.

Final letters (ך ם ן ף ץ) are folded so a stripped stem meets its inflected forms. The exact
view keeps the word as written, so an exact match ranks above a prefix or stem match.
Acronyms with gershayim (דוא"ל) are one word and keep their ending; the fold view also drops
the mark, for users who type דואל. Loanwords with a geresh (צ'אטבוטים) take endings like any
noun, but an ending is never cut back to the geresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import regex

from .base import Language, load_stopwords
from .normalize import HEBREW_FINALS, fold_hebrew

# The order of the prefix letters: conjunction ו, then relative ש or "when" כש, then ONE
# preposition (ב in, ל to, כ as, מ from) or the article ה. After ב ל כ the article is not
# written (בבית = ב+ה+בית), so בה/לה/כה at the start belong to the word (בהתאם, להבין);
# after מ it is (מהבית). Prepositions do not stack: במערכת is ב+מערכת, never ב+מ+ערכת.
PREFIX_CHAIN = regex.compile(r"ו?(?:ש|כש)?(?:מה?|[בלכה])?")
MAX_PREFIX = 5
MIN_REMAINDER = 2
# A reading shorter than this (other than the word's own primary reading) is dropped: two
# letters left by a prefix or an ending are as often another word (בת "daughter" from בתים,
# ונ, שנ) as the stem, and they matched and highlighted unrelated words.
MIN_READING = 3

# Ending -> the fewest letters that must remain. Matched on the unfolded word (final letters).
# Primary reading: only endings that are rarely part of the word itself.
PRIMARY_POSSESSIVES: Mapping[str, int] = {"יהם": 3, "יהן": 3}
PRIMARY_NUMBER: Mapping[str, int] = {"ים": 3, "ות": 4}
# Secondary readings. Outer layer: possessive pronoun suffixes; the one-letter ones (ו his,
# ה her, ם their) need a longer stem, since short words end in these letters by themselves.
# The feminine "their" -ן is left out: it is rare in modern prose, while a final ן mostly
# ends the word itself (דין, עניין, מקרן), and peeling it joined unrelated words on UD text.
POSSESSIVES: Mapping[str, int] = {
    "יהם": 2, "יהן": 2, "יה": 2, "יו": 2, "נו": 2, "ו": 3, "ה": 3, "ם": 3,
}
# Inner layer: number and gender. A -י before the ending stays: the -י adjective and the
# -יה/-ית nouns keep it in every form (דיגיטלי, דיגיטלית, דיגיטליים, דיגיטליות → דיגיטלי;
# טכנולוגיה, טכנולוגיות → טכנולוגי; the construct's plene double yod, טכנולוגיית, is one
# consonant י when peeled), while cutting it too joined the adjective to its noun
# (ישראלי/ישראל, מקומי/מקום) and the abstract -יות to its base (מדיניות/מדינה), different
# lemmas. The feminine -ית loses only its ת (דיגיטלית → דיגיטלי, meeting the masculine): as a
# whole it mostly makes a word of its own (עברית "Hebrew" from עבר, תוכנית). (MIN_READING
# later drops what is left shorter than three letters.)
NUMBER: Mapping[str, int] = {"ים": 2, "ות": 2, "ת": 2, "ה": 2, "י": 2}
# -נו is "our", or "his" -ו after a stem in נ (ניסיונו, סגנונו, לשונו): both are peeled.
OUR = "נו"
# The infinitive after ל writes its root's second vowel with ו (לשמור, לדאוג, לחטוף: the
# stem CCוC), which the root's other forms do not have (שמר, דאג, חטף): after ל, a
# four-letter rest CCוC is also read without its ו. (The participle's CוCC, שומר, כועס, is
# not: too many nouns have that shape, סופר/ספר, שוטר/שטר; on the treebank it cost
# precision .684 -> .673 for recall .710 -> .721.)
INFINITIVE_VAV = 2
# After the preposition מ "from" the rest must be longer than a bare root: many nouns begin
# with a מ of their own (the maqtel/miqtal patterns: מספר, מקום, מעמד, מאמר), and their
# 3-letter remainder is another word (ספר, קום, עמד, אמר).
MEM_REMAINDER = 4


def _strip_longest(word: str, endings: Mapping[str, int]) -> str | None:
    """The word without its longest ending that leaves enough letters; None if none does."""
    if '"' in word:
        return None  # gershayim acronyms keep their ending
    for ending in sorted(endings, key=len, reverse=True):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= endings[ending] and not stem.endswith("'"):
            return stem
    return None


def _peel(word: str, possessives: Mapping[str, int], number: Mapping[str, int]) -> list[str]:
    """The word without a possessive, without a number ending, and without both."""
    outer = _strip_longest(word, possessives)
    candidates = [_strip_longest(word, number), outer]
    if outer is not None:
        candidates.append(_strip_longest(outer, number))
    if word.endswith(OUR) and len(word) > len(OUR) + 2 and '"' not in word:
        candidates.append(word[:-1])  # ניסיונו: ניסיון + ו "his", not ניסיו + נו "our"
    return [c for c in candidates if c is not None]


def _primary(word: str) -> str:
    """The conservative reading: no prefix removed, only unambiguous endings (see docstring)."""
    outer = _strip_longest(word, PRIMARY_POSSESSIVES) or word
    return _strip_longest(outer, PRIMARY_NUMBER) or outer


def _prefix_readings(word: str) -> list[str]:
    """The word without each prefix chain that Hebrew grammar allows (see PREFIX_CHAIN).

    A hyphen after the chain (ה-ERP, ב-2023, וה-IT) goes with the prefix and ends the chain.
    """
    readings = []
    for k in range(1, min(MAX_PREFIX, len(word) - MIN_REMAINDER) + 1):
        if not PREFIX_CHAIN.fullmatch(word[:k]):
            continue
        if word[k] == "-":
            readings.append(word[k + 1:])
            break
        readings.append(word[k:])
    return readings


def hebrew_beginnings(word: str) -> tuple[str, ...]:
    """A half-typed word without each prefix chain (למח: מח, the beginning of מחסן): two
    letters are enough here, the completions are what is searched."""
    return tuple(_fold_reading(r) for r in _prefix_readings(word) if len(r) >= MIN_REMAINDER)


def _fold_reading(reading: str) -> str:
    """Final letters folded; an acronym keeps its gershayim so it stays distinct."""
    return reading.translate(HEBREW_FINALS) if '"' in reading else fold_hebrew(reading)


@lru_cache(maxsize=200_000)
def hebrew_stems(word: str) -> tuple[str, ...]:
    """Readings of a Hebrew word, best first: the primary reading, then every other reading."""
    if not any("\u05d0" <= ch <= "\u05ea" for ch in word):
        return (word,)
    primary = _fold_reading(_primary(word))
    readings = [word]
    for base in _prefix_readings(word):
        prefix = word[len(word) - len(base) - 1]
        if len(base) >= (MEM_REMAINDER if prefix == "מ" else MIN_READING):
            readings.append(base)
        if prefix == "ל" and _plene(base, INFINITIVE_VAV):
            readings.append(base[:INFINITIVE_VAV] + base[INFINITIVE_VAV + 1:])
    readings += [peeled.removesuffix("י") if peeled.endswith("יי") else peeled
                 for base in readings for peeled in _peel(base, POSSESSIVES, NUMBER)]
    folded = (_fold_reading(r) for r in readings)
    # A stopword never carries a match: בינה without its ה is not בין "between".
    others = [r for r in folded if len(r) >= MIN_READING and r not in _folded_stopwords()]
    return tuple(dict.fromkeys([primary, *others]))


def _plene(word: str, k: int) -> bool:
    """A root of three letters written with the vowel letter ו at `k` (שמור)."""
    return len(word) == 4 and word[k] == "ו" and "ו" not in (word[k - 1], word[k + 1])


@lru_cache(maxsize=1)
def _folded_stopwords() -> frozenset[str]:
    return frozenset(fold_hebrew(w) for w in load_stopwords("he"))


LANGUAGE = Language(
    code="he",
    name="עברית",
    english_name="Hebrew",
    script="Hebrew",
    direction="rtl",
    script_identifies=True,
    opening_headings=("מבוא", "הגדרה"),
    closing_headings=("מסקנה", "מסקנות", "סיכום"),
    stems=hebrew_stems,
    fold=fold_hebrew,
    stopwords=load_stopwords("he"),
    beginnings=hebrew_beginnings,
)
