"""The relevance sets through `polyfind eval`: the product against both baselines, same run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.evaluate import evaluate, load_relevance

from ..conftest import ROOT, settings_for

SETS = Path(__file__).parent
LANGS = sorted(p.stem for p in SETS.glob("*.jsonl"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    return evaluate(settings_for(tmp_path_factory.mktemp("unused")), SETS).table


def test_sets_are_big_and_well_formed() -> None:
    judged = load_relevance(SETS)
    ids = {line.split("\t")[0] for line in (ROOT / "tests/data/titles.tsv").read_text(
        "utf-8").splitlines() if not line.startswith("#")}
    for lang in LANGS:
        rows = [j for j in judged if j.lang == lang]
        assert len(rows) >= 30, lang
        for row in rows:
            assert set(row.relevant) <= ids and all(d.startswith(lang) for d in row.relevant)


@pytest.mark.parametrize("lang", LANGS)
def test_product_beats_both_baselines(report, lang: str) -> None:
    systems = report[(lang, "all")]
    for baseline in ("whoosh", "prefix5"):
        for metric in ("mrr", "ndcg"):
            assert systems["polyfind"][metric] > systems[baseline][metric], (baseline, metric)


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_is_served(report, lang: str) -> None:
    """Per kind of query the product is at least as good as the better baseline, give or take
    one query's worth of rank (kinds have 4-11 queries, where one judgement call moves MRR)."""
    for (code, kind), systems in report.items():
        if code != lang:
            continue
        best = max(systems["whoosh"]["mrr"], systems["prefix5"]["mrr"])
        slack = 0.5 / systems["polyfind"]["n"] + 1e-3  # figures are rounded to 4 places
        assert systems["polyfind"]["mrr"] >= best - slack, (kind, systems)
        assert systems["polyfind"]["mrr"] >= 0.9, (kind, systems)


def test_queries_unseen_in_the_text_are_found(report) -> None:
    systems = report[("ALL", "unseen")]
    assert systems["polyfind"]["n"] >= 20
    assert systems["polyfind"]["mrr"] >= 0.9
    assert systems["polyfind"]["mrr"] > systems["prefix5"]["mrr"] + 0.2


@pytest.mark.parametrize("lang", LANGS)
def test_truncated_queries_are_found_as_typed(report, lang: str) -> None:
    """The sets' queries with the last word cut in half, searched as typed (prefix=auto)."""
    systems = report[(lang, "truncated")]
    assert systems["polyfind"]["n"] >= 20
    assert systems["polyfind"]["mrr"] >= 0.95, systems
    assert systems["polyfind"]["mrr"] > systems["prefix5"]["mrr"]


@pytest.mark.parametrize("lang", LANGS)
def test_whole_queries_are_found_as_the_page_sends_them(report, lang: str) -> None:
    """Every query with prefix=auto, as the page and widget send it: completing the last
    word must not cost the whole word its match."""
    systems = report[(lang, "as-typed")]
    assert systems["polyfind"]["n"] == report[(lang, "all")]["polyfind"]["n"]
    assert systems["polyfind"]["mrr"] >= report[(lang, "all")]["polyfind"]["mrr"] - 0.05


def test_distractors_compete_with_the_judged_articles(tmp_path: Path) -> None:
    sets, distractors = tmp_path / "sets", tmp_path / "distractors"
    sets.mkdir()
    distractors.mkdir()
    (sets / "pl.jsonl").write_text(json.dumps(
        {"id": "pl-x1", "query": "automatyzacja marketingu", "kind": "exact",
         "relevant": {"pl-04": 2}}) + "\n", "utf-8")
    # a page that says nothing but the query's words, over and over
    (distractors / "other.jsonl").write_text(json.dumps(
        {"id": "other-1", "lang": "pl", "title": "Automatyzacja marketingu",
         "body": "Automatyzacja marketingu. " * 20}) + "\n", "utf-8")
    settings = settings_for(tmp_path / "unused")
    alone = evaluate(settings, sets).table[("pl", "exact")]["polyfind"]
    crowded = evaluate(settings, sets, distractors).table[("pl", "exact")]["polyfind"]
    assert alone["mrr"] == 1.0 and crowded["mrr"] == 0.5


def test_distractors_are_not_for_treebanks(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "indexer", "eval", "--ud", str(tmp_path),
                          "--distractors", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "--distractors goes with" in run.stderr
