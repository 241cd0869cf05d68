"""Typo tolerance: index words within a small edit distance of a query word no language
knows (by a walk of the words of its first letter, indexer/typo_walk.py), how often each
is seen, and the did-you-mean suggestion built from the best corrections."""

from __future__ import annotations

from .. import lexicon
from ..limits import MAX_TYPO_WORD, MAX_TYPO_WORDS, MIN_TYPO_WORD
from ..query import ParsedQuery
from ..schema import field_name
from ..scoring.postings import PostingReader
from ..typo_lists import words_within
from ..typo_walk import candidates_within
from .plan import TITLE_BOOST, TYPO_BOOST, LanguagePlan, Part, PlanTerm
from .vocabulary import Vocabulary

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


def typo_clause(vocab: Vocabulary, lang: str, word: str) -> tuple[list[Part], str] | None:
    """Index words within edit distance 1 (2 for long words) of a word that matched nothing,
    and the best of them.

    Looked up in the body's exact field (titles repeat body words), by a walk of its words
    that keeps the first letter (typos there are rare; indexer/typo_walk.py).
    The candidates seen most often (see occurrences) come first.
    """
    candidates = vocab.within(field_name("body", "exact", lang), word)
    if not candidates:
        return None
    seen = {c: occurrences(vocab, lang, c) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (-seen[c], -candidates[c], c))[:5]
    alternatives: list[Part] = [
        PlanTerm(field_name(part, "exact", lang), c, "exact", "typo", TYPO_BOOST * boost,
                 TYPO_BOOST)
        for c in ranked for part, boost in (("title", TITLE_BOOST), ("body", 1.0))
    ]
    return alternatives, ranked[0]


def occurrences(vocab: Vocabulary, lang: str, word: str) -> float:
    """How often the index has `word` as written: in bodies, and in titles counted
    TITLE_BOOST times (a title's word is what an article is about)."""
    return sum(boost * vocab.frequency(field_name(part, "exact", lang), word)
               for part, boost in (("title", TITLE_BOOST), ("body", 1.0)))


def typo_candidates(postings: PostingReader, fieldname: str, word: str) -> dict[str, int]:
    """Index words of `fieldname` within edit distance 1 (2 for long words) of `word`, with
    their document frequencies; remembered per generation. From the segments' typo lists
    (indexer.typo_lists) where the index has them, else by a walk of the words of the
    word's first letter (read from the term dictionary, kept in the generation's cache)."""
    key = (fieldname, word)
    found = postings.cache.near_words.get(key)
    if found is None:
        distance = 2 if len(word) >= 9 else 1
        lists = postings.typo_lists() if word else None
        if lists is not None:
            words = words_within(lists, fieldname, word, distance)
            # as the walk's letter blocks: a big letter's words of one document are left out
            rare_too = sum(t.letter_count(fieldname, word[0]) for t in lists) \
                <= lexicon.LETTER_RARE_WORDS
        else:
            reader = postings.searcher.reader()
            words = candidates_within(reader, postings.cache.letter_words, fieldname, word,
                                      distance) or []
            rare_too = True
        counted = {c: postings.doc_frequency(fieldname, c) for c in words
                   if len(c) >= 3 and c[0].isalpha() == word[0].isalpha()}
        found = postings.cache.near_words[key] = {
            c: df for c, df in counted.items() if rare_too or df > 1}
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

