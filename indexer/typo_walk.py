"""Index words within a small edit distance of a query word, by one walk of a field's sorted
term dictionary (typo tolerance).

The walk keeps one row of the Levenshtein table per letter of the dictionary word it is
on, shared with the previous word as far as their beginnings agree (the dictionary is
sorted, so it is walked like a trie). When every cell of a row exceeds the distance, no
word with that beginning can be close enough, and the walk jumps past all of them with one
bisection. Unlike a Levenshtein automaton, nothing is built per query word: building the
automaton of a long word cost more than the walk itself, and a query of fresh long words
(nothing cached) paid it for every word. The first letter must match, as typos there are
rare and it confines the walk to one letter's words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from .lexicon import letter_words
from .lru import LRU

_MAX_CODE_POINT = 0x10FFFF


def candidates_within(reader, blocks: LRU[tuple[str, str], list[str]], fieldname: str, word: str,
                    distance: int, spent: Callable[[], bool] | None = None
                    ) -> list[str] | None:
    """`fieldname`'s words within `distance` of `word`, its first letter kept (see
    terms_within), from the words of that letter (read into `blocks` once per generation);
    None when the request's time ran out while they were being read."""
    if not word:
        return []
    words = letter_words(reader, blocks, fieldname, word[0], spent)
    return None if words is None else terms_within(words, word, distance)


def terms_within(terms: Sequence[str], word: str, distance: int) -> list[str]:
    """The `terms` (sorted) beginning with `word`'s first letter whose remaining letters are
    within `distance` insertions, deletions and substitutions of the word's remaining
    letters (what Whoosh's terms_within(..., prefix=1) finds), in dictionary order."""
    if not word:
        return []
    walk = _Walk(terms)
    head, rest = word[0], word[1:]
    width = len(rest)
    # rows[k]: the Levenshtein table's row after k letters of `path` (capped at distance + 1)
    rows: list[list[int]] = [[min(j, distance + 1) for j in range(width + 1)]]
    path = ""  # the letters after `head` of the dictionary word the rows are for
    found: list[str] = []
    term = walk.seek(head)
    while term is not None and term.startswith(head):
        tail = term[1:]
        shared = _shared_length(tail, path)
        del rows[shared + 1:]
        path = tail[:shared]
        dead = False
        for letter in tail[shared:]:
            row = _next_row(rows[-1], rest, letter, len(rows), distance)
            rows.append(row)
            path += letter
            if min(row) > distance:
                dead = True
                break
        if dead:  # no word beginning with head + path is close enough: skip them all
            after = after_all_beginning_with(head + path)
            term = walk.seek(after) if after is not None else None
            continue
        if rows[-1][width] <= distance:
            found.append(term)
        term = walk.next()
    return found


def _next_row(previous: list[int], word: str, letter: str, k: int, distance: int
              ) -> list[int]:
    """Row `k` of the table (after k letters), every cell capped at distance + 1: only the
    cells within `distance` of the diagonal can be lower, so only they are computed (a
    long word's row costs 2 * distance + 1 cells, not one per letter)."""
    cap = distance + 1
    row = [cap] * (len(word) + 1)
    low, high = max(1, k - distance), min(len(word), k + distance)
    if k <= distance:
        row[0] = k
    for j in range(low, high + 1):
        row[j] = min(previous[j] + 1, row[j - 1] + 1,
                     previous[j - 1] + (word[j - 1] != letter), cap)
    return row


def _shared_length(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def after_all_beginning_with(beginning: str) -> str | None:
    """The least string above every string that begins with `beginning` (None: none is)."""
    while beginning:
        code = ord(beginning[-1]) + 1
        if code <= _MAX_CODE_POINT:
            return beginning[:-1] + chr(code)
        beginning = beginning[:-1]
    return None


class _Walk:
    """A position in a sorted list of terms: `seek` the first term >= a string, or the
    `next` one (None past the last)."""

    def __init__(self, terms: Sequence[str]):
        self._terms = terms
        self._at = 0

    def seek(self, text: str) -> str | None:
        self._at = bisect_left(self._terms, text, self._at)
        return self._current()

    def next(self) -> str | None:
        self._at += 1
        return self._current()

    def _current(self) -> str | None:
        return self._terms[self._at] if self._at < len(self._terms) else None
