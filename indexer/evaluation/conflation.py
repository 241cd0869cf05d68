"""How well a system's index terms group the written forms of one lemma (gold: UD lemmas).

Over the distinct written forms of content words: a pair of forms is *gold* when the two
share a lemma, and *conflated* when the system gives them a common index term. Recall =
gold pairs conflated / gold pairs; precision = conflated pairs that are gold / conflated
pairs (pairs, not forms: a lemma with n forms weighs n(n-1)/2, as in the retrieval it
predicts, where any of its forms may be typed for any other).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from .ud import Word

Terms = Callable[[str], Iterable[str]]


@dataclass(frozen=True)
class Conflation:
    precision: float
    recall: float
    f1: float
    gold_pairs: int
    conflated_pairs: int

    def to_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "gold_pairs": self.gold_pairs,
                "conflated_pairs": self.conflated_pairs}


def lemma_forms(words: Iterable[Word]) -> dict[str, set[str]]:
    """written form -> its lemmas (a form may belong to more than one)."""
    lemmas: dict[str, set[str]] = defaultdict(set)
    for word in words:
        lemmas[word.form].add(word.lemma)
    return lemmas


def conflation(lemmas: dict[str, set[str]], terms: Terms) -> Conflation:
    forms = sorted(lemmas)
    gold = _pairs(forms, lambda f: lemmas[f])
    conflated = _pairs(forms, terms)
    hits = len(gold & conflated)
    precision = hits / len(conflated) if conflated else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Conflation(precision, recall, f1, len(gold), len(conflated))


def _pairs(forms: list[str], keys: Terms) -> set[tuple[int, int]]:
    """(i, j), i < j, of forms that share a key."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        for key in set(keys(form)):
            groups[key].append(i)
    return {pair for members in groups.values() for pair in combinations(members, 2)}
