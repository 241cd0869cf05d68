"""A field's index words that begin with one letter, read once per index generation and held
in memory, sorted: the typo walk (indexer.typo_walk) moves through them by bisection.

Walking Whoosh's term files instead costs a binary search on disk for every jump of the
walk, and a walk jumps hundreds of times; a letter's words are read in one pass of the
field's dictionary. The blocks are kept in the generation's cache, bounded by the number of
words held (indexer.limits.LETTER_WORDS_KEPT).
"""

from __future__ import annotations

from collections.abc import Callable

from .lru import LRU
from .whoosh_adapter import prefix_terms

# Words read between two looks at the request's budget while a block is read.
CHECK_EVERY = 4096
# A letter with more words than this keeps only those found in two documents or more. A
# growing vocabulary is half words seen once (Zipf), and in a big index a word of one
# document is a poor correction for a typo: often a typo itself. It halves the block and
# the walk through it.
LETTER_RARE_WORDS = 20_000


def block_weight(words: list[str]) -> int:
    """A block weighs its number of words (an empty block one: it is remembered too)."""
    return max(1, len(words))


def letter_words(reader, cache: LRU[tuple[str, str], list[str]], fieldname: str,
                 letter: str, spent: Callable[[], bool] | None = None) -> list[str] | None:
    """`fieldname`'s words beginning with `letter`, sorted (LETTER_RARE_WORDS: a big block
    without its words of one document); remembered in `cache`. None
    when `spent()` said the request's time ran out while the words were being read (the
    block is then not kept)."""
    key = (fieldname, letter)
    found = cache.get(key)
    if found is None:
        found = _read_block(reader, fieldname, letter, spent)
        if found is not None:
            cache.put(key, found)
    return found


def beginning_counts(reader, fieldname: str, beginning: str, scan: int | None = None,
                     spent: Callable[[], bool] | None = None) -> dict[str, int] | None:
    """word -> document frequency of `fieldname`'s words that begin with `beginning`, at
    most the first `scan` of each segment; None when `spent()` said the request's time ran
    out. Segment by segment: a multi-segment reader merges its segments' words one
    comparison at a time in Python, and looks every word up in every segment."""
    counts: dict[str, int] = {}
    read = 0
    for segment, _offset in reader.leaf_readers():
        for word, df in prefix_terms(segment, fieldname, beginning, scan):
            if spent is not None and read % CHECK_EVERY == 0 and spent():
                return None
            read += 1
            counts[word] = counts.get(word, 0) + df
    return counts


def _read_block(reader, fieldname: str, letter: str, spent: Callable[[], bool] | None
                ) -> list[str] | None:
    if fieldname not in reader.indexed_field_names():
        return []
    counts = beginning_counts(reader, fieldname, letter, spent=spent)
    if counts is None:
        return None
    if len(counts) > LETTER_RARE_WORDS:
        return sorted(word for word, df in counts.items() if df > 1)
    return sorted(counts)
