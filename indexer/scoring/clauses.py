"""A plan's clauses (one per query word or phrase, each a sequence of weighted terms and
phrases) scored term at a time into one dense accumulator, with each document's count of
matched clauses; optionally traced, for explanations; what scoring will cost; exclusions;
the top documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..budget import Budget, unlimited
from ..limits import COST_PER_PHRASE_CANDIDATE, COST_PER_TERM
from .phrases import phrase_scores
from .postings import PostingReader
from .terms import Part, PlanPhrase, PlanTerm

Clause = Sequence[Part]


class DocFrequencies(Protocol):
    def doc_frequency(self, field: str, text: str) -> int: ...


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


@dataclass
class Trace:
    """What scoring added, as it added it: (clause, part, docnums, scores) per part read,
    and each clause's per-document credit. Kept only for explanations."""

    added: list[tuple[int, Part, np.ndarray, np.ndarray]] = field(default_factory=list)
    credits: list[np.ndarray] = field(default_factory=list)


def part_scores(postings: PostingReader, part: Part, budget: Budget | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, boosted scores) of one term or phrase of a plan, docnums ascending."""
    if isinstance(part, PlanPhrase):
        return phrase_scores(postings, part.fields, part.words, part.boost, budget)
    docnums, scores = postings.best_scores(part.fields, part.text)
    return docnums, scores * part.boost


def score_clauses(postings: PostingReader, clauses: Sequence[Clause],
                  budget: Budget | None = None, trace: Trace | None = None) -> Accumulator:
    """Accumulate every clause's parts and count the clauses each document matches.
    Stops adding terms once the budget is spent, after at least one."""
    budget = budget or unlimited()
    acc = Accumulator.empty(postings.doc_count)
    for n, clause in enumerate(clauses):
        # A document matches most of a word's terms (as written, by stem, folded; title
        # and body): it counts once per clause however many of them it has, by its best
        # term's credit (a term's own views 1, a near word's less: indexer/near_words.py).
        # Near words come after the word's own terms and count only where those did not
        # match: a document full of a word's inflected forms does not score them twice.
        # A completion of a half-typed last word (`admits`) counts as part of a match too,
        # but, unlike a near word, it makes the document a result on its own.
        hit = np.zeros(postings.doc_count, dtype=np.float32)
        admitted = np.zeros(postings.doc_count, dtype=bool)
        for part in clause:
            docnums, scores = part_scores(postings, part, budget)
            if part.credit < 1.0:
                weak = hit[docnums] < 1.0
                docnums, scores = docnums[weak], scores[weak]
                hit[docnums] = np.maximum(hit[docnums], part.credit)
                if part.admits:
                    admitted[docnums] = True
            else:
                hit[docnums] = 1.0
            acc.scores[docnums] += scores  # a posting list names each document once
            if trace is not None:
                trace.added.append((n, part, docnums, scores))
            if budget.spent():
                break
        acc.matched += hit
        acc.whole += (hit >= 1.0) | admitted
        if trace is not None:
            trace.credits.append(hit)
        if budget.exhausted:
            break
    return acc


def estimated_cost(frequencies: DocFrequencies, parts: Iterable[Part]) -> int:
    """What scoring `parts` will cost, in postings read: each term's list and a fixed cost
    per term, and for a phrase the positions of its candidate documents too."""
    cost = 0
    for part in parts:
        if isinstance(part, PlanTerm):
            cost += COST_PER_TERM + _held(frequencies, part.fields, part.text)
            continue
        found = [_held(frequencies, part.fields, w) for w in part.words] or [0]
        cost += COST_PER_TERM * len(part.words) + sum(found) \
            + min(found) * COST_PER_PHRASE_CANDIDATE * len(part.words)
    return cost


def _held(frequencies: DocFrequencies, fields: Sequence[str], text: str) -> int:
    """Documents holding the term in any of the fields (at most: some may hold it twice)."""
    return sum(frequencies.doc_frequency(name, text) for name in fields)


def matching_docs(postings: PostingReader, parts: Iterable[Part]) -> np.ndarray:
    """Documents matching any of the parts, as a dense mask (unscored: for exclusions)."""
    found = np.zeros(postings.doc_count, dtype=bool)
    for part in parts:
        if isinstance(part, PlanTerm):
            for name in part.fields:
                found[postings.docs(name, part.text)] = True
        else:
            found[part_scores(postings, part)[0]] = True
    return found


def top_documents(docnums: np.ndarray, scores: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The `count` best (docnum, score) pairs, by score then docnum (stable between runs)."""
    if count < len(scores):
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = np.flatnonzero(scores >= threshold)
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[:count]
    return [(int(d), float(s)) for d, s in zip(docnums[order], scores[order], strict=True)]
