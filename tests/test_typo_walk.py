"""The typo walk finds exactly the index words within the edit distance (and the same as
Whoosh's automaton on the shipped index: tests/test_budget.py), from a letter's words read
once per generation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import lexicon
from indexer.lexicon import block_weight, letter_words
from indexer.lru import LRU
from indexer.typo_walk import terms_within

LETTERS = st.text(alphabet="abcłąსაბ", min_size=1, max_size=9)


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row = row, [i]
        for j, y in enumerate(b, 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y)))
    return row[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(LETTERS, max_size=60), LETTERS, st.integers(min_value=0, max_value=2))
def test_the_walk_finds_every_word_within_the_distance_and_no_other(words, word, distance):
    terms = sorted(set(words))
    expected = [t for t in terms if t[0] == word[0] and levenshtein(t[1:], word[1:]) <= distance]
    assert terms_within(terms, word, distance) == expected


def test_words_of_the_last_code_point_are_walked_past() -> None:
    top = "\U0010ffff"
    terms = sorted(["ab", f"a{top}{top}", f"a{top}{top}c", f"a{top}", "b", f"{top}{top}"])
    for word in ("azzzz", "azz", f"a{top}", "b", f"{top}a"):
        for distance in (0, 1, 2):
            expected = [t for t in terms
                        if t[0] == word[0] and levenshtein(t[1:], word[1:]) <= distance]
            assert terms_within(terms, word, distance) == expected


def test_a_letters_words_are_read_once_and_an_unfinished_read_is_not_kept(service) -> None:
    blocks: LRU[tuple[str, str], list[str]] = LRU(100_000, block_weight)
    with service.searcher() as lease:
        reader = lease.searcher.reader()
        words = letter_words(reader, blocks, "body_exact_pl", "s")
        assert words == sorted(words) and all(w.startswith("s") for w in words)
        assert letter_words(reader, blocks, "body_exact_pl", "s") is words
        assert letter_words(reader, blocks, "no_such_field", "s") == []
        assert letter_words(reader, blocks, "body_exact_af", "s", spent=lambda: True) is None
        assert blocks.get(("body_exact_af", "s")) is None



def test_a_big_letter_keeps_only_words_of_two_documents_or_more(service, monkeypatch) -> None:
    blocks: LRU[tuple[str, str], list[str]] = LRU(100_000, block_weight)
    with service.searcher() as lease:
        reader = lease.searcher.reader()
        every = letter_words(reader, blocks, "body_exact_pl", "s")
        frequent = [w for w in every if reader.doc_frequency("body_exact_pl", w) > 1]
        assert 0 < len(frequent) < len(every)
        monkeypatch.setattr(lexicon, "LETTER_RARE_WORDS", len(every) - 1)
        assert letter_words(reader, LRU(100_000, block_weight), "body_exact_pl", "s") \
            == frequent
        monkeypatch.setattr(lexicon, "LETTER_RARE_WORDS", len(every))
        assert letter_words(reader, LRU(100_000, block_weight), "body_exact_pl", "s") == every
