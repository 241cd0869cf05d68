"""Whoosh 3's postings file read from a read-only map (part of the adapter: only
indexer.whoosh_adapter uses it, behind its capability probe).

A posting list is a 4-byte tag and blocks of up to 128 postings; a block is its signed
length (negative: the last block), a pickled header tuple (count, last docnum, highest
weight, compressed?, shortest and longest field length) and the pickled (zlib-compressed
when the flag says so) tuple of (delta-coded docnums, weights, values). Whoosh's matcher
reads a block through a seek, a tell and several reads of a buffered file, and builds its
state on the way; a cold search reads thousands of lists, most of them one block.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from .page_maps import read_only_map, will_read

BLOCK_TAG = b"W3Bl"
_LENGTH = struct.Struct("!i")
# A term info (Whoosh 3's W3TermInfo): flags (1: postings inlined), total weight, document
# frequency, shortest and longest length, highest weight, first and last docnum; then the
# pickled inlined postings, or the list's offset in the postings file and its length.
TERM_INFO = struct.Struct("!BfIBBfII")
_SPAN = struct.Struct("!qi")  # a list's offset in the postings file, its length
Span = tuple[int, int]


class PostingsMap:
    """One segment's postings file, mapped read-only (the server's processes share its
    pages in the page cache)."""

    def __init__(self, fileno: int):
        self.data = read_only_map(fileno)

    def headers(self, span: Span) -> Iterator[tuple[int, bytes, int, bool]]:
        """(last docnum, the block's bytes, where its data begins in them, compressed?) of
        each block of the posting list at `span`, in order."""
        data, (offset, size) = self.data, span
        will_read(data, offset, size)  # every block's header is read
        if data[offset:offset + len(BLOCK_TAG)] != BLOCK_TAG:
            raise ValueError(f"no posting list at offset {offset} of the postings file")
        position = offset + len(BLOCK_TAG)
        while True:
            length = _LENGTH.unpack_from(data, position)[0]
            start = position + _LENGTH.size
            position = start + abs(length)
            block = data[start:position]
            reading = io.BytesIO(block)
            header = pickle.load(reading)
            yield header[1], block, reading.tell(), bool(header[3])
            if length < 0:
                return

    def blocks(self, span: Span) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(docnums, weights) per block of the posting list at `span`."""
        for _last, block, at, compressed in self.headers(span):
            stored = block_data(block, at, compressed)
            yield block_ids(stored).astype(np.int32), block_weights(stored)

    def values(self, span: Span, wanted: np.ndarray) -> dict[int, bytes]:
        """docnum -> value (encoded positions) of the list's postings at the `wanted`
        docnums (ascending) it holds, decoding only the blocks that may hold them."""
        found: dict[int, bytes] = {}
        k = 0
        for last, block, at, compressed in self.headers(span):
            upto = int(np.searchsorted(wanted, last, side="right"))
            if upto > k:
                stored = block_data(block, at, compressed)
                ids, values = block_ids(stored), stored[2]
                for j, docnum in zip(np.searchsorted(ids, wanted[k:upto]).tolist(),
                                     wanted[k:upto].tolist(), strict=True):
                    if j < len(ids) and ids[j] == docnum:
                        found[docnum] = values[j]
                k = upto
            if k == len(wanted):
                break
        return found


def block_data(block: bytes, at: int, compressed: bool) -> tuple:
    """A block's stored (delta-coded docnums, weights, values) tuple."""
    payload = block[at:]
    return pickle.loads(zlib.decompress(payload) if compressed else payload)


def block_ids(stored: tuple) -> np.ndarray:
    """A block's docnums (stored as the gaps between them)."""
    return np.cumsum(np.array(stored[0], dtype=np.int64))


def block_weights(stored: tuple) -> np.ndarray:
    """A block's weights: stored as None when all are 1, one number when all are equal,
    else one per posting."""
    weights, count = stored[1], len(stored[0])
    if weights is None or isinstance(weights, (int, float)):
        return np.full(count, 1.0 if weights is None else float(weights))
    return np.array(weights, dtype=np.float64)


def list_span(value: bytes) -> Span | None:
    """Where a term's posting list starts in the postings file and its length in bytes,
    from its term info's bytes (None: its postings are inlined in the term info)."""
    if value[0]:
        return None
    offset, size = _SPAN.unpack_from(value, TERM_INFO.size)
    return int(offset), int(size)


def inlined(value: bytes) -> tuple[Any, Any, Any]:
    """The (docnums, weights, values) inlined in a term info's bytes."""
    found: tuple[Any, Any, Any] = pickle.loads(value[TERM_INFO.size:])
    return found
