"""A query's plan, polyfind's own: per language, one concept per query word or quoted
phrase, each a sequence of weighted index terms and phrases (the ways a document can match
it), and the terms that exclude a document; the weights the terms carry; and the words to
highlight, derived from the finished plan."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..scoring.terms import Part, PlanPhrase, PlanTerm
from ..snippets import MatchTerms

__all__ = ["Concept", "LanguagePlan", "Part", "Plan", "PlanPhrase", "PlanTerm",
           "highlight_terms"]

VIEW_BOOST = {"exact": 3.0, "stem": 2.0, "fold": 1.0}
TITLE_BOOST = 2.0
TRANSLIT_BOOST = 0.8
TYPO_BOOST = 0.6
PHRASE_BOOST = 4.0
PREFIX_BOOST = 0.5
# What a completion of the half-typed last word counts for, against 1 for the whole word.
PREFIX_CREDIT = 0.5
GUESSED_LANGUAGE_BOOST = 1.5
# A query's stopwords (left out of its words) as a tie-breaker: their weight against the
# words' own terms, and what matching them adds to the count of matched words.
STOPWORD_BOOST = 0.3
STOPWORD_CREDIT = 0.1


@dataclass(frozen=True)
class Concept:
    """One query word (a token of it, as the analyzer split it) or quoted phrase, and its
    parts, scored in this order: a document matches the concept through any of them."""

    query: str
    parts: tuple[Part, ...]

    def scaled(self, factor: float) -> Concept:
        return replace(self, parts=tuple(p.scaled(factor) for p in self.parts))


@dataclass(frozen=True)
class LanguagePlan:
    """One language's part of a query."""

    lang: str
    concepts: tuple[Concept, ...]
    excluded: tuple[Part, ...] = ()
    words: frozenset[str] = frozenset()  # query words, as the tokenizer saw them
    matched: frozenset[str] = frozenset()  # ...of which the index has some form
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt word -> its fix
    correction_counts: dict[str, float] = field(default_factory=dict)  # typos.occurrences
    transliterated: bool = False  # some word matched only when read in this script
    # The query's stopwords as written: they add a little to the count and to BM25F of a
    # document that has them, never a result, and are not a word of the count's base.
    tiebreak: Concept | None = None

    def scored(self) -> tuple[Concept, ...]:
        """The concepts, then the tie-breaker, in the order scoring sees them."""
        return self.concepts + ((self.tiebreak,) if self.tiebreak else ())

    def clauses(self) -> list[tuple[Part, ...]]:
        """What the scoring core scores: each concept's parts."""
        return [concept.parts for concept in self.scored()]

    def scaled(self, factor: float) -> LanguagePlan:
        """Every part weighted `factor` times more: the language's boost."""
        return replace(self, concepts=tuple(c.scaled(factor) for c in self.concepts),
                       tiebreak=self.tiebreak.scaled(factor) if self.tiebreak else None)


Plan = dict[str, LanguagePlan]


def highlight_terms(plan: LanguagePlan | None) -> MatchTerms:
    """The words to mark in a document of the plan's language: each term and phrase word
    of its concepts under its form (exact, stem, fold), but near words (weak evidence, not
    the word asked for)."""
    terms = MatchTerms()
    for concept in plan.concepts if plan else ():
        for part in concept.parts:
            if part.kind != "near":
                getattr(terms, part.view).update(
                    part.words if isinstance(part, PlanPhrase) else (part.text,))
    return terms
