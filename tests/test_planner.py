"""The query planner on its own, over a word list instead of an index: which languages a
query is planned for, how each word becomes weighted terms (as written, by stem, folded,
read in another script, corrected, completed), the cap on terms, and the words to highlight."""

from __future__ import annotations

import heapq
from collections.abc import Callable

import pytest

from indexer.analysis import get_language
from indexer.analysis.pipeline import analyze
from indexer.budget import unlimited
from indexer.near_words import NEAR_BOOST, NEAR_CREDIT, NEAR_KEEP, NEAR_PREFIX_LETTERS
from indexer.query import parse_query
from indexer.schema import field_name
from indexer.search import planner
from indexer.search.plan import (
    GUESSED_LANGUAGE_BOOST,
    PHRASE_BOOST,
    PREFIX_BOOST,
    PREFIX_CREDIT,
    STOPWORD_BOOST,
    STOPWORD_CREDIT,
    TITLE_BOOST,
    TRANSLIT_BOOST,
    TYPO_BOOST,
    VIEW_BOOST,
    PlanPhrase,
    highlight_terms,
)
from indexer.search.planner import language_plan, plan_query, target_languages


class WordList:
    """A Vocabulary over {field: {word: documents}}: what the planner asks of an index."""

    def __init__(self, fields: dict[str, dict[str, int]]):
        self.fields = fields

    def doc_frequency(self, field: str, text: str) -> int:
        return self.fields.get(field, {}).get(text, 0)

    def frequency(self, field: str, text: str) -> float:
        return float(self.doc_frequency(field, text))

    def with_prefix(self, field: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        found = [(df, w) for w, df in self.fields.get(field, {}).items() if w.startswith(prefix)]
        return [(w, df) for df, w in heapq.nlargest(limit, found,
                                                    key=lambda p: (p[0], -len(p[1])))]

    def within(self, field: str, word: str) -> dict[str, int]:
        limit = 2 if len(word) >= 9 else 1
        return {w: df for w, df in self.fields.get(field, {}).items()
                if w[:1] == word[:1] and len(w) >= 3 and edits(w, word) <= limit}

    def near(self, field: str, word: str,
             beginnings: Callable[[str], tuple[str, ...]] | None) -> list[str]:
        starts = (word[:NEAR_PREFIX_LETTERS], *(beginnings(word) if beginnings else ()))
        found = {w: df for w, df in self.fields.get(field, {}).items()
                 if w != word and w.startswith(starts)}
        return sorted(found, key=lambda w: (-found[w], w))[:NEAR_KEEP]


def edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def indexed(lang: str, text: str, df: int = 3) -> dict[str, dict[str, int]]:
    """The fields an index has for `text` in `lang`, each of its words in `df` documents:
    title and body, each as written, by stem and folded (the analyzer's own forms)."""
    fields: dict[str, dict[str, int]] = {}
    for token in analyze(lang, text):
        for part in ("title", "body"):
            for view, values in (("exact", (token.normalized,)), ("stem", token.stems),
                                 ("fold", token.folded)):
                for value in values:
                    fields.setdefault(field_name(part, view, lang), {})[value] = df
    return fields


def merged(*many: dict[str, dict[str, int]]) -> WordList:
    fields: dict[str, dict[str, int]] = {}
    for one in many:
        for name, words in one.items():
            fields.setdefault(name, {}).update(words)
    return WordList(fields)


POLISH = indexed("pl", "sklepy internetowe koszyk klient marketing")
GEORGIAN = indexed("ka", "ხელოვნური ინტელექტი")
LANGS = {"pl", "ka", "af"}


def plans_for(query: str, vocab: WordList, lang: str | None = None, prefix: bool = False):
    parsed = parse_query(query)
    parsed.prefix = prefix
    return plan_query(vocab, parsed, lang, LANGS, budget=unlimited())


def test_script_picks_the_languages() -> None:
    assert target_languages("ხელოვნური", None, LANGS) == [("ka", False)]
    # Latin letters: every language, Georgian read from its Latin spelling too
    assert target_languages("khelovnuri", None, LANGS) == [("af", False), ("ka", True),
                                                           ("pl", False)]
    # a language asked for is the only one
    assert target_languages("sklepy", "pl", LANGS) == [("pl", False)]


def test_a_word_becomes_its_forms_in_title_and_body() -> None:
    plans = plans_for("sklepy", merged(POLISH), lang="pl")
    assert list(plans) == ["pl"]
    (concept,) = plans["pl"].concepts
    assert concept.query == "sklepy"
    own = {(p.field, p.text): p for p in concept.parts}
    # as written, by stem ("sklep"), folded; title weighs twice the body, exact > stem > fold
    assert own[("title_exact_pl", "sklepy")].boost == VIEW_BOOST["exact"] * TITLE_BOOST
    assert own[("body_exact_pl", "sklepy")].boost == VIEW_BOOST["exact"]
    assert own[("body_stem_pl", "sklep")].boost == VIEW_BOOST["stem"]
    assert own[("body_fold_pl", "sklepy")].view == "fold"
    assert {p.kind for p in concept.parts} == {"word"}
    assert plans["pl"].matched == {"sklepy"} and not plans["pl"].transliterated


def test_terms_the_index_lacks_are_left_out() -> None:
    only_body = {"body_exact_pl": {"sklepy": 2}}
    (concept,) = plans_for("sklepy", WordList(only_body), lang="pl")["pl"].concepts
    assert [(p.field, p.text) for p in concept.parts] == [("body_exact_pl", "sklepy")]
    # a query word no form of which is indexed, and nothing near it: no terms at all
    (concept,) = plans_for("qqqqq", WordList(only_body), lang="pl")["pl"].concepts
    assert concept.parts == ()


def test_georgian_typed_in_latin_letters_is_read_in_georgian() -> None:
    plans = plans_for("khelovnuri", merged(POLISH, GEORGIAN))
    assert plans["ka"].transliterated and "khelovnuri" in plans["ka"].matched
    (concept,) = plans["ka"].concepts
    read = {t.normalized for t in analyze("ka", get_language("ka").transliterate("khelovnuri"))}
    translit = [p for p in concept.parts if p.kind == "translit"]
    assert translit and {p.text for p in translit} <= {f for t in analyze("ka", *read)
                                                         for f in t.folded}
    # only the folded view (ejectives are ambiguous without apostrophes), weighted down
    assert {p.view for p in translit} == {"fold"}
    assert {p.factor for p in translit} == {TRANSLIT_BOOST}
    assert max(p.boost for p in translit) == VIEW_BOOST["fold"] * TITLE_BOOST * TRANSLIT_BOOST
    # Polish has no such word: no Polish match, nothing read from another script
    assert not plans["pl"].matched and not plans["pl"].transliterated


def test_a_query_in_a_language_of_its_own_script_is_boosted() -> None:
    vocab = merged(GEORGIAN)
    parsed = parse_query("ხელოვნური")
    plain = language_plan(vocab, parsed, "ka", False, None, unlimited())
    boosted = plans_for("ხელოვნური", vocab)["ka"]
    assert plain is not None
    assert [p.boost * GUESSED_LANGUAGE_BOOST for p in plain.concepts[0].parts] == \
        [p.boost for p in boosted.concepts[0].parts]
    assert {p.language_boost for p in boosted.concepts[0].parts} == {GUESSED_LANGUAGE_BOOST}
    assert {p.language_boost for p in plain.concepts[0].parts} == {1.0}


def test_an_unknown_word_gets_typo_corrections() -> None:
    plans = plans_for("sklwpy", merged(POLISH), lang="pl")
    plan = plans["pl"]
    assert plan.corrections == {"sklwpy": "sklepy"}
    assert plan.correction_counts["sklwpy"] == 3 * (TITLE_BOOST + 1)  # title and body
    (concept,) = plan.concepts
    typos = [p for p in concept.parts if p.kind == "typo"]
    assert {(p.field, p.text, p.boost) for p in typos} >= {
        ("title_exact_pl", "sklepy", TYPO_BOOST * TITLE_BOOST),
        ("body_exact_pl", "sklepy", TYPO_BOOST)}
    # a word the index knows is not corrected
    assert not plans_for("sklepy", merged(POLISH), lang="pl")["pl"].corrections


def test_a_half_typed_last_word_gets_completions() -> None:
    (concept,) = plans_for("skle", merged(POLISH), lang="pl", prefix=True)["pl"].concepts
    completions = [p for p in concept.parts if p.kind == "completion"]
    assert {p.text for p in completions} >= {"sklepy", "sklep"}
    assert all(p.admits and p.credit == PREFIX_CREDIT and p.factor == PREFIX_BOOST
               for p in completions)
    # not typed as a beginning: no completions
    (concept,) = plans_for("skle", merged(POLISH), lang="pl")["pl"].concepts
    assert not [p for p in concept.parts if p.kind == "completion"]


def test_a_half_typed_word_read_several_ways_gets_the_commonest_completions_once(
        monkeypatch) -> None:
    # `marke` is looked up as typed and by its stem `mark`: both begin `marketing`
    monkeypatch.setattr(planner, "PREFIX_COMPLETIONS", 3)
    words = {"marketing": 50, "marketingu": 40, "marki": 30, "marka": 20, "markowy": 10,
             "marketingowe": 5}
    vocab = merged(*(indexed("pl", word, df) for word, df in words.items()))
    (concept,) = plans_for("marke", vocab, lang="pl", prefix=True)["pl"].concepts
    completions = [p for p in concept.parts if p.kind == "completion"]
    keys = [(p.field, p.text) for p in completions]
    assert len(keys) == len(set(keys))
    exact = {p.text for p in completions if p.field == "body_exact_pl"}
    assert exact == {"marketing", "marketingu", "marki"}


def test_the_stems_of_an_unfinished_word_count_as_completions() -> None:
    # `marke` is no word of the index but begins some: its stem `mark` is a guess
    vocab = merged(indexed("pl", "marketing marki"))
    (concept,) = plans_for("marke", vocab, lang="pl", prefix=True)["pl"].concepts
    guessed = [p for p in concept.parts if p.kind == "word" and p.text == "mark"]
    assert guessed and all(p.credit == PREFIX_CREDIT and p.admits and p.factor == PREFIX_BOOST
                           for p in guessed)
    # a word the index has may be finished: its stem is the word's own
    (concept,) = plans_for("sklepy", merged(POLISH), lang="pl", prefix=True)["pl"].concepts
    stems = [p for p in concept.parts if p.kind == "word" and p.text == "sklep"]
    assert stems and all(p.credit == 1.0 for p in stems)
    # and so is an unknown word nothing begins with (an inflected form the index lacks)
    (concept,) = plans_for("sklepach", merged(POLISH), lang="pl", prefix=True)["pl"].concepts
    stems = [p for p in concept.parts if p.kind == "word" and p.text == "sklep"]
    assert stems and all(p.credit == 1.0 for p in stems)


def test_a_completion_folded_is_not_completed_again_in_the_fold_view() -> None:
    # `sprzedaży` (exact view) and `sprzedazy` (fold view) are in the same documents
    vocab = merged(indexed("pl", "sprzedaży"))
    assert "sprzedazy" in vocab.fields["body_fold_pl"]
    (concept,) = plans_for("sprzeda", vocab, lang="pl", prefix=True)["pl"].concepts
    completions = {(p.view, p.text) for p in concept.parts if p.kind == "completion"}
    assert ("exact", "sprzedaży") in completions
    assert ("fold", "sprzedazy") not in completions


@pytest.mark.parametrize(("lang", "typed", "begun", "field"), [
    ("he", "מכי", "מכירות", "body_stem_he"),  # the stem of some words
    ("kk", "инте", "интеграция", "body_fold_kk"),  # the folded stem of some
])
def test_an_unfinished_word_found_as_another_words_form_counts_as_a_completion(
        lang: str, typed: str, begun: str, field: str) -> None:
    # no word of the index, but the beginning of `begun` and a form of other words
    vocab = merged(indexed(lang, begun), {field: {typed: 4}})
    (concept,) = plans_for(typed, vocab, lang=lang, prefix=True)[lang].concepts
    found = [p for p in concept.parts if p.kind == "word" and p.field == field
             and p.text == typed]
    assert found and all(p.credit == PREFIX_CREDIT for p in found)


def test_a_half_typed_word_only_its_stems_begin_is_corrected_and_keeps_them() -> None:
    # nothing begins with `ofice`; its stem `ofic` begins `oficjalny`
    vocab = merged(indexed("pl", "office oficjalny"))
    plan = plans_for("ofice", vocab, lang="pl", prefix=True)["pl"]
    assert plan.corrections == {"ofice": "office"}
    kinds = {(p.kind, p.text) for p in plan.concepts[0].parts}
    assert ("typo", "office") in kinds and ("completion", "oficjalny") in kinds
    # a word typed as the index's words begin is not corrected
    vocab = merged(indexed("pl", "office oficerowie"))
    assert not plans_for("ofice", vocab, lang="pl", prefix=True)["pl"].corrections


def test_near_words_are_weak_alternatives_and_not_highlighted() -> None:
    vocab = merged(POLISH, indexed("pl", "internetowych internetowa"))
    plan = plans_for("internetowe", vocab, lang="pl")["pl"]
    near = [p for p in plan.concepts[0].parts if p.kind == "near"]
    assert {p.text for p in near} >= {"internetowych", "internetowa"}
    assert all(p.credit == NEAR_CREDIT and not p.admits for p in near)
    assert {p.boost for p in near} == {NEAR_BOOST * TITLE_BOOST, NEAR_BOOST}
    terms = highlight_terms(plan)
    assert "internetowe" in terms.exact and "internetowy" in terms.stem
    assert "internetowych" not in terms.exact | terms.stem | terms.fold


def test_phrases_and_exclusions() -> None:
    plan = plans_for('sklepy "koszyk klient" -marketing', merged(POLISH), lang="pl")["pl"]
    words, phrase = plan.concepts
    assert phrase.query == "koszyk klient"
    phrases = [p for p in phrase.parts if isinstance(p, PlanPhrase)]
    assert {(p.field, p.words, p.boost) for p in phrases} == {
        ("title_exact_pl", ("koszyk", "klient"), PHRASE_BOOST * TITLE_BOOST),
        ("body_exact_pl", ("koszyk", "klient"), PHRASE_BOOST),
        ("title_stem_pl", ("koszyk", "klient"), TITLE_BOOST * 2),
        ("body_stem_pl", ("koszyk", "klient"), 2.0)}
    assert {p.text for p in plan.excluded} == {"marketing"}
    assert "koszyk" in highlight_terms(plan).exact
    assert "marketing" not in highlight_terms(plan).exact  # excluded words are not marked
    # a phrase with a word the index lacks matches nothing: left out
    plan = plans_for('"koszyk zakupowy"', merged(POLISH), lang="pl")["pl"]
    assert not [p for p in plan.concepts[0].parts if isinstance(p, PlanPhrase)]


def test_the_cap_on_terms_keeps_the_first_words(monkeypatch) -> None:
    vocab = merged(POLISH)
    query = "sklepy internetowe koszyk klient"
    whole = plans_for(query, vocab, lang="pl")["pl"]
    per_word = [len(c.parts) for c in whole.concepts]
    monkeypatch.setattr(planner, "MAX_TERMS", per_word[0] + per_word[1])
    budget = unlimited()
    parsed = parse_query(query)
    capped = plan_query(vocab, parsed, "pl", LANGS, budget=budget)["pl"]
    assert [c.query for c in capped.concepts] == ["sklepy", "internetowe"]
    assert budget.partial and not budget.exhausted  # partial, though in time
    # a phrase counts its words
    monkeypatch.setattr(planner, "MAX_TERMS", per_word[0] + 3)
    capped = plans_for('sklepy "koszyk klient"', vocab, lang="pl")["pl"]
    assert [c.query for c in capped.concepts] == ["sklepy"]


@pytest.mark.parametrize("query", ["sklepy", '"koszyk klient"', "skle"])
def test_highlight_terms_are_the_plans_own(query: str) -> None:
    plan = plans_for(query, merged(POLISH), lang="pl", prefix=query == "skle")["pl"]
    terms = highlight_terms(plan)
    marked = terms.exact | terms.stem | terms.fold
    planned = {w for c in plan.concepts for p in c.parts if p.kind != "near"
               for w in (p.words if isinstance(p, PlanPhrase) else (p.text,))}
    assert marked == planned and marked


def test_a_word_typed_in_latin_letters_has_the_near_words_of_its_reading() -> None:
    """Near words begin like the word as read in the language's script: a Latin string
    begins no word of a Cyrillic index."""
    vocab = merged(POLISH, indexed("kk", "қаласында қалалық"))
    parsed = parse_query("qalalar")
    plans = plan_query(vocab, parsed, None, LANGS | {"kk"}, budget=unlimited())
    near = [p for p in plans["kk"].concepts[0].parts if p.kind == "near"]
    assert "қалалық" in {p.text for p in near}
    assert all(p.text.startswith("қала") for p in near)
    assert all(p.credit == NEAR_CREDIT and not p.admits for p in near)


def test_stopwords_are_a_tie_breaker_not_words() -> None:
    vocab = merged(indexed("af", "die ander kat en hond"))
    plan = plans_for("ander kat hond", vocab, lang="af")["af"]
    assert [c.query for c in plan.concepts] == ["kat", "hond"]
    assert plan.tiebreak is not None and plan.tiebreak.query == "ander"
    assert {(p.text, p.view, p.kind, p.credit, p.admits) for p in plan.tiebreak.parts} == {
        ("ander", "exact", "stopword", STOPWORD_CREDIT, False)}
    assert {p.boost for p in plan.tiebreak.parts} == {STOPWORD_BOOST * TITLE_BOOST,
                                                     STOPWORD_BOOST}
    assert "ander" not in highlight_terms(plan).exact
    # only stopwords: they are the words searched, and nothing breaks ties
    alone = plans_for("ander die", vocab, lang="af")["af"]
    assert {c.query for c in alone.concepts} == {"ander", "die"} and alone.tiebreak is None
