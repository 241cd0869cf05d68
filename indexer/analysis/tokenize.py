"""Script-aware tokenizer on the `regex` module, shared by all languages.

A word is a run of letters, marks and digits, so Hebrew niqqud and cantillation never split
it. Inside a word an apostrophe (or Hebrew geresh) joins (`page'y`, `צ'אטבוט`), gershayim
between Hebrew letters join (`דוא"ל`), and a decimal point or comma between digits joins
(`2,48`). Hyphens and the Hebrew maqaf join parts into a compound, which is emitted whole and
then part by part. Afrikaans `'n` is a word of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_PART = r"""
    [\p{L}\p{M}\p{N}]+
    (?:
        (?: ['’ʼ׳`]                          # apostrophe / geresh inside a word
          | (?<=\p{Hebrew}\p{M}*)["״”“](?=\p{Hebrew})   # gershayim inside a Hebrew word
          | (?<=\p{N})[.,](?=\p{N})          # decimal separator
        )
        [\p{L}\p{M}\p{N}]+
    )*
"""
TOKEN_RE = regex.compile(
    rf"""
    (?<![\p{{L}}\p{{M}}\p{{N}}])['’ʼ][nN](?![\p{{L}}\p{{M}}\p{{N}}])   # Afrikaans 'n
    | ŉ
    | {_PART}(?:[-‐‑־]{_PART})*
    """,
    regex.VERBOSE,
)
PART_RE = regex.compile(_PART, regex.VERBOSE)


@dataclass(frozen=True, slots=True)
class RawToken:
    """A word as it stands in the text: surface, character offsets, position."""

    text: str
    start: int
    end: int
    pos: int
    compound: bool = False  # the whole of a hyphenated compound (its parts follow)


def tokenize(text: str) -> list[RawToken]:
    """Words of `text` with offsets; a compound gives its whole, then its parts."""
    tokens: list[RawToken] = []
    pos = 0
    for match in TOKEN_RE.finditer(text):
        word = match.group()
        parts = list(PART_RE.finditer(word)) if any(h in word for h in "-‐‑־") else []
        if len(parts) > 1:
            tokens.append(RawToken(word, match.start(), match.end(), pos, compound=True))
            for part in parts:
                start = match.start() + part.start()
                tokens.append(RawToken(part.group(), start, start + len(part.group()), pos))
                pos += 1
        else:
            tokens.append(RawToken(word, match.start(), match.end(), pos))
            pos += 1
    return tokens
