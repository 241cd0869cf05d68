"""Ranking counts the query's words (concepts) first, however they are matched; how exactly
a word matches orders only documents that match as many words."""

from __future__ import annotations

import pytest

from indexer.search import SearchService

from .conftest import service_over

DOCS = {
    # both query words, each in another inflected form
    "both-inflected": "Koty mieszkają tu od lat, a w domu jest zawsze ciepło.",
    # one query word as typed, many times (and in the title), the other not at all
    "one-exact": "Kotów tu pełno. Kotów nikt nie liczy, kotów wciąż przybywa na ulicach.",
    # both query words as typed
    "both-exact": "Kotów w domach jest więcej niż psów.",
    "neither": "Psy szczekają na ulicy przez całą noc.",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    return service_over(tmp_path_factory.mktemp("concepts"), "pl", DOCS,
                        titles={"one-exact": "Kotów"})


def test_more_words_matched_beats_a_more_exact_match_of_fewer(service) -> None:
    ranked = [hit.id for hit in service.search("kotów domach", lang="pl").results]
    assert ranked == ["both-exact", "both-inflected", "one-exact"]


def test_exact_form_orders_documents_matching_as_many_words(service) -> None:
    ranked = [hit.id for hit in service.search("koty domu", lang="pl").results]
    assert ranked[:2] == ["both-inflected", "both-exact"]
    assert ranked[2] == "one-exact"


AFRIKAANS = {
    # both content words, and the query's stopword "ander" as well
    "with-stopword": "Die ander kat slaap by die hond in die skuur.",
    # both content words, more often, without "ander"
    "without-stopword": "Die kat en die hond slaap saam. Die kat en die hond eet saam.",
    # only the stopword and one content word
    "stopword-only": "Ander mense hou nie van die kat nie, ander wel.",
    "stopword-alone": "Ander mense woon elders.",
}


@pytest.fixture(scope="module")
def afrikaans(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    return service_over(tmp_path_factory.mktemp("stopwords"), "af", AFRIKAANS)


def test_a_stopword_breaks_ties_among_documents_matching_as_many_words(afrikaans) -> None:
    ranked = [hit.id for hit in afrikaans.search("ander kat hond", lang="af").results]
    # A stopword never makes a result on its own, and never outweighs a content word.
    assert ranked == ["with-stopword", "without-stopword", "stopword-only"]
    plain = [hit.id for hit in afrikaans.search("kat hond", lang="af").results]
    assert plain[:2] == ["without-stopword", "with-stopword"]
