"""Typo tolerance: index words within a small edit distance of a query word no language
knows (by a walk of the words of its first letter, indexer/typo_walk.py), how often each
is seen, and the
did-you-mean suggestion built from the best corrections."""

from __future__ import annotations

from whoosh.query import Or, Query, Term

from ..budget import Budget, unlimited
from ..limits import MAX_TYPO_WORD, MAX_TYPO_WORDS, MIN_TYPO_WORD
from ..query import ParsedQuery
from ..schema import field_name
from ..scoring.postings import PostingReader
from ..snippets import MatchTerms
from ..typo_walk import typo_candidates
from .plan import TITLE_BOOST, TYPO_BOOST, LanguagePlan

# Did-you-mean counts how often a correction is seen this many times in the query's language.
QUERY_LANGUAGE_WEIGHT = 3.0


def typo_words(parsed: ParsedQuery, plans: dict[str, LanguagePlan]) -> set[str]:
    """The query's words no language knows that get typo correction: the first
    MAX_TYPO_WORDS of a correctable length, in the order typed."""
    matched = set().union(*(plan.matched for plan in plans.values()))
    words = set().union(*(plan.words for plan in plans.values()))
    unmatched = [w for w in words - matched if MIN_TYPO_WORD <= len(w) <= MAX_TYPO_WORD]
    unmatched.sort(key=lambda w: (parsed.text.find(w), w))
    return set(unmatched[:MAX_TYPO_WORDS])


def typo_clause(postings: PostingReader, lang: str, word: str, terms: MatchTerms,
                budget: Budget | None = None) -> tuple[Query, str] | None:
    """Index words within edit distance 1 (2 for long words) of a word that matched nothing.

    Looked up in the body's exact field (titles repeat body words), by a walk of its words
    that keeps the first letter (typos there are rare; indexer/typo_walk.py).
    The candidates seen most often (see occurrences) come first. None when there are none
    (or the budget ran out while the words were being read).
    """
    fieldname = field_name("body", "exact", lang)
    candidates = _near_words(postings, fieldname, word, budget or unlimited())
    if not candidates:
        return None
    reader = postings.searcher.reader()
    seen = {c: occurrences(reader, lang, c) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (-seen[c], -candidates[c], c))[:5]
    terms.exact.update(ranked)
    alternatives = [
        Term(field_name(part, "exact", lang), c, boost=TYPO_BOOST * boost)
        for c in ranked for part, boost in (("title", TITLE_BOOST), ("body", 1.0))
    ]
    return Or(alternatives), ranked[0]


def occurrences(reader, lang: str, word: str) -> float:
    """How often the index has `word` as written: in bodies, and in titles counted
    TITLE_BOOST times (a title's word is what an article is about)."""
    return sum(boost * reader.frequency(field_name(part, "exact", lang), word)
               for part, boost in (("title", TITLE_BOOST), ("body", 1.0))
               if field_name(part, "exact", lang) in reader.schema)


def _near_words(postings: PostingReader, fieldname: str, word: str, budget: Budget
                ) -> dict[str, int]:
    """Index words of `fieldname` within edit distance 1 (2 for long words) of `word`, with
    their document frequencies; remembered per generation (the walk reads all the words of
    the word's first letter), unless the budget ran out first (then none)."""
    key = (fieldname, word)
    found = postings.cache.near_words.get(key)
    if found is None:
        reader = postings.searcher.reader()
        distance = 2 if len(word) >= 9 else 1
        words = typo_candidates(reader, postings.cache.letter_words, fieldname, word, distance,
                                budget.spent)
        if words is None:
            return {}
        found = postings.cache.near_words[key] = {
            c: reader.doc_frequency(fieldname, c) for c in words
            if len(c) >= 3 and c[0].isalpha() == word[0].isalpha()
        }
    return found


def best_corrections(plans: dict[str, LanguagePlan], lang: str | None) -> dict[str, str]:
    """Each misspelt word's correction, from the language where it is seen most often (that
    of the query, or the reader's, counted QUERY_LANGUAGE_WEIGHT times): a frequent spelling
    of the language typed in, not a rare one of another."""
    best: dict[str, tuple[float, str]] = {}
    for code, plan in plans.items():
        weight = QUERY_LANGUAGE_WEIGHT if code == lang else 1.0
        for word, correction in plan.corrections.items():
            score = weight * plan.correction_counts.get(word, 0)
            if word not in best or score > best[word][0]:
                best[word] = (score, correction)
    return {word: correction for word, (_score, correction) in best.items()}


def suggestion(query: str, corrections: dict[str, str]) -> str | None:
    if not corrections:
        return None
    suggestion = query
    for wrong, right in corrections.items():
        suggestion = suggestion.replace(wrong, right)
    return suggestion if suggestion != query else None

