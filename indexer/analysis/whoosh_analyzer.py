"""The Whoosh side of analysis: one picklable analyzer per (language, view).

Whoosh pickles analyzers into the index, so this is a top-level class that stores only its
language code and view; the stemmers (PyStemmer objects, caches) are looked up at call time.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.fields import TEXT
from whoosh.formats import Positions

from .pipeline import VIEWS, analyze, thin_fold


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
        thin = self.view == "fold" and thin_fold(self.lang)
        for analyzed in analyze(self.lang, value):
            for text in analyzed.terms(self.view, thin):
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
    text's three fields one after another)."""
    thin = thin_fold(lang)
    views: dict[str, dict[str, list[int]]] = {view: {} for view in VIEWS}
    exact, stem, fold = views["exact"], views["stem"], views["fold"]
    for analyzed in analyze(lang, text):
        pos = analyzed.pos
        exact.setdefault(analyzed.normalized, []).append(pos)
        for term in analyzed.stems:
            stem.setdefault(term, []).append(pos)
        for term in analyzed.terms("fold", thin):
            fold.setdefault(term, []).append(pos)
    return views


# position -> Whoosh's encoding of the one-position list [position]
_ONE_POSITION: dict[int, bytes] = {}


class AnalyzedText(TEXT):
    """A TEXT field whose terms come straight from polyfind's analysis when indexing.

    Whoosh's own path runs the analyzer token by token through Token objects; here the
    text's cached analysis gives each term's positions in one pass, and the field's format
    encodes them as Whoosh would. Queries and the analyzer attribute are unchanged.
    """

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
        single = _ONE_POSITION if type(format_) is Positions else {}
        for text, poslist in positions.items():
            if len(poslist) == 1:
                value = single.get(poslist[0])
                if value is None:
                    value = single[poslist[0]] = encode(poslist)
            else:
                value = encode(poslist)
            yield text.encode("utf-8"), len(poslist), len(poslist) * boost, value
