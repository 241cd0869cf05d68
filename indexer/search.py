"""The one search service, used by the CLI and the web app alike.

A query is parsed (indexer.query), its language guessed from script and letters, and for
each language worth searching it becomes one Whoosh query over that language's fields:
every word is looked for as written (exact), by stem and folded (typed without special
letters), in title and body, weighted exact > stem > fold > transliterated/typo-corrected,
title above body; quoted phrases must match in order. Documents matching more of the
query's words rank first, by BM25F among those matching as many. A last word still being
typed (prefix mode) also matches the index words that begin with it, for half a word.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.query import Or, Phrase, Query, Term
from whoosh.searching import Searcher

from . import integrity
from .analysis import analysis_codes, get_language, registry
from .analysis.normalize import normalize
from .analysis.pipeline import AnalyzedToken, analyze, thin_fold
from .budget import Admission, Budget, Ticket, unlimited
from .config import Settings
from .errors import (
    BusyError,
    IndexDamagedError,
    PolyfindError,
    QueryError,
    UnknownLanguageError,
)
from .expansion import expand_prefix
from .langdetect import LATIN, detect_language, latin_language, script_counts
from .layout import META, current_dir, generation_number, read_meta
from .limits import (
    COST_PER_TYPO_LOOKUP,
    EXPENSIVE_AT_ONCE,
    EXPENSIVE_COST,
    EXPENSIVE_WAIT_SECONDS,
    EXPENSIVE_WORD_LOOKUPS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_TERMS,
    MAX_TYPO_WORD,
    MAX_TYPO_WORDS,
    MIN_PREFIX,
    MIN_TYPO_WORD,
    PREFIX_COMPLETIONS,
    SEARCH_SECONDS,
    SEARCHER_WAIT_SECONDS,
    SUGGEST_COMPLETIONS,
)
from .lru import LRU
from .near_words import (
    NEAR_MAX_QUERY_WORDS,
    NEAR_WORDS_PER_QUERY,
    near_clause,
    near_words,
    wants_near_words,
)
from .query import ParsedQuery, parse_query, prefix_mode
from .ranking import (
    GenerationCache,
    PostingReader,
    estimated_cost,
    leaves,
    matching_docs,
    score_clauses,
    top_documents,
)
from .schema import field_name, read_card
from .snippets import MatchTerms, best_passage, body_positions, highlight_all
from .typo_walk import typo_candidates

log = logging.getLogger(__name__)

VIEW_BOOST = {"exact": 3.0, "stem": 2.0, "fold": 1.0}
TITLE_BOOST = 2.0
TRANSLIT_BOOST = 0.8
TYPO_BOOST = 0.6
PHRASE_BOOST = 4.0
PREFIX_BOOST = 0.5
# What a completion of the half-typed last word counts for, against 1 for the whole word.
PREFIX_CREDIT = 0.5
# Did-you-mean counts how often a correction is seen this many times in the query's language.
QUERY_LANGUAGE_WEIGHT = 3.0
# Letters a folded completion steps back from the end of the typed word (sprzedaz: sprzeda).
FOLD_BACKTRACK = 4
GUESSED_LANGUAGE_BOOST = 1.5
# Python searches on one core per process, so more searchers would only cost memory.
SEARCHERS_PER_PROCESS = 2
TRANSLATION_GROUPS_KEPT = 4096
BM25_B, BM25_K1 = 0.75, 1.2
logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Translation:
    lang: str
    id: str
    title: str
    url: str


@dataclass
class Hit:
    id: str
    title: str
    lang: str
    url: str
    snippet: str
    score: float
    title_html: str = ""
    translations: list[Translation] = field(default_factory=list)


@dataclass
class SearchResponse:
    """The structure the CLI's --json prints and the web API serves."""

    query: str
    lang: str | None
    total: int
    page: int
    per_page: int
    took_ms: float
    suggestion: str | None
    facets: dict[str, dict[str, int]]
    results: list[Hit]
    # The time budget ran out (or a cap was reached) before the whole answer was found:
    # hits may be missing or ranked on part of the query. Never cached.
    partial: bool = False
    # Languages whose matches came from reading the Latin-typed query in their own script.
    transliterated: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        for hit in data["results"]:
            hit.pop("title_html", None)
        return data


@dataclass
class _LanguagePlan:
    """One language's part of a query, and the terms to highlight in its documents."""

    terms: MatchTerms
    corrections: dict[str, str] = field(default_factory=dict)
    correction_counts: dict[str, float] = field(default_factory=dict)  # see _occurrences
    words: set[str] = field(default_factory=set)  # query words, as the tokenizer saw them
    matched: set[str] = field(default_factory=set)  # ...of which the index has some form
    clauses: list[Query] = field(default_factory=list)  # one per query word or phrase
    excluded: Query | None = None
    transliterated: bool = False  # some word matched only when read in this script


@dataclass
class _Request:
    """One search request as asked, with its start time and budget."""

    parsed: ParsedQuery
    query: str
    lang: str | None
    page: int
    per_page: int
    prefer: str | None
    started: float
    budget: Budget


class _MustWait(Exception):
    """The query is expensive and no slot is free: give the searcher back and wait."""


@dataclass
class Lease:
    """A searcher lent to one thread, its generation's metadata and its posting reader."""

    searcher: Searcher
    meta: dict
    postings: PostingReader
    # translation key -> group, shared by the generation's searchers in this process
    translations: LRU[str, list[Translation]]
    # column readers of this searcher, opened once: each opening reads the column's index
    columns: dict[str, object] = field(default_factory=dict)

    def column(self, name: str):
        found = self.columns.get(name)
        if found is None:
            found = self.columns[name] = self.searcher.reader().column_reader(name)
        return found


class OlderGeneration(Exception):
    """A request read `current` before a switch the pool has already followed."""


class GenerationGone(PolyfindError):
    """The generation a searcher reads was removed under it (a pruned index folder)."""


class SearcherPool:
    """At most `size` searchers lent at once in this process, on the newest generation.

    Free searchers belong to the newest generation only: when a build switches, the older
    generation's free searchers are closed and its lent ones are closed when given back.
    The pool never goes back to an older generation while the newer one exists (a request
    that read `current` just before a switch asks again), and a thread waits at most
    `wait_seconds` for a searcher, then gets BusyError."""

    def __init__(self, size: int, wait_seconds: float = SEARCHER_WAIT_SECONDS):
        self.size = size
        self.wait_seconds = wait_seconds
        self._free: list[Lease] = []
        self._lent = 0
        self._newest: Path | None = None
        self._available = threading.Condition()

    def borrow(self, generation: Path, make, older_ok: bool = False) -> Lease:
        """A searcher on `generation`; OlderGeneration when the pool already serves a newer
        one that still exists (unless `older_ok`: `current` itself points back)."""
        deadline = time.monotonic() + self.wait_seconds
        with self._available:
            self._follow(generation, older_ok)
            while self._lent >= self.size:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BusyError(f"all {self.size} searchers of this server process stayed "
                                    f"busy for {self.wait_seconds:g} s: retry in a moment")
                self._available.wait(left)
                self._follow(generation, older_ok)
            self._lent += 1
            if self._free:
                return self._free.pop()
        try:
            return make()
        except BaseException:
            with self._available:
                self._lent -= 1
                self._available.notify()
            raise

    def give_back(self, generation: Path, entry: Lease, broken: bool = False) -> None:
        with self._available:
            self._lent -= 1
            keep = not broken and generation == self._newest
            if keep:
                self._free.append(entry)
            self._available.notify()
        if not keep:
            _close(entry)

    def lent(self) -> int:
        return self._lent

    def _follow(self, generation: Path, older_ok: bool) -> None:
        newest = self._newest
        if generation == newest:
            return
        if (newest is not None and not older_ok and _is_generation(newest)
                and generation_number(generation) < generation_number(newest)):
            raise OlderGeneration
        for lease in self._free:
            _close(lease)
        self._free.clear()
        self._newest = generation


def _close(lease: Lease) -> None:
    try:
        lease.searcher.close()
    except Exception:  # noqa: BLE001 - its files may be gone already; nothing to keep
        log.debug("closing a searcher of a removed generation failed", exc_info=True)


def _is_generation(folder: Path) -> bool:
    """Whether a generation's folder is (still) a whole index on disk."""
    return (folder / META).is_file()


def _reading_index(method: Callable[..., T]) -> Callable[..., T]:
    """An entry point that reads the index: an error Whoosh raises on a damaged file becomes
    IndexDamagedError when the generation's files changed since they were verified (as
    verified, the error is a bug in polyfind, raised as it is)."""
    @functools.wraps(method)
    def reading(self: SearchService, *args, **kwargs) -> T:
        try:
            return method(self, *args, **kwargs)
        except integrity.READ_ERRORS as exc:
            check = self._check
            if check is not None:
                try:
                    check.check()
                except PolyfindError as found:
                    log.error("%s (a read failed: %s: %s)", found, exc.__class__.__name__, exc)
                    raise found from None
            raise
    return reading


class SearchService:
    """Opens the live index generation (anew when a rebuild switched it) and searches it."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._index: whoosh_index.Index | None = None
        self._index_dir: Path | None = None
        self._check: integrity.GenerationCheck | None = None
        self._shared: tuple[GenerationCache, LRU[str, list[Translation]]] | None = None
        self._pool = SearcherPool(SEARCHERS_PER_PROCESS)
        self._admission = Admission(EXPENSIVE_AT_ONCE, EXPENSIVE_WAIT_SECONDS)
        self._cache: LRU[tuple, SearchResponse] = LRU(settings.search.cache_size)

    # -- index handling -------------------------------------------------------------------
    def _open(self) -> tuple[whoosh_index.Index, Path,
                             tuple[GenerationCache, LRU[str, list[Translation]]]]:
        live = current_dir(self.settings.index.path)
        with self._lock:
            if self._index is None or live != self._index_dir:
                if self._check is None or self._check.generation != live:
                    self._check = integrity.GenerationCheck(self.settings.index.path, live)
                self._check.check()  # a failed check is kept: asked again, it costs a stat
                try:
                    self._index = whoosh_index.open_dir(str(live))
                except Exception as exc:  # noqa: BLE001 - whoosh raises many kinds on damaged files
                    raise IndexDamagedError(
                        f"index at {live} cannot be opened ({exc.__class__.__name__}): "
                        "run `polyfind index --rebuild`"
                    ) from None
                if self._index_dir is not None:
                    log.info("switched to index generation %s (was %s)", live.name,
                             self._index_dir.name)
                self._index_dir = live
                self._shared = (GenerationCache(self.settings.search.term_cache, live),
                                LRU(TRANSLATION_GROUPS_KEPT))
            assert self._shared is not None
            return self._index, live, self._shared

    @contextmanager
    def searcher(self, budget: Budget | None = None) -> Iterator[Lease]:
        """A searcher on the live generation, lent to one thread at a time, with that
        generation's metadata and a posting reader.

        Searchers are not thread-safe and each holds open files and buffers (Python runs
        one thread at a time anyway), so a small pool of them is shared by the threads;
        a rebuild's new generation gets fresh ones (never the searcher's refresh method,
        which returns stale documents in this Whoosh). Waiting for one does not use up
        the request's budget. A failure while the generation's folder is gone (pruned)
        is GenerationGone, and that searcher is dropped.
        """
        with budget.paused() if budget else nullcontext():
            live, entry = self._borrow()
        broken = False
        try:
            yield entry
        except Exception as exc:
            if _is_generation(live):
                raise
            broken = True
            raise GenerationGone(f"index generation {live.name} was removed while in use "
                                 f"({exc.__class__.__name__}): retry") from exc
        finally:
            self._pool.give_back(live, entry, broken)

    def _borrow(self) -> tuple[Path, Lease]:
        ix, live, shared = self._open()
        try:
            return live, self._pool.borrow(live, lambda: _lease(ix, live, *shared))
        except OlderGeneration:
            pass
        # `current` was read just before a build switched it: read it again (when it still
        # points back, an operator put an older generation live on purpose).
        ix, live, shared = self._open()
        return live, self._pool.borrow(live, lambda: _lease(ix, live, *shared), older_ok=True)

    def _retried(self, work):
        """Run `work`, once more on the live generation if its generation vanished."""
        try:
            return work()
        except GenerationGone as exc:
            log.warning("%s; retrying on the live generation", exc)
            return work()

    # -- public API -----------------------------------------------------------------------
    @_reading_index
    def search(self, query: str, lang: str | None = None, page: int = 1,
               per_page: int | None = None, prefer: str | None = None,
               prefix: str = "off") -> SearchResponse:
        """Ranked, highlighted results; the same request on the same generation is answered
        from a small cache (search boxes send the same queries again and again), unless
        the answer was partial.

        `prefer` (the reader's language, e.g. the page's interface language) ranks that
        language first when the query itself does not say which language it is in (ERP).
        `prefix` (auto|on|off): the last word also matches the index words that begin with
        it (see indexer.query.prefix_mode); `auto` for search as you type.
        """
        started = time.perf_counter()
        budget = Budget(SEARCH_SECONDS)
        per_page = per_page or self.settings.search.per_page
        _check_paging(page, per_page)
        parsed = parse_query(query, self.settings.search.max_query_length)
        parsed.prefix = prefix_mode(query, parsed, prefix)
        lang = (lang or parsed.lang or "").lower() or None
        key = (current_dir(self.settings.index.path), query, lang, page, per_page, prefer,
               parsed.prefix)
        cached = self._cache.get(key)
        if cached is not None:
            return replace(cached, took_ms=round((time.perf_counter() - started) * 1000, 2))
        request = _Request(parsed, query, lang, page, per_page, prefer, started, budget)
        response = self._retried(lambda: self._admitted(request))
        if not response.partial:
            self._cache.put(key, response)
        else:
            log.info("deadline hit: partial answer to %r after %.0f ms", query[:80],
                     (time.perf_counter() - started) * 1000)
        return response

    def _admitted(self, request: _Request) -> SearchResponse:
        """The search, after waiting for an expensive-query slot when its plan is costly."""
        ticket = Ticket(self._admission, request.budget)
        with self._admission.running():
            try:
                try:
                    return self._search(request, ticket)
                except _MustWait:  # the searcher is given back while the query waits its turn
                    ticket.wait()
                    return self._search(request, ticket)
            finally:
                ticket.release()

    def _search(self, request: _Request, ticket: Ticket) -> SearchResponse:
        query, lang, page, per_page = request.query, request.lang, request.page, request.per_page
        budget = request.budget
        with self.searcher(budget) as lease:
            searcher = lease.searcher
            indexed = set(lease.meta.get("languages", {}))
            if lang is not None and lang not in indexed:
                raise UnknownLanguageError(
                    f"unknown language '{lang}': the index has {', '.join(sorted(indexed))}"
                )
            plans = self._plans(lease.postings, request.parsed, lang, indexed, request.prefer,
                                budget, ticket)
            if not plans:
                return self._empty(query, lang, page, per_page, request.started)
            docnums, scores = _ranked_scores(lease.postings, plans, budget)
            facets = {"lang": lease.postings.languages().counts(docnums)}
            top = top_documents(docnums, scores, page * per_page)
            shown = top[(page - 1) * per_page:]
            stored = [searcher.reader().stored_fields(docnum) for docnum, _score in shown]
            positions = _snippet_positions(searcher, shown, stored, plans, budget)
            hits = [
                self._hit(lease, fields, score, plans, budget, positions.get(docnum))
                for (docnum, score), fields in zip(shown, stored, strict=True)
            ]
            total = len(docnums)
        corrections = _best_corrections(plans, _guess(request.parsed.text) or request.prefer)
        return SearchResponse(
            query=query, lang=lang, total=total, page=page, per_page=per_page,
            took_ms=round((time.perf_counter() - request.started) * 1000, 2),
            suggestion=_suggestion(query, corrections), facets=facets, results=hits,
            partial=budget.exhausted,
            transliterated=sorted(c for c, p in plans.items() if p.transliterated and
                                  any(_analysis_lang(f) == c for f in facets["lang"])),
        )

    @_reading_index
    def document(self, doc_id: str, query: str | None = None) -> dict | None:
        """A stored document with its translations; the query's words marked when given
        (as many as the budget allows: then `partial` is true)."""
        budget = Budget(SEARCH_SECONDS)
        return self._retried(lambda: self._document(doc_id, query, budget))

    def _document(self, doc_id: str, query: str | None, budget: Budget) -> dict | None:
        with self.searcher(budget) as lease:
            searcher, meta = lease.searcher, lease.meta
            fields = searcher.document(id=doc_id)
            if fields is None:
                return None
            doc = dict(fields)
            doc["translations"] = [asdict(t) for t in _translations(lease, fields)]
            if query:
                plans = self._plans(lease.postings, parse_query(query), fields["lang"],
                                    set(meta.get("languages", {})), budget=budget)
                plan = plans.get(_analysis_lang(fields["lang"]))
                terms = plan.terms if plan else MatchTerms()
                doc["body_html"] = highlight_all(fields["body"], fields["lang"], terms, budget)
                doc["partial"] = budget.exhausted
            return doc

    @_reading_index
    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions of the last word typed, from the index's own words: those found in
        the documents that match the words before it (all documents for a single word),
        in most of them first. Also typed without special letters (folded) and, for
        Georgian, in Latin letters."""
        words = prefix[: self.settings.search.max_query_length].split()
        if not words or prefix[-1:].isspace():
            return []
        last = normalize(words[-1].strip('"-'))
        if len(last) < MIN_PREFIX:
            return []
        head = " ".join(words[:-1])
        budget = Budget(SEARCH_SECONDS)
        counts = self._retried(lambda: self._completions(head, last, budget))
        return [f"{head} {w}".strip() for w, _ in counts.most_common(limit) if w != last]

    def _completions(self, head: str, last: str, budget: Budget) -> Counter[str]:
        """Completion -> documents holding it (among those matching `head`, when given)."""
        counts: Counter[str] = Counter()
        with self.searcher(budget) as lease:
            postings, indexed = lease.postings, set(lease.meta.get("languages", {}))
            among = self._head_documents(postings, head, indexed, budget) if head else None
            if among is not None and not len(among):
                return counts
            for lang, translit in _target_languages(last, None, indexed):
                for fieldname, word, df in _completion_candidates(postings, lang, last,
                                                                  translit):
                    if budget.spent():
                        return counts
                    if among is not None:
                        df = int(np.isin(postings.docs(fieldname, word), among,
                                         assume_unique=True).sum())
                    if df:
                        counts[word] = max(counts[word], df)
        return counts

    def _head_documents(self, postings: PostingReader, head: str, indexed: set[str],
                        budget: Budget) -> np.ndarray | None:
        """The documents matching every word of `head` (None when it has no words to search)."""
        try:
            parsed = parse_query(head)
        except QueryError:
            return None
        plans = self._plans(postings, parsed, None, indexed, budget=budget)
        found = []
        for plan in plans.values():
            acc = score_clauses(postings, plan.clauses, budget)
            found.append(np.flatnonzero(acc.matched >= len(plan.clauses)))
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def health(self) -> dict:
        """info(), after checking the live generation again: cheaply (by the stat of its
        files) unless a file changed since it was verified, then in full."""
        info = self.info()
        if self._check is not None:
            self._check.check()
        return info

    @_reading_index
    def info(self) -> dict:
        """What is indexed: documents per language, generation, size, build time, corpus."""
        return self._retried(self._info)

    def _info(self) -> dict:
        with self.searcher() as lease:
            searcher, meta = lease.searcher, lease.meta
            return {
                "generation": meta["generation"],
                "built_at": meta["built_at"],
                "corpus": meta["corpus"],
                "documents": searcher.doc_count(),
                "languages": meta.get("languages", {}),
                "size_bytes": meta.get("size_bytes", 0),
                "path": str(current_dir(self.settings.index.path)),
            }

    # -- query building -------------------------------------------------------------------
    def _plans(self, postings: PostingReader, parsed: ParsedQuery, lang: str | None,
               indexed: set[str], prefer: str | None = None, budget: Budget | None = None,
               ticket: Ticket | None = None) -> dict[str, _LanguagePlan]:
        """Each language's query. With a `ticket`, an expensive plan (by its estimated
        cost, typo lookups included) waits for admission before its costly steps."""
        budget = budget or unlimited()
        targets = _target_languages(parsed.text, lang, indexed)
        lookups = (len(parsed.words) + len(parsed.phrases) + len(parsed.excluded)) * len(targets)
        if ticket is not None and not ticket.admit(lookups > EXPENSIVE_WORD_LOOKUPS):
            raise _MustWait  # a long query: even planning it is costly
        plans = _build_plans(postings, parsed, targets, None, budget)
        typo_words = _typo_words(parsed, plans)
        if ticket is not None:
            cost = sum(_plan_cost(postings, plan) for plan in plans.values()) \
                + COST_PER_TYPO_LOOKUP * len(typo_words) * len(targets)
            if not ticket.admit(cost > EXPENSIVE_COST):
                raise _MustWait
        if typo_words:  # typo tolerance only for words no language knows
            plans = _build_plans(postings, parsed, targets, typo_words, budget, plans)
        _cap_terms(plans, budget)
        guessed = _guess(parsed.text) or prefer
        if guessed in plans:
            plan = plans[guessed]
            plan.clauses = [_scaled(c, GUESSED_LANGUAGE_BOOST) for c in plan.clauses]
        return plans

    def _hit(self, lease: Lease, fields: dict, score: float,
             plans: dict[str, _LanguagePlan], budget: Budget,
             positions: set[int] | None = None) -> Hit:
        plan = plans.get(_analysis_lang(fields["lang"]))
        terms = plan.terms if plan else MatchTerms()
        width = self.settings.search.snippet_chars
        return Hit(
            id=fields["id"], title=fields["title"], lang=fields["lang"], url=fields["url"],
            snippet=best_passage(fields["body"], fields["lang"], terms, width, budget,
                                 positions),
            score=round(score, 4),
            title_html=highlight_all(fields["title"], fields["lang"], terms, budget),
            translations=_translations(lease, fields),
        )

    def _empty(self, query: str, lang: str | None, page: int, per_page: int,
               started: float) -> SearchResponse:
        return SearchResponse(query, lang, 0, page, per_page,
                              round((time.perf_counter() - started) * 1000, 2), None,
                              {"lang": {}}, [])


def _completion_candidates(postings: PostingReader, lang: str, last: str, translit: bool
                           ) -> list[tuple[str, str, int]]:
    """(field, word, documents) of the body's words, as written, beginning with `last`; when
    none does: with `last` read in the language's script (typed in Latin letters), or whose
    folded form begins with it (typed without special letters)."""
    exact = field_name("body", "exact", lang)

    def begun(beginning: str) -> list[tuple[str, str, int]]:
        return [(exact, w, df) for w, df in expand_prefix(postings, exact, beginning,
                                                          SUGGEST_COMPLETIONS)]

    found = begun(last)
    if not found and translit and _latin_typed(last):
        transliterate = get_language(lang).transliterate
        assert transliterate is not None
        found = [c for t in analyze(lang, transliterate(last)) if not t.compound
                 for c in begun(t.normalized)]
    if found:
        return found
    folded = {f for t in analyze(lang, last) if not t.compound for f in t.folded}
    # The written word differs from the typed one from its first special letter on: look
    # among the words with the typed word's beginning, a letter shorter each time.
    for cut in range(len(last) - 1, max(MIN_PREFIX, len(last) - FOLD_BACKTRACK) - 1, -1):
        found = [(name, w, df) for name, w, df in begun(last[:cut])
                 if any(f.startswith(b) for t in analyze(lang, w) for f in t.folded
                        for b in folded)]
        if found:
            return found
    return []


def _snippet_positions(searcher: Searcher, shown: list[tuple[int, float]], stored: list[dict],
                       plans: dict[str, _LanguagePlan], budget: Budget
                       ) -> dict[int, set[int]]:
    """docnum -> positions of the query's words in each hit's body, language by language
    (snippets then look at those words only)."""
    by_lang: dict[str, list[int]] = {}
    for (docnum, _score), fields in zip(shown, stored, strict=True):
        by_lang.setdefault(_analysis_lang(fields["lang"]), []).append(docnum)
    positions: dict[int, set[int]] = {}
    for lang, docnums in by_lang.items():
        plan = plans.get(lang)
        if plan is not None:
            positions.update(body_positions(searcher.reader(), docnums, lang, plan.terms,
                                            budget))
    return positions


def _lease(ix: whoosh_index.Index, live: Path, cache: GenerationCache,
           translations: LRU[str, list[Translation]]) -> Lease:
    searcher = ix.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
    postings = PostingReader(searcher, B=BM25_B, K1=BM25_K1, cache=cache)
    return Lease(searcher, read_meta(live), postings, translations)


def _ranked_scores(postings: PostingReader, plans: dict[str, _LanguagePlan], budget: Budget
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Every matching document and its score: first the share of the query's words (and
    phrases) it matches through any view, then BM25F summed over the query's terms, squashed
    into one step of that share so that it orders only documents matching as many words: a
    document with two of the query's words in other inflected forms ranks above one with
    one word as typed. Scoring stops adding terms once the request's budget is spent and
    answers with what it has."""
    ranked = np.zeros(postings.doc_count)
    found = np.zeros(postings.doc_count, dtype=bool)
    for plan in plans.values():
        acc = score_clauses(postings, plan.clauses, budget)
        hit = acc.whole > 0  # near words rank documents, never admit one alone
        if plan.excluded:
            hit &= ~matching_docs(postings, plan.excluded)
        relevance = acc.scores / (acc.scores + 1.0)  # BM25F >= 0, order kept, below 1
        ranked += np.where(hit, (acc.matched + relevance) / len(plan.clauses), 0.0)
        found |= hit
    docnums = np.flatnonzero(found)
    return docnums, ranked[docnums]


def _scaled(query: Query, factor: float) -> Query:
    """The query with every leaf's boost multiplied: whoosh does not apply the boost of a
    compound query (Or) to its matches, only the boosts of its terms and phrases."""
    def scale(node: Query) -> Query:
        return node.with_boost(node.boost * factor) if isinstance(node, Term | Phrase) else node
    return query.accept(scale)


def _build_plans(postings: PostingReader, parsed: ParsedQuery,
                 targets: list[tuple[str, bool]], typo_words: set[str] | None, budget: Budget,
                 first: dict[str, _LanguagePlan] | None = None) -> dict[str, _LanguagePlan]:
    """Each language's plan; with the `first` plans (made without typo words), only the
    clauses of the typo words are made again."""
    plans = {}
    for code, translit in targets:
        plan = _language_plan(postings, parsed, code, translit, typo_words, budget,
                              (first or {}).get(code))
        if plan is not None:
            plans[code] = plan
    return plans


def _typo_words(parsed: ParsedQuery, plans: dict[str, _LanguagePlan]) -> set[str]:
    """The query's words no language knows that get typo correction: the first
    MAX_TYPO_WORDS of a correctable length, in the order typed."""
    matched = set().union(*(plan.matched for plan in plans.values()))
    words = set().union(*(plan.words for plan in plans.values()))
    unmatched = [w for w in words - matched if MIN_TYPO_WORD <= len(w) <= MAX_TYPO_WORD]
    unmatched.sort(key=lambda w: (parsed.text.find(w), w))
    return set(unmatched[:MAX_TYPO_WORDS])


def _plan_cost(postings: PostingReader, plan: _LanguagePlan) -> int:
    queries = [*plan.clauses, *([plan.excluded] if plan.excluded else [])]
    return sum(estimated_cost(postings, query) for query in queries)


def _cap_terms(plans: dict[str, _LanguagePlan], budget: Budget) -> None:
    """Keep the query's first clauses (words, then phrases) while all languages together
    have at most MAX_TERMS index terms to score; the words past that are searched in no
    language, and the answer is partial."""
    total = 0
    longest = max((len(plan.clauses) for plan in plans.values()), default=0)
    for n in range(longest):
        for plan in plans.values():
            if n < len(plan.clauses):
                total += sum(len(getattr(leaf, "words", ())) or 1
                             for leaf in leaves(plan.clauses[n]))
        if total > MAX_TERMS and n > 0:
            for plan in plans.values():
                plan.clauses = plan.clauses[:n]
            budget.cut()
            return


def _check_paging(page: int, per_page: int) -> None:
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}, got {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, got {per_page}")


def _analysis_lang(lang: str) -> str:
    return lang if lang in analysis_codes() else "und"


def _guess(text: str) -> str | None:
    guess = detect_language(text)
    return guess if guess in registry() else None


def _target_languages(text: str, lang: str | None, indexed: set[str]
                      ) -> list[tuple[str, bool]]:
    """(analysis language, transliterate?) pairs to search, from the script of the query."""
    fields_langs = {_analysis_lang(code) for code in indexed}
    counts = script_counts(text)
    latin = counts[LATIN] > 0 and counts[LATIN] >= max(counts.values())
    if lang is not None:
        code = _analysis_lang(lang)
        return [(code, latin and get_language(code).transliterate is not None)]
    script = counts.most_common(1)[0][0] if sum(counts.values()) else None
    out = []
    for code in sorted(script_languages(script, fields_langs)):
        # A query clearly in a Latin-script language of ours (Polish, Afrikaans) is not
        # Georgian or Kazakh typed in Latin letters.
        transliterate = (latin and get_language(code).transliterate is not None
                         and latin_language(text) not in registry())
        out.append((code, transliterate))
    return out


def script_languages(script: str | None, fields_langs: set[str]) -> set[str]:
    """The analysis languages a query written in `script` may be in: those of the script
    (only those when the script alone identifies them, as Georgian's does; with the generic
    fields otherwise, as Cyrillic is Russian too). Latin, mixed and unknown scripts: all,
    since names and acronyms occur everywhere and other scripts are typed in Latin letters."""
    languages = registry()
    own = {code for code, language in languages.items() if language.script == script}
    if script == LATIN or not own:
        return set(fields_langs)
    if not all(languages[code].script_identifies for code in own):
        own |= {code for code in fields_langs if code not in languages}
    return own & fields_langs


def _language_plan(postings: PostingReader, parsed: ParsedQuery, lang: str, translit: bool,
                   typo_words: set[str] | None, budget: Budget,
                   first: _LanguagePlan | None = None) -> _LanguagePlan | None:
    """One language's query. Words in `typo_words` (matched in no language) also try index
    words within a small edit distance, while the budget lasts; the other words' clauses
    are taken from the `first` plan when given (planning a long query twice cost as much
    as its typo lookups). Terms the index does not have are left out (they would match
    nothing)."""
    terms = first.terms if first else MatchTerms()
    plan = _LanguagePlan(terms=terms)
    clauses: list[Query] = []
    tokens = _query_tokens(lang, parsed)
    near_left = NEAR_WORDS_PER_QUERY if len(tokens) <= NEAR_MAX_QUERY_WORDS else 0
    for n, (token, beginning) in enumerate(tokens):
        budget.spent()  # (an expensive query yields to others here)
        plan.words.add(token.surface)
        if first is not None and token.surface not in (typo_words or ()):
            plan.matched |= first.matched & {token.surface}
            if near_left > 0 and not beginning and wants_near_words(token.normalized,
                                                                    token.stopword):
                near_left -= 1
            clauses.append(first.clauses[n])
            continue
        clause = _word_clause(lang, token, terms, False)
        native = clause
        if translit and _latin_typed(token.normalized):
            clause = Or([clause, *_translit_clauses(lang, token.surface, terms)])
        if beginning:
            clause = Or([clause, *_prefix_clauses(postings, lang, token, translit, terms)])
        if _matches(postings, clause):
            plan.matched.add(token.surface)
            plan.transliterated |= clause is not native and not _matches(postings, native)
        elif (typo_words and token.surface in typo_words
              and MIN_TYPO_WORD <= len(token.normalized) <= MAX_TYPO_WORD
              and not budget.spent()):
            fix = _typo_clause(postings, lang, token.normalized, terms)
            if fix is not None:
                clause, correction = fix
                plan.corrections[token.surface] = correction
                plan.correction_counts[token.surface] = _occurrences(
                    postings.searcher.reader(), lang, correction)
        if near_left > 0 and not beginning and wants_near_words(token.normalized,
                                                                token.stopword) \
                and not budget.spent():
            near_left -= 1
            clause = _with_near_words(postings, lang, token.normalized, clause)
        clauses.append(_present(postings, clause))
    if first is not None:
        plan.transliterated |= first.transliterated
        clauses += first.clauses[len(tokens):]  # phrases
        plan.clauses, plan.excluded = clauses, first.excluded
        return plan
    for phrase in parsed.phrases:
        clause = _phrase_clause(lang, phrase, terms, False)
        if translit and _latin_typed(phrase):
            clause = Or([clause, _phrase_clause(lang, phrase, terms, True)])
        clauses.append(_present(postings, clause))
    if not clauses:
        return None
    plan.clauses = clauses
    excluded = [t for w in parsed.excluded for t in analyze(lang, w) if not t.compound]
    if excluded:
        plan.excluded = _present(postings, Or([_word_clause(lang, t, MatchTerms(), False)
                                               for t in excluded]))
    return plan


def _with_near_words(postings: PostingReader, lang: str, word: str, clause: Query) -> Query:
    """The word's clause with index words that begin like it as weak alternatives
    (indexer/near_words.py), looked up in the body's exact field (titles repeat body words)."""
    found = near_words(postings.searcher.reader(), postings.cache.near_prefix,
                       field_name("body", "exact", lang), word,
                       get_language(lang).near_beginnings)
    near = near_clause(found, [(field_name(part, "exact", lang), boost)
                               for part, boost in (("title", TITLE_BOOST), ("body", 1.0))])
    return clause if near is None else Or([clause, near])


def _latin_typed(text: str) -> bool:
    """Is `text` written in Latin letters only (ASCII romanization, or Kazakh's ä ş ñ ū ...)?"""
    counts = script_counts(text)
    return counts[LATIN] > 0 and counts[LATIN] == sum(counts.values())


def _present(postings: PostingReader, query: Query) -> Query:
    """The tree of Or queries without the terms (and phrases with a word) the index does
    not have: they match nothing, and looking each up again while scoring costs time."""
    if isinstance(query, Term):
        return query if postings.doc_frequency(query.fieldname, query.text) else Or([])
    if isinstance(query, Phrase):
        known = all(postings.doc_frequency(query.fieldname, w) for w in query.words)
        return query if known else Or([])
    kept = [_present(postings, sub) for sub in query.children()]
    return Or([sub for sub in kept if not _is_empty(sub)])


def _is_empty(query: Query) -> bool:
    return isinstance(query, Or) and not query.subqueries


def _translit_clauses(lang: str, latin_word: str, terms: MatchTerms) -> list[Query]:
    """A Latin-typed word read in the language's own script (Georgian typed in Latin)."""
    transliterate = get_language(lang).transliterate
    assert transliterate is not None
    return [_word_clause(lang, t, terms, True)
            for t in analyze(lang, transliterate(latin_word)) if not t.compound]


def _query_tokens(lang: str, parsed: ParsedQuery) -> list[tuple[AnalyzedToken, bool]]:
    """(token, is the beginning of a word still being typed?) for the query's words; the
    last word's tokens are kept even when stopwords (`na` may become `narzędzia`)."""
    if not parsed.prefix:
        return [(t, False) for t in _content_tokens(lang, parsed.words)]
    head = _content_tokens(lang, parsed.words[:-1]) if len(parsed.words) > 1 else []
    last = [t for t in analyze(lang, parsed.words[-1]) if not t.compound]
    return [(t, False) for t in head] + [(t, len(t.normalized) >= MIN_PREFIX) for t in last]


def _prefix_clauses(postings: PostingReader, lang: str, token, translit: bool,
                    terms: MatchTerms) -> list[Query]:
    """The index words that begin with a half-typed word, as written and folded (and, typed
    in Latin letters, read in the language's script): each counts as part of a match
    (PREFIX_CREDIT), so that whole words rank above completions."""
    # A thin fold view holds only the folded forms that differ from the word's own: the
    # others are begun in the exact and stem views. A stem (a Hebrew word without its
    # prefix letters) begins its inflected forms.
    folded_views = ("fold", "exact", "stem") if thin_fold(lang) else ("fold",)
    lookups = {("exact", token.normalized), *(("stem", s) for s in token.stems),
               *((view, f) for f in token.folded for view in folded_views)}
    language = get_language(lang)
    if language.beginnings is not None:
        lookups |= {("stem", b) for b in language.beginnings(token.normalized)}
    if translit and _latin_typed(token.normalized):
        transliterate = language.transliterate
        assert transliterate is not None
        lookups |= {(view, f) for t in analyze(lang, transliterate(token.surface))
                    if not t.compound for f in t.folded for view in folded_views}
    words = {token.normalized, *token.stems, *token.folded}
    alternatives: list[Query] = []
    for view, beginning in sorted(lookups):
        if len(beginning) < MIN_PREFIX:
            continue
        completions = [w for w, _df in expand_prefix(
            postings, field_name("body", view, lang), beginning, PREFIX_COMPLETIONS)
            if w not in words]
        getattr(terms, view).update(completions)
        alternatives += [
            Completion(field_name(part, view, lang), word,
                       boost=PREFIX_BOOST * VIEW_BOOST[view] * part_boost)
            for word in completions for part, part_boost in (("title", TITLE_BOOST), ("body", 1.0))
        ]
    return alternatives


class Completion(Term):
    """An index word beginning with the query's half-typed last word: part of a match, and
    enough to make a document a result (a half word alone finds its completions)."""

    credit = PREFIX_CREDIT
    admits = True


def _content_tokens(lang: str, words: list[str]) -> list[AnalyzedToken]:
    """The query's words analyzed for `lang`; stopwords dropped unless nothing else is left.

    A compound (e-handel, B2B-платформа) is looked for whole and by its parts.
    """
    tokens = list(analyze(lang, " ".join(words)))
    content = [t for t in tokens if not t.stopword]
    return content or tokens


def _word_clause(lang: str, token, terms: MatchTerms, translit: bool) -> Query:
    """Title and body, each matched as written, by stem and folded."""
    views: dict[str, tuple[str, ...]] = {
        "exact": (token.normalized,), "stem": token.stems, "fold": token.folded,
    }
    if translit:  # ejectives are ambiguous without apostrophes: only the folded view is safe
        views = {"fold": token.folded}
    for view, values in views.items():
        getattr(terms, view).update(values)
    scale = TRANSLIT_BOOST if translit else 1.0
    lookups = [(view, view, value) for view, values in views.items() for value in values]
    if not translit and thin_fold(lang):
        lookups += _thinned_fold_lookups(token)
    parts = []
    for part, part_boost in (("title", TITLE_BOOST), ("body", 1.0)):
        alternatives = [
            Term(field_name(part, view, lang), value, boost=VIEW_BOOST[kind] * part_boost * scale)
            for kind, view, value in lookups
        ]
        # Summed, not DisjunctionMax: whoosh's DisjunctionMaxMatcher.score() takes the max over
        # sub-matchers even when one sits on another document. An exact match also matches
        # its stem and fold, so the sum still ranks exact > stem > fold.
        parts.append(Or(alternatives))
    return Or(parts)


def _thinned_fold_lookups(token) -> list[tuple[str, str, str]]:
    """(kind, view, value): the query's folded forms, also looked up in the exact and stem
    views, where a thin fold view leaves a word whose folded form is itself or its stem
    (`łódź` typed, `lodz` written). Typed without special letters, a word's folded forms
    are its own exact and stem forms, so this adds nothing."""
    own = {token.normalized, *token.stems}
    return [("fold", view, value) for value in token.folded if value not in own
            for view in ("exact", "stem")]


def _matches(postings: PostingReader, clause: Query) -> bool:
    return any(postings.doc_frequency(name, text) for name, text in clause.iter_all_terms())


def _typo_clause(postings: PostingReader, lang: str, word: str, terms: MatchTerms
                 ) -> tuple[Query, str] | None:
    """Index words within edit distance 1 (2 for long words) of a word that matched nothing.

    Looked up in the body's exact field (titles repeat body words), by a walk of its words
    that keeps the first letter (typos there are rare; indexer/typo_walk.py).
    The candidates seen most often (see _occurrences) come first.
    """
    fieldname = field_name("body", "exact", lang)
    candidates = _near_words(postings, fieldname, word)
    if not candidates:
        return None
    reader = postings.searcher.reader()
    seen = {c: _occurrences(reader, lang, c) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (-seen[c], -candidates[c], c))[:5]
    terms.exact.update(ranked)
    alternatives = [
        Term(field_name(part, "exact", lang), c, boost=TYPO_BOOST * boost)
        for c in ranked for part, boost in (("title", TITLE_BOOST), ("body", 1.0))
    ]
    return Or(alternatives), ranked[0]


def _occurrences(reader, lang: str, word: str) -> float:
    """How often the index has `word` as written: in bodies, and in titles counted
    TITLE_BOOST times (a title's word is what an article is about)."""
    return sum(boost * reader.frequency(field_name(part, "exact", lang), word)
               for part, boost in (("title", TITLE_BOOST), ("body", 1.0))
               if field_name(part, "exact", lang) in reader.schema)


def _near_words(postings: PostingReader, fieldname: str, word: str) -> dict[str, int]:
    """Index words of `fieldname` within edit distance 1 (2 for long words) of `word`, with
    their document frequencies; remembered per generation (the walk reads all the words of
    the word's first letter)."""
    key = (fieldname, word)
    found = postings.cache.near_words.get(key)
    if found is None:
        reader = postings.searcher.reader()
        distance = 2 if len(word) >= 9 else 1
        words = typo_candidates(reader, postings.cache.letter_words, fieldname, word, distance)
        found = postings.cache.near_words[key] = {
            c: reader.doc_frequency(fieldname, c) for c in words
            if len(c) >= 3 and c[0].isalpha() == word[0].isalpha()
        }
    return found


def _phrase_clause(lang: str, phrase: str, terms: MatchTerms, translit: bool) -> Query:
    language = get_language(lang)
    if translit and language.transliterate:
        phrase = " ".join(language.transliterate(w) for w in phrase.split())
    tokens = [t for t in analyze(lang, phrase) if not t.compound]
    view = "fold" if translit else "exact"
    words = [t.folded[0] if translit else t.normalized for t in tokens]
    getattr(terms, view).update(words)
    if len(words) == 1:
        return _word_clause(lang, tokens[0], terms, translit)
    clauses = []
    for part, boost in (("title", TITLE_BOOST), ("body", 1.0)):
        clauses.append(Phrase(field_name(part, view, lang), words, boost=PHRASE_BOOST * boost))
        if not translit:
            stems = [t.stems[0] for t in tokens]
            terms.stem.update(stems)
            clauses.append(Phrase(field_name(part, "stem", lang), stems, boost=boost * 2))
    return Or(clauses)


def _translations(lease: Lease, fields: dict) -> list[Translation]:
    """The document's translations, remembered per index generation (hits repeat across
    queries, and each lookup reads whole stored documents)."""
    key = fields.get("translation_key")
    if not key:
        return []
    group = lease.translations.get(key)
    if group is None:
        group = _translation_group(lease, key)
        lease.translations.put(key, group)
    return [t for t in group if t.id != fields["id"]]


def _translation_group(lease: Lease, key: str) -> list[Translation]:
    """Every document of a translation group, from columns (an index built before the
    `card` column existed: from the stored documents)."""
    reader = lease.searcher.reader()
    if "card" not in reader.schema:
        return [Translation(lang=doc["lang"], id=doc["id"], title=doc["title"], url=doc["url"])
                for doc in lease.searcher.documents(translation_key=key)]
    ids, langs, cards = (lease.column(name) for name in ("id", "lang", "card"))
    group = []
    for docnum in lease.postings.docs("translation_key", key).tolist():
        title, url = read_card(cards[docnum])
        group.append(Translation(lang=langs[docnum], id=ids[docnum], title=title, url=url))
    return group


def _best_corrections(plans: dict[str, _LanguagePlan], lang: str | None) -> dict[str, str]:
    """Each misspelt word's correction, from the language where it is seen most often (that
    of the query, or the reader's, counted QUERY_LANGUAGE_WEIGHT times): a frequent spelling
    of the language typed in, not a rare one of another."""
    best: dict[str, tuple[float, str]] = {}
    for code, plan in plans.items():
        weight = QUERY_LANGUAGE_WEIGHT if code == lang else 1.0
        for word, correction in plan.corrections.items():
            score = weight * plan.correction_counts.get(word, 0)
            if word not in best or score > best[word][0]:
                best[word] = (score, correction)
    return {word: correction for word, (_score, correction) in best.items()}


def _suggestion(query: str, corrections: dict[str, str]) -> str | None:
    if not corrections:
        return None
    suggestion = query
    for wrong, right in corrections.items():
        suggestion = suggestion.replace(wrong, right)
    return suggestion if suggestion != query else None
