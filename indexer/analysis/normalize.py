"""Script-aware normalization shared by every language: what makes two spellings one term."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

# Apostrophe-like marks (typographic, modifier letter, Hebrew geresh) become ASCII '.
APOSTROPHES = "'’‘ʼ׳`´"
# Quote-like marks inside a Hebrew word are gershayim (an acronym mark): they become ASCII ".
GERSHAYIM = "\"״”“"
HYPHENS = "-‐‑‒־"
_TO_ASCII = str.maketrans(
    {**{c: "'" for c in APOSTROPHES}, **{c: '"' for c in GERSHAYIM}, **{c: "-" for c in HYPHENS}}
)
# Hebrew points (niqqud) and cantillation marks: U+0591..U+05C7 except the letters and
# punctuation in that range (maqaf U+05BE, paseq U+05C0, sof pasuq U+05C3, nun hafukha U+05C6).
HEBREW_MARKS = regex.compile(r"[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]")
HEBREW_FINALS = str.maketrans("ךםןףץ", "כמנפצ")


def _nuskhuri_to_mkhedruli() -> dict[int, str]:
    """Asomtavruli lower-cases to Nuskhuri; map Nuskhuri letters to the Mkhedruli ones."""
    table = {}
    for code in range(0x2D00, 0x2D2E):
        name = unicodedata.name(chr(code), "")
        if name.startswith("GEORGIAN SMALL LETTER "):
            try:
                table[code] = unicodedata.lookup(name.replace("SMALL LETTER", "LETTER"))
            except KeyError:
                continue
    return table


NUSKHURI = _nuskhuri_to_mkhedruli()


@lru_cache(maxsize=200_000)
def normalize(word: str) -> str:
    """The comparable form of a word: NFKC, case-folded, marks and punctuation unified.

    Georgian capitals (Mtavruli, Asomtavruli) fold to Mkhedruli, never the other way; Hebrew
    loses niqqud and cantillation; apostrophes, gershayim and hyphens become ASCII.
    """
    text = unicodedata.normalize("NFKC", word).casefold()
    text = text.translate(_TO_ASCII).translate(NUSKHURI)
    if HEBREW_MARKS.search(text):
        text = HEBREW_MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text)


def strip_diacritics(word: str) -> str:
    """Remove combining accents (é→e, ą→a); letters with strokes (ł) are left to the caller."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_hebrew(word: str) -> str:
    """Hebrew as typed without acronym marks and final letter forms (דוא"ל → דואל)."""
    return word.replace('"', "").replace("'", "").translate(HEBREW_FINALS)
