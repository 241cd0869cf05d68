"""A segment's typo lists (indexer/typo_lists.py): written with the segment, they give
exactly the words within the edit distance that the walk of the term dictionary gives, and
an index without them is searched by the walk."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import lexicon, typo_lists
from indexer.lru import LRU
from indexer.search import SearchService
from indexer.search.typos import typo_candidates
from indexer.typo_lists import TypoLists, TypoListsWriter, words_within
from indexer.typo_walk import terms_within

from .test_typo_walk import LETTERS, levenshtein

FIELD = "body_exact_pl"


def written(folder: Path, name: str, words: list[str]) -> TypoLists:
    writer = TypoListsWriter(folder / f"{name}{typo_lists.SUFFIX}")
    writer.add_all(FIELD, sorted(set(words)))
    writer.close()
    found = TypoLists.open(folder / f"{name}{typo_lists.SUFFIX}")
    assert found is not None
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(LETTERS, max_size=60), st.lists(LETTERS, max_size=30), LETTERS,
       st.integers(min_value=0, max_value=2))
def test_the_lists_give_the_walk_s_words_across_segments(tmp_path_factory, one, two, word,
                                                         distance) -> None:
    folder = tmp_path_factory.mktemp("typo")
    lists = [written(folder, "a", one), written(folder, "b", two)]
    terms = sorted(set(one) | set(two))
    expected = [t for t in terms_within(terms, word, distance)
                if typo_lists.SHORTEST <= len(t) <= typo_lists.LONGEST]
    assert words_within(lists, FIELD, word, distance) == expected
    assert all(levenshtein(t[1:], word[1:]) <= distance for t in expected)


def test_long_and_astral_words_are_left_out_and_the_rest_kept(tmp_path) -> None:
    long_word = "a" + "b" * typo_lists.LONGEST
    lists = written(tmp_path, "s", ["abcd", "abce", "ab\U0001f600d", long_word, "ab"])
    assert words_within([lists], FIELD, "abcf", 1) == ["abcd", "abce"]
    assert words_within([lists], FIELD, "ab\U0001f600d", 1) == []
    assert lists.letter_count(FIELD, "a") == 2
    assert words_within([lists], "body_exact_af", "abcd", 1) == []


def test_a_damaged_or_missing_file_is_none(tmp_path) -> None:
    assert TypoLists.open(tmp_path / "none.pftypo") is None
    broken = tmp_path / f"x{typo_lists.SUFFIX}"
    broken.write_bytes(b"PFTYPO01" + b"\0" * 5)
    assert TypoLists.open(broken) is None


def test_a_build_writes_them_and_typo_candidates_match_the_walk(built_settings) -> None:
    service = SearchService(built_settings)  # its caches are changed below
    with service.searcher() as lease:
        postings = lease.postings
        assert postings.typo_lists() is not None
        reader = lease.searcher.reader()
        words = [t.decode() for t in reader.lexicon(FIELD)]
        probes = [w[:2] + "x" + w[3:] for w in words[::97] if len(w) >= 6][:20]
        from_lists = {p: typo_candidates(postings, FIELD, p) for p in probes}
        postings.cache.near_words = LRU(1000)
        postings.cache.typo_lists = {i: None for i in range(len(postings.segments))}
        assert postings.typo_lists() is None
        from_walk = {p: typo_candidates(postings, FIELD, p) for p in probes}
    assert from_lists == from_walk
    assert sum(map(len, from_lists.values())) >= 10


def test_a_big_letter_s_candidates_of_one_document_are_left_out(built_settings,
                                                                  monkeypatch) -> None:
    service = SearchService(built_settings)
    with service.searcher() as lease:
        postings = lease.postings
        words = [t.decode() for t in lease.searcher.reader().lexicon(FIELD)]
        probes = [w[:2] + "x" + w[3:] for w in words if len(w) >= 6 and w[0] == "s"][:40]
        every = {p: typo_candidates(postings, FIELD, p) for p in probes}
        assert any(df == 1 for found in every.values() for df in found.values())
        monkeypatch.setattr(lexicon, "LETTER_RARE_WORDS", 1)
        postings.cache.near_words = LRU(1000)
        frequent = {p: typo_candidates(postings, FIELD, p) for p in probes}
    assert frequent == {p: {w: df for w, df in found.items() if df > 1}
                        for p, found in every.items()}
