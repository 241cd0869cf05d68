"""Words of the index that begin with a given beginning: the last, half-typed word of a query
(prefix search, completions), or a word's first letters (near-word matches).

One walk serves both (beginning_words): the term dictionary is sorted, so a field's words
with one beginning are read, with their document frequencies, in one capped pass from it.
Prefix search keeps the words found in most documents; the answer is fixed for an index
generation, so it is remembered in the generation's cache (as-you-type search asks for the
same beginnings again and again).
"""

from __future__ import annotations

import heapq

from .frequent_words import frequent_words
from .lexicon import beginning_counts
from .limits import EXPANSION_SCAN
from .scoring.postings import PostingReader


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
            words = beginning_words(postings.searcher.reader(), fieldname, prefix,
                                    EXPANSION_SCAN)
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
