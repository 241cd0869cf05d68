"""Long posting lists kept a second time as plain arrays, one file per index segment.

Whoosh stores a term's postings as pickled, zlib-compressed blocks of 128 with their
positions; decoding them costs about a microsecond a posting, so a searcher's first query
for a common word (50,000 postings at 50k documents) paid tens of milliseconds for it, in
every server process. Ranking needs only document numbers and term frequencies: a build
writes those, for every term with at least MIN_POSTINGS postings in a segment, to
`<segment id>.pfterms` beside the segment's files, as it writes the segment
(PolyfindCodec: Whoosh's codec, whose segment writer keeps the lists it is writing).
Searchers map the file read-only, so a list costs two slices of the page cache, which the
server's processes share.

The file belongs to its segment: Whoosh removes it with the segment's own files when a
merge retires the segment (its name matches Whoosh's segment file pattern). Deleted
documents are filtered at query time, as for Whoosh's own postings. A segment without the
file (an older index, a failed write) is scored from Whoosh's postings, as before.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import struct
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter

from .schema import is_scored, scored_fields

SUFFIX = ".pfterms"
MAGIC = b"PFTERMS1"
HEADER = struct.Struct("<8sQQ")  # magic, index offset, index length
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
        self._out.write(HEADER.pack(MAGIC, 0, 0))
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
        out = self._out
        where = out.tell()
        table = pickle.dumps(self._index, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(table)
        out.seek(0)
        out.write(HEADER.pack(MAGIC, where, len(table)))
        out.close()
        self._partial.replace(self.path)


def write(path: Path, lists: Iterator[tuple[str, str, np.ndarray, np.ndarray]]) -> None:
    """Write (fieldname, text, docnums, weights) lists to `path`."""
    writer = ArraysWriter(path)
    for fieldname, text, docnums, weights in lists:
        writer.add(fieldname, text, docnums, weights)
    writer.close()


class PolyfindCodec(W3Codec):
    """Whoosh's own codec (same files, same format), whose segment writer also writes the
    segment's term arrays from the postings it is writing anyway: no second pass over the
    segment. Pickled with each segment, so this class must stay importable here."""

    def field_writer(self, storage, segment):
        return _ArraysFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors: no ranking lists there
            return super().postings_writer(dbfile, byteids)
        return _KeepingPostingsWriter(dbfile, blocklimit=self._blocklimit,
                                      compression=self._compression,
                                      inlinelimit=self._inlinelimit)


class _KeepingPostingsWriter(W3PostingsWriter):
    """Keeps a copy of each block's docnums and weights for the term being written (one
    array extend a block of 128, not a call a posting)."""

    def start_postings(self, format_, terminfo):
        super().start_postings(format_, terminfo)
        self.kept_ids, self.kept_weights = array("I"), array("f")

    def _write_block(self, last=False):
        self.kept_ids.extend(self._ids)
        self.kept_weights.extend(self._weights)
        super()._write_block(last)


class _ArraysFieldWriter(W3FieldWriter):
    """Puts the long lists of ranked fields, as the postings writer kept them, in the
    segment's term arrays."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        folder = getattr(storage, "folder", None)  # None: an index in memory, no files
        self._arrays = ArraysWriter(path_for(Path(folder), segment.segment_id())) \
            if folder else None
        self._ranked = False

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._ranked = self._arrays is not None and is_scored(fieldobj)

    def finish_term(self):
        super().finish_term()
        kept = self._postwriter
        if self._ranked and len(kept.kept_ids) >= MIN_POSTINGS:
            self._arrays.add(self._fieldname, self._btext.decode("utf-8"),
                             np.frombuffer(kept.kept_ids, dtype=np.uint32),
                             np.frombuffer(kept.kept_weights, dtype=np.float32))

    def close(self):
        super().close()
        if self._arrays is not None:
            self._arrays.close()


def _small_counts(weights: np.ndarray) -> bool:
    return bool(len(weights) == 0 or (weights.min() >= 0 and weights.max() < 2**16
                                      and np.all(weights == np.floor(weights))))


class TermArrays:
    """One segment's file, mapped read-only; `get` gives a term's (docnums, weights)."""

    def __init__(self, path: Path):
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        magic, where, length = HEADER.unpack_from(self._map, 0)
        if magic != MAGIC or where + length != len(self._map):
            raise ValueError(f"{path} is not a complete {SUFFIX} file")
        self._index: dict[tuple[str, str], Entry] = pickle.loads(self._map[where:where + length])

    @classmethod
    def open(cls, path: Path) -> TermArrays | None:
        """The file's arrays, or None when it is missing or damaged (Whoosh's postings
        then serve alone)."""
        try:
            return cls(path)
        except (OSError, ValueError, pickle.UnpicklingError, struct.error, EOFError):
            return None

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        entry = self._index.get((fieldname, text))
        if entry is None:
            return None
        offset, count, kind = entry
        docnums = np.frombuffer(self._map, dtype="<u4", count=count, offset=offset)
        weights = np.frombuffer(self._map, dtype=np.dtype(WEIGHT_TYPES[kind]).newbyteorder("<"),
                                count=count, offset=offset + 4 * count)
        return docnums, weights

    def __len__(self) -> int:
        return len(self._index)


def write_missing(folder: Path, parallel_from: int) -> int:
    """Write the file of every segment of the index in `folder` that has none (a full
    build: all; an incremental one: its new segments). With `parallel_from` documents or
    more to read, one process per core. Returns how many files were written."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        todo = [(r.segment().segment_id(), r.doc_count_all())
                for r, _offset in reader.leaf_readers()
                if r.segment() is not None
                and not path_for(folder, r.segment().segment_id()).exists()]
    if not todo:
        return 0
    cores = min(os.cpu_count() or 1, len(todo))
    jobs = [(str(folder), segment_id) for segment_id, _count in todo]
    if cores > 1 and sum(count for _id, count in todo) >= parallel_from:
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            pool.starmap(_write_segment, jobs)
    else:
        for job in jobs:
            _write_segment(*job)
    return len(jobs)


def _write_segment(folder: str, segment_id: str) -> None:
    from whoosh import index as whoosh_index

    from .ranking import posting_blocks, without_filter

    ix = whoosh_index.open_dir(folder)
    with ix.reader() as multi:
        reader = next(r for r, _offset in multi.leaf_readers()
                      if r.segment().segment_id() == segment_id)

        def long_lists() -> Iterator[tuple[str, str, np.ndarray, np.ndarray]]:
            for fieldname in scored_fields(reader.schema):
                for term, info in reader.iter_field(fieldname):
                    if info.doc_frequency() < MIN_POSTINGS:
                        continue
                    # deleted documents included: deletions change, the segment does not
                    blocks = list(posting_blocks(without_filter(reader.postings(fieldname,
                                                                               term))))
                    text = term.decode("utf-8") if isinstance(term, bytes) else term
                    yield (fieldname, text, np.concatenate([ids for ids, _ in blocks]),
                           np.concatenate([weights for _, weights in blocks]))

        write(path_for(Path(folder), segment_id), long_lists())
