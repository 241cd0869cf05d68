"""Near-word matches (index words that begin like a query word) count as part of a matched
word: above a document matching fewer words, below one matching the word itself."""

from __future__ import annotations

import pytest

from indexer.analysis.ka import georgian_near_beginnings
from indexer.near_words import NEAR_KEEP, near_words, wants_near_words
from indexer.search import SearchService

from .conftest import service_over

DOCS = {
    # გაიხედა "looked" (version vowel -ი-) and სასახლის "palace" (genitive)
    "near-and-stem": "დედოფალმა ფანჯრიდან გაიხედა და სასახლის ბაღი დაინახა.",
    # the palace only, as typed, twice
    "one-exact": "სასახლე ძველია. სასახლე ქალაქის ცენტრშია.",
    # both words as typed
    "both-exact": "მან ეზოში გახედა და სასახლე დაინახა.",
    "neither": "ბავშვები მინდორში თამაშობდნენ მთელი დღე.",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    return service_over(tmp_path_factory.mktemp("near"), "ka", DOCS)


def test_a_near_form_counts_as_part_of_a_word(service) -> None:
    # გახედა and გაიხედა share no stem: only the near word joins them
    ranked = [hit.id for hit in service.search("გახედა სასახლე", lang="ka").results]
    assert ranked == ["both-exact", "near-and-stem", "one-exact"]


def test_near_words_are_remembered_per_generation(service) -> None:
    with service.searcher() as lease:
        postings = lease.postings
        reader = postings.searcher.reader()
        found = near_words(reader, postings.cache.near_prefix, "body_exact_ka", "გახედა",
                           georgian_near_beginnings)
        assert "გაიხედა" in found and "გახედა" not in found
        assert len(found) <= NEAR_KEEP
        assert postings.cache.near_prefix.get(("body_exact_ka", "გახედა")) == found


def test_only_long_content_words_get_near_words() -> None:
    assert wants_near_words("სასახლე", stopword=False)
    assert not wants_near_words("სასახლე", stopword=True)
    assert not wants_near_words("ხედა", stopword=False)  # too short
    assert not wants_near_words("2026-12", stopword=False)
    assert not wants_near_words("123456", stopword=False)


@pytest.mark.parametrize(("word", "other_form"), [
    # the version vowel changes within a paradigm: გა-ხედ-ა / გა-ი-ხედ-ა
    ("გახედა", "გაიხედა"),
    ("გაიხედა", "გახედა"),
    ("შეშინდნენ", "შეეშინდათ"),
    ("გაემხილა", "გაუმხილა"),
    # the same root without the preverb, another version vowel (მი-შველ-ა / უ-შველ-ა)
    ("მიშველა", "უშველა"),
    ("მოითხოვოს", "ითხოვა"),
])
def test_georgian_verb_beginnings_reach_other_forms(word, other_form) -> None:
    assert any(other_form.startswith(b) for b in georgian_near_beginnings(word))


def test_georgian_verb_beginnings_keep_the_root() -> None:
    # ხედ- "look" stays ხედ-: the aorist -ა is an ending, not the -და of the imperfect
    assert set(georgian_near_beginnings("გახედა")) == {
        "გახედ", "გაახედ", "გაიხედ", "გაუხედ", "გაეხედ"}
    # without a preverb to narrow it, four letters of the root
    assert set(georgian_near_beginnings("ამართლებდა")) == {
        "მართ", "ამართ", "იმართ", "უმართ", "ემართ"}


@pytest.mark.parametrize("word", ["სისტემატიკას", "ავტოკეფალური", "სასახლე", "2026"])
def test_georgian_nouns_get_no_verb_beginnings(word) -> None:
    assert georgian_near_beginnings(word) == ()


def _near_leaves(service, query: str) -> int:
    from indexer.budget import unlimited
    from indexer.query import parse_query
    from indexer.search.planner import language_plan
    from indexer.search.service import IndexVocabulary

    with service.searcher() as lease:
        plan = language_plan(IndexVocabulary(lease.postings), parse_query(query), "ka", False,
                             None, unlimited())
        return sum(part.kind == "near" for c in plan.concepts for part in c.parts)


def test_long_queries_get_no_near_words(service) -> None:
    # a short query of rare words gets them; a long one has evidence enough, and its own
    # terms must not give way to near words under the cap on terms
    assert _near_leaves(service, "გახედა სასახლე") > 0
    assert _near_leaves(service, " ".join(["გახედა სასახლე ფანჯრიდან"] * 3)) == 0
