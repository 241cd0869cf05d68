"""Ranking rules on small purpose-built corpora: exact above stem/prefix above fold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.search import SearchService

from .conftest import settings_for

DOCS = [
    ("he-exact", "he", "דוח", "המסחר גדל השנה מאוד"),
    ("he-prefix", "he", "דוח", "ובמסחר גדל השנה מאוד"),
    ("af-exact", "af", "Verslag", "Hulle se dat dit werk"),
    ("af-fold", "af", "Verslag", "Hy sê dat dit werk"),
    ("pl-exact", "pl", "Raport", "Miasto lodz jest duże"),
    ("pl-fold", "pl", "Raport", "Miasto Łódź jest duże"),
    ("kk-exact", "kk", "Есеп", "Компанияның сауда көрсеткіштері"),
    ("kk-fold", "kk", "Есеп", "Компаниянын сауда корсеткиштери"),
    ("pl-brands", "pl", "Automatyzacja", "Automatyzacja: marki lokalne i globalne"),
    ("pl-marketing", "pl", "Automatyzacja", "Automatyzacja marketingu: marketingowe kampanie"),
]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    corpus = tmp_path_factory.mktemp("corpus")
    rows = [{"id": i, "lang": lang, "title": title, "body": body} for i, lang, title, body in DOCS]
    (corpus / "docs.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    settings = settings_for(tmp_path_factory.mktemp("index"), Path(corpus))
    build_index(settings)
    return SearchService(settings)


def ranking(service: SearchService, query: str, lang: str) -> list[str]:
    return [hit.id for hit in service.search(query, lang=lang).results]


def test_hebrew_exact_above_prefix(service) -> None:
    assert ranking(service, "המסחר", "he") == ["he-exact", "he-prefix"]
    assert ranking(service, "ובמסחר", "he") == ["he-prefix", "he-exact"]


def test_afrikaans_se_finds_se_with_circumflex_below_exact(service) -> None:
    assert ranking(service, "se", "af") == ["af-exact", "af-fold"]
    assert ranking(service, "sê", "af") == ["af-fold", "af-exact"]


def test_polish_without_diacritics(service) -> None:
    assert ranking(service, "lodz", "pl") == ["pl-exact", "pl-fold"]
    assert ranking(service, "łódź", "pl") == ["pl-fold", "pl-exact"]


def test_kazakh_typed_on_a_russian_keyboard(service) -> None:
    assert ranking(service, "корсеткиштери", "kk") == ["kk-fold", "kk-exact"]
    assert ranking(service, "көрсеткіштері", "kk") == ["kk-exact", "kk-fold"]


def test_a_half_typed_word_finds_its_completions_above_its_guessed_stem(service) -> None:
    # `marke` stems to `mark` (as `marki` does), but nobody typing it means brands
    hits = service.search("automatyzacja marke", lang="pl", prefix="auto").results
    assert [hit.id for hit in hits] == ["pl-marketing", "pl-brands"]


def test_highlight_marks_the_pointed_word(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(json.dumps(
        {"id": "p", "lang": "he", "title": "מָבוֹא", "body": "זֶה מָבוֹא קָצָר לְמִסְחָר"},
        ensure_ascii=False), "utf-8")
    settings = settings_for(tmp_path / "ix", corpus)
    build_index(settings)
    hit = SearchService(settings).search("מסחר").results[0]
    assert "<mark>לְמִסְחָר</mark>" in hit.snippet
