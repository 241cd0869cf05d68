"""The search service on the real index: ranking per language, snippets, paging, errors."""

from __future__ import annotations

import pytest

from indexer.errors import QueryError


@pytest.mark.parametrize(("query", "expected"), [
    ("lejek sprzedaży", "pl-01"),
    ("Сату шұңқыры", "kk-01"),
    ("משפך מכירות", "he-01"),
    ("verkoopstregter", "af-01"),
    ("ხმოვანი ძიება", "ka-10"),
])
def test_one_query_per_language_finds_its_article(service, query: str, expected: str) -> None:
    response = service.search(query)
    assert response.results[0].id == expected
    assert response.total >= 1


def test_snippet_marks_the_words_as_written(service) -> None:
    hit = service.search("lejek", lang="pl").results[0]
    assert "<mark>Lejek</mark>" in hit.snippet or "<mark>lejek</mark>" in hit.snippet
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")


def test_stem_match_highlights_the_inflected_form(service) -> None:
    hit = service.search("lejkiem sprzedażowym", lang="pl").results[0]
    assert hit.id == "pl-01"
    assert "<mark>sprzedaży</mark>" in hit.snippet or "<mark>Lejek</mark>" in hit.snippet


def test_hebrew_prefix_and_pointed_query(service) -> None:
    hit = service.search("ובמשפך", lang="he").results[0]
    assert hit.id == "he-01"
    assert service.search("מַשְׁפֵּךְ", lang="he").results[0].id == "he-01"


def test_language_filter_and_facets(service) -> None:
    everything = service.search("ERP")
    assert set(everything.facets["lang"]) >= {"pl", "af", "kk", "he"}
    only_pl = service.search("ERP", lang="pl")
    assert {h.lang for h in only_pl.results} == {"pl"}
    assert only_pl.facets["lang"] == {"pl": only_pl.total}


def test_pagination_is_consistent(service) -> None:
    first = service.search("marketing", page=1, per_page=3)
    second = service.search("marketing", page=2, per_page=3)
    assert first.total == second.total > 3
    assert not {h.id for h in first.results} & {h.id for h in second.results}


def test_translations_are_linked(service) -> None:
    hit = service.search("cross-docking", lang="pl").results[0]
    assert hit.id == "pl-02"
    assert {t.id for t in hit.translations} == {"kk-02", "af-02", "he-02"}
    for translation in hit.translations:  # read from the card column: as stored
        stored = service.document(translation.id)
        assert (translation.title, translation.url, translation.lang) == \
            (stored["title"], stored["url"], stored["lang"])


def test_did_you_mean(service) -> None:
    response = service.search("markteing automatyzacja", lang="pl")
    assert response.suggestion == "marketing automatyzacja"
    assert response.results[0].id == "pl-04"


def test_phrase_and_exclusion(service) -> None:
    phrase = service.search('"sztuczna inteligencja"', lang="pl")
    assert phrase.results[0].id == "pl-10"
    excluded = service.search("inteligencja -robotyka", lang="pl")
    assert "pl-10" not in {h.id for h in excluded.results}


@pytest.mark.parametrize("query", ["", "   ", "?!", "AND OR", '"" -', "*"])
def test_queries_without_words_are_refused(service, query: str) -> None:
    with pytest.raises(QueryError):
        service.search(query)


def test_bad_paging_and_language_are_refused(service) -> None:
    with pytest.raises(QueryError, match="page"):
        service.search("lejek", page=0)
    with pytest.raises(QueryError, match="per_page"):
        service.search("lejek", per_page=1000)
    with pytest.raises(QueryError, match="unknown language"):
        service.search("lejek", lang="xx")
    with pytest.raises(QueryError, match="too long"):
        service.search("a" * 10_000)


def test_json_structure(service) -> None:
    data = service.search("lejek", lang="pl").to_dict()
    assert set(data) == {"query", "lang", "total", "page", "per_page", "took_ms", "suggestion",
                         "facets", "results", "partial", "transliterated"}
    assert set(data["results"][0]) == {"id", "title", "lang", "url", "snippet", "score",
                                       "translations"}


def test_document_and_info(service) -> None:
    doc = service.document("he-04", query="אוטומציה")
    assert doc["lang"] == "he" and "<mark>" in doc["body_html"]
    assert service.document("nope") is None
    info = service.info()
    assert info["documents"] == 50 and info["languages"]["ka"] == 10


@pytest.mark.parametrize(("query", "lang", "expected"), [
    ("e-handel", "af", "af-10"), ("handel", "af", "af-10"),
    ("ERP-stelsel", "af", "af-07"), ("stelsel", "af", "af-07"),
    ("cross-docking", "pl", "pl-02"), ("docking", "pl", "pl-02"),
    ('"Headless Commerce"', "ka", "ka-01"), ("headless", "ka", "ka-01"),
])
def test_compounds_are_found_whole_and_by_parts(service, query, lang, expected) -> None:
    assert service.search(query, lang=lang).results[0].id == expected


def test_repeated_search_is_served_from_cache_until_a_rebuild(tmp_path) -> None:
    from indexer.build import build_index
    from indexer.search import SearchService

    from .conftest import settings_for

    settings = settings_for(tmp_path / "ix")
    build_index(settings)
    service = SearchService(settings)
    first = service.search("lejek", lang="pl")
    again = service.search("lejek", lang="pl")
    assert again.results is first.results  # the cached response
    build_index(settings, rebuild=True)
    fresh = service.search("lejek", lang="pl")
    assert fresh.results is not first.results and fresh.total == first.total


def test_typo_tolerance_survives_punctuation(service) -> None:
    response = service.search("markteing, automatyzacja!", lang="pl")
    assert response.suggestion == "marketing, automatyzacja!"


@pytest.mark.parametrize("reader", ["kk", "he", "pl", "af"])
def test_reader_language_breaks_ties_for_neutral_queries(service, reader) -> None:
    assert service.search("ERP", prefer=reader).results[0].id == f"{reader}-07"
    # ...but a query that says its own language keeps it
    assert service.search("lejek sprzedaży", prefer=reader).results[0].id == "pl-01"


def test_threads_share_a_small_pool_of_searchers(service) -> None:
    """Searchers hold open files and buffers: 16 threads must not mean 16 searchers."""
    import threading

    from indexer.search import SEARCHERS_PER_PROCESS

    seen: set[int] = set()
    caches: set[int] = set()
    lock = threading.Lock()

    def work() -> None:
        for _ in range(3):
            with service.searcher() as lease:
                with lock:
                    seen.add(id(lease.searcher))
                    caches.add(id(lease.postings.cache))
                assert lease.searcher.doc_count() == 50

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= len(seen) <= SEARCHERS_PER_PROCESS
    assert len(caches) == 1  # the generation's searchers share decoded lengths and terms
