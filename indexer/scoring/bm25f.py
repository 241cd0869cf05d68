"""BM25F as Whoosh computes it, as a pure function of numbers (arrays or scalars)."""

from __future__ import annotations

from typing import TypeVar

import numpy as np

B, K1 = 0.75, 1.2
Number = TypeVar("Number", float, np.ndarray)


def bm25f(idf: float, tf: Number, length: Number, avg_length: float, b: float = B,
          k1: float = K1) -> Number:
    """A term's BM25F score in a document: `tf` occurrences in a field of `length` tokens
    (Whoosh's stored, quantized length) against the field's `avg_length`, for a term of
    inverse document frequency `idf`. The operations are Whoosh's, in its order, so the
    floats come out the same."""
    scale = idf * (k1 + 1)
    base, per_length = k1 * (1 - b), k1 * b / avg_length
    return scale * tf / (tf + base + per_length * length)
