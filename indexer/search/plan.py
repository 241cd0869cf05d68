"""What a query becomes for one language: its clauses (one per query word or phrase), the
terms to highlight, corrections of misspelt words; and the weights its terms carry."""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh.query import Query, Term

from ..snippets import MatchTerms

VIEW_BOOST = {"exact": 3.0, "stem": 2.0, "fold": 1.0}
TITLE_BOOST = 2.0
TRANSLIT_BOOST = 0.8
TYPO_BOOST = 0.6
PHRASE_BOOST = 4.0
PREFIX_BOOST = 0.5
# What a completion of the half-typed last word counts for, against 1 for the whole word.
PREFIX_CREDIT = 0.5
GUESSED_LANGUAGE_BOOST = 1.5


@dataclass
class LanguagePlan:
    """One language's part of a query, and the terms to highlight in its documents."""

    terms: MatchTerms
    corrections: dict[str, str] = field(default_factory=dict)
    correction_counts: dict[str, float] = field(default_factory=dict)  # see typos.occurrences
    words: set[str] = field(default_factory=set)  # query words, as the tokenizer saw them
    matched: set[str] = field(default_factory=set)  # ...of which the index has some form
    clauses: list[Query] = field(default_factory=list)  # one per query word or phrase
    excluded: Query | None = None
    transliterated: bool = False  # some word matched only when read in this script


class Completion(Term):
    """An index word beginning with the query's half-typed last word: part of a match, and
    enough to make a document a result (a half word alone finds its completions)."""

    credit = PREFIX_CREDIT
    admits = True

