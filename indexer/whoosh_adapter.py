"""Every use of Whoosh's private internals, in one place, behind a capability probe.

polyfind reads postings a block at a time, field lengths as one slice of a column, and
writes term arrays as Whoosh's codec writes a segment (PolyfindCodec). All of that relies
on names Whoosh does not promise to keep. At start-up `capabilities()` writes and reads a
small index through them and compares with Whoosh's public API; if anything differs or is
missing, polyfind logs it once and uses the public API and Whoosh's standard codec instead
(slower, never broken).
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import pickle
import struct
import tempfile
import types
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

import numpy as np
from whoosh import writing as whoosh_writing
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.filedb.structfile import StructFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import IS_LITTLE, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from . import typo_lists, whoosh_maps
from .analysis.whoosh_analyzer import AnalyzedText
from .page_maps import read_only_map
from .schema import is_scored
from .term_arrays import MIN_POSTINGS, ArraysWriter, TermArrays, path_for
from .typo_lists import TypoListsWriter

log = logging.getLogger(__name__)

# Whoosh stores a field's length per document as one byte; this decodes all 256 values.
LENGTH_OF_BYTE = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.uint32)


@dataclass(frozen=True)
class Capabilities:
    """Which private paths work with the installed Whoosh (False: the public API serves)."""

    blocks: bool  # posting blocks read whole from the leaf matcher
    lengths: bool  # field lengths read as one column slice
    codec: bool  # segments written with their term arrays
    reason: str = ""
    terms: bool = False  # a segment's term dictionary scanned from its file


try:  # the codec subclass needs Whoosh 3's codec classes
    from whoosh.codec.whoosh3 import (
        LENGTHS_COLUMN,
        W3Codec,
        W3FieldWriter,
        W3PostingsWriter,
        W3TermInfo,
    )
    from whoosh.codec.whoosh3 import _lenfield as _length_field
    _CODEC_IMPORT_ERROR = ""
except ImportError as error:  # pragma: no cover - depends on the installed Whoosh
    _CODEC_IMPORT_ERROR = f"whoosh.codec.whoosh3: {error}"
    W3Codec = W3FieldWriter = W3PostingsWriter = W3TermInfo = object  # type: ignore[assignment,misc]

# Whoosh pickles posting blocks and inlined postings with protocol 2, which writes each
# bytes value (a posting's positions) as a latin-1 string rebuilt through codecs.encode:
# about 30 bytes of overhead a posting. Protocol 3 writes bytes as they are; Whoosh reads
# any protocol (pickle.loads). Without the memo (fast mode: these tuples hold no cycles)
# each tuple and value saves its 2-byte memo entry.
PICKLE_PROTOCOL = 3
# Terms with fewer postings than this keep them in the term index (inlined) instead of a
# block of their own in the postings file (a block's header and statistics cost more than
# one posting); Whoosh's default, 1, inlines nothing.
INLINE_LIMIT = 2


def _stored_weight(weight: float) -> float | int:
    """A posting's weight as pickled: a whole number (a term frequency) as an int, 2 bytes
    pickled instead of a 9-byte float; read back, it scores the same."""
    return int(weight) if float(weight).is_integer() else weight


def _dumps(obj: Any, protocol: int | None = None) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, PICKLE_PROTOCOL)
    pickler.fast = True
    pickler.dump(obj)
    return out.getvalue()


def _pickling_compactly(function: Any) -> Any:
    """Whoosh's own codec function, unchanged except that its pickles use PICKLE_PROTOCOL
    (its module's `dumps` replaced for this copy only)."""
    if not isinstance(function, types.FunctionType):
        return function
    scope = dict(function.__globals__, dumps=_dumps)
    return types.FunctionType(function.__code__, scope, function.__name__,
                              function.__defaults__, function.__closure__)


class PolyfindCodec(W3Codec):
    """Whoosh's own codec (same files, same format), whose segment writer also writes the
    segment's term arrays from the postings it is writing anyway: no second pass over the
    segment. Pickled with each segment, so this class must stay importable here (and, for
    indexes written before this module existed, as indexer.term_arrays.PolyfindCodec).
    Terms of one posting are inlined into the term index (INLINE_LIMIT) and pickles are
    compact (PICKLE_PROTOCOL); Whoosh's reader reads both."""

    def __init__(self, blocklimit: int = 128, compression: int = 3,
                 inlinelimit: int = INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression,
                         inlinelimit=inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _ArraysFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # term vectors: no ranking lists there
            return super().postings_writer(dbfile, byteids)
        if type(dbfile) is StructFile:
            _CountingFile.adopt(dbfile)
        return _KeepingPostingsWriter(dbfile, blocklimit=self._blocklimit,
                                      compression=self._compression,
                                      inlinelimit=self._inlinelimit)


class _CountingFile(StructFile):
    """Whoosh's file of postings, its position counted as it is written: Whoosh's postings
    writer asks for it twice a term of more than one posting, and each asking was a system
    call (lseek) through the buffered file. The count is checked against the file's own
    position when it is closed: a wrong one would have written wrong offsets, and the
    segment is refused."""

    _position: int

    @classmethod
    def adopt(cls, dbfile: StructFile) -> None:
        """Make Whoosh's postings file (nothing written through it yet) one of these."""
        dbfile.__class__ = cls
        cast(_CountingFile, dbfile)._position = dbfile.file.tell()

    def write(self, data: Any) -> Any:
        self._position += len(data)
        return self.file.write(data)

    def tell(self, *args: Any, **kwargs: Any) -> int:
        return self._position

    def write_array(self, arry: array) -> None:
        if IS_LITTLE:  # Whoosh's files are big-endian
            arry = array(arry.typecode, arry)
            arry.byteswap()
        self.write(arry.tobytes())

    def seek(self, *args: Any, **kwargs: Any) -> Any:
        found = self.file.seek(*args, **kwargs)
        self._position = self.file.tell()
        return found

    def close(self) -> None:
        if not self.is_closed and self._position != self.file.tell():
            raise RuntimeError(f"postings file {self._name}: {self._position} bytes counted, "
                               f"the file is at {self.file.tell()}")
        super().close()



class _CompactTermInfo(W3TermInfo):
    """Whoosh's term info, its inlined postings pickled compactly (read as Whoosh's)."""

    to_bytes = _pickling_compactly(W3TermInfo.to_bytes)

    def set_inline(self, ids: Any, weights: Any, values: Any) -> None:
        """Whoosh's postings writer calls `set_inline` when it inlines, a name its term info
        lacks (`set_inlined`): with its default limit that path never runs. Whole-number
        weights (term frequencies) are kept as ints: 2 bytes pickled, not a 9-byte float;
        read back, they score the same."""
        self.set_inlined(ids, [_stored_weight(w) for w in weights], values)


class _KeepingPostingsWriter(W3PostingsWriter):
    """Keeps a copy of each block's docnums and weights for the term being written (one
    array extend a block of 128, not a call a posting); writes blocks compactly."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._inline_valued = self._inlinelimit

    def start_postings(self, format_: Any, terminfo: Any) -> None:
        # Only postings with values are inlined: Whoosh reads an inlined posting without
        # one as "" (a str), which its merge of segments refuses.
        self._inlinelimit = 1 if format_.fixed_value_size() == 0 else self._inline_valued
        if not isinstance(terminfo, _CompactTermInfo):
            terminfo = _CompactTermInfo()
        super().start_postings(format_, terminfo)
        self.kept_ids, self.kept_weights = NO_IDS, NO_WEIGHTS  # most terms: no block written

    _write_compact_block = _pickling_compactly(W3PostingsWriter._write_block)

    def _mini_weights(self) -> Any:
        """Whoosh's minified weights (None: all 1; one float: all equal; else a tuple),
        the tuple's whole numbers (term frequencies) as ints: 2 bytes pickled, not 9.
        Read back, they score the same."""
        weights = super()._mini_weights()
        if isinstance(weights, tuple):
            return tuple(_stored_weight(w) for w in weights)
        return weights

    def add_term(self, postings: list[tuple[Any, ...]], codes: bytes | None) -> None:
        """All of one term's postings (docnum order) at once, as Whoosh's add_posting would
        have buffered them one by one: a block's ids, weights, values and statistics set in
        one go (a build calls this once a term, not six methods a posting). `codes` are
        the field's one-byte length codes per docnum (None: no lengths)."""
        limit = self._blocklimit
        for start in range(0, len(postings), limit):
            if start:
                self._write_block()
            block = postings[start:start + limit]
            self._ids = ids = array("I", [p[2] for p in block])
            self._weights = array("f", [p[3] for p in block])
            self._values = [p[4] for p in block if p[4]]
            self._maxweight = max(0, max(p[3] for p in block))
            if codes is not None:
                present = [code for code in map(codes.__getitem__, ids) if code]
                if present:  # Whoosh's block keeps lengths decoded; the order is the same
                    self._minlength = _LENGTHS[min(present)]
                    self._maxlength = _LENGTHS[max(present)]

    def _write_block(self, last: bool = False) -> None:
        if self.kept_ids is NO_IDS:
            self.kept_ids, self.kept_weights = array("I"), array("f")
        self.kept_ids.extend(self._ids)
        self.kept_weights.extend(self._weights)
        self._write_compact_block(last)


# shared by terms whose postings are inlined, never extended
NO_IDS, NO_WEIGHTS = array("I"), array("f")
# a length code's length, as a Python int (Whoosh's byte_to_length, tabled)
_LENGTHS = [int(length) for length in LENGTH_OF_BYTE]
_FIELD, _TEXT = itemgetter(0), itemgetter(1)
# Whoosh 3's term info header
_INLINED_INFO = getattr(W3TermInfo, "_struct", struct.Struct("!BfIBBfII"))


class _ArraysFieldWriter(W3FieldWriter):
    """Puts the long lists of ranked fields, as the postings writer kept them, in the
    segment's term arrays."""

    def __init__(self, codec: Any, storage: Any, segment: Any):
        super().__init__(codec, storage, segment)
        if type(self._tindex) is OrderedHashWriter:
            _TermIndexWriter.adopt(self._tindex)
        folder = getattr(storage, "folder", None)  # None: an index in memory, no files
        self._arrays = ArraysWriter(path_for(Path(folder), segment.segment_id())) \
            if folder else None
        self._typos = TypoListsWriter(typo_lists.path_for(Path(folder), segment.segment_id())) \
            if folder else None
        self._ranked = False

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        super().start_field(fieldname, fieldobj)
        self._ranked = self._arrays is not None and is_scored(fieldobj)

    def start_term(self, btext: bytes) -> None:
        # Whoosh's own start_term, with the compact term info made once, not twice
        if self._postwriter is None:
            super().start_term(btext)
            return
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, _CompactTermInfo())

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        """Whoosh's add_postings (sorted postings → fields → terms → blocks, the costliest
        step of a build) with the postings handed over a term at a time: the same bytes
        written, without Whoosh's six method calls and a length lookup per posting."""
        for fieldname, postings in groupby(items, key=_FIELD):
            fieldobj = schema[fieldname]
            self.start_field(fieldname, fieldobj)
            codes = _field_length_codes(lengths, fieldname)
            inline = self._codec._inlinelimit > 1 and fieldobj.format.fixed_value_size() != 0
            key, add = pack_ushort(self._fieldid), self._tindex.add
            writer = self._postwriter
            typos = self._typos if self._typos is not None and typo_lists.is_typo_field(
                fieldname) else None
            for btext, term in groupby(postings, key=_TEXT):
                listed = list(term)
                if listed[0][2] == -1:  # a spelling word (docnum -1, sorted first): no posting
                    listed = [p for p in listed if p[2] != -1]
                if typos is not None and listed:
                    typos.add(fieldname, btext.decode("utf-8"))
                if len(listed) == 1 and inline and listed[0][4]:
                    add(key + btext, _one_posting_info(listed[0], codes))
                elif listed:
                    self.start_term(btext)
                    writer.add_term(listed, codes)
                    self.finish_term()
            self.finish_field()

    def finish_term(self) -> None:
        super().finish_term()
        kept = self._postwriter
        if self._ranked and self._arrays is not None and len(kept.kept_ids) >= MIN_POSTINGS:
            self._arrays.add(self._fieldname, self._btext.decode("utf-8"),
                             np.frombuffer(kept.kept_ids, dtype=np.uint32),
                             np.frombuffer(kept.kept_weights, dtype=np.float32))

    def close(self) -> None:
        super().close()
        if self._arrays is not None:
            self._arrays.close()
        if self._typos is not None:
            self._typos.close()


def _one_posting_info(posting: tuple[Any, ...], codes: bytes | None) -> bytes:
    """The term index's value for a term of one posting, inlined: what Whoosh's term info
    (_CompactTermInfo) writes for it, made without the term info object and its
    postings writer (most terms of a growing vocabulary have one posting)."""
    _field, _text, docnum, weight, value = posting
    code = codes[docnum] if codes is not None and docnum < len(codes) else 0
    return _INLINED_INFO.pack(True, weight, 1, code, code, weight, docnum, docnum) \
        + one_posting_pickle(docnum, _stored_weight(weight), value)


def one_posting_pickle(docnum: int, weight: float | int, value: Any) -> bytes:
    """_dumps(((docnum,), (weight,), (value,))), the inlined posting, spelt out opcode by
    opcode (pickle protocol 3, no memo): the same bytes without a pickler made and run for
    each of the many one-posting terms. Values of other types are pickled by _dumps."""
    number, stored = _pickled_int(docnum), _pickled_number(weight)
    if number is None or stored is None or type(value) is not bytes:
        return _dumps(((docnum,), (weight,), (value,)))
    size = len(value)
    data = (b"C" + _BYTE.pack(size) if size < 256 else b"B" + _LE_UINT.pack(size)) + value
    return b"".join((b"\x80\x03", number, b"\x85", stored, b"\x85", data, b"\x85\x87."))


_BYTE, _LE_USHORT, _LE_INT, _LE_UINT = (struct.Struct(f) for f in ("<B", "<H", "<i", "<I"))
_BE_DOUBLE = struct.Struct(">d")


def _pickled_int(n: int) -> bytes | None:
    """An int as pickle writes it (BININT1, BININT2, BININT); None past 32 bits."""
    if 0 <= n < 0x100:
        return b"K" + _BYTE.pack(n)
    if 0 <= n < 0x10000:
        return b"M" + _LE_USHORT.pack(n)
    if -0x80000000 <= n < 0x80000000:
        return b"J" + _LE_INT.pack(n)
    return None


def _pickled_number(x: float | int) -> bytes | None:
    if type(x) is float:
        return b"G" + _BE_DOUBLE.pack(x)
    return _pickled_int(x) if type(x) is int else None


class _TermIndexWriter(OrderedHashWriter):
    """Whoosh's term dictionary writer, writing the same bytes with fewer calls: a record
    in one write, its position counted instead of asked for, the MD5 hash's low 32 bits
    taken from the digest (Whoosh formats it in hex and parses that), each hash table in
    one write."""

    _position: int
    _hash: Any

    @classmethod
    def adopt(cls, writer: OrderedHashWriter) -> None:
        """Make the writer Whoosh made (its header written, nothing added yet) one of these."""
        writer.__class__ = cls
        adopted = cast(_TermIndexWriter, writer)
        adopted._position = adopted.dbfile.tell()
        adopted._hash = _hash_function(adopted.hashtype, adopted.hashfn)

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self._position
        self.index.append(position)
        self.dbfile.write(_RECORD.pack(len(key), len(value)) + key + value)
        keyhash = self._hash(key)
        self.buckets[keyhash & 255].append((keyhash, position))
        self._position = position + _RECORD.size + len(key) + len(value)
        self.lastkey = key

    def _write_hashes(self) -> None:
        dbfile, pack, empty = self.dbfile, _SLOT.pack, _SLOT.pack(0, 0)
        for entries in self.buckets:
            slots = 2 * len(entries)
            self.directory.append((dbfile.tell(), slots))
            table: list[tuple[int, int] | None] = [None] * slots
            for keyhash, position in entries:  # linear probing, as Whoosh's reader probes
                slot = (keyhash >> 8) % slots
                while table[slot] is not None:
                    slot = (slot + 1) % slots
                table[slot] = (keyhash, position)
            dbfile.write(b"".join(empty if e is None else pack(*e) for e in table))


def _md5_low(key: bytes) -> int:
    """Whoosh's md5_hash: the low 32 bits of the key's MD5."""
    return int.from_bytes(hashlib.md5(key, usedforsecurity=False).digest()[-4:], "big")


_remembered_md5_low = functools.lru_cache(maxsize=1 << 16)(_md5_low)


def _hash_function(hashtype: int, whooshs: Any) -> Any:
    """The hash file's key hash: _md5_low for Whoosh's MD5 (type 0), else Whoosh's own."""
    return _md5_low if hashtype == 0 else whooshs


def _field_length_codes(lengths: Any, fieldname: str) -> bytes | None:
    """The one-byte length code of each document of the segment being written (0: none),
    or None where lengths are not kept or not readable this way (then Whoosh's blocks
    record no lengths either: its lookup would find none)."""
    if lengths is None:
        return None
    count = lengths.doc_count_all()
    if not hasattr(lengths, "_cached_reader"):
        return bytes(length_to_byte(lengths.doc_field_length(n, fieldname) or 0)
                     for n in range(count))
    return _length_codes(lengths, fieldname, count).tobytes()


def writer_codec() -> dict[str, Any]:
    """The writer option for the codec: polyfind's where it works, else Whoosh's default.
    Where it works, Whoosh's writers also sort their postings as DocumentOrderPool does."""
    if not capabilities().codec:
        return {}
    # Whoosh's writers make their pools by this name
    whoosh_writing.PostingPool = DocumentOrderPool  # type: ignore[misc]
    return {"codec": PolyfindCodec()}


# Whoosh's estimate of a posting's bytes in memory besides its field name, term and value:
# the tuple 28 + 4 * 5, the field name 21, the term 26, the docnum 18, the weight 16, the
# value 21.
_POSTING_OVERHEAD = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


class DocumentOrderPool(whoosh_writing.PostingPool):
    """Whoosh's pool of a segment's postings, sorted in fewer steps when the postings came
    in document order, as a writer adding documents adds them.

    Whoosh sorts (field, term, docnum, weight, value) tuples whole: in a field's postings
    the field name is always equal, so every comparison goes on to the term and often the
    docnum. Here each field's postings are sorted apart, by term alone, with a stable sort,
    which keeps a term's postings in the order they came: document order. Postings that did
    not come in that order (docnums going back, as anything adding them term by term would)
    are sorted Whoosh's way; so are postings spilled to disk."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._last_docnum = -1
        self._in_document_order = True

    def add(self, item: tuple[Any, ...]) -> None:
        """Whoosh's add (its estimate of the posting's size in memory, which decides when
        the pool spills to disk), without its type assertions, noting the order."""
        if item[2] < self._last_docnum:
            self._in_document_order = False
        self._last_docnum = item[2]
        self.fieldnames.add(item[0])
        self.currentsize += _POSTING_OVERHEAD + len(item[0]) + 2 * len(item[1]) \
            + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def items(self, *args: Any, **kwargs: Any) -> Any:
        if self.runs or not self._in_document_order:
            return super().items(*args, **kwargs)
        by_field: dict[str, list[tuple[Any, ...]]] = {}
        for item in self.current:
            postings = by_field.get(item[0])
            if postings is None:
                postings = by_field[item[0]] = []
            postings.append(item)
        for postings in by_field.values():
            postings.sort(key=_TEXT)
        return chain.from_iterable(by_field[name] for name in sorted(by_field))


# Reading.

def without_filter(matcher: Any) -> Any:
    """The leaf matcher under Whoosh's filter of deleted documents (deletions are masked
    per segment instead, see scoring.postings.PostingReader._live)."""
    if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
        return matcher.child
    return matcher


def posting_blocks(matcher: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(docnums, weights) per block of a segment's posting list.

    Whoosh's leaf matcher reads postings a block at a time; decoding the block's stored
    tuples as arrays skips several Python calls per posting. Matchers without those
    internals (inlined short lists, other codecs, a failed probe) are read through the
    public API.
    """
    if capabilities().blocks and _reads_blocks(matcher):
        return _whole_blocks(matcher)
    return _postings_one_by_one(matcher)


def values_of(matcher: Any, wanted: np.ndarray) -> dict[int, bytes]:
    """docnum -> encoded value (positions) of a segment's postings, for those of `wanted`
    (sorted docnums) the list holds, decoding only the blocks that may hold them: Whoosh's
    skip_to steps through a block a posting at a time."""
    if not (capabilities().blocks and _reads_blocks(matcher)):
        return _values_one_by_one(matcher, wanted)
    found: dict[int, bytes] = {}
    k = 0
    while matcher.is_active() and k < len(wanted):
        upto = int(np.searchsorted(wanted, matcher._maxid, side="right"))
        if upto > k:
            ids, data = _block(matcher)
            at = np.searchsorted(ids, wanted[k:upto]).tolist()
            for j, docnum in zip(at, wanted[k:upto].tolist(), strict=True):
                if j < len(ids) and ids[j] == docnum:
                    found[docnum] = data[2][j]
            k = upto
        matcher._next_block()
    return found


def field_lengths(reader: Any, fieldname: str) -> np.ndarray:
    """Every document's length of one field in one segment, decoded as Whoosh's scorer
    sees it (4 bytes a document: a searcher may hold dozens of fields)."""
    if capabilities().lengths:
        fast = _column_lengths(reader, fieldname)
        if fast is not None:
            return fast
    return _public_lengths(reader, fieldname)


def _reads_blocks(matcher: Any) -> bool:
    """Whether the matcher is Whoosh's block reader of docnum postings (W3LeafMatcher)."""
    return all(hasattr(matcher, a) for a in ("_read_data", "_data", "_maxid", "_next_block")) \
        and not getattr(matcher, "_byteids", True)


def _block(matcher: Any) -> tuple[np.ndarray, tuple]:
    """The current block's docnums (stored delta-coded) and its stored (ids, weights,
    values) tuple."""
    if matcher._data is None:
        matcher._read_data()
    return np.cumsum(np.array(matcher._data[0], dtype=np.int64)), matcher._data


def _whole_blocks(matcher: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    # A block is stored as (delta-coded ids, weights) where weights are None when all are
    # 1, one float when all are equal, else a tuple.
    while matcher.is_active():
        ids, data = _block(matcher)
        ids, weights = ids.astype(np.int32), data[1]
        if weights is None or isinstance(weights, float):
            yield ids, np.full(len(ids), 1.0 if weights is None else weights)
        else:
            yield ids, np.array(weights, dtype=np.float64)
        matcher._next_block()


def _values_one_by_one(matcher: Any, wanted: np.ndarray) -> dict[int, bytes]:
    found = {}
    for docnum in wanted.tolist():
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active():
            break
        if matcher.id() == docnum:
            found[docnum] = matcher.value()
    return found


def _postings_one_by_one(matcher: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float64)


def _public_lengths(reader: Any, fieldname: str) -> np.ndarray:
    return np.array([reader.doc_field_length(d, fieldname, 0) or 0
                     for d in range(reader.doc_count_all())], dtype=np.uint32)


def _column_lengths(reader: Any, fieldname: str) -> np.ndarray | None:
    """The lengths read from the codec's lengths column (None: no such column here)."""
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader") or _CODEC_IMPORT_ERROR:
        return None
    return LENGTH_OF_BYTE[_length_codes(perdoc, fieldname, reader.doc_count_all())]


def _length_codes(perdoc: Any, fieldname: str, count: int) -> np.ndarray:
    """Each document's one-byte length code of the field from a segment's per-document
    reader (all 0 when no document of the segment has the field)."""
    column = perdoc._cached_reader(_length_field(fieldname), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, dtype=np.uint8)
    return _length_bytes(column, count)


def _length_bytes(column: Any, count: int) -> np.ndarray:
    """The one-byte length codes of a lengths column, read as one slice of the file where
    the column is the codec's plain byte column (documents past its end have length 0)."""
    if getattr(column, "_typecode", None) == "B" and hasattr(column, "_dbfile"):
        raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    else:
        raw = np.array(column.load(), dtype=np.uint8)
    codes = np.zeros(count, dtype=np.uint8)
    codes[:len(raw)] = raw[:count]
    return codes


def prefix_terms(segment: Any, fieldname: str, beginning: str, limit: int | None = None
                 ) -> Iterator[tuple[str, int]]:
    """(word, document frequency) of one segment's words of `fieldname` that begin with
    `beginning`, in dictionary order, at most `limit`. Whoosh's own walk costs several
    method calls and two file reads a word (a letter's words of a big index are 100,000
    and more); here the term dictionary's records are parsed in one loop from its map."""
    table = _term_table(segment)
    if table is None:
        found = ((text, info.doc_frequency())
                 for text, info in segment.iter_prefix(fieldname, beginning))
        return ((text.decode("utf-8") if isinstance(text, bytes) else text, df)
                for text, df in islice(found, limit))
    return table.beginning_with(fieldname, beginning, limit)


def prefix_arrays(segment: Any, fieldname: str, beginning: str, limit: int | None
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """One segment's words of `fieldname` that begin with `beginning` (UTF-8, a numpy
    bytes array) and their document frequencies, in dictionary order, at most `limit`;
    None where the term dictionary is not read from a map (prefix_terms serves)."""
    table = _term_table(segment)
    return None if table is None else table.beginning_arrays(fieldname, beginning, limit)


def _term_index(segment: Any) -> Any:
    """A segment's term dictionary file (Whoosh 3's ordered hash file), or None."""
    terms = getattr(segment, "_terms", None)
    tindex = getattr(terms, "_tindex", None)
    needed = ("endofdata", "dbfile", "indexbase", "indexlen", "extras")
    if tindex is None or not all(hasattr(tindex, a) for a in needed) \
            or not hasattr(terms, "_fieldmap"):
        return None
    return tindex


def term_info(segment: Any, fieldname: str, text: str | bytes) -> Any | None:
    """One segment's term info of a term (None: the segment lacks it). Whoosh's lookup
    seeks and reads the term dictionary file three times, through several method calls;
    here the hash table is probed with positioned reads of the file (_TermTable)."""
    table = _term_table(segment)
    if table is None:
        try:
            return segment.term_info(fieldname, text)
        except TermNotFound:
            return None
    value = table.value(fieldname, text)
    return None if value is None else W3TermInfo.from_bytes(value)


def segment_doc_frequency(segment: Any, fieldname: str, text: str | bytes) -> int:
    """How many of one segment's documents (deleted ones too, as Whoosh counts) hold the
    term."""
    return int(_term_figure(segment, fieldname, text, _DOC_FREQUENCY, _DF_AT, "doc_frequency"))


def segment_frequency(segment: Any, fieldname: str, text: str | bytes) -> float:
    """How often one segment's documents (deleted ones too) hold the term: its total
    weight, as Whoosh's reader.frequency gives it."""
    return _term_figure(segment, fieldname, text, _WEIGHT, _WEIGHT_AT, "frequency")


def _term_figure(segment: Any, fieldname: str, text: str | bytes, layout: struct.Struct,
                 at: int, public: str) -> float:
    """One figure of a term's info in one segment (0: the segment lacks the term), read
    from the term table, or through the reader's method `public` where there is none."""
    table = _term_table(segment)
    if table is None:
        try:
            return getattr(segment, public)(fieldname, text)
        except TermNotFound:  # no such field
            return 0
    value = table.value(fieldname, text)
    return 0 if value is None else layout.unpack_from(value, at)[0]


def segment_postings(segment: Any, fieldname: str, text: str | bytes
                     ) -> Iterator[tuple[np.ndarray, np.ndarray]] | None:
    """(docnums, weights) per block of one segment's postings of a term, deleted documents
    included (None: the segment lacks the term)."""
    table = _term_table(segment)
    if table is not None and _postings_map(segment) is not None:
        value = table.value(fieldname, text)
        return None if value is None else postings_of(segment, value)
    info = term_info(segment, fieldname, text)
    if info is None:
        return None
    if info.is_inlined():
        return _inlined_blocks(info.inlined_postings())
    return posting_blocks(segment_matcher(segment, fieldname, text, info))


class TermLookup:
    """Looks terms up in every segment of a searcher, through the segments' mapped term
    tables, found once per searcher (a cold search looks up hundreds of terms)."""

    def __init__(self, segments: list[Any]):
        tables = [_term_table(segment) for segment in segments]
        mapped = all(table is not None and _postings_map(segment) is not None
                     for table, segment in zip(tables, segments, strict=True))
        self.tables: list[_TermTable] | None = \
            cast(list[_TermTable], tables) if mapped else None

    def values(self, fieldname: str, text: str | bytes) -> tuple[bytes | None, ...] | None:
        """Each segment's term info of a term, as stored (None: that segment lacks it),
        for postings_of and value_doc_frequency; None where the segments' files are not
        read from maps (then segment_postings and segment_doc_frequency serve)."""
        if self.tables is None:
            return None
        key = _utf8(text)
        return tuple(table.value(fieldname, key) for table in self.tables)


def postings_of(segment: Any, value: bytes) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(docnums, weights) per block of a segment's postings of the term whose term info
    is `value` (from TermLookup.values): a term of one posting (most of a growing vocabulary)
    from the term info itself, a longer one from the mapped postings file."""
    span = whoosh_maps.list_span(value)
    if span is None:
        return _inlined_blocks(whoosh_maps.inlined(value))
    return cast(whoosh_maps.PostingsMap, _postings_map(segment)).blocks(span)


def value_doc_frequency(value: bytes | None) -> int:
    """The document frequency in a term info's bytes (0: None, the term is not there)."""
    return 0 if value is None else int(_DOC_FREQUENCY.unpack_from(value, _DF_AT)[0])


def _inlined_blocks(postings: tuple[Any, Any, Any]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    ids, weights, _values = postings
    return iter([(np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float64))])


def segment_values(segment: Any, fieldname: str, text: str | bytes, wanted: np.ndarray
                   ) -> dict[int, bytes]:
    """docnum -> the encoded value (positions) of one segment's postings of a term at the
    `wanted` docnums (ascending, local to the segment) that hold it, decoding only the
    blocks that may hold them."""
    table, mapped = _term_table(segment), _postings_map(segment)
    if table is not None and mapped is not None:
        value = table.value(fieldname, text)
        if value is None:
            return {}
        span = whoosh_maps.list_span(value)
        if span is not None:
            return mapped.values(span, wanted)
        ids, _weights, values = whoosh_maps.inlined(value)
        held = dict(zip(ids, values, strict=True))
        return {docnum: held[docnum] for docnum in wanted.tolist() if docnum in held}
    matcher = segment_matcher(segment, fieldname, text)
    return {} if matcher is None else values_of(matcher, wanted)


def segment_matcher(segment: Any, fieldname: str, text: str | bytes, info: Any = None
                    ) -> Any | None:
    """One segment's matcher of a term, deleted documents included (None: the segment
    lacks the term), from its term info when the caller has it."""
    if info is None:
        info = term_info(segment, fieldname, text)
    if info is None:
        return None
    terms = segment._terms if capabilities().terms else None
    if terms is None or not hasattr(terms, "_codec"):
        return without_filter(segment.postings(fieldname, text))
    return terms._codec.postings_reader(terms._postfile, info, segment.schema[fieldname].format,
                                        term=(fieldname, _utf8(text)))


def _utf8(text: str | bytes) -> bytes:
    """A term as the index stores it (Whoosh's readers take str or bytes)."""
    return text.encode("utf-8") if isinstance(text, str) else text


class _TermTable:
    """A segment's term dictionary (Whoosh 3's hash file: 256 tables of (hash, record
    position) slots, probed linearly) looked up in a read-only map of its file: a probe
    reads the page cache the server's processes share, without a system call."""

    def __init__(self, tindex: Any, fieldmap: dict[str, int], fileno: int):
        self.tables, self.hashfn = tindex.tables, _hash_function(tindex.hashtype, tindex.hashfn)
        if self.hashfn is _md5_low:  # a search looks the same key up in every segment
            self.hashfn = _remembered_md5_low
        self.fieldmap = fieldmap
        self.data = read_only_map(fileno)
        # the ordered index: every record's position, in key order
        self.order = np.frombuffer(self.data, dtype=np.dtype(tindex.extras["indextype"])
                                   .newbyteorder(">"), count=tindex.indexlen,
                                   offset=tindex.indexbase)
        self.end = tindex.endofdata
        self.bytes = np.frombuffer(self.data, dtype=np.uint8)

    def value(self, fieldname: str, text: str | bytes) -> bytes | None:
        """The term's record value (its term info's bytes), or None."""
        fieldnum = self.fieldmap.get(fieldname)
        if fieldnum is None:
            return None
        key = pack_ushort(fieldnum) + _utf8(text)
        keyhash = self.hashfn(key)
        start, slots = self.tables[keyhash & 255]
        if not slots:
            return None
        data, unpack_slot = self.data, _SLOT.unpack_from
        slot = (keyhash >> 8) % slots
        for _ in range(slots):
            slothash, position = unpack_slot(data, start + slot * _SLOT.size)
            if not position:
                return None
            if slothash == keyhash:
                found = self._record(position, key)
                if found is not None:
                    return found
            slot = (slot + 1) % slots
        return None

    def beginning_with(self, fieldname: str, beginning: str, limit: int | None
                       ) -> Iterator[tuple[str, int]]:
        """(word, document frequency) of the field's words that begin with `beginning`,
        in dictionary order, at most `limit`."""
        fieldnum = self.fieldmap.get(fieldname)
        if fieldnum is None:
            return
        key = pack_ushort(fieldnum) + beginning.encode("utf-8")
        data, end, count = self.data, self.end, 0
        unpack_record, unpack_df = _RECORD.unpack_from, _DOC_FREQUENCY.unpack_from
        pos = self._first_at_or_after(key)
        while pos is not None and pos < end and (limit is None or count < limit):
            keylength, valuelength = unpack_record(data, pos)
            start = pos + _RECORD.size
            if data[start:start + len(key)] != key:
                return
            stop = start + keylength
            yield data[start + 2:stop].decode("utf-8"), unpack_df(data, stop + _DF_AT)[0]
            count += 1
            pos = stop + valuelength

    def beginning_arrays(self, fieldname: str, beginning: str, limit: int | None
                         ) -> tuple[np.ndarray, np.ndarray]:
        """The field's words that begin with `beginning` (UTF-8, as a numpy bytes array)
        and their document frequencies, in dictionary order, at most `limit`: read from the
        ordered index in a few array operations, not record by record."""
        fieldnum = self.fieldmap.get(fieldname)
        if fieldnum is None:
            return np.zeros(0, dtype="S1"), np.zeros(0, dtype=np.int64)
        key = pack_ushort(fieldnum) + beginning.encode("utf-8")
        lo = self._index_at_or_after(key)
        above = _successor(key)
        hi = len(self.order) if above is None else self._index_at_or_after(above)
        if limit is not None:
            hi = min(hi, lo + limit)
        positions = self.order[lo:hi].astype(np.int64)
        if positions.size and int(positions.max()) >= self.end:  # (not a record)
            positions = positions[positions < self.end]
        raw = self.bytes
        keylengths = _big_endian(raw, positions, 4)
        lengths = keylengths - 2  # (the field number's 2 bytes)
        width = max(1, int(lengths.max())) if lengths.size else 1
        at = (positions + _RECORD.size + 2)[:, None] + np.arange(width)
        letters = np.where(np.arange(width) < lengths[:, None],
                           raw[np.minimum(at, len(raw) - 1)], 0).astype(np.uint8)
        words = np.ascontiguousarray(letters).view(f"S{width}").ravel()
        frequencies = _big_endian(raw, positions + _RECORD.size + keylengths + _DF_AT, 4)
        return words, frequencies

    def _index_at_or_after(self, key: bytes) -> int:
        """The index in the ordered index of the first record whose key is not below
        `key` (its length: none)."""
        data, order, unpack_record = self.data, self.order, _RECORD.unpack_from
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            position = int(order[mid])
            keylength = unpack_record(data, position)[0]
            start = position + _RECORD.size
            if data[start:start + keylength] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _first_at_or_after(self, key: bytes) -> int | None:
        """The position of the first record whose key is not below `key` (None: none)."""
        at = self._index_at_or_after(key)
        return None if at == len(self.order) else int(self.order[at])

    def _record(self, position: int, key: bytes) -> bytes | None:
        """The value of the record at `position` if its key is `key`."""
        keylength, valuelength = _RECORD.unpack_from(self.data, position)
        start = position + _RECORD.size + keylength
        if keylength != len(key) or self.data[position + _RECORD.size:start] != key:
            return None
        return self.data[start:start + valuelength]


def _term_table(segment: Any) -> _TermTable | None:
    """A segment's _TermTable, made once per segment reader (None: not a plain file, or
    the probe found the term dictionary unreadable this way)."""
    terms = getattr(segment, "_terms", None)
    if terms is None or not capabilities().terms:
        return None
    if not hasattr(terms, "_polyfind_table"):
        terms._polyfind_table = _new_term_table(segment)
    found: _TermTable | None = terms._polyfind_table
    return found


def _new_term_table(segment: Any) -> _TermTable | None:
    tindex = _term_index(segment)
    if tindex is None or getattr(tindex, "startoffset", None) != 0 \
            or not getattr(tindex.dbfile, "is_real", False) or not hasattr(tindex, "tables"):
        return None
    try:
        return _TermTable(tindex, segment._terms._fieldmap, tindex.dbfile.file.fileno())
    except (OSError, ValueError, KeyError, TypeError) as exc:  # not mappable: Whoosh's lookup
        log.warning("term dictionary read through Whoosh (%s)", exc)
        return None


def _postings_map(segment: Any) -> whoosh_maps.PostingsMap | None:
    """A segment's mapped postings file, made once per segment reader (None: not a plain
    file, or the probe found the posting blocks unreadable this way)."""
    terms = getattr(segment, "_terms", None)
    if terms is None or not capabilities().blocks:
        return None
    if not hasattr(terms, "_polyfind_postings"):
        terms._polyfind_postings = _new_postings_map(terms)
    found: whoosh_maps.PostingsMap | None = terms._polyfind_postings
    return found


def _new_postings_map(terms: Any) -> whoosh_maps.PostingsMap | None:
    postfile = getattr(terms, "_postfile", None)
    if postfile is None or not getattr(postfile, "is_real", False):  # (a compound's part)
        return None
    try:
        return whoosh_maps.PostingsMap(postfile.file.fileno())
    except (OSError, ValueError, AttributeError) as exc:  # not mappable: Whoosh's matcher
        log.warning("postings read through Whoosh (%s)", exc)
        return None


def _successor(key: bytes) -> bytes | None:
    """The smallest key above every key that begins with `key` (None: there is none)."""
    stripped = key.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


def _big_endian(raw: np.ndarray, positions: np.ndarray, size: int) -> np.ndarray:
    """The unsigned big-endian numbers of `size` bytes at `positions` of `raw`."""
    found = np.zeros(len(positions), dtype=np.int64)
    for k in range(size):
        found = (found << 8) | raw[positions + k]
    return found


# A term dictionary record: key length, value length; then the key (field number and the
# term) and the value, a term info whose document frequency is at byte 5.
_RECORD = struct.Struct("!ii")
_DOC_FREQUENCY = struct.Struct("!I")
_DF_AT = 5
# ... and its total weight (a float) at byte 1
_WEIGHT, _WEIGHT_AT = struct.Struct("!f"), 1
# A hash table slot: the key's hash and its record's position (0: empty).
_SLOT = struct.Struct("!Iq")


# The probe.

_FORCED: Capabilities | None = None


@functools.cache
def capabilities() -> Capabilities:
    """What works with the installed Whoosh, probed once per process and logged."""
    if _FORCED is not None:
        return _FORCED
    found = _probe()
    if found.blocks and found.lengths and found.codec and found.terms:
        log.debug("whoosh internals: all fast paths available")
    else:
        log.warning("whoosh internals unavailable (%s): using Whoosh's public API%s",
                    found.reason, "" if found.codec else " and its standard codec")
    return found


def force(found: Capabilities | None) -> None:
    """Use `found` instead of the probe's answer (None: probe again), for tests of the
    fallback path on a Whoosh that has every internal."""
    global _FORCED
    _FORCED = found
    capabilities.cache_clear()


PROBE_DOCS = MIN_POSTINGS + 2


def _probe() -> Capabilities:
    """Write a small index with PolyfindCodec and read it back both ways."""
    if _CODEC_IMPORT_ERROR:
        return Capabilities(False, False, False, _CODEC_IMPORT_ERROR, False)
    try:
        with tempfile.TemporaryDirectory(prefix="polyfind-probe-") as folder:
            return _probe_in(Path(folder))
    except Exception as error:  # noqa: BLE001 - any failure means: do not rely on internals
        return Capabilities(False, False, False, f"{type(error).__name__}: {error}", False)


def _same_postings(blocks: list[tuple[np.ndarray, np.ndarray]],
                   public: tuple[np.ndarray, np.ndarray]) -> bool:
    return np.array_equal(np.concatenate([ids for ids, _ in blocks]), public[0]) \
        and np.array_equal(np.concatenate([w for _, w in blocks]), public[1])


def _mapped_as_public(reader: Any, public: tuple[np.ndarray, np.ndarray]) -> bool:
    """Whether the mapped postings file gives the probe's postings and positions as
    Whoosh's matcher does (with the map's own capability switched on for the check)."""
    terms = reader._terms
    info = terms._tindex.get(pack_ushort(terms._fieldmap["body"]) + b"common")
    mapped = _new_postings_map(terms)
    if mapped is None or info is None:
        return False
    span = whoosh_maps.list_span(info)
    if span is None:
        return False
    matcher = reader.postings("body", "common")
    positions = {}
    while matcher.is_active():
        positions[matcher.id()] = matcher.value()
        matcher.next()
    wanted = np.array(sorted(positions)[1::2], dtype=np.int64)
    return _same_postings(list(mapped.blocks(span)), public) \
        and mapped.values(span, wanted) == {d: positions[d] for d in wanted.tolist()}


def _probe_in(folder: Path) -> Capabilities:
    from whoosh import index as whoosh_index
    from whoosh.fields import Schema

    ix = whoosh_index.create_in(str(folder), Schema(body=AnalyzedText()))
    with ix.writer(codec=PolyfindCodec(), compound=False) as writer:
        for n in range(PROBE_DOCS):
            writer.add_document(body=" ".join(["common"] * (1 + n % 3) + ["rare"] * (n == 7)))
    with ix.reader() as multi:
        reader = next(r for r, _offset in multi.leaf_readers())
        public = list(_postings_one_by_one(reader.postings("body", "common")))[0]
        blocks = _reads_blocks(without_filter(reader.postings("body", "common")))
        if blocks:
            fast = list(_whole_blocks(without_filter(reader.postings("body", "common"))))
            blocks = _same_postings(fast, public) and _mapped_as_public(reader, public)
        column = _column_lengths(reader, "body")
        lengths = column is not None \
            and np.array_equal(column, _public_lengths(reader, "body"))
        arrays = TermArrays.open(path_for(folder, reader.segment().segment_id()))
        stored = arrays.get("body", "common") if arrays is not None else None
        rare = reader.postings("body", "rare")  # one posting: inlined in the term index
        codec = stored is not None and np.array_equal(stored[0], public[0]) \
            and np.array_equal(stored[1], public[1]) \
            and (rare.id(), rare.value_as("positions")) == (7, [2])
        table = _new_term_table(reader)
        terms = table is not None and all(
            list(table.beginning_with("body", b, None))
            == [(t.decode(), i.doc_frequency()) for t, i in reader.iter_prefix("body", b)]
            for b in ("c", "r", "x")) and len(list(reader.iter_prefix("body", "c"))) == 1
        terms = terms and table is not None and all(
            table.value(field, word) == reader._terms._tindex.get(
                pack_ushort(reader._terms._fieldmap.get(field, 65535)) + word.encode())
            for field, word in (("body", "common"), ("body", "rare"), ("body", "x"),
                                ("other", "common"))) \
            and table.value("body", "rare") is not None \
            and _WEIGHT.unpack_from(table.value("body", "common") or b"", _WEIGHT_AT)[0] \
            == reader.frequency("body", "common")
        ix.storage.close()
    failed = [name for name, ok in (("posting blocks", blocks), ("field lengths", lengths),
                                    ("codec", codec), ("term dictionary", terms)) if not ok]
    return Capabilities(blocks, lengths, codec,
                        "" if not failed else "probe failed: " + ", ".join(failed), terms)
