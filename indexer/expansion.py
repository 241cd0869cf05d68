"""Words of the index that begin with a given beginning: the last, half-typed word of a query
(prefix search, completions), or a word's first letters (near-word matches).

The term dictionary is sorted, so a field's words with one beginning are read in one walk
from it; the walk is capped, and only the words found in most documents are kept. The
answer is fixed for an index generation, so it is remembered in the generation's cache
(as-you-type search asks for the same beginnings again and again).
"""

from __future__ import annotations

import heapq
from itertools import islice

from .limits import EXPANSION_SCAN
from .scoring.postings import PostingReader


def expand_prefix(postings: PostingReader, fieldname: str, prefix: str, limit: int
                  ) -> list[tuple[str, int]]:
    """Up to `limit` (word, document frequency) pairs of `fieldname`'s words that start with
    `prefix` (the prefix itself included when indexed), most frequent first; among the
    first EXPANSION_SCAN words of the dictionary with that beginning."""
    key = (fieldname, prefix, limit)
    found = postings.cache.expansions.get(key)
    if found is None:
        found = postings.cache.expansions[key] = _most_frequent(postings, fieldname, prefix,
                                                                 limit)
    return found


def _most_frequent(postings: PostingReader, fieldname: str, prefix: str, limit: int
                   ) -> list[tuple[str, int]]:
    reader = postings.searcher.reader()
    if not prefix or fieldname not in reader.schema:
        return []
    words = []
    for text, info in islice(reader.iter_prefix(fieldname, prefix), EXPANSION_SCAN):
        word = text.decode("utf-8") if isinstance(text, bytes) else text
        words.append((info.doc_frequency(), word))
    best = heapq.nlargest(limit, words, key=lambda pair: (pair[0], -len(pair[1])))
    return [(word, df) for df, word in best]
