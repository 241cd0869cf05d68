"""Snippets found from the index's positions are the snippets found by reading the whole
body, for every relevance-set query on the shipped articles."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.search import SearchService
from indexer.search import service as search_module
from indexer.snippets import MatchTerms, best_passage

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


def test_positions_looked_up_only_in_hits_holding_a_term_are_all_of_them(
        built_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the scored terms' documents at hand (held), a term is looked up only in the
    hits that hold it: the same positions, for whole words and half-typed ones."""
    compared = []
    original = search_module.snippet_positions

    def both(searcher, shown, stored, terms, budget, held=None):
        assert held is not None
        found = original(searcher, shown, stored, terms, budget, held)
        assert found == original(searcher, shown, stored, terms, budget)
        compared.append(sum(map(len, found.values())))
        return found

    monkeypatch.setattr(search_module, "snippet_positions", both)
    service = SearchService(built_settings)  # its own caches: what the search scored
    for query, lang in _queries():
        for typed in (query, query[:-2]):
            service.search(typed, lang=lang, prefix="auto")
    assert len(compared) > 400 and sum(compared) > 1000
