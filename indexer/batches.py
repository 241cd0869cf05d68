"""A big build's documents cut into batches whose postings fit the writers' sort memory.

Whoosh's writer sorts a segment's postings in memory (`limitmb`) and spills what does not
fit to runs on disk that it merges back posting by posting, the costliest step of a big
build. Each batch is one commit (one segment per writer process), sized not to spill.

What a document takes in that memory depends on its language more than on its length: a
posting is one word of one field of one document, and languages differ in how many
distinct words a text has and in how many of its words have a stem or folded form of
their own (on the real-vocabulary benchmark corpus, Hebrew takes six times the memory a
character that Afrikaans does). So each language's rate is measured, with Whoosh's own
count, on its first documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from whoosh.fields import Schema

from .schema import document_fields

if TYPE_CHECKING:
    from .corpus import Document

# Documents of each language whose postings are counted, for its rate a character.
SAMPLE_DOCUMENTS = 24
# A bound on the sort memory a character of any language's text takes (the highest rate
# measured, Hebrew's, is 54 bytes): below it, a build that fits in one batch is never
# sampled.
MAX_BYTES_PER_CHAR = 64


def pool_bytes(schema: Schema, doc: Document) -> int:
    """The sort memory Whoosh's writer counts for a document's postings: per posting, a
    tuple of the field name, term, document number, weight and value (whoosh.writing's
    PostingPool.add)."""
    total = 0
    for name, value in document_fields(doc).items():
        field = schema[name]
        if field.indexed:
            for term, _freq, _weight, data in field.index(value):
                total += 150 + len(name) + 2 * len(term) + len(data or b"")
    return total


class PoolEstimate:
    """A document's sort memory: counted for the first SAMPLE_DOCUMENTS documents of its
    language, then that language's rate a character times its length."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema
        self._samples: dict[str, tuple[int, int, int]] = {}  # lang -> documents, chars, bytes

    def __call__(self, doc: Document) -> int:
        chars = _chars(doc)
        documents, sampled_chars, sampled_bytes = self._samples.get(doc.lang, (0, 0, 0))
        if documents < SAMPLE_DOCUMENTS:
            size = pool_bytes(self._schema, doc)
            self._samples[doc.lang] = (documents + 1, sampled_chars + chars,
                                       sampled_bytes + size)
            return size
        return chars * sampled_bytes // max(sampled_chars, 1)


def batches(documents: Iterator[Document], budget: int, estimate: PoolEstimate
            ) -> Iterator[tuple[list[Document], bool]]:
    """The documents in batches of at most `budget` bytes of sort memory (one document at
    least), each with whether it is the last; the last may be empty. Until the bound of
    MAX_BYTES_PER_CHAR would pass the budget, nothing is sampled."""
    batch: list[Document] = []
    held = 0
    estimated = False
    for doc in documents:
        if not estimated and held + _bound(doc) > budget:
            estimated = True  # from here on, sampled rates
            held = sum(estimate(kept) for kept in batch)
        cost = estimate(doc) if estimated else _bound(doc)
        if batch and held + cost > budget:
            yield batch, False
            batch, held = [], 0
        batch.append(doc)
        held += cost
    yield batch, True


def _bound(doc: Document) -> int:
    return _chars(doc) * MAX_BYTES_PER_CHAR


def _chars(doc: Document) -> int:
    return len(doc.title) + len(doc.body)
