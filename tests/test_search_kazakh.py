"""Kazakh typed in Latin letters, or without its special letters and inflected otherwise,
finds what the Cyrillic query finds (shipped corpus, real index)."""

from __future__ import annotations

import pytest

from indexer.search import SearchService


def top(service: SearchService, query: str) -> str | None:
    results = service.search(query).results
    return results[0].id if results else None


@pytest.mark.parametrize(("cyrillic", "official", "informal"), [
    ("сату шұңқыры", "satu şūñqyry", "satu shungqyry"),
    ("жеткізу тізбегі", "jetkızu tızbegı", "zhetkizu tizbegi"),
    ("алаяқтықты анықтау", "alaiaqtyqty anyqtau", "alayaqtyqty anyqtau"),
    ("конверсия жылдамдығы", "konversiia jyldamdyğy", "konversiya zhyldamdygy"),
])
def test_latin_kazakh_finds_the_cyrillic_top_document(
        service: SearchService, cyrillic: str, official: str, informal: str) -> None:
    expected = top(service, cyrillic)
    assert expected is not None and expected.startswith("kk-")
    assert top(service, official) == expected
    assert top(service, informal) == expected


def test_folded_and_inflected_otherwise_still_finds_the_word(service: SearchService) -> None:
    # шұңқырлардың кезеңдері typed without ұ ң і, in a form the text does not contain
    assert top(service, "шункырлардын кезендери") == top(service, "сату шұңқыры") == "kk-01"


def test_polish_and_georgian_latin_queries_keep_their_language(service: SearchService) -> None:
    assert top(service, "utavo komertsia").startswith("ka-")
    assert top(service, "handel elektroniczny").startswith("pl-")
