"""Completions of a half-typed word: from the generation's common words when enough of them
share the beginning, else from the capped walk of the dictionary; the same words either
way, with their document frequencies."""

from __future__ import annotations

import heapq

import pytest

from indexer.expansion import beginning_words, commonest_beginning_with, expand_prefix
from indexer.limits import EXPANSION_SCAN
from indexer.search import SearchService

from .conftest import service_over

# word -> documents holding it: four common words (each in >= 128 documents, so the build
# keeps them in the term arrays) and rarer ones with the same beginning
SHARES = {"sprzedaż": 300, "sprzedawca": 200, "sprzedany": 150, "sprzątanie": 140,
          "sprawa": 20, "sprzęt": 3}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    bodies = {f"d{n}": " ".join(["tekst", *(w for w, count in SHARES.items() if n < count)])
              for n in range(300)}
    return service_over(tmp_path_factory.mktemp("expansion"), "pl", bodies)


def scanned(postings, beginning: str, limit: int) -> list[tuple[str, int]]:
    words = beginning_words(postings.searcher.reader(), "body_exact_pl", beginning,
                            EXPANSION_SCAN)
    return heapq.nlargest(limit, words, key=lambda pair: (pair[1], -len(pair[0])))


def test_common_completions_come_from_the_table_and_equal_the_walk(service) -> None:
    with service.searcher() as lease:
        postings = lease.postings
        found = expand_prefix(postings, "body_exact_pl", "spr", 3)
        assert postings.cache.frequent["body_exact_pl"].commonest("spr", 3) == [
            "sprzedaż", "sprzedawca", "sprzedany"]  # the table answered
        assert found == scanned(postings, "spr", 3) == [
            ("sprzedaż", 300), ("sprzedawca", 200), ("sprzedany", 150)]


def test_a_beginning_with_too_few_common_words_is_walked(service) -> None:
    with service.searcher() as lease:
        postings = lease.postings
        found = expand_prefix(postings, "body_exact_pl", "spr", 6)
        assert found == scanned(postings, "spr", 6)
        assert ("sprzęt", 3) in found and ("sprawa", 20) in found
        assert expand_prefix(postings, "body_exact_pl", "zzz", 3) == []


def test_the_commonest_words_of_a_beginning_are_those_at_or_above_the_cutoff(service) -> None:
    """commonest_beginning_with keeps, in dictionary order, every word at least as frequent
    as the keep-th commonest: a ranking of those by frequency is a ranking of all."""
    with service.searcher() as lease:
        reader = lease.searcher.reader()
        whole = beginning_words(reader, "body_exact_pl", "spr", EXPANSION_SCAN)
        for keep in range(1, len(whole) + 2):
            cutoff = sorted((df for _w, df in whole), reverse=True)[min(keep, len(whole)) - 1]
            assert commonest_beginning_with(reader, "body_exact_pl", "spr", EXPANSION_SCAN,
                                            keep) == [(w, df) for w, df in whole if df >= cutoff]
        assert commonest_beginning_with(reader, "body_exact_pl", "spr", 2, 1) == \
            [max(whole[:2], key=lambda pair: pair[1])]  # (the first 2 words only)
        assert commonest_beginning_with(reader, "body_exact_pl", "zzz", 10, 3) == []
        assert commonest_beginning_with(reader, "no_such_field", "spr", 10, 3) == []
