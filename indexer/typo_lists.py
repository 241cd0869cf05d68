"""A segment's words of the typo fields, kept a second time as code point matrices, one file
per index segment, and the search for words within a small edit distance of a query word.

Typo tolerance looks for a field's words within edit distance 1 or 2 of a query word, with
its first letter kept (indexer/typo_walk.py). Read from Whoosh's term dictionary, the words
of one letter of a big index are 100,000 records parsed in Python, in every server process,
before the walk starts (a first-sight typo query of a new letter took 150-300 ms at 50,000
documents). Here a build writes, as it writes the segment's dictionary
(whoosh_adapter._ArraysFieldWriter), each word of a typo field once more, grouped by first
letter and length, the letters after the first as a matrix of UTF-16 code units. A query
word's candidates are then found by a Levenshtein table computed for all the words of a
group at once (numpy, one row of the table per letter, words dropped as soon as their row
is past the distance), straight from the mapped file: nothing is decoded but the words
found, and the server's processes share the pages.

Words longer than MAX_TYPO_WORD + 2 letters cannot be within reach of a typo query word and
are left out, as are words with letters outside the Basic Multilingual Plane (one code
unit a letter keeps the matrices fixed-width); the walk over the term dictionary still
serves segments without the file (an older index, Whoosh without polyfind's codec).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from . import segment_files
from .limits import MAX_TYPO_WORD
from .page_maps import will_read

SUFFIX = ".pftypo"
MAGIC = b"PFTYPO01"
# The views whose words typo tolerance looks through (the body's words as written).
TYPO_FIELD_PREFIX = "body_exact_"
# Longest word kept: a query word of MAX_TYPO_WORD letters is within distance 2 of words
# up to two letters longer.
LONGEST = MAX_TYPO_WORD + 2
# Shortest word kept (typo candidates are words of three letters or more).
SHORTEST = 3
UNITS = np.dtype("<u2")

# (field, first letter, length of the rest) -> (byte offset, number of words)
Index = dict[tuple[str, str, int], tuple[int, int]]


def path_for(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{SUFFIX}"


def is_typo_field(fieldname: str) -> bool:
    return fieldname.startswith(TYPO_FIELD_PREFIX)


class TypoListsWriter:
    """Collects one segment's typo-field words as the segment's dictionary is written
    (field by field, each field's words in order) and writes the file on close (through a
    temporary name, so a reader never sees half a file)."""

    def __init__(self, path: Path):
        self.path = path
        self._groups: dict[tuple[str, str, int], list[str]] = defaultdict(list)

    def add(self, fieldname: str, word: str) -> None:
        if SHORTEST <= len(word) <= LONGEST:
            self._groups[(fieldname, word[0], len(word) - 1)].append(word[1:])

    def add_all(self, fieldname: str, words: Iterable[str]) -> None:
        for word in words:
            self.add(fieldname, word)

    def close(self) -> None:
        partial = self.path.with_suffix(SUFFIX + ".part")
        index: Index = {}
        with open(partial, "wb") as out:
            segment_files.start(out, MAGIC)
            for key in sorted(self._groups):
                data = "".join(self._groups[key]).encode("utf-16-le", "surrogatepass")
                count = len(self._groups[key])
                if len(data) != 2 * key[2] * count:  # a letter outside the BMP: drop those
                    kept = [t for t in self._groups[key] if t.isascii() or _bmp(t)]
                    data = "".join(kept).encode("utf-16-le")
                    count = len(kept)
                index[key] = (out.tell(), count)
                out.write(data)
            segment_files.finish(out, MAGIC, index)
        partial.replace(self.path)


def _bmp(text: str) -> bool:
    return all(ord(c) < 0x10000 for c in text)


class TypoLists:
    """One segment's file, mapped read-only."""

    def __init__(self, path: Path):
        self._map, self._index = segment_files.mapped(path, MAGIC)
        self._letters: dict[tuple[str, str], int] = defaultdict(int)
        for (fieldname, letter, _rest), (_offset, count) in self._index.items():
            self._letters[(fieldname, letter)] += count

    @classmethod
    def open(cls, path: Path) -> TypoLists | None:
        """The segment's lists, or None when the file is missing or damaged (the walk over
        the term dictionary then serves)."""
        return segment_files.opened(cls, path, "typos looked up in the term dictionary")

    def letter_count(self, fieldname: str, letter: str) -> int:
        """How many words of the field begin with `letter` (the lengths kept)."""
        return self._letters.get((fieldname, letter), 0)

    def group(self, fieldname: str, letter: str, rest: int) -> np.ndarray | None:
        """The rests of the words of `letter` with `rest` more letters, one row each."""
        entry = self._index.get((fieldname, letter, rest))
        if entry is None or rest == 0:
            return None
        offset, count = entry
        will_read(self._map, offset, count * rest * UNITS.itemsize)
        return np.frombuffer(self._map, dtype=UNITS, count=count * rest,
                             offset=offset).reshape(count, rest)


def words_within(lists: Iterable[TypoLists], fieldname: str, word: str, distance: int
                 ) -> list[str]:
    """The words of the segments' typo lists within `distance` insertions, deletions and
    substitutions of `word` after its first letter, which they share (what
    typo_walk.terms_within finds in the term dictionary), sorted, each once."""
    if len(word) < 1 or not _bmp(word):
        return []
    letter, rest = word[0], word[1:]
    query = np.frombuffer(rest.encode("utf-16-le"), dtype=UNITS)
    found: set[str] = set()
    lists = list(lists)
    for length in range(max(0, len(rest) - distance), len(rest) + distance + 1):
        groups = [g for g in (lst.group(fieldname, letter, length) for lst in lists)
                  if g is not None and len(g)]
        if not groups:
            continue
        block = groups[0] if len(groups) == 1 else np.concatenate(groups)
        for row in block[_close_rows(block, query, distance)]:
            found.add(letter + row.tobytes().decode("utf-16-le"))
    return sorted(found)


def _close_rows(block: np.ndarray, query: np.ndarray, distance: int) -> np.ndarray:
    """Indices of the rows of `block` (words of one length, as code units) within
    `distance` of `query`: the Levenshtein table filled a letter of the words at a time for
    every word that letter counts leave in reach at once, cells capped at distance + 1,
    rows dropped once past reach."""
    cap = distance + 1
    width = len(query)
    alive = _may_be_close(block, query, distance)
    if not len(alive):
        return alive
    # the table's row for 0 letters of the words: j deletions of the query's letters
    row = np.minimum(np.arange(width + 1, dtype=np.int16), cap)[None, :].repeat(len(alive), 0)
    for k in range(block.shape[1]):
        letters = block[alive, k][:, None]
        substituted = row[:, :-1] + (query[None, :] != letters)
        new = np.empty_like(row)
        new[:, 0] = min(k + 1, cap)
        new[:, 1:] = np.minimum(row[:, 1:] + 1, substituted)
        # insertions run left to right: one query letter at a time
        for j in range(1, width + 1):
            np.minimum(new[:, j], new[:, j - 1] + 1, out=new[:, j])
        np.minimum(new, cap, out=new)
        reachable = new.min(axis=1) <= distance
        if not reachable.all():
            alive, new = alive[reachable], new[reachable]
            if not len(alive):
                return alive
        row = new
    return alive[row[:, width] <= distance]


def _may_be_close(block: np.ndarray, query: np.ndarray, distance: int) -> np.ndarray:
    """Indices of the rows of `block` that letter counts alone do not put beyond `distance`
    of `query`: an edit leaves at most one letter of either word unpaired, so two words
    sharing `shared` letters (counted with repeats) are at least the longer one's length
    minus `shared` apart. Most words of a length share too few of the query's letters, and
    this costs a pass per distinct letter, not the table's pass per cell column."""
    columns = np.ascontiguousarray(block.T)  # (numpy sums across rows far faster than along)
    shared = np.zeros(len(block), dtype=np.int16)
    units, counts = np.unique(query, return_counts=True)
    for unit, count in zip(units.tolist(), counts.tolist(), strict=True):
        shared += np.minimum((columns == unit).sum(axis=0, dtype=np.int16), count)
    return np.flatnonzero(max(len(query), block.shape[1]) - shared <= distance)
