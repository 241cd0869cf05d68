"""Long posting lists kept a second time as plain arrays, one file per index segment.

Whoosh stores a term's postings as pickled, zlib-compressed blocks of 128 with their
positions; decoding them costs Python calls per posting, and a searcher's first query for
a common word paid that for the whole list, in every server process. Ranking needs only
document numbers and term frequencies: a build writes those, for every term with at least
MIN_POSTINGS postings in a segment, to `<segment id>.pfterms` beside the segment's files,
as it writes the segment (whoosh_adapter.PolyfindCodec: Whoosh's codec, whose segment
writer keeps the lists it is writing). This module is the file format only, without Whoosh.
Searchers map the file read-only, so a list costs two slices of the page cache, which the
server's processes share.

The file belongs to its segment: Whoosh removes it with the segment's own files when a
merge retires the segment (its name matches Whoosh's segment file pattern). Deleted
documents are filtered at query time, as for Whoosh's own postings. A segment without the
file (an older index, a failed write) is scored from Whoosh's postings, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from . import segment_files
from .page_maps import will_read

SUFFIX = ".pfterms"
MAGIC = b"PFTERMS1"
# Shorter lists fit in one of Whoosh's blocks: one decode, as cheap as the lookup itself.
MIN_POSTINGS = 128
# Term frequencies are counts; a list whose weights are not small whole numbers is kept
# as float32 instead.
WEIGHT_TYPES = {"H": np.uint16, "f": np.float32}

Entry = tuple[int, int, str]  # offset, count, weight type


def path_for(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{SUFFIX}"


class ArraysWriter:
    """Writes one segment's file, list by list (through a temporary name, so a reader
    never sees half a file)."""

    def __init__(self, path: Path):
        self.path = path
        self._partial = path.with_suffix(SUFFIX + ".part")
        self._out = open(self._partial, "wb")  # noqa: SIM115 - closed in close()
        segment_files.start(self._out, MAGIC)
        self._index: dict[tuple[str, str], Entry] = {}

    def add(self, fieldname: str, text: str, docnums: np.ndarray, weights: np.ndarray) -> None:
        out = self._out
        kind = "H" if _small_counts(weights) else "f"
        offset = out.tell()
        out.write(docnums.astype("<u4").tobytes())
        out.write(weights.astype(np.dtype(WEIGHT_TYPES[kind]).newbyteorder("<")).tobytes())
        out.write(b"\0" * (-out.tell() % 4))  # keep the next list 4-byte aligned
        self._index[(fieldname, text)] = (offset, len(docnums), kind)

    def close(self) -> None:
        segment_files.finish(self._out, MAGIC, self._index)
        self._out.close()
        self._partial.replace(self.path)


def write(path: Path, lists: Iterator[tuple[str, str, np.ndarray, np.ndarray]]) -> None:
    """Write (fieldname, text, docnums, weights) lists to `path`."""
    writer = ArraysWriter(path)
    for fieldname, text, docnums, weights in lists:
        writer.add(fieldname, text, docnums, weights)
    writer.close()


def _small_counts(weights: np.ndarray) -> bool:
    return bool(len(weights) == 0 or (weights.min() >= 0 and weights.max() < 2**16
                                      and np.all(weights == np.floor(weights))))


class TermArrays:
    """One segment's file, mapped read-only; `get` gives a term's (docnums, weights)."""

    def __init__(self, path: Path):
        self._map, self._index = segment_files.mapped(path, MAGIC)

    @classmethod
    def open(cls, path: Path) -> TermArrays | None:
        """The file's arrays, or None when it is missing or damaged (Whoosh's postings
        then serve alone)."""
        return segment_files.opened(cls, path, "scoring from Whoosh's postings")

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        entry = self._index.get((fieldname, text))
        if entry is None:
            return None
        offset, count, kind = entry
        weight_type = np.dtype(WEIGHT_TYPES[kind]).newbyteorder("<")
        will_read(self._map, offset, (4 + weight_type.itemsize) * count)  # read whole
        docnums = np.frombuffer(self._map, dtype="<u4", count=count, offset=offset)
        weights = np.frombuffer(self._map, dtype=weight_type, count=count,
                                offset=offset + 4 * count)
        return docnums, weights

    def __len__(self) -> int:
        return len(self._index)


def __getattr__(name: str) -> object:
    """PolyfindCodec, for indexes whose segments pickled it under this module's name
    (it lives in whoosh_adapter now; imported on demand, so no import cycle)."""
    if name == "PolyfindCodec":
        from .whoosh_adapter import PolyfindCodec
        return PolyfindCodec
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
