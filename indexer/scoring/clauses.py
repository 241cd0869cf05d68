"""A plan's clauses scored term at a time into one dense accumulator, with each document's
count of matched clauses; what scoring a query will cost; exclusions; the top documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from whoosh.query import Phrase, Query, Term

from ..budget import Budget, unlimited
from ..limits import COST_PER_PHRASE_CANDIDATE, COST_PER_TERM
from .phrases import PHRASE_CHECK_EVERY, phrase_scores
from .postings import PostingReader


@dataclass
class Accumulator:
    """Per document (dense over the searcher's document numbers): summed score and how
    many query clauses (words or phrases) it matched, a weak match (a near word) counting
    as part of one."""

    scores: np.ndarray
    matched: np.ndarray
    whole: np.ndarray  # clauses matched by their own terms (not only by near words)

    @classmethod
    def empty(cls, doc_count: int) -> Accumulator:
        return cls(np.zeros(doc_count), np.zeros(doc_count, dtype=np.float32),
                   np.zeros(doc_count, dtype=np.uint16))



def query_scores(postings: PostingReader, query: Query, budget: Budget | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, scores) of a Whoosh query scored by Whoosh (a phrase with slop)."""
    budget = budget or unlimited()
    searcher = postings.searcher
    context = searcher.context()
    docnums, scores = [], []
    for sub, offset in searcher.leaf_searchers():
        matcher = query.matcher(sub, context)
        while matcher.is_active():
            docnums.append(matcher.id() + offset)
            scores.append(matcher.score())
            matcher.next()
            if len(docnums) % PHRASE_CHECK_EVERY == 0 and budget.spent():
                break
    return np.array(docnums, dtype=np.int32), np.array(scores, dtype=np.float64)


def leaf_scores(postings: PostingReader, leaf: Query, budget: Budget | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, boosted scores) of one term or phrase of a plan."""
    if isinstance(leaf, Term):
        docnums, scores = postings.term_scores(leaf.fieldname, leaf.text)
        return docnums, scores * leaf.boost
    if isinstance(leaf, Phrase) and leaf.slop == 1:
        return phrase_scores(postings, leaf.fieldname, leaf.words, leaf.boost, budget)
    return query_scores(postings, leaf, budget)


def score_clauses(postings: PostingReader, clauses: list[Query], budget: Budget | None = None
                  ) -> Accumulator:
    """Accumulate every clause's leaves and count the clauses each document matches.
    Stops adding terms once the budget is spent, after at least one."""
    budget = budget or unlimited()
    acc = Accumulator.empty(postings.doc_count)
    for clause in clauses:
        # A document matches most of a word's terms (as written, by stem, folded; title
        # and body): it counts once per clause however many of them it has, by its best
        # term's credit (a term's own views 1, a near word's less: indexer/near_words.py).
        # Near words come after the word's own terms and count only where those did not
        # match: a document full of a word's inflected forms does not score them twice.
        # A completion of a half-typed last word (`admits`) counts as part of a match too,
        # but, unlike a near word, it makes the document a result on its own.
        hit = np.zeros(postings.doc_count, dtype=np.float32)
        admitted = np.zeros(postings.doc_count, dtype=bool)
        for leaf in leaves(clause):
            docnums, scores = leaf_scores(postings, leaf, budget)
            credit = getattr(leaf, "credit", 1.0)
            if credit < 1.0:
                weak = hit[docnums] < 1.0
                docnums, scores = docnums[weak], scores[weak]
                hit[docnums] = np.maximum(hit[docnums], credit)
                if getattr(leaf, "admits", False):
                    admitted[docnums] = True
            else:
                hit[docnums] = 1.0
            acc.scores[docnums] += scores  # a posting list names each document once
            if budget.spent():
                break
        acc.matched += hit
        acc.whole += (hit >= 1.0) | admitted
        if budget.exhausted:
            break
    return acc


def estimated_cost(postings: PostingReader, query: Query) -> int:
    """What scoring `query` will cost, in postings read: each term's list and a fixed
    cost per term, and for a phrase the positions of its candidate documents too."""
    cost = 0
    for leaf in leaves(query):
        if isinstance(leaf, Term):
            cost += COST_PER_TERM + postings.doc_frequency(leaf.fieldname, leaf.text)
            continue
        words = list(leaf.words) if isinstance(leaf, Phrase) else []
        frequencies = [postings.doc_frequency(leaf.fieldname, w) for w in words] or [0]
        cost += COST_PER_TERM * len(words) + sum(frequencies) \
            + min(frequencies) * COST_PER_PHRASE_CANDIDATE * len(words)
    return cost


def matching_docs(postings: PostingReader, query: Query) -> np.ndarray:
    """Documents matching any leaf of an Or tree, as a dense mask (unscored: for
    exclusions)."""
    found = np.zeros(postings.doc_count, dtype=bool)
    for leaf in leaves(query):
        if isinstance(leaf, Term):
            found[postings.docs(leaf.fieldname, leaf.text)] = True
        else:
            found[list(leaf.docs(postings.searcher))] = True
    return found


def top_documents(docnums: np.ndarray, scores: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The `count` best (docnum, score) pairs, by score then docnum (stable between runs)."""
    if count < len(scores):
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = np.flatnonzero(scores >= threshold)
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[:count]
    return [(int(d), float(s)) for d, s in zip(docnums[order], scores[order], strict=True)]


def leaves(query: Query) -> Iterator[Term | Phrase]:
    """The Term and Phrase leaves of a tree of Or queries."""
    if isinstance(query, Term | Phrase):
        yield query
        return
    for sub in query.children():
        yield from leaves(sub)

