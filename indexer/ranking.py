"""Term-at-a-time BM25F over Whoosh's postings: the scoring core of the search service.

A polyfind query has many term leaves per word (views x title/body x languages). Whoosh's
matcher tree scores them document at a time, with several Python calls per posting per
level of the tree; here each posting list is read once, block by block, scored as one
numpy array and added into a dense per-document accumulator. The scores are Whoosh's own
BM25F (same idf, field lengths and formula; the sum over an Or's leaves), so rankings are
unchanged, and in the same pass each document's count of matched query words falls out,
for coverage, totals and facets.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.query import Phrase, Query, Term
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from .budget import Budget, unlimited
from .lexicon import block_weight
from .limits import COST_PER_PHRASE_CANDIDATE, COST_PER_TERM, LETTER_WORDS_KEPT
from .lru import LRU
from .term_arrays import TermArrays, path_for
from .whoosh_adapter import field_lengths, posting_blocks, values_at, without_filter

NO_DOCS = np.zeros(0, dtype=np.int32)
# Cached scores are float32: 8 bytes a posting with the docnum, exact to 1e-7, and the
# same whether a list came from the cache or not (cached or not, a term scores the same).
NO_SCORES = np.zeros(0, dtype=np.float32)
# Document frequencies remembered per generation.
LOOKUPS_KEPT = 100_000
# Documents whose phrase positions are read between two looks at the time budget.
PHRASE_CHECK_EVERY = 64


@dataclass
class Accumulator:
    """Per document (dense over the searcher's document numbers): summed score and how
    many query clauses (words or phrases) it matched, a weak match (a near word) counting
    as part of one."""

    scores: np.ndarray
    matched: np.ndarray
    whole: np.ndarray  # clauses matched by their own terms (not only by near words)

    @classmethod
    def empty(cls, doc_count: int) -> Accumulator:
        return cls(np.zeros(doc_count), np.zeros(doc_count, dtype=np.float32),
                   np.zeros(doc_count, dtype=np.uint16))


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
        self.live: dict[int, np.ndarray | None] = {}
        self.term_arrays: dict[int, TermArrays | None] = {}
        self.languages: Languages | None = None
        self.frequencies: LRU[tuple[str, str], int] = LRU(LOOKUPS_KEPT)
        self.near_words: LRU[tuple[str, str], dict[str, int]] = LRU(LOOKUPS_KEPT)
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

    def __init__(self, searcher: Searcher, B: float = 0.75, K1: float = 1.2,
                 cache: GenerationCache | None = None):
        self.searcher = searcher
        self.B = B
        self.K1 = K1
        self.cache = cache or GenerationCache()
        self.doc_count = searcher.doc_count_all()
        self.segments = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]

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
        comes whole from the segment's term arrays when it has them."""
        for i, (reader, offset) in enumerate(self.segments):
            stored = self._term_arrays(i)
            found = stored.get(fieldname, text) if stored is not None else None
            if found is not None:
                blocks: Iterator = iter([found])
            else:
                try:  # one term lookup: asking first whether the segment has it is a second
                    blocks = posting_blocks(without_filter(reader.postings(fieldname, text)))
                except TermNotFound:
                    continue
            lengths = self.lengths(i, fieldname)
            live = self._live(i)
            for ids, weights in blocks:
                if live is not None:
                    kept = live[ids]
                    ids, weights = ids[kept], weights[kept]
                yield ids, weights, lengths, offset

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

    def _term_arrays(self, segment: int) -> TermArrays | None:
        if segment not in self.cache.term_arrays:
            reader = self.segments[segment][0]
            found = None
            if self.cache.folder is not None and reader.segment() is not None:
                found = TermArrays.open(path_for(self.cache.folder,
                                                 reader.segment().segment_id()))
            self.cache.term_arrays[segment] = found
        return self.cache.term_arrays[segment]

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
        cached = self.cache.scores(key)
        if cached is not None:
            return cached
        searcher = self.searcher
        avgfl = searcher.avg_field_length(fieldname) or 1
        K1, B = self.K1, self.B
        scale = searcher.idf(fieldname, text) * (K1 + 1)
        base, per_length = K1 * (1 - B), K1 * B / avgfl
        docnums, term_scores = [], []
        for ids, weights, lengths, offset in self.blocks(fieldname, text):
            tf = weights.astype(np.float64)
            docnums.append(ids + offset)
            term_scores.append(scale * tf / (tf + base + per_length * lengths[ids]))
        entry = (np.concatenate(docnums), np.concatenate(term_scores).astype(np.float32)) \
            if docnums else (NO_DOCS, NO_SCORES)
        self.cache.remember(key, entry)
        return entry

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold the term (remembered: query planning asks often)."""
        key = (fieldname, text)
        found = self.cache.frequencies.get(key)
        if found is None:
            found = self.searcher.reader().doc_frequency(fieldname, text)
            self.cache.frequencies.put(key, found)
        return found

    def query_scores(self, query: Query, budget: Budget | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of a Whoosh query scored by Whoosh (phrases need positions)."""
        budget = budget or unlimited()
        context = self.searcher.context()
        docnums, scores = [], []
        for sub, offset in self.searcher.leaf_searchers():
            matcher = query.matcher(sub, context)
            while matcher.is_active():
                docnums.append(matcher.id() + offset)
                scores.append(matcher.score())
                matcher.next()
                if len(docnums) % PHRASE_CHECK_EVERY == 0 and budget.spent():
                    break
        return np.array(docnums, dtype=np.int32), np.array(scores, dtype=np.float64)

    def phrase_scores(self, phrase: Phrase, budget: Budget | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, scores) of a phrase as Whoosh scores it (the sum of its words' BM25F
        scores, times the boost) where its words stand at consecutive positions. The
        words' scored postings give the candidates; positions are read only for those,
        while the budget lasts (a phrase cut short is not remembered)."""
        budget = budget or unlimited()
        key = ("phrase", phrase.fieldname, tuple(phrase.words))
        entry = self.cache.scores(key)
        if entry is None:
            lists = [self.term_scores(phrase.fieldname, word) for word in phrase.words]
            docnums = lists[0][0]
            for other, _scores in lists[1:]:
                docnums = np.intersect1d(docnums, other, assume_unique=True)
            if len(docnums):
                docnums = docnums[self._in_order(phrase.fieldname, phrase.words, docnums,
                                                 budget)]
            entry = (docnums, functools.reduce(np.add, (scores[np.searchsorted(d, docnums)]
                                                         for d, scores in lists)))
            if not budget.exhausted:
                self.cache.remember(key, entry)
        return entry[0], entry[1] * phrase.boost

    def _in_order(self, fieldname: str, words: Sequence[str], docnums: np.ndarray,
                  budget: Budget) -> np.ndarray:
        """Which of `docnums` (each holding every word) have the words side by side (those
        not read before the budget ran out count as not)."""
        decode = self.searcher.schema[fieldname].format.decode_positions
        found = np.zeros(len(docnums), dtype=bool)
        bounds = np.searchsorted(docnums, [offset for _reader, offset in self.segments])
        for (reader, offset), start, end in zip(self.segments, bounds,
                                                [*bounds[1:], len(docnums)], strict=True):
            if start == end:
                continue
            local = docnums[start:end] - offset
            values = [values_at(without_filter(reader.postings(fieldname, w)), local)
                      for w in words]
            for k, per_word in enumerate(zip(*values, strict=True)):
                if k % PHRASE_CHECK_EVERY == PHRASE_CHECK_EVERY - 1 and budget.spent():
                    return found
                first, *rest = per_word
                following = [set(decode(v)) for v in rest]
                found[start + k] = any(
                    all(p + j in later for j, later in enumerate(following, 1))
                    for p in decode(first))
        return found

    def leaf_scores(self, leaf: Query, budget: Budget | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(leaf, Term):
            docnums, scores = self.term_scores(leaf.fieldname, leaf.text)
            return docnums, scores * leaf.boost
        if isinstance(leaf, Phrase) and leaf.slop == 1:
            return self.phrase_scores(leaf, budget)
        return self.query_scores(leaf, budget)

    def docs(self, fieldname: str, text: str) -> np.ndarray:
        """Every document containing the term."""
        found = [ids + offset for ids, _weights, _lengths, offset in self.blocks(fieldname, text)]
        return np.concatenate(found) if found else NO_DOCS


def _postings_count(entry: tuple[np.ndarray, np.ndarray]) -> int:
    return len(entry[0])


def score_clauses(postings: PostingReader, clauses: list[Query], budget: Budget | None = None
                  ) -> Accumulator:
    """Accumulate every clause's leaves and count the clauses each document matches.
    Stops adding terms once the budget is spent, after at least one."""
    budget = budget or unlimited()
    acc = Accumulator.empty(postings.doc_count)
    for clause in clauses:
        # A document matches most of a word's terms (as written, by stem, folded; title
        # and body): it counts once per clause however many of them it has, by its best
        # term's credit (a term's own views 1, a near word's less: indexer/near_words.py).
        # Near words come after the word's own terms and count only where those did not
        # match: a document full of a word's inflected forms does not score them twice.
        # A completion of a half-typed last word (`admits`) counts as part of a match too,
        # but, unlike a near word, it makes the document a result on its own.
        hit = np.zeros(postings.doc_count, dtype=np.float32)
        admitted = np.zeros(postings.doc_count, dtype=bool)
        for leaf in leaves(clause):
            docnums, scores = postings.leaf_scores(leaf, budget)
            credit = getattr(leaf, "credit", 1.0)
            if credit < 1.0:
                weak = hit[docnums] < 1.0
                docnums, scores = docnums[weak], scores[weak]
                hit[docnums] = np.maximum(hit[docnums], credit)
                if getattr(leaf, "admits", False):
                    admitted[docnums] = True
            else:
                hit[docnums] = 1.0
            acc.scores[docnums] += scores  # a posting list names each document once
            if budget.spent():
                break
        acc.matched += hit
        acc.whole += (hit >= 1.0) | admitted
        if budget.exhausted:
            break
    return acc


def estimated_cost(postings: PostingReader, query: Query) -> int:
    """What scoring `query` will cost, in postings read: each term's list and a fixed
    cost per term, and for a phrase the positions of its candidate documents too."""
    cost = 0
    for leaf in leaves(query):
        if isinstance(leaf, Term):
            cost += COST_PER_TERM + postings.doc_frequency(leaf.fieldname, leaf.text)
            continue
        words = list(leaf.words) if isinstance(leaf, Phrase) else []
        frequencies = [postings.doc_frequency(leaf.fieldname, w) for w in words] or [0]
        cost += COST_PER_TERM * len(words) + sum(frequencies) \
            + min(frequencies) * COST_PER_PHRASE_CANDIDATE * len(words)
    return cost


def matching_docs(postings: PostingReader, query: Query) -> np.ndarray:
    """Documents matching any leaf of an Or tree, as a dense mask (unscored: for
    exclusions)."""
    found = np.zeros(postings.doc_count, dtype=bool)
    for leaf in leaves(query):
        if isinstance(leaf, Term):
            found[postings.docs(leaf.fieldname, leaf.text)] = True
        else:
            found[list(leaf.docs(postings.searcher))] = True
    return found


def top_documents(docnums: np.ndarray, scores: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The `count` best (docnum, score) pairs, by score then docnum (stable between runs)."""
    if count < len(scores):
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = np.flatnonzero(scores >= threshold)
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[:count]
    return [(int(d), float(s)) for d, s in zip(docnums[order], scores[order], strict=True)]


def leaves(query: Query) -> Iterator[Term | Phrase]:
    """The Term and Phrase leaves of a tree of Or queries."""
    if isinstance(query, Term | Phrase):
        yield query
        return
    for sub in query.children():
        yield from leaves(sub)
