"""Each field's common words with their document counts, held per index generation: the
completions of a half-typed word are the commonest words with its beginning, and in a big
index a beginning of three letters starts thousands of words, too many to read from the
term dictionary at every keystroke.

A build keeps every term with at least term_arrays.MIN_POSTINGS postings in a segment a
second time as a plain array; those terms are the common words, and the arrays' index,
read once per generation, lists them with their counts. The count of a word is that of
the segments where it is common (a lower bound of its document frequency). A beginning
that enough common words share is completed from this table; a rarer one by the capped
walk of the dictionary (indexer.expansion).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from .typo_walk import after_all_beginning_with


class FrequentWords:
    """One field's common words, sorted, with their counts."""

    def __init__(self, counts: dict[str, int]):
        self.words = sorted(counts)
        self.counts = np.fromiter((counts[w] for w in self.words), dtype=np.int64,
                                  count=len(self.words))

    def commonest(self, beginning: str, limit: int) -> list[str]:
        """Up to `limit` common words starting with `beginning`, the most counted first
        (ties: shorter, then in dictionary order)."""
        low = bisect_left(self.words, beginning)
        after = after_all_beginning_with(beginning)
        high = bisect_left(self.words, after, low) if after is not None else len(self.words)
        picked: Iterable[int]
        if high - low <= limit:
            picked = range(low, high)
        else:  # the `limit` highest counts, found without sorting the whole range
            part = np.argpartition(-self.counts[low:high], limit - 1)[:limit] + low
            floor = self.counts[part].min()
            picked = [i for i in range(low, high) if self.counts[i] >= floor]
        ranked = sorted(picked, key=lambda i: (-self.counts[i], len(self.words[i]), i))
        return [self.words[i] for i in ranked[:limit]]


def frequent_words(term_arrays: Iterable[object | None]) -> dict[str, FrequentWords]:
    """field -> its common words, from the index of each segment's term arrays (None for a
    segment without them)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for arrays in term_arrays:
        entries = getattr(arrays, "_index", None) if arrays is not None else None
        if entries is None:
            continue
        for (fieldname, text), entry in entries.items():
            counts[fieldname][text] += entry[1]
    return {fieldname: FrequentWords(words) for fieldname, words in counts.items()}
