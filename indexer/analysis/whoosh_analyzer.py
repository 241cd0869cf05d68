"""The Whoosh side of analysis: one picklable analyzer per (language, view).

Whoosh pickles analyzers into the index, so this is a top-level class that stores only its
language code and view; the stemmers (PyStemmer objects, caches) are looked up at call time.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.analysis import Analyzer, Token
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, TEXT
from whoosh.formats import Positions

from .pipeline import VIEWS, analyze, thinned, word_views
from .tokenize import tokenize


class PolyfindAnalyzer(Analyzer):
    """Tokens of one view ('exact', 'stem' or 'fold') of one language's analysis."""

    def __init__(self, lang: str, view: str):
        self.lang = lang
        self.view = view

    def __repr__(self) -> str:
        return f"PolyfindAnalyzer({self.lang!r}, {self.view!r})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for analyzed in analyze(self.lang, value):
            for text in analyzed.terms(self.view):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    # Whoosh's Token takes any attribute; its stubs list only some
                    token.original = analyzed.surface  # type: ignore[attr-defined]
                if positions:
                    token.pos = start_pos + analyzed.pos
                if chars:
                    token.startchar = start_char + analyzed.start
                    token.endchar = start_char + analyzed.end
                yield token


@lru_cache(maxsize=4)
def term_positions(lang: str, text: str) -> dict[str, dict[str, list[int]]]:
    """view -> term -> positions in `text`, all views in one pass (the writer asks for the
    text's three fields one after another). The same terms as `analyze` gives, without
    building its tokens: each distinct word's terms are worked out once (`view_terms`)."""
    views: dict[str, dict[str, list[int]]] = {view: {} for view in VIEWS}
    exact, stem, fold = views["exact"], views["stem"], views["fold"]
    tokens = tokenize(text)
    _remember_marks(text, tokens)
    for raw in tokens:
        terms = view_terms(lang, raw.text)
        if terms is None:
            continue
        pos = raw.pos
        normalized, stems, folded = terms
        exact.setdefault(normalized, []).append(pos)
        for term in stems:
            stem.setdefault(term, []).append(pos)
        for term in folded:
            fold.setdefault(term, []).append(pos)
    return views


# A word mark every MARK_EVERY positions: finding the words at some positions of a text
# then reads at most this many words before each (snippets.words_at).
MARK_EVERY = 32
MARKS_KEPT = 8
# text -> its marks, made by term_positions for the WordMarks column of the same document
_MARKS: dict[str, bytes] = {}


def word_marks(text: str) -> bytes:
    """(position, character offset) pairs, as little-endian uint32, of the first word at or
    after every MARK_EVERY-th position that begins a token of the tokenizer's pattern (a
    compound's whole, not a later part): where a walk of the text's words can start."""
    found = _MARKS.get(text)
    return found if found is not None else _marks(tokenize(text))


def _remember_marks(text: str, tokens: list) -> None:
    if len(_MARKS) >= MARKS_KEPT:
        del _MARKS[next(iter(_MARKS))]
    _MARKS[text] = _marks(tokens)


def _marks(tokens: list) -> bytes:
    marks: list[int] = []
    due = MARK_EVERY
    inside = -1  # end of the last compound: its parts begin no token
    for raw in tokens:
        if raw.start < inside:
            continue
        if raw.compound:
            inside = raw.end
        if raw.pos >= due:
            marks += (raw.pos, raw.start)
            due = raw.pos - raw.pos % MARK_EVERY + MARK_EVERY
    return np.array(marks, dtype="<u4").tobytes()


class WordMarks(COLUMN):
    """A column of the body's word marks (word_marks), made from the body text as the
    document is written; the writer analyses the body's views first (Whoosh writes a
    document's fields in name order), so the marks come from that same pass."""

    def __init__(self) -> None:
        super().__init__(VarBytesColumn())

    def to_column_value(self, value: Any) -> bytes:
        return word_marks(value) if isinstance(value, str) else b""


@lru_cache(maxsize=300_000)
def view_terms(lang: str, surface: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """A word's index terms in the exact, stem and fold views (the stem and fold views thin:
    pipeline.thinned); None for a word with none."""
    views = word_views(lang, surface)
    if views is None:
        return None
    normalized, stems, folded, _stopword = views
    return (normalized, *thinned(normalized, stems, folded))


class CompactPositions(Positions):
    """Whoosh's Positions format with each posting's positions stored as variable-length
    deltas (7 bits a byte, high bit: more follows). Whoosh's own encoding is a 4-byte
    count and a pickled list (13 bytes for one position, 1 here); most postings of a
    growing vocabulary hold one position. Reading and scoring are unchanged: the frequency
    is the number of positions, and weights are stored apart from the values."""

    def encode(self, poslist: Sequence[int]) -> bytes:
        deltas = [pos - base for pos, base in zip(poslist, [0, *poslist], strict=False)]
        if max(deltas) < 0x80:  # the common case: every gap under 128 words
            return bytes(deltas)
        out = bytearray()
        for delta in deltas:
            while delta >= 0x80:
                out.append(delta & 0x7F | 0x80)
                delta >>= 7
            out.append(delta)
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if valuestring.isascii():  # one byte a delta
            return list(accumulate(valuestring))
        positions, position, delta, shift = [], 0, 0, 0
        for byte in valuestring:
            delta |= (byte & 0x7F) << shift
            if byte & 0x80:
                shift += 7
            else:
                position += delta
                positions.append(position)
                delta = shift = 0
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring.translate(None, _CONTINUED))

    def decode_many(self, values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(owners, positions): every position of many postings' values, decoded at once,
        each with the index of the value it is in (a phrase reads thousands of them)."""
        raw = np.frombuffer(b"".join(values), dtype=np.uint8)
        owners = np.repeat(np.arange(len(values)), [len(v) for v in values])
        last = raw < 0x80  # a delta's last byte
        if last.all():  # one byte a delta
            deltas = raw.astype(np.int64)
        else:  # a delta's 7-bit groups, lowest first, summed at their shifts
            delta_starts = np.flatnonzero(np.concatenate(([True], last[:-1])))
            lengths = np.diff(np.append(delta_starts, len(raw)))
            shifts = 7 * (np.arange(len(raw)) - np.repeat(delta_starts, lengths))
            deltas = np.add.reduceat((raw & 0x7F).astype(np.int64) << shifts, delta_starts)
            owners = owners[last]
        # positions are running sums of the deltas, from 0 in each value
        sums = np.cumsum(deltas)
        counts = np.bincount(owners, minlength=len(values))
        value_starts = np.cumsum(counts) - counts  # where each value's deltas begin
        before = np.concatenate(([0], sums))[value_starts]
        return owners, sums - before[owners]


# bytes that continue a delta in CompactPositions' encoding
_CONTINUED = bytes(range(0x80, 0x100))
# position -> the encoding of the one-position list [position]
_ONE_POSITION: dict[int, bytes] = {}


class AnalyzedText(TEXT):
    """A TEXT field whose terms come straight from polyfind's analysis when indexing.

    Whoosh's own path runs the analyzer token by token through Token objects; here the
    text's cached analysis gives each term's positions in one pass, and the field's format
    encodes them (CompactPositions, where the field keeps positions). Queries and the
    analyzer attribute are unchanged.
    """

    def __init__(self, analyzer: Any = None, phrase: bool = True, **kwargs: Any):
        super().__init__(analyzer=analyzer, phrase=phrase, **kwargs)
        if type(self.format) is Positions:
            self.format = CompactPositions(field_boost=self.format.field_boost)

    def index(self, value: Any, **kwargs: Any
              ) -> Generator[tuple[bytes, int, float, bytes], Any, None]:
        analyzer, format_ = self.analyzer, self.format
        if not isinstance(value, str) or not isinstance(analyzer, PolyfindAnalyzer) \
                or format_ is None or not hasattr(format_, "encode"):
            yield from super().index(value, **kwargs)
            return
        positions = term_positions(analyzer.lang, value)[analyzer.view]
        encode, boost = format_.encode, format_.field_boost
        # Most words occur once in a text: their encoded one-position lists repeat.
        single = _ONE_POSITION if type(format_) is CompactPositions else {}
        for text, poslist in positions.items():
            if len(poslist) == 1:
                value = single.get(poslist[0])
                if value is None:
                    value = single[poslist[0]] = encode(poslist)
            else:
                value = encode(poslist)
            yield text.encode("utf-8"), len(poslist), len(poslist) * boost, value
