"""Explained scores (`polyfind search --explain`, explain=1 in the API): read from what
ranking recorded while scoring, so the parts add up to each hit's score."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from indexer.config import ApiSettings, Settings
from indexer.search import SearchService
from indexer.search.plan import GUESSED_LANGUAGE_BOOST, TITLE_BOOST, VIEW_BOOST
from search_web import create_app

from .conftest import ROOT

# One query per language of the shipped corpus, each through another kind of term.
QUERIES = [
    ("lejek sprzedażowy", None, "off"),  # Polish, as written and by stem
    ("ובמסחר אלקטרוני", None, "off"),  # Hebrew, a prefixed inflected form
    ("сату шұңқыры", None, "off"),  # Kazakh
    ("verkoopstregters e-handel", None, "off"),  # Afrikaans, a compound
    ("khmovani dzieba", None, "off"),  # Georgian typed in Latin letters
    ("lejek sprzed", "pl", "on"),  # a half-typed last word: completions
]


def assert_adds_up(hit) -> None:
    explained = hit.explain
    assert explained["languages"], hit.id
    assert explained["score"] == pytest.approx(hit.score, abs=1e-4)  # the hit's is rounded
    for lang in explained["languages"]:
        assert sum(t["bm25f"] for t in lang["terms"]) == pytest.approx(lang["bm25f"], rel=1e-9)
        assert lang["relevance"] == pytest.approx(lang["bm25f"] / (lang["bm25f"] + 1))
        assert lang["matched"] == pytest.approx(sum(c["credit"] for c in lang["concepts"]))
        assert lang["score"] == pytest.approx((lang["matched"] + lang["relevance"])
                                              / lang["words"])
        assert len(lang["concepts"]) == lang["words"]
        for term in lang["terms"]:
            assert term["bm25f"] > 0 and term["field"].endswith("_" + lang["lang"])
            assert f"{term['kind']}/{term['view']}" in lang["concepts"][term["concept"]]["through"]


@pytest.mark.parametrize(("query", "lang", "prefix"), QUERIES)
def test_explained_parts_add_up_to_the_score(service: SearchService, query: str,
                                             lang: str | None, prefix: str) -> None:
    explained = service.search(query, lang=lang, prefix=prefix, explain=True)
    plain = service.search(query, lang=lang, prefix=prefix)
    assert explained.results, query
    # explaining changes nothing of the answer
    assert [(h.id, h.score) for h in explained.results] == \
        [(h.id, h.score) for h in plain.results]
    assert all(h.explain is None for h in plain.results)
    for hit in explained.results:
        assert_adds_up(hit)


def test_explanations_name_the_way_a_word_matched(service: SearchService) -> None:
    kinds = {}
    for query, lang, prefix in QUERIES:
        for hit in service.search(query, lang=lang, prefix=prefix, explain=True).results:
            for part in hit.explain["languages"]:
                for term in part["terms"]:
                    kinds.setdefault(term["kind"], term)
    assert {"word", "translit", "completion"} <= set(kinds)
    translit = kinds["translit"]
    assert translit["field"].endswith("_ka") and translit["factor"] < 1
    # a word's own term: its view's weight, twice in a title, times the guessed language's
    word = kinds["word"]
    part = TITLE_BOOST if word["field"].startswith("title_") else 1.0
    assert word["boost"] == pytest.approx(VIEW_BOOST[word["view"]] * part
                                          * word["language_boost"])
    assert word["language_boost"] == GUESSED_LANGUAGE_BOOST  # "lejek sprzedażowy": Polish
    assert kinds["completion"]["factor"] < 1 and kinds["word"]["factor"] == 1


def test_cli_prints_the_breakdown(built_settings: Settings) -> None:
    index = str(built_settings.index.path)
    shown = subprocess.run([sys.executable, "-m", "indexer", "search", "lejek sprzedażowy",
                            "--index", index, "--limit", "2", "--explain"], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert "[pl] score " in shown.stdout and "'lejek': credit 1 through word/" in shown.stdout
    assert "body_exact_pl" in shown.stdout
    as_json = json.loads(subprocess.run(
        [sys.executable, "-m", "indexer", "search", "lejek", "--index", index, "--json",
         "--explain"], cwd=ROOT, capture_output=True, text=True, timeout=300).stdout)
    first = as_json["results"][0]
    assert first["explain"]["score"] == pytest.approx(first["score"], abs=1e-4)


def test_api_explains_only_where_allowed(built_settings: Settings,
                                         service: SearchService) -> None:
    closed = create_app(built_settings, service).test_client()
    refused = closed.get("/api/v1/search?q=lejek&explain=1")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "explain_not_allowed"
    assert "[api]" in refused.get_json()["error"]["message"]
    assert "explain" not in closed.get("/api/v1/search?q=lejek&explain=0").get_json()[
        "results"][0]
    allowed = replace(built_settings, api=ApiSettings(explain=True))
    opened = create_app(allowed, service).test_client()
    data = opened.get("/api/v1/search?q=lejek%20sprzeda%C5%BCowy&explain=1").get_json()
    for hit in data["results"]:
        assert hit["explain"]["score"] == pytest.approx(hit["score"], abs=1e-4)
    bad = opened.get("/api/v1/search?q=lejek&explain=yes")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_query"
