"""Reading one searcher's postings in bulk, segment by segment: posting blocks or a
segment's term arrays, deleted documents masked out, decoded field lengths; and the
generation's cache those are shared through."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from math import log
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from .. import typo_lists
from ..frequent_words import FrequentWords
from ..lexicon import block_weight
from ..limits import LETTER_WORDS_KEPT
from ..lru import LRU
from ..term_arrays import MIN_POSTINGS, TermArrays, path_for
from ..typo_lists import TypoLists
from ..whoosh_adapter import (
    TermLookup,
    field_lengths,
    postings_of,
    segment_doc_frequency,
    segment_frequency,
    segment_postings,
    value_doc_frequency,
)
from .bm25f import K1, B, bm25f

NO_DOCS = np.zeros(0, dtype=np.int32)
# Cached scores are float32: 8 bytes a posting with the docnum, exact to 1e-7, and the
# same whether a list came from the cache or not (cached or not, a term scores the same).
NO_SCORES = np.zeros(0, dtype=np.float32)
# Document frequencies remembered per generation.
LOOKUPS_KEPT = 100_000
# Term infos (each segment's entry of a term, as stored) remembered per generation, counted
# in segment entries (about 16 bytes each, most of them empty): the terms of the last few
# hundred searches at 5 segments, fewer where there are more (a term at 40 segments took
# 640 bytes).
TERM_VALUES_KEPT = 200_000


def among_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which of `values` are in `keys` (ascending), as a mask: document lists and phrase
    positions are sorted arrays, and a binary search beats a set or np.isin on them."""
    if not len(keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    return keys[at] == values


@dataclass
class Languages:
    """The `lang` column as one small code per document, for facet counts by bincount."""

    names: list[str]
    codes: np.ndarray

    def counts(self, docnums: np.ndarray) -> dict[str, int]:
        tally = np.bincount(self.codes[docnums], minlength=len(self.names))
        return {name: int(n) for name, n in zip(self.names, tally, strict=True) if n}


class GenerationCache:
    """What the searchers of one index generation share within a process: decoded field
    lengths, the lang column, the scored postings of popular words and phrases, document
    frequencies and typo candidates. All are fixed for the generation, so one copy serves
    every searcher (and every thread) of it."""

    def __init__(self, cache_postings: int = 0, folder: Path | None = None):
        self.cache_postings = cache_postings
        self.folder = folder  # the generation's folder, where its term arrays are
        self.lengths: dict[tuple[int, str], np.ndarray] = {}
        self.average_lengths: dict[str, float] = {}
        self.live: dict[int, np.ndarray | None] = {}
        self.term_arrays: dict[int, TermArrays | None] = {}
        self.typo_lists: dict[int, TypoLists | None] = {}
        self.languages: Languages | None = None
        self.frequencies: LRU[tuple[str, str], int] = LRU(LOOKUPS_KEPT)
        self.term_values: LRU[tuple[str, str], tuple[bytes | None, ...]] = \
            LRU(TERM_VALUES_KEPT, len)
        self.near_words: LRU[tuple[str, str], dict[str, int]] = LRU(LOOKUPS_KEPT)
        # indexer.frequent_words: field -> its common words (read once, at first use)
        self.frequent: dict[str, FrequentWords] | None = None
        # indexer.lexicon: (field, first letter) -> the field's words of that letter
        self.letter_words: LRU[tuple[str, str], list[str]] = LRU(LETTER_WORDS_KEPT, block_weight)
        # indexer.near_words: (field, word) -> its near words
        self.near_prefix: LRU[tuple[str, str], list[str]] = LRU(LOOKUPS_KEPT)
        # indexer.expansion.expand_prefix: (field, beginning, limit) -> [(word, df)]
        self.expansions: LRU[tuple[str, str, int], list[tuple[str, int]]] = LRU(LOOKUPS_KEPT)
        self._scores: LRU[tuple, tuple[np.ndarray, np.ndarray]] = LRU(cache_postings,
                                                                       _postings_count)

    def scores(self, key: tuple) -> tuple[np.ndarray, np.ndarray] | None:
        return self._scores.get(key)

    def remember(self, key: tuple, entry: tuple[np.ndarray, np.ndarray]) -> None:
        """Keep a term's scored postings, dropping the least recently used beyond budget."""
        self._scores.put(key, entry)

    def cached_postings(self) -> int:
        return self._scores.total


class PostingReader:
    """Reads one searcher's postings and field lengths in bulk, segment by segment.

    One per searcher (readers are not thread-safe); what it decodes goes to the
    generation's shared cache.
    """

    def __init__(self, searcher: Searcher, B: float = B, K1: float = K1,
                 cache: GenerationCache | None = None):
        self.searcher = searcher
        self.B = B
        self.K1 = K1
        self.cache = cache or GenerationCache()
        self.doc_count = searcher.doc_count_all()
        self.segments = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self.lookup = TermLookup([reader for reader, _offset in self.segments])
        # (field, text) -> docnums of each term scored by the search under way (scoring)
        self._scored: dict[tuple[str, str], np.ndarray] | None = None

    def languages(self) -> Languages:
        """Every document's `lang` column, read whole once: facets look up every match."""
        if self.cache.languages is None:
            column = list(self.searcher.reader().column_reader("lang"))
            names, codes = np.unique(np.array(column, dtype=object), return_inverse=True)
            self.cache.languages = Languages([str(n) for n in names],
                                             codes.astype(np.uint8 if len(names) < 256
                                                          else np.uint32))
        return self.cache.languages

    def blocks(self, fieldname: str, text: str
               ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, int]]:
        """(segment docnums, term frequencies, that segment's field lengths, docnum offset)
        for each block of the term's postings, deleted documents left out. A long list
        comes whole from the segment's term arrays when it has them; the segments that lack
        the term are not looked at again once its term infos are known."""
        values = self.term_values(fieldname, text)
        for i, (_reader, offset) in enumerate(self.segments):
            if values is not None and values[i] is None:
                continue
            blocks = self._segment_blocks(i, fieldname, text, None if values is None
                                          else values[i])
            if blocks is None:
                continue
            lengths = self.lengths(i, fieldname)
            live = self._live(i)
            for ids, weights in blocks:
                if live is not None:
                    kept = live[ids]
                    ids, weights = ids[kept], weights[kept]
                yield ids, weights, lengths, offset

    def _segment_blocks(self, segment: int, fieldname: str, text: str, value: bytes | None
                        ) -> Iterator[tuple[np.ndarray, np.ndarray]] | None:
        """One segment's (docnums, weights) blocks of a term, from its term arrays when the
        list is long enough to be there, else from the term info `value` when known."""
        stored = self._term_arrays(segment)
        if stored is not None and (value is None or value_doc_frequency(value) >= MIN_POSTINGS):
            found = stored.get(fieldname, text)
            if found is not None:
                return iter([found])
        reader = self.segments[segment][0]
        if value is not None:
            return postings_of(reader, value)
        return segment_postings(reader, fieldname, text)

    def term_values(self, fieldname: str, text: str) -> tuple[bytes | None, ...] | None:
        """Each segment's term info of the term as stored (None: the segment lacks it),
        remembered: planning asks how many documents hold a term, then scoring reads its
        postings. None where the segments are not read from maps (whoosh_adapter)."""
        key = (fieldname, text)
        found = self.cache.term_values.get(key)
        if found is None:
            found = self.lookup.values(fieldname, text)
            if found is not None:
                self.cache.term_values.put(key, found)
        return found

    def _live(self, segment: int) -> np.ndarray | None:
        """A segment's mask of documents not deleted (None: none is), made once per
        generation."""
        if segment not in self.cache.live:
            reader = self.segments[segment][0]
            mask = None
            if reader.has_deletions():
                mask = np.zeros(reader.doc_count_all(), dtype=bool)
                mask[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
            self.cache.live[segment] = mask
        return self.cache.live[segment]

    def term_arrays(self) -> list[TermArrays | None]:
        """Each segment's term arrays (None: the segment has none)."""
        return [self._term_arrays(i) for i in range(len(self.segments))]

    def _term_arrays(self, segment: int) -> TermArrays | None:
        if segment not in self.cache.term_arrays:
            reader = self.segments[segment][0]
            found = None
            if self.cache.folder is not None and reader.segment() is not None:
                found = TermArrays.open(path_for(self.cache.folder,
                                                 reader.segment().segment_id()))
            self.cache.term_arrays[segment] = found
        return self.cache.term_arrays[segment]

    def typo_lists(self) -> list[TypoLists] | None:
        """Each segment's typo lists (indexer.typo_lists); None unless every segment has
        them (a segment written without them is searched by the walk, and so all are)."""
        found = []
        for segment, (reader, _offset) in enumerate(self.segments):
            if segment not in self.cache.typo_lists:
                lists = None
                if self.cache.folder is not None and reader.segment() is not None:
                    lists = TypoLists.open(typo_lists.path_for(
                        self.cache.folder, reader.segment().segment_id()))
                self.cache.typo_lists[segment] = lists
            lists = self.cache.typo_lists[segment]
            if lists is None:
                return None
            found.append(lists)
        return found

    def lengths(self, segment: int, fieldname: str) -> np.ndarray:
        key = (segment, fieldname)
        found = self.cache.lengths.get(key)
        if found is None:
            found = self.cache.lengths[key] = field_lengths(self.segments[segment][0],
                                                             fieldname)
        return found

    def term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25F scores) of one term, kept while they fit the cache: popular
        words come back query after query, and their posting lists are the long ones."""
        key = (fieldname, text)
        entry = self.cache.scores(key)
        if entry is None:
            entry = self._read_scores(fieldname, text)
        if self._scored is not None:
            self._scored[key] = entry[0]
        return entry

    def _read_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings read and scored, and offered to the cache."""
        # Whoosh's idf (WeightingModel.idf) from the generation's remembered frequency: the
        # searcher's own asks every segment again, once per searcher
        idf = log(self.doc_count / (self.doc_frequency(fieldname, text) + 1)) + 1
        # (scored once for all blocks: a cold search scores hundreds of short lists, and
        # numpy's cost per call outweighs its cost per posting there)
        docnums, frequencies, lengths = [], [], []
        for ids, weights, segment_lengths, offset in self.blocks(fieldname, text):
            docnums.append(ids + offset)
            frequencies.append(weights)
            lengths.append(segment_lengths[ids])
        entry = (NO_DOCS, NO_SCORES)
        if docnums:
            scores = bm25f(idf, np.concatenate(frequencies).astype(np.float64),
                           np.concatenate(lengths), self.avg_field_length(fieldname),
                           self.B, self.K1)
            entry = (np.concatenate(docnums), scores.astype(np.float32))
        self.cache.remember((fieldname, text), entry)
        return entry

    def avg_field_length(self, fieldname: str) -> float:
        """The field's mean length over the index (1 where no document has it), as Whoosh's
        searcher gives it; remembered per generation (Whoosh asks every segment)."""
        found = self.cache.average_lengths.get(fieldname)
        if found is None:
            found = self.cache.average_lengths[fieldname] = \
                self.searcher.avg_field_length(fieldname) or 1
        return found

    @contextmanager
    def scoring(self) -> Iterator[None]:
        """Within it, the documents of every term scored are kept for held_docs: a hit's
        snippet then looks a term up only in the hits that hold it (a half-typed word has
        many completions, and most are in none of them), whether the cache kept its scores
        or not. Forgotten at the end, with the search."""
        self._scored = {}
        try:
            yield
        finally:
            self._scored = None

    def held_docs(self, fieldname: str, text: str) -> np.ndarray | None:
        """The documents holding the term, ascending, when this search scored it (within
        `scoring`), its scores are in the cache or the index lacks it (planning asked, and
        left it out); else None."""
        key = (fieldname, text)
        scored = self._scored.get(key) if self._scored is not None else None
        if scored is not None:
            return scored
        cached = self.cache.scores(key)
        if cached is not None:
            return cached[0]
        return NO_DOCS if self.doc_frequency(fieldname, text) == 0 else None

    def best_scores(self, fieldnames: Sequence[str], text: str
                    ) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of a term held in any of `fieldnames`, each document scored by
        its best field (see PlanTerm.also)."""
        if len(fieldnames) == 1:
            return self.term_scores(fieldnames[0], text)
        lists = [found for found in (self.term_scores(name, text) for name in fieldnames)
                 if len(found[0])]
        if len(lists) <= 1:  # (most words are held in one of the fields only)
            return lists[0] if lists else (NO_DOCS, NO_SCORES)
        docnums = np.concatenate([d for d, _s in lists])
        scores = np.concatenate([s for _d, s in lists])
        order = np.lexsort((-scores, docnums))  # by document, its best score first
        docnums, scores = docnums[order], scores[order]
        first = np.ones(len(docnums), dtype=bool)
        first[1:] = docnums[1:] != docnums[:-1]
        return docnums[first], scores[first]

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold the term (remembered: query planning asks often)."""
        key = (fieldname, text)
        found = self.cache.frequencies.get(key)
        if found is None:
            values = self.term_values(fieldname, text)
            found = sum(map(value_doc_frequency, values)) if values is not None else \
                sum(segment_doc_frequency(reader, fieldname, text)
                    for reader, _offset in self.segments)
            self.cache.frequencies.put(key, found)
        return found

    def frequency(self, fieldname: str, text: str) -> float:
        """How often the index holds the term (its total weight, as Whoosh counts it)."""
        return sum(segment_frequency(reader, fieldname, text) for reader, _ in self.segments)

    def docs(self, fieldname: str, text: str) -> np.ndarray:
        """Every document containing the term."""
        found = [ids + offset for ids, _weights, _lengths, offset in self.blocks(fieldname, text)]
        return np.concatenate(found) if found else NO_DOCS


def _postings_count(entry: tuple[np.ndarray, np.ndarray]) -> int:
    return len(entry[0])

