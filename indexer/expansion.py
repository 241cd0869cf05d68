"""Words of the index that begin with a given beginning: the last, half-typed word of a query
(prefix search, completions), or a word's first letters (near-word matches).

The term dictionary is sorted, so a field's words with one beginning are read, with their
document frequencies, in one capped pass from it (beginning_words; near words). Prefix
search keeps the words found in most documents, counted in arrays over the first thousands
(commonest_beginning_with); the answer is fixed for an index generation, so it is
remembered in the generation's cache (as-you-type search asks for the same beginnings again
and again).
"""

from __future__ import annotations

import heapq

import numpy as np

from .frequent_words import frequent_words
from .lexicon import beginning_counts
from .limits import EXPANSION_SCAN
from .scoring.postings import PostingReader
from .whoosh_adapter import prefix_arrays


def beginning_words(reader, fieldname: str, beginning: str, scan: int
                    ) -> list[tuple[str, int]]:
    """(word, document frequency) of the first `scan` words of `fieldname`'s dictionary that
    start with `beginning` (the beginning itself included when indexed), in dictionary
    order; none for an empty beginning or a field the index does not have."""
    if not beginning or fieldname not in reader.schema:
        return []
    # A word among the first `scan` of the whole dictionary is among the first `scan` of
    # each segment that has it.
    counts = beginning_counts(reader, fieldname, beginning, scan)
    assert counts is not None  # no time limit given
    return [(word, counts[word]) for word in sorted(counts)[:scan]]


def commonest_beginning_with(reader, fieldname: str, beginning: str, scan: int, keep: int
                             ) -> list[tuple[str, int]]:
    """Of beginning_words(reader, fieldname, beginning, scan), in the same order, those
    that may be among the `keep` most frequent: every word whose document frequency is at
    least the keep-th highest (ties kept, so a ranking by frequency of these is a ranking
    of all). Counted in arrays, segment by segment, where the term dictionaries are read
    from maps: a short beginning has thousands of words, and only a few are wanted."""
    if not beginning or fieldname not in reader.schema:
        return []
    found = [prefix_arrays(segment, fieldname, beginning, scan)
             for segment, _offset in reader.leaf_readers()]
    if any(arrays is None for arrays in found):
        return _commonest(beginning_words(reader, fieldname, beginning, scan), keep)
    words = np.concatenate([arrays[0] for arrays in found if arrays is not None])
    if not len(words):
        return []
    unique, inverse = np.unique(words, return_inverse=True)
    totals = np.bincount(inverse, weights=np.concatenate(
        [arrays[1] for arrays in found if arrays is not None])).astype(np.int64)
    unique, totals = unique[:scan], totals[:scan]
    if len(totals) > keep:
        cutoff = np.partition(totals, len(totals) - keep)[len(totals) - keep]
        chosen = np.flatnonzero(totals >= cutoff).tolist()
    else:
        chosen = list(range(len(totals)))
    return [(unique[i].decode("utf-8"), int(totals[i])) for i in chosen]


def _commonest(words: list[tuple[str, int]], keep: int) -> list[tuple[str, int]]:
    """The pairs whose frequency is at least the keep-th highest, in their order."""
    if len(words) <= keep:
        return words
    cutoff = sorted((frequency for _word, frequency in words), reverse=True)[keep - 1]
    return [(word, frequency) for word, frequency in words if frequency >= cutoff]


def expand_prefix(postings: PostingReader, fieldname: str, prefix: str, limit: int
                  ) -> list[tuple[str, int]]:
    """Up to `limit` (word, document frequency) pairs of `fieldname`'s words that start with
    `prefix` (the prefix itself included when indexed), most frequent first, then shortest:
    from the generation's common words when `limit` of them have the beginning, else
    among the first EXPANSION_SCAN words of the dictionary with that beginning."""
    key = (fieldname, prefix, limit)
    found = postings.cache.expansions.get(key)
    if found is None:
        common = _common_words(postings, fieldname, prefix, limit)
        if common is not None:
            found = [(word, postings.doc_frequency(fieldname, word)) for word in common]
        else:
            words = commonest_beginning_with(postings.searcher.reader(), fieldname, prefix,
                                             EXPANSION_SCAN, limit)
            found = heapq.nlargest(limit, words, key=lambda pair: (pair[1], -len(pair[0])))
            for word, frequency in found:  # read with them: planning asks for them next
                postings.cache.frequencies.put((fieldname, word), frequency)
        postings.cache.expansions[key] = found
    return found


def _common_words(postings: PostingReader, fieldname: str, prefix: str, limit: int
                  ) -> list[str] | None:
    """The `limit` commonest words with the beginning from the generation's table of common
    words (indexer.frequent_words), when at least that many are common; else None."""
    cache = postings.cache
    if cache.frequent is None:
        cache.frequent = frequent_words(postings.term_arrays())
    table = cache.frequent.get(fieldname)
    if not prefix or table is None:
        return None
    common = table.commonest(prefix, limit)
    return common if len(common) >= limit else None
