"""Term-at-a-time BM25F over Whoosh's postings: the scoring core of the search service.

A polyfind query has many term leaves per word (views x title/body x languages). Whoosh's
matcher tree scores them document at a time, with several Python calls per posting per
level of the tree; here each posting list is read once, block by block, and its scores are
added into one accumulator. The scores are Whoosh's own BM25F (same idf, field lengths and
formula; the sum over an Or's leaves), so rankings are unchanged, and in the same pass each
document's set of matched query words falls out, for coverage, totals and facets.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Phrase, Query, Term
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

# Whoosh stores a field's length per document as one byte; this decodes all 256 values.
LENGTH_OF_BYTE = [byte_to_length(b) if b else 0 for b in range(256)]


@dataclass
class Accumulator:
    """Per document: summed score and a bit per query clause (word or phrase) it matched."""

    scores: dict[int, float] = field(default_factory=dict)
    clauses: dict[int, int] = field(default_factory=dict)


class GenerationCache:
    """What the searchers of one index generation share within a process: decoded field
    lengths, the lang column and the scored postings of popular words. All are fixed for
    the generation, so one copy serves every searcher (and every thread) of it."""

    def __init__(self, cache_postings: int = 0):
        self.cache_postings = cache_postings
        self.lengths: dict[tuple[int, str], Sequence[int]] = {}
        self.languages: list[str] | None = None
        self._scores: OrderedDict[tuple[str, str], tuple[array, array]] = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    def scores(self, key: tuple[str, str]) -> tuple[array, array] | None:
        with self._lock:
            entry = self._scores.get(key)
            if entry is not None:
                self._scores.move_to_end(key)
            return entry

    def remember(self, key: tuple[str, str], entry: tuple[array, array]) -> None:
        """Keep a term's scored postings, dropping the least recently used beyond budget."""
        size = len(entry[0])
        if size > self.cache_postings:
            return
        with self._lock:
            if key in self._scores:
                return
            self._scores[key] = entry
            self._cached += size
            while self._cached > self.cache_postings:
                _key, (old, _scores) = self._scores.popitem(last=False)
                self._cached -= len(old)

    def cached_postings(self) -> int:
        return self._cached


class PostingReader:
    """Reads one searcher's postings and field lengths in bulk, segment by segment.

    One per searcher (readers are not thread-safe); what it decodes goes to the
    generation's shared cache.
    """

    def __init__(self, searcher: Searcher, B: float = 0.75, K1: float = 1.2,
                 cache: GenerationCache | None = None):
        self.searcher = searcher
        self.B = B
        self.K1 = K1
        self.cache = cache or GenerationCache()
        self.segments = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]

    def languages(self) -> list[str]:
        """Every document's `lang` column, read whole once: facets look up every match."""
        if self.cache.languages is None:
            self.cache.languages = list(self.searcher.reader().column_reader("lang"))
        return self.cache.languages

    def blocks(self, fieldname: str, text: str) -> Iterator[tuple[Sequence[int], Sequence[float],
                                                                    Sequence[int], int]]:
        """(segment docnums, term frequencies, that segment's field lengths, docnum offset)
        for each block of the term's postings."""
        for i, (reader, offset) in enumerate(self.segments):
            if (fieldname, text) not in reader:
                continue
            lengths = self.lengths(i, fieldname)
            for ids, weights in _posting_blocks(reader.postings(fieldname, text)):
                yield ids, weights, lengths, offset

    def lengths(self, segment: int, fieldname: str) -> Sequence[int]:
        key = (segment, fieldname)
        found = self.cache.lengths.get(key)
        if found is None:
            found = self.cache.lengths[key] = _field_lengths(self.segments[segment][0],
                                                             fieldname)
        return found

    def add_term(self, scores: dict[int, float], fieldname: str, text: str, boost: float
                 ) -> None:
        """Add one term's BM25F scores, times `boost`, into `scores`."""
        docnums, term_scores = self.term_scores(fieldname, text)
        get = scores.get
        for docnum, score in zip(docnums, term_scores, strict=True):
            scores[docnum] = get(docnum, 0.0) + boost * score

    def term_scores(self, fieldname: str, text: str) -> tuple[Sequence[int], Sequence[float]]:
        """(docnums, BM25F scores) of one term, kept while they fit the cache: popular
        words come back query after query, and their posting lists are the long ones."""
        key = (fieldname, text)
        cached = self.cache.scores(key)
        if cached is not None:
            return cached
        searcher = self.searcher
        avgfl = searcher.avg_field_length(fieldname) or 1
        K1, B = self.K1, self.B
        scale = searcher.idf(fieldname, text) * (K1 + 1)
        base, per_length = K1 * (1 - B), K1 * B / avgfl
        docnums, term_scores = array("i"), array("d")
        for ids, weights, lengths, offset in self.blocks(fieldname, text):
            docnums.extend([docnum + offset for docnum in ids] if offset else ids)
            term_scores.extend([scale * tf / (tf + base + per_length * lengths[docnum])
                                for docnum, tf in zip(ids, weights, strict=True)])
        self.cache.remember(key, (docnums, term_scores))
        return docnums, term_scores

    def add_query(self, scores: dict[int, float], query: Query) -> None:
        """Add a Whoosh query scored by Whoosh (phrases need positions)."""
        context = self.searcher.context()
        for sub, offset in self.searcher.leaf_searchers():
            matcher = query.matcher(sub, context)
            while matcher.is_active():
                docnum = matcher.id() + offset
                scores[docnum] = scores.get(docnum, 0.0) + matcher.score()
                matcher.next()

    def docs(self, fieldname: str, text: str) -> Iterator[int]:
        """Every document containing the term."""
        for ids, _weights, _lengths, offset in self.blocks(fieldname, text):
            for docnum in ids:
                yield docnum + offset


def score_clauses(postings: PostingReader, clauses: list[Query], deadline: float
                  ) -> Accumulator:
    """Accumulate every clause's leaves; clause i sets bit 1 << i. Stops adding terms once
    `deadline` (time.monotonic) has passed, after at least one."""
    acc = Accumulator()
    totals, marks = acc.scores, acc.clauses
    for i, clause in enumerate(clauses):
        # A document matches most of a word's terms (as written, by stem, folded; title
        # and body): sum them per clause first, then mark the clause once per document.
        scores: dict[int, float] = {}
        out_of_time = False
        for leaf in leaves(clause):
            if isinstance(leaf, Term):
                postings.add_term(scores, leaf.fieldname, leaf.text, leaf.boost)
            else:
                postings.add_query(scores, leaf)
            if time.monotonic() > deadline:
                out_of_time = True
                break
        bit = 1 << i
        for docnum, score in scores.items():
            totals[docnum] = totals.get(docnum, 0.0) + score
            marks[docnum] = marks.get(docnum, 0) | bit
        if out_of_time:
            break
    return acc


def matching_docs(postings: PostingReader, query: Query) -> set[int]:
    """Documents matching any leaf of an Or tree (unscored: for exclusions)."""
    found: set[int] = set()
    for leaf in leaves(query):
        if isinstance(leaf, Term):
            found.update(postings.docs(leaf.fieldname, leaf.text))
        else:
            found.update(leaf.docs(postings.searcher))
    return found


def leaves(query: Query) -> Iterator[Query]:
    """The Term and Phrase leaves of a tree of Or queries."""
    if isinstance(query, Term | Phrase):
        yield query
        return
    for sub in query.children():
        yield from leaves(sub)


def _posting_blocks(matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(docnums, weights) per block of a segment's posting list, without deleted documents.

    Whoosh's leaf matcher reads postings a block at a time; taking the block's arrays
    whole skips four method calls per posting. Matchers without those internals are read
    one posting at a time through the public API.
    """
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
        deleted, matcher = frozenset(matcher._ids), matcher.child
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block")):
        yield from _postings_one_by_one(matcher, deleted)
        return
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids, weights = matcher._ids, matcher._weights
        if deleted and not deleted.isdisjoint(ids):
            kept = [(d, w) for d, w in zip(ids, weights, strict=True) if d not in deleted]
            ids, weights = [d for d, _ in kept], [w for _, w in kept]
        yield ids, weights
        matcher._next_block()


def _postings_one_by_one(matcher, deleted: frozenset[int] = frozenset()
                         ) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    ids, weights = [], []
    while matcher.is_active():
        if matcher.id() not in deleted:
            ids.append(matcher.id())
            weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def _field_lengths(reader, fieldname: str) -> Sequence[int]:
    """Every document's length of one field in one segment, decoded as Whoosh's scorer
    sees it (4 bytes a document: a searcher may hold 36 fields of 100k documents)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return array("I", (reader.doc_field_length(d, fieldname, 0) or 0
                           for d in range(count)))
    table = LENGTH_OF_BYTE
    return array("I", [table[b] for b in column.load()])
