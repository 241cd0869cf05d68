"""The one search service, used by the CLI and the web app alike: opens the live index
generation (anew when a rebuild switched it), lends its searchers to one thread at a time,
admits expensive queries a few at a time, answers repeated requests from a cache, and
runs a request through the planner (planner.py), the ranking (ranked.py) and the results
(results.py)."""

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
from whoosh.searching import Searcher

from .. import integrity
from ..analysis.normalize import normalize
from ..budget import Admission, Budget, Ticket
from ..config import Settings
from ..errors import BusyError, IndexDamagedError, PolyfindError, QueryError, UnknownLanguageError
from ..expansion import expand_prefix
from ..layout import META, current_dir, generation_number, read_meta
from ..limits import (
    EXPENSIVE_AT_ONCE,
    EXPENSIVE_WAIT_SECONDS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MIN_PREFIX,
    SEARCH_SECONDS,
    SEARCHER_WAIT_SECONDS,
    SWITCH_WAIT_SECONDS,
)
from ..lru import LRU
from ..near_words import near_words
from ..query import ParsedQuery, parse_query, prefix_mode
from ..scoring.bm25f import K1 as BM25_K1
from ..scoring.bm25f import B as BM25_B
from ..scoring.clauses import score_clauses, top_documents
from ..scoring.postings import GenerationCache, PostingReader
from ..snippets import MatchTerms, best_passage, highlight_all
from .explain import explain
from .plan import highlight_terms
from .planner import (
    MustWait,
    analysis_lang,
    completion_candidates,
    guess_language,
    plan_query,
    target_languages,
)
from .ranked import LanguageRanking, ranked_scores
from .results import Hit, SearchResponse, Translation, snippet_positions, translations_of
from .typos import best_corrections, suggestion, typo_candidates

log = logging.getLogger(__name__)

# Python searches on one core per process, so more searchers would only cost memory.
SEARCHERS_PER_PROCESS = 2
TRANSLATION_GROUPS_KEPT = 4096
T = TypeVar("T")


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
    explain: bool = False


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

    def word_marks(self, docnum: int) -> bytes:
        """The body's word marks (an index built before them has none: b"")."""
        if "body_words" not in self.columns:
            reader = self.searcher.reader()
            if "body_words" not in reader.schema or not reader.has_column("body_words"):
                return b""
        return self.column("body_words")[docnum]


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


def _check_quietly(check: integrity.GenerationCheck) -> None:
    """Run a generation's check in a thread; a failure is kept by the check, for the
    request that switches to the generation to report."""
    try:
        check.check()
    except Exception:  # noqa: BLE001 - kept by the check, or raised again at the switch
        log.debug("generation %s failed its check", check.generation, exc_info=True)


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
        # a build's new generation being checked in a thread, while the open one answers
        self._pending: tuple[integrity.GenerationCheck, threading.Thread] | None = None
        self._shared: tuple[GenerationCache, LRU[str, list[Translation]]] | None = None
        self._pool = SearcherPool(SEARCHERS_PER_PROCESS)
        self._admission = Admission(EXPENSIVE_AT_ONCE, EXPENSIVE_WAIT_SECONDS)
        self._cache: LRU[tuple, SearchResponse] = LRU(settings.search.cache_size)

    # -- index handling -------------------------------------------------------------------
    def _open(self) -> tuple[whoosh_index.Index, Path,
                             tuple[GenerationCache, LRU[str, list[Translation]]]]:
        live = current_dir(self.settings.index.path)
        with self._lock:
            if self._index is not None and live != self._index_dir \
                    and self._still_checking(live):
                assert self._index_dir is not None and self._shared is not None
                return self._index, self._index_dir, self._shared
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

    def _still_checking(self, live: Path) -> bool:
        """Whether `live`, a build's new generation, is still being checked in a thread
        (started here if not yet), so that requests go on being answered from the one open
        now rather than all wait for the hashing of a big index. Not when the open one is
        gone from disk (nothing else to answer from); a check that fails is reported by the
        switch, as before."""
        pending, open_dir = self._pending, self._index_dir
        assert open_dir is not None
        if pending is None or pending[0].generation != live:
            if not _is_generation(open_dir):
                return False
            check = integrity.GenerationCheck(self.settings.index.path, live)
            thread = threading.Thread(target=_check_quietly, args=(check,), daemon=True,
                                      name=f"check {live.name}")
            thread.start()
            pending = self._pending = (check, thread)
            thread.join(SWITCH_WAIT_SECONDS)  # a small index switches at once, as before
        if pending[1].is_alive() and _is_generation(open_dir):
            return True
        # (kept pending: a generation that failed is not hashed again by every request;
        # its kept failure costs a stat)
        self._check = pending[0]
        return False

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
               prefix: str = "off", explain: bool = False) -> SearchResponse:
        """Ranked, highlighted results; the same request on the same generation is answered
        from a small cache (search boxes send the same queries again and again), unless
        the answer was partial.

        `prefer` (the reader's language, e.g. the page's interface language) ranks that
        language first when the query itself does not say which language it is in (ERP).
        `prefix` (auto|on|off): the last word also matches the index words that begin with
        it (see indexer.query.prefix_mode); `auto` for search as you type. `explain`: each
        hit says how its score is made (search/explain.py).
        """
        started = time.perf_counter()
        budget = Budget(SEARCH_SECONDS)
        per_page = per_page or self.settings.search.per_page
        _check_paging(page, per_page)
        parsed = parse_query(query, self.settings.search.max_query_length)
        parsed.prefix = prefix_mode(query, parsed, prefix)
        lang = (lang or parsed.lang or "").lower() or None
        # keyed by the generation that answers: the one open, until a build's new one has
        # passed its check (a later switch only makes this key unused)
        key = (self._open()[1], query, lang, page, per_page, prefer, parsed.prefix, explain)
        cached = self._cache.get(key)
        if cached is not None:
            return replace(cached, took_ms=round((time.perf_counter() - started) * 1000, 2))
        request = _Request(parsed, query, lang, page, per_page, prefer, started, budget,
                           explain)
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
                except MustWait:  # the searcher is given back while the query waits its turn
                    ticket.wait()
                    return self._search(request, ticket)
            finally:
                ticket.release()

    def _search(self, request: _Request, ticket: Ticket) -> SearchResponse:
        query, lang, page, per_page = request.query, request.lang, request.page, request.per_page
        budget = request.budget
        with self.searcher(budget) as lease, lease.postings.scoring():
            searcher = lease.searcher
            indexed = set(lease.meta.get("languages", {}))
            if lang is not None and lang not in indexed:
                raise UnknownLanguageError(
                    f"unknown language '{lang}': the index has {', '.join(sorted(indexed))}"
                )
            plans = plan_query(IndexVocabulary(lease.postings), request.parsed, lang, indexed,
                               request.prefer, budget, ticket)
            if not plans:
                return self._empty(query, lang, page, per_page, request.started)
            rankings: dict[str, LanguageRanking] | None = {} if request.explain else None
            docnums, scores = ranked_scores(lease.postings, plans, budget, rankings)
            facets = {"lang": lease.postings.languages().counts(docnums)}
            top = top_documents(docnums, scores, page * per_page)
            shown = top[(page - 1) * per_page:]
            stored = [searcher.reader().stored_fields(docnum) for docnum, _score in shown]
            terms = {code: highlight_terms(plan) for code, plan in plans.items()}
            positions = snippet_positions(searcher, shown, stored, terms, budget,
                                          lease.postings.held_docs)
            hits = [
                self._hit(lease, fields, score, terms, budget, positions.get(docnum),
                          lease.word_marks(docnum))
                for (docnum, score), fields in zip(shown, stored, strict=True)
            ]
            if rankings is not None:
                for hit, (docnum, _score) in zip(hits, shown, strict=True):
                    hit.explain = explain(docnum, plans, rankings)
            total = len(docnums)
        corrections = best_corrections(plans, guess_language(request.parsed.text) or request.prefer)
        return SearchResponse(
            query=query, lang=lang, total=total, page=page, per_page=per_page,
            took_ms=round((time.perf_counter() - request.started) * 1000, 2),
            suggestion=suggestion(query, corrections), facets=facets, results=hits,
            partial=budget.partial,
            transliterated=sorted(c for c, p in plans.items() if p.transliterated and
                                  any(analysis_lang(f) == c for f in facets["lang"])),
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
            doc["translations"] = [asdict(t) for t in translations_of(lease, fields)]
            if query:
                plans = plan_query(IndexVocabulary(lease.postings), parse_query(query),
                                   fields["lang"], set(meta.get("languages", {})),
                                   budget=budget)
                terms = highlight_terms(plans.get(analysis_lang(fields["lang"])))
                doc["body_html"] = highlight_all(fields["body"], fields["lang"], terms, budget)
                doc["partial"] = budget.partial
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
            vocabulary = IndexVocabulary(postings)
            among = self._head_documents(postings, head, indexed, budget) if head else None
            if among is not None and not len(among):
                return counts
            for lang, translit in target_languages(last, None, indexed):
                for fieldname, word, df in completion_candidates(vocabulary, lang, last,
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
        plans = plan_query(IndexVocabulary(postings), parsed, None, indexed, budget=budget)
        found = []
        for plan in plans.values():
            acc = score_clauses(postings, plan.clauses(), budget)
            found.append(np.flatnonzero(acc.matched >= len(plan.concepts)))
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

    # -- results ------------------------------------------------------------------------
    def _hit(self, lease: Lease, fields: dict, score: float,
             terms: dict[str, MatchTerms], budget: Budget,
             positions: set[int] | None = None, marks: bytes = b"") -> Hit:
        marked = terms.get(analysis_lang(fields["lang"]), MatchTerms())
        width = self.settings.search.snippet_chars
        return Hit(
            id=fields["id"], title=fields["title"], lang=fields["lang"], url=fields["url"],
            snippet=best_passage(fields["body"], fields["lang"], marked, width, budget,
                                 positions, marks),
            score=round(score, 4),
            title_html=highlight_all(fields["title"], fields["lang"], marked, budget),
            translations=translations_of(lease, fields),
        )

    def _empty(self, query: str, lang: str | None, page: int, per_page: int,
               started: float) -> SearchResponse:
        return SearchResponse(query, lang, 0, page, per_page,
                              round((time.perf_counter() - started) * 1000, 2), None,
                              {"lang": {}}, [])


class IndexVocabulary:
    """The planner's Vocabulary over one searcher's index, through its posting reader and
    the generation's caches."""

    def __init__(self, postings: PostingReader):
        self.postings = postings
        self.reader = postings.searcher.reader()

    def doc_frequency(self, field: str, text: str) -> int:
        return self.postings.doc_frequency(field, text)

    def frequency(self, field: str, text: str) -> float:
        return self.postings.frequency(field, text)

    def with_prefix(self, field: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        return expand_prefix(self.postings, field, prefix, limit)

    def within(self, field: str, word: str) -> dict[str, int]:
        return typo_candidates(self.postings, field, word)

    def near(self, field: str, word: str,
             beginnings: Callable[[str], tuple[str, ...]] | None) -> list[str]:
        return near_words(self.reader, self.postings.cache.near_prefix, field, word,
                          beginnings)


def _lease(ix: whoosh_index.Index, live: Path, cache: GenerationCache,
           translations: LRU[str, list[Translation]]) -> Lease:
    searcher = ix.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
    postings = PostingReader(searcher, B=BM25_B, K1=BM25_K1, cache=cache)
    return Lease(searcher, read_meta(live), postings, translations)


def _check_paging(page: int, per_page: int) -> None:
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}, got {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}, got {per_page}")

