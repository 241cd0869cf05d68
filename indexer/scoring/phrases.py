"""Phrases: the documents where a phrase's words stand side by side, scored as Whoosh
scores a phrase (the sum of its words' BM25F scores, times the phrase's boost)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..budget import Budget, unlimited
from ..whoosh_adapter import segment_values
from .postings import PostingReader

# Documents whose phrase positions are read between two looks at the time budget.
PHRASE_CHECK_EVERY = 64


def phrase_scores(postings: PostingReader, fieldnames: Sequence[str], words: Sequence[str],
                  boost: float = 1.0, budget: Budget | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, scores) of a phrase where its words stand at consecutive positions, each
    word in any of `fieldnames` (see PlanTerm.also). The words' scored postings give the
    candidates; positions are read only for those, while the budget lasts (a phrase cut
    short is not remembered)."""
    budget = budget or unlimited()
    key = ("phrase", tuple(fieldnames), tuple(words))
    entry = postings.cache.scores(key)
    if entry is None:
        lists = [postings.best_scores(fieldnames, word) for word in words]
        docnums = lists[0][0]
        for other, _scores in lists[1:]:
            docnums = np.intersect1d(docnums, other, assume_unique=True)
        if len(docnums):
            docnums = docnums[in_order(postings, fieldnames, words, docnums, budget)]
        entry = (docnums, functools.reduce(np.add, (scores[np.searchsorted(d, docnums)]
                                                     for d, scores in lists)))
        if not budget.exhausted:
            postings.cache.remember(key, entry)
    return entry[0], entry[1] * boost


def in_order(postings: PostingReader, fieldnames: Sequence[str], words: Sequence[str],
             docnums: np.ndarray, budget: Budget) -> np.ndarray:
    """Which of `docnums` (each holding every word) have the words side by side (those not
    read before the budget ran out count as not)."""
    decode = postings.searcher.schema[fieldnames[0]].format.decode_positions
    found = np.zeros(len(docnums), dtype=bool)
    segments = postings.segments
    bounds = np.searchsorted(docnums, [offset for _reader, offset in segments])
    for (reader, offset), start, end in zip(segments, bounds, [*bounds[1:], len(docnums)],
                                            strict=True):
        if start == end:
            continue
        here = docnums[start:end]
        values = [_values(postings, reader, fieldnames, w, here, offset) for w in words]
        for k, per_word in enumerate(zip(*values, strict=True)):
            if k % PHRASE_CHECK_EVERY == PHRASE_CHECK_EVERY - 1 and budget.spent():
                return found
            # the first word's positions from which every later word follows in turn
            first, *rest = per_word
            starts = set().union(*map(decode, first))
            for j, later in enumerate(rest, 1):
                if not starts:
                    break
                starts &= {p - j for value in later for p in decode(value)}
            found[start + k] = bool(starts)
    return found


def _values(postings: PostingReader, reader: Any, fieldnames: Sequence[str], word: str,
            docnums: np.ndarray, offset: int) -> list[list[bytes]]:
    """Per document of one segment (each holding the word in one field at least), the
    encoded positions of the word in each field that holds it there."""
    values: list[list[bytes]] = [[] for _ in docnums]
    for name in fieldnames:
        if len(fieldnames) == 1:  # every candidate holds the word there
            at = np.arange(len(docnums))
        else:
            at = np.flatnonzero(np.isin(docnums, postings.term_scores(name, word)[0],
                                        assume_unique=True))
            if not len(at):
                continue
        local = docnums[at] - offset
        read = segment_values(reader, name, word, local)
        for i, docnum in zip(at.tolist(), local.tolist(), strict=True):
            values[i].append(read[docnum])
    return values
