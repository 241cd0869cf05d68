"""Polish dictionary lemmas (Morfeusz 2, SGJP): per process, never pickled into an index."""

from __future__ import annotations

import multiprocessing
import os
import pickle

from indexer.analysis import pl
from indexer.analysis.whoosh_analyzer import PolyfindAnalyzer


def _stems_in_child(word: str) -> tuple[tuple[str, ...], bool]:
    pl.polish_stems.cache_clear()
    stems = pl.polish_stems(word)
    return stems, pl._morfeusz_pid == os.getpid()


def test_dictionary_knows_what_rules_cannot() -> None:
    assert pl.polish_stems("oplem") == ("opel",)
    assert pl.polish_stems("chcemy") == pl.polish_stems("chcą") == ("chcieć",)
    assert pl.dictionary_lemmas("xqzwyrtek") == ()  # unknown: the rule stems take over
    assert pl.polish_stems("xqzwyrtek") == pl.rule_stems("xqzwyrtek")


def test_analyzer_pickles_without_the_dictionary() -> None:
    analyzer = PolyfindAnalyzer("pl", "stem")
    before = [t.text for t in analyzer("oleju oplem")]
    data = pickle.dumps(analyzer)
    assert b"orfeusz" not in data
    assert [t.text for t in pickle.loads(data)("oleju oplem")] == before == ["olej", "opel"]


def test_forked_process_makes_its_own_analyser() -> None:
    pl.polish_stems("oplem")  # the parent's Morfeusz exists before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        stems, own = pool.apply(_stems_in_child, ("chcemy",))
    assert stems == ("chcieć",)
    assert own, "the child used the parent's analyser"
    assert pl._morfeusz_pid == os.getpid()
