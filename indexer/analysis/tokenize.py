"""Script-aware tokenizer on the `regex` module, shared by all languages.

A word is a run of letters, marks and digits, so Hebrew niqqud and cantillation never split
it. Inside a word an apostrophe (or Hebrew geresh) joins (`page'y`, `צ'אטבוט`), gershayim
between Hebrew letters join (`דוא"ל`), and a decimal point or comma between digits joins
(`2,48`). Hyphens and the Hebrew maqaf join parts into a compound, which is emitted whole and
then part by part. Afrikaans `'n` is a word of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import regex

_PART = r"""
    [\p{L}\p{M}\p{N}]+
    (?:
        (?: ['’ʼ׳`]                          # apostrophe / geresh inside a word
          | ["״”“](?<=\p{Hebrew}\p{M}*.)(?=\p{Hebrew})   # gershayim inside a Hebrew word
          | [.,](?<=\p{N}.)(?=\p{N})          # decimal separator
        )
        [\p{L}\p{M}\p{N}]+
    )*
"""
# Each special case tests its one character before any lookaround: the engine tries the
# pattern at every word end and every position between words (a quarter faster).
TOKEN_RE = regex.compile(
    rf"""
    ['’ʼ](?<![\p{{L}}\p{{M}}\p{{N}}].)[nN](?![\p{{L}}\p{{M}}\p{{N}}])   # Afrikaans 'n
    | ŉ
    | {_PART}(?:[-‐‑־]{_PART})*
    """,
    regex.VERBOSE,
)
PART_RE = regex.compile(_PART, regex.VERBOSE)


class RawToken(NamedTuple):
    """A word as it stands in the text: surface, character offsets, position."""

    text: str
    start: int
    end: int
    pos: int
    compound: bool = False  # the whole of a hyphenated compound (its parts follow)


HYPHENS = frozenset("-‐‑־")


def tokenize(text: str) -> list[RawToken]:
    """Words of `text` with offsets; a compound gives its whole, then its parts."""
    tokens: list[RawToken] = []
    pos = 0
    for match in TOKEN_RE.finditer(text):
        parts = _compound_parts(match)
        if parts:
            tokens.append(RawToken(match.group(), match.start(), match.end(), pos, compound=True))
            for word, start, end in parts:
                tokens.append(RawToken(word, start, end, pos))
                pos += 1
        else:
            tokens.append(RawToken(match.group(), match.start(), match.end(), pos))
            pos += 1
    return tokens


def simple_words(text: str, start: int = 0) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of every word (from the token beginning at `start`), compounds
    given by their parts only: what the highlighter scans, without building tokens."""
    isdisjoint = HYPHENS.isdisjoint
    for match in TOKEN_RE.finditer(text, start):
        word = match.group()
        parts = [] if isdisjoint(word) else _compound_parts(match)
        if parts:
            yield from parts
        else:
            yield word, match.start(), match.end()


def _compound_parts(match: regex.Match) -> list[tuple[str, int, int]]:
    """The parts of a hyphenated compound with their offsets; empty for a simple word."""
    word = match.group()
    if HYPHENS.isdisjoint(word):
        return []
    parts = [(p.group(), match.start() + p.start(), match.start() + p.end())
             for p in PART_RE.finditer(word)]
    return parts if len(parts) > 1 else []
