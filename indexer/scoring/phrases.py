"""Phrases: the documents where a phrase's words stand side by side, scored as Whoosh
scores a phrase (the sum of its words' BM25F scores, times the phrase's boost)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..budget import Budget, unlimited
from ..whoosh_adapter import segment_values
from .postings import PostingReader, among_sorted


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
    """Which of `docnums` (each holding every word) have the words side by side (those of
    segments not read before the budget ran out count as not): segment by segment, every
    candidate's positions of a word at once."""
    format_ = postings.searcher.schema[fieldnames[0]].format
    found = np.zeros(len(docnums), dtype=bool)
    segments = postings.segments
    bounds = np.searchsorted(docnums, [offset for _reader, offset in segments])
    for (reader, offset), start, end in zip(segments, bounds, [*bounds[1:], len(docnums)],
                                            strict=True):
        if start == end:
            continue
        if budget.spent():
            return found
        here = docnums[start:end]
        # (candidate, position) of the first word from which every later word follows in
        # turn, as one number each: candidate << 32 | position
        starts: np.ndarray | None = None
        for j, word in enumerate(words):
            owners, positions = _positions(format_, *_values(postings, reader, fieldnames,
                                                             word, here, offset))
            kept = positions >= j  # (the word cannot be the phrase's j-th there)
            keys = np.sort(owners[kept] << 32 | (positions[kept] - j))
            starts = keys if starts is None else starts[among_sorted(starts, keys)]
            if not len(starts):
                break
        if starts is not None:
            found[start + (starts >> 32)] = True
    return found


def _values(postings: PostingReader, reader: Any, fieldnames: Sequence[str], word: str,
            docnums: np.ndarray, offset: int) -> tuple[list[bytes], list[int]]:
    """The encoded positions of the word in one segment's `docnums` (each holding the word
    in one field at least), a value for each field that holds it there, with the index in
    `docnums` of the document each is in."""
    values: list[bytes] = []
    owners: list[int] = []
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
        values += [read[docnum] for docnum in local.tolist()]
        owners += at.tolist()
    return values, owners


def _positions(format_: Any, values: list[bytes], owners: list[int]
               ) -> tuple[np.ndarray, np.ndarray]:
    """(owner, position) of every position in the values, by the field format's batch
    decoder (CompactPositions) or one value at a time (Whoosh's own Positions)."""
    if hasattr(format_, "decode_many"):
        index, positions = format_.decode_many(values)
        return np.asarray(owners, dtype=np.int64)[index], positions
    decoded = [format_.decode_positions(value) for value in values]
    return (np.repeat(np.asarray(owners, dtype=np.int64), [len(d) for d in decoded]),
            np.fromiter((p for d in decoded for p in d), dtype=np.int64))
