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

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Phrase, Query, Term
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from .budget import Budget, unlimited
from .limits import COST_PER_PHRASE_CANDIDATE, COST_PER_TERM
from .term_arrays import TermArrays, path_for

# Whoosh stores a field's length per document as one byte; this decodes all 256 values.
LENGTH_OF_BYTE = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.uint32)
NO_DOCS = np.zeros(0, dtype=np.int32)
# Cached scores are float32: 8 bytes a posting with the docnum, exact to 1e-7, and the
# same whether a list came from the cache or not (cached or not, a term scores the same).
NO_SCORES = np.zeros(0, dtype=np.float32)
# Document frequencies and typo candidates remembered per generation.
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
        self.frequencies = BoundedDict(LOOKUPS_KEPT)
        self.near_words = BoundedDict(LOOKUPS_KEPT)
        self.near_prefix = BoundedDict(LOOKUPS_KEPT)
        self._scores: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    def scores(self, key: tuple) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            entry = self._scores.get(key)
            if entry is not None:
                self._scores.move_to_end(key)
            return entry

    def remember(self, key: tuple, entry: tuple[np.ndarray, np.ndarray]) -> None:
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


class BoundedDict(dict):
    """A dict that forgets everything when full: for small lookups that are cheap to redo."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)


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
            found = self.cache.lengths[key] = _field_lengths(self.segments[segment][0],
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
            found = self.cache.frequencies[key] = self.searcher.doc_frequency(fieldname, text)
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
            entry = (docnums, sum(scores[np.searchsorted(d, docnums)] for d, scores in lists))
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
            values = [_values_at(without_filter(reader.postings(fieldname, w)), local)
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
        hit = np.zeros(postings.doc_count, dtype=np.float32)
        for leaf in leaves(clause):
            docnums, scores = postings.leaf_scores(leaf, budget)
            credit = getattr(leaf, "credit", 1.0)
            if credit < 1.0:
                weak = hit[docnums] < 1.0
                docnums, scores = docnums[weak], scores[weak]
                hit[docnums] = np.maximum(hit[docnums], credit)
            else:
                hit[docnums] = 1.0
            acc.scores[docnums] += scores  # a posting list names each document once
            if budget.spent():
                break
        acc.matched += hit
        acc.whole += hit >= 1.0
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


def leaves(query: Query) -> Iterator[Query]:
    """The Term and Phrase leaves of a tree of Or queries."""
    if isinstance(query, Term | Phrase):
        yield query
        return
    for sub in query.children():
        yield from leaves(sub)


def without_filter(matcher):
    """The leaf matcher under Whoosh's filter of deleted documents (deletions are masked
    per segment instead, see PostingReader._live)."""
    if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
        return matcher.child
    return matcher


def posting_blocks(matcher) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(docnums, weights) per block of a segment's posting list.

    Whoosh's leaf matcher reads postings a block at a time; decoding the block's stored
    tuples as arrays skips several Python calls per posting. Matchers without those
    internals (inlined short lists, other codecs) are read through the public API.
    """
    if _reads_blocks(matcher):
        return _whole_blocks(matcher)
    return _postings_one_by_one(matcher)


def _reads_blocks(matcher) -> bool:
    """Whether the matcher is Whoosh's block reader of docnum postings (W3LeafMatcher)."""
    return all(hasattr(matcher, a) for a in ("_read_data", "_data", "_maxid", "_next_block")) \
        and not getattr(matcher, "_byteids", True)


def _block(matcher) -> tuple[np.ndarray, tuple]:
    """The current block's docnums (stored delta-coded) and its stored (ids, weights,
    values) tuple."""
    if matcher._data is None:
        matcher._read_data()
    return np.cumsum(np.array(matcher._data[0], dtype=np.int64)), matcher._data


def _whole_blocks(matcher) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    # A block is stored as (delta-coded ids, weights) where weights are None when all are
    # 1, one float when all are equal, else a tuple.
    while matcher.is_active():
        ids, data = _block(matcher)
        ids, weights = ids.astype(np.int32), data[1]
        if weights is None or isinstance(weights, float):
            yield ids, np.full(len(ids), 1.0 if weights is None else weights)
        else:
            yield ids, np.array(weights, dtype=np.float64)
        matcher._next_block()


def _values_at(matcher, wanted: np.ndarray) -> list[bytes]:
    """The encoded values (positions) of a segment's postings at `wanted` docnums (sorted,
    all in the list), decoding only the blocks that hold them."""
    if not _reads_blocks(matcher):
        return _values_one_by_one(matcher, wanted)
    found: list[bytes] = []
    k = 0
    while matcher.is_active() and k < len(wanted):
        upto = int(np.searchsorted(wanted, matcher._maxid, side="right"))
        if upto > k:
            ids, data = _block(matcher)
            values = data[2]
            found.extend(values[j] for j in np.searchsorted(ids, wanted[k:upto]).tolist())
            k = upto
        matcher._next_block()
    return found


def _values_one_by_one(matcher, wanted: np.ndarray) -> list[bytes]:
    found = []
    for docnum in wanted.tolist():
        matcher.skip_to(docnum)
        found.append(matcher.value())
    return found


def _postings_one_by_one(matcher) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float64)


def _field_lengths(reader, fieldname: str) -> np.ndarray:
    """Every document's length of one field in one segment, decoded as Whoosh's scorer
    sees it (4 bytes a document: a searcher may hold 36 fields of 100k documents)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return np.array([reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count)],
                        dtype=np.uint32)
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:  # no document of the segment has the field
        return np.zeros(count, dtype=np.uint32)
    return LENGTH_OF_BYTE[_length_bytes(column, count)]


def _length_bytes(column, count: int) -> np.ndarray:
    """The one-byte length codes of a lengths column, read as one slice of the file where
    the column is the codec's plain byte column (documents past its end have length 0)."""
    if getattr(column, "_typecode", None) == "B" and hasattr(column, "_dbfile"):
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    else:
        raw = np.array(column.load(), dtype=np.uint8)
    codes = np.zeros(count, dtype=np.uint8)
    codes[:len(raw)] = raw[:count]
    return codes
