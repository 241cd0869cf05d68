"""What the planner asks of an index: which terms it has, in how many documents, which
words begin with a beginning, lie within a small edit distance, or begin like a word. The
service answers over the live index (service.IndexVocabulary); tests can answer from a
word list, without building an index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Vocabulary(Protocol):
    def doc_frequency(self, field: str, text: str) -> int:
        """How many documents hold the term (0: the index does not have it)."""

    def frequency(self, field: str, text: str) -> float:
        """How often the term occurs in all (0 for a field the index does not have)."""

    def with_prefix(self, field: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        """Up to `limit` (word, document frequency) of the field's words beginning with
        `prefix`, most frequent first (indexer.expansion.expand_prefix)."""

    def within(self, field: str, word: str) -> dict[str, int]:
        """The field's words within edit distance 1 (2 for long words) of `word`, same first
        letter, with their document frequencies (typos.typo_candidates)."""

    def near(self, field: str, word: str,
             beginnings: Callable[[str], tuple[str, ...]] | None) -> list[str]:
        """The commonest words beginning like `word` (indexer.near_words.near_words)."""
