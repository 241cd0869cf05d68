"""`polyfind eval --ud` on a small invented CoNLL-U fixture (tests/evaluation/data: made up
for these tests, not taken from any treebank)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from indexer.evaluation.conflation import conflation, lemma_forms
from indexer.evaluation.hunspell import parse_stems
from indexer.evaluation.retrieval import known_items, written_forms
from indexer.evaluation.romanize import romanize
from indexer.evaluation.suite import format_ud
from indexer.evaluation.ud import Word, documents, load_splits, parse_conllu

from ..conftest import ROOT

DATA = Path(__file__).parent / "data"


def test_conflation_counts_pairs_of_forms_by_hand() -> None:
    # Gold pairs: kot-kota, kot-koty, kota-koty, pies-psa (4). Cut to 3 letters, kot, kota,
    # koty and kotara share "kot" (6 pairs, 3 of them gold); pies and psa share nothing.
    lemmas = lemma_forms([Word("kot", "kot", "NOUN"), Word("kota", "kot", "NOUN"),
                          Word("koty", "kot", "NOUN"), Word("kotara", "kotara", "NOUN"),
                          Word("pies", "pies", "NOUN"), Word("psa", "pies", "NOUN")])
    result = conflation(lemmas, lambda form: (form[:3],))
    assert (result.gold_pairs, result.conflated_pairs) == (4, 6)
    assert (result.precision, result.recall) == (0.5, 0.75)
    assert abs(result.f1 - 0.6) < 1e-9


def test_multiword_tokens_give_the_written_form() -> None:
    sentences = parse_conllu((DATA / "he_toy-ud-test.conllu").read_text("utf-8"))
    words = [(w.form, w.lemma) for s in sentences for w in s.words]
    # the noun of ה+בית is written הבית; ספר+בית written as one token names no single form;
    # determiners and prepositions are no content words
    assert ("הבית", "בית") in words and ("ובבית", "בית") in words and ("הספר", "ספר") in words
    assert not any(form == "ספרבית" for form, _ in words)
    assert not any(lemma in ("ה", "ו", "ב") for _, lemma in words)


def test_splits_tune_on_dev_report_on_test_and_halve_kazakh_by_document() -> None:
    splits = load_splits(DATA)
    assert [s.sent_id for s in splits["tune"]["pl"].sentences][0] == "dev-s1"
    assert [s.sent_id for s in splits["report"]["pl"].sentences][0] == "test-s1"
    assert "he" not in splits["tune"] and len(splits["report"]["he"].sentences) == 4
    assert {s.sent_id.split(":")[0] for s in splits["tune"]["kk"].sentences} == {"a.txt"}
    assert {s.sent_id.split(":")[0] for s in splits["report"]["kk"].sentences} == {"b.txt"}


def test_documents_never_cross_a_newdoc() -> None:
    bank = load_splits(DATA)["tune"]["pl"]
    docs = documents(bank, count=2)  # 6 sentences: runs of 3, and a newdoc at sentence 4
    assert [d.text.split()[0] for d in docs] == ["Kot", "Rzeka"]
    docs = documents(bank, count=3)  # runs of 2, cut at the newdoc
    assert [d.text.split()[0] for d in docs] == ["Kot", "Dom", "Rzeka", "Starego"]


def test_reinflected_queries_are_other_forms_of_the_targets_lemmas() -> None:
    docs = documents(load_splits(DATA)["tune"]["pl"])
    items = known_items(docs, seed=3)
    assert items and items == known_items(docs, seed=3)
    lemma_of = {w.form: w.lemma for d in docs for w in d.words}
    by_id = {d.id: d for d in docs}
    for item in items:
        typed, verbatim = item.reinflected.split(), item.verbatim.split()
        assert 2 <= len(typed) <= 3 and len(typed) == len(verbatim)
        assert not set(typed) & written_forms(by_id[item.target])
        assert set(verbatim) <= written_forms(by_id[item.target])
        assert [lemma_of[w] for w in typed] == [lemma_of[w] for w in verbatim]


def test_eval_command_on_the_fixture(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "indexer", "eval", "--ud", str(DATA),
                          "--split", "tune", "--json"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    tune = results["tune"]
    assert set(tune["collection"]) == {"pl", "kk"}
    pl = tune["conflation"]["pl"]
    assert set(pl) - {"hunspell"} == {"polyfind", "prefix5", "snowball"}  # hunspell: if installed
    assert pl["polyfind"]["gold_pairs"] == 9  # kot, dom 3 forms; pić, stary, rzeka 2: 3+3+1+1+1
    queries = tune["collection"]["pl"]["queries"]
    assert queries >= 3 and tune["retrieval"]["pl"]["verbatim/polyfind"]["n"] == queries
    # typed as the document has them, every word of the query is in the target
    assert tune["retrieval"]["pl"]["verbatim/polyfind"]["mrr"] == 1.0
    assert tune["retrieval"]["ALL"]["reinflected/whoosh"]["n"] == queries + \
        tune["collection"]["kk"]["queries"]
    # Kazakh queries are also typed in Latin letters, both ways; ALL keeps to every
    # language's own kinds
    kk = tune["retrieval"]["kk"]
    assert kk["latin2021/polyfind"]["n"] == kk["latinascii/polyfind"]["n"] == \
        tune["collection"]["kk"]["queries"]
    assert "latin2021/polyfind" not in tune["retrieval"]["ALL"]
    assert "latin2021/polyfind" not in tune["retrieval"]["pl"]
    table = format_ud(results)
    assert "Conflation" in table and "reinflected" in table and "\nALL " in table
    assert "Typed in Latin letters" in table and "kk   latinascii" in table


def test_kazakh_romanizations_follow_the_alphabets() -> None:
    assert romanize("kk", "latin2021", "шұңқырлары") == "şūñqyrlary"
    assert romanize("kk", "latin2021", "жеңілдіктер") == "jeñıldıkter"
    assert romanize("kk", "latinascii", "шұңқырлары") == "shungqyrlary"
    assert romanize("kk", "latinascii", "жеңілдіктер") == "zhengildikter"


def test_eval_ud_without_treebanks_is_a_clear_error(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "indexer", "eval", "--ud", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "no CoNLL-U treebank files" in run.stderr


def test_hunspell_stem_output_is_read_per_word() -> None:
    output = "kotów koty\nkotów kot\n\nkoty kot\n\nxyzzy\n\n"
    assert parse_stems(output) == {"kotów": {"koty", "kot"}, "koty": {"kot"}, "xyzzy": set()}


def test_conflation_only_skips_the_searches(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "indexer", "eval", "--ud", str(DATA),
                          "--split", "report", "--only", "conflation", "--lang", "he"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "== report split: he 4 docs" in run.stdout
    assert "Conflation" in run.stdout and "Known-item" not in run.stdout
