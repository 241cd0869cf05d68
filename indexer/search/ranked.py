"""Concept-counting ranking: documents matching more of the query's words first, BM25F
among those matching as many."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..budget import Budget
from ..scoring.clauses import Accumulator, Trace, matching_docs, score_clauses
from ..scoring.postings import PostingReader
from .plan import Plan


@dataclass
class LanguageRanking:
    """What ranking one language's plan computed, kept when a search is to be explained:
    the scoring trace, the accumulator, each document's BM25F squashed below 1, and what
    the language adds to each document's score."""

    trace: Trace
    acc: Accumulator
    relevance: np.ndarray
    share: np.ndarray


def ranked_scores(postings: PostingReader, plans: Plan, budget: Budget,
                  explain: dict[str, LanguageRanking] | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Every matching document and its score: first the share of the query's words (and
    phrases) it matches through any view, then BM25F summed over the query's terms, squashed
    into one step of that share so that it orders only documents matching as many words: a
    document with two of the query's words in other inflected forms ranks above one with
    one word as typed. Scoring stops adding terms once the request's budget is spent and
    answers with what it has. With `explain`, each language's workings are kept in it."""
    ranked = np.zeros(postings.doc_count)
    found = np.zeros(postings.doc_count, dtype=bool)
    for code, plan in plans.items():
        trace = Trace() if explain is not None else None
        acc = score_clauses(postings, plan.clauses(), budget, trace)
        hit = acc.whole > 0  # near words rank documents, never admit one alone
        if plan.excluded:
            hit &= ~matching_docs(postings, plan.excluded)
        relevance = acc.scores / (acc.scores + 1.0)  # BM25F >= 0, order kept, below 1
        share = np.where(hit, (acc.matched + relevance) / len(plan.concepts), 0.0)
        ranked += share
        found |= hit
        if explain is not None and trace is not None:
            explain[code] = LanguageRanking(trace, acc, relevance, share)
    docnums = np.flatnonzero(found)
    return docnums, ranked[docnums]
