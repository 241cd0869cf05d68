"""Concept-counting ranking: documents matching more of the query's words first, BM25F
among those matching as many."""

from __future__ import annotations

import numpy as np

from ..budget import Budget
from ..scoring.clauses import matching_docs, score_clauses
from ..scoring.postings import PostingReader
from .plan import LanguagePlan


def ranked_scores(postings: PostingReader, plans: dict[str, LanguagePlan], budget: Budget
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Every matching document and its score: first the share of the query's words (and
    phrases) it matches through any view, then BM25F summed over the query's terms, squashed
    into one step of that share so that it orders only documents matching as many words: a
    document with two of the query's words in other inflected forms ranks above one with
    one word as typed. Scoring stops adding terms once the request's budget is spent and
    answers with what it has."""
    ranked = np.zeros(postings.doc_count)
    found = np.zeros(postings.doc_count, dtype=bool)
    for plan in plans.values():
        acc = score_clauses(postings, plan.clauses, budget)
        hit = acc.whole > 0  # near words rank documents, never admit one alone
        if plan.excluded:
            hit &= ~matching_docs(postings, plan.excluded)
        relevance = acc.scores / (acc.scores + 1.0)  # BM25F >= 0, order kept, below 1
        ranked += np.where(hit, (acc.matched + relevance) / len(plan.clauses), 0.0)
        found |= hit
    docnums = np.flatnonzero(found)
    return docnums, ranked[docnums]

