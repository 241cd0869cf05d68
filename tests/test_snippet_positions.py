"""Snippets found from the index's positions are the snippets found by reading the whole
body, for every relevance-set query on the shipped articles."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis.tokenize import simple_words
from indexer.analysis.whoosh_analyzer import MARK_EVERY, word_marks
from indexer.build import build_index
from indexer.scoring.postings import PostingReader
from indexer.search import SearchService
from indexer.search import service as search_module
from indexer.snippets import MatchTerms, best_passage, words_at

from .conftest import settings_for

SETS = Path(__file__).parent / "relevance"


def _queries() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(SETS.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                rows.append((json.loads(line)["query"], path.stem))
    return rows


def _snippets(service: SearchService, query: str, lang: str) -> list[str]:
    return [hit.snippet for hit in service.search(query, lang=lang, per_page=10).results]


def test_snippets_from_positions_equal_snippets_from_whole_bodies(
        service: SearchService, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = _queries()
    assert len(queries) > 200
    from_positions = {q: _snippets(service, *q) for q in queries}
    assert sum(bool(s) for s in from_positions.values()) > 200
    assert any("<mark>" in s for snippets in from_positions.values() for s in snippets)
    monkeypatch.setattr(search_module, "snippet_positions", lambda *_args: {})
    monkeypatch.setattr(service, "_cache", search_module.LRU(0))  # searched again
    for query in queries:
        assert _snippets(service, *query) == from_positions[query], query


def test_snippets_from_positions_skip_deleted_documents(tmp_path: Path, corpus_copy: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An incremental build leaves the old versions of changed documents deleted in their
    segment: the posting walks step over them (and over terms only they had)."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    pl = corpus_copy / "pl.txt"
    pl.write_text(pl.read_text("utf-8").replace("Czarny Piątek to fenomen",
                                                "Czarny Piątek to wielki fenomen"), "utf-8")
    assert build_index(settings).mode == "incremental"
    service = SearchService(replace(settings, search=replace(settings.search, cache_size=0)))
    queries = [(q, lang) for q, lang in _queries() if lang == "pl"] + [("fenomen", "pl")]
    from_positions = {q: _snippets(service, *q) for q in queries}
    assert "<mark>fenomen</mark>" in " ".join(from_positions[("fenomen", "pl")])
    monkeypatch.setattr(search_module, "snippet_positions", lambda *_args: {})
    for query in queries:
        assert _snippets(service, *query) == from_positions[query], query


def test_words_at_positions_skip_compounds_as_the_index_numbers_them() -> None:
    text = "Ein Wort, ein Nord-Süd-Vergleich und noch ein Wort."
    terms = MatchTerms(exact={"wort", "vergleich"})
    # positions as indexed: ein 0, wort 1, ein 2, nord 3, süd 4, vergleich 5, ...
    assert best_passage(text, "af", terms, positions={1, 5, 9}) == best_passage(
        text, "af", terms)
    assert "<mark>Vergleich</mark>" in best_passage(text, "af", terms, positions={5})


@pytest.mark.parametrize("cache_size", [0, 512])
def test_positions_looked_up_only_in_hits_holding_a_term_are_all_of_them(
        built_settings, monkeypatch: pytest.MonkeyPatch, cache_size: int) -> None:
    """With the scored terms' documents at hand (held), a term is looked up only in the
    hits that hold it: the same positions, for whole words and half-typed ones, whether
    the cache keeps scored postings or not (then the search's own are at hand)."""
    compared = []
    original = search_module.snippet_positions

    def both(searcher, shown, stored, terms, budget, held=None):
        assert held is not None
        found = original(searcher, shown, stored, terms, budget, held)
        assert found == original(searcher, shown, stored, terms, budget)
        compared.append(sum(map(len, found.values())))
        return found

    monkeypatch.setattr(search_module, "snippet_positions", both)
    held_by_search = []
    original_held = PostingReader.held_docs

    def held_docs(self, fieldname, text):
        found = original_held(self, fieldname, text)
        held_by_search.append(found is not None)
        return found

    monkeypatch.setattr(PostingReader, "held_docs", held_docs)
    # its own caches: what the search scored
    service = SearchService(replace(built_settings, search=replace(built_settings.search,
                                                                   cache_size=cache_size)))
    for query, lang in _queries():
        for typed in (query, query[:-2]):
            service.search(typed, lang=lang, prefix="auto")
    assert len(compared) > 400 and sum(compared) > 1000
    assert sum(held_by_search) > 0.9 * len(held_by_search)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["word", "Nord-Süd-Vergleich", "'n", "2,48", "צ'אטבוט",
                                 "e-mail", "x", "דוא\"ל", "-", ",", "\n", "ŉ", "a-b-c-d"]),
                max_size=300),
       st.sets(st.integers(min_value=0, max_value=400), max_size=12))
def test_words_at_positions_from_word_marks_are_the_words_of_a_whole_walk(pieces, positions
                                                                          ) -> None:
    text = " ".join(pieces)
    marks = word_marks(text)
    assert len(marks) <= 8 * (len(text) // MARK_EVERY + 1)
    assert words_at(text, positions, marks) == words_at(text, positions)


def test_every_indexed_body_has_marks_that_find_its_words(service: SearchService) -> None:
    """The body_words column of the shipped index, written as the documents were: the words
    at any positions are found from it as from a walk of the whole body."""
    import random

    rng = random.Random(3)
    checked = 0
    with service.searcher() as lease:
        for docnum in range(lease.searcher.doc_count_all()):
            body = lease.searcher.stored_fields(docnum)["body"]
            marks = lease.word_marks(docnum)
            assert marks == word_marks(body)
            count = sum(1 for _ in simple_words(body))
            positions = set(rng.sample(range(count + 5), min(10, count)))
            assert words_at(body, positions, marks) == words_at(body, positions)
            checked += bool(marks)
    assert checked >= 40


def test_an_index_built_before_word_marks_has_none(tmp_path: Path) -> None:
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    from indexer.search.service import Lease

    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True)))
    with ix.writer() as writer:
        writer.add_document(id="a")
    with ix.searcher() as searcher:
        lease = Lease(searcher, {}, None, None)  # type: ignore[arg-type]
        assert lease.word_marks(0) == b""
