"""The Whoosh side of analysis: one picklable analyzer per (language, view).

Whoosh pickles analyzers into the index, so this is a top-level class that stores only its
language code and view; the stemmers (PyStemmer objects, caches) are looked up at call time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.fields import TEXT

from .pipeline import analyze, thin_fold


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
                    token.original = analyzed.surface
                if positions:
                    token.pos = start_pos + analyzed.pos
                if chars:
                    token.startchar = start_char + analyzed.start
                    token.endchar = start_char + analyzed.end
                yield token


class AnalyzedText(TEXT):
    """A TEXT field whose terms come straight from polyfind's analysis when indexing.

    Whoosh's own path runs the analyzer token by token through Token objects; here the
    text's cached analysis gives each term's positions in one pass, and the field's format
    encodes them as Whoosh would. Queries and the analyzer attribute are unchanged.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        analyzer = self.analyzer
        if not isinstance(value, str) or not isinstance(analyzer, PolyfindAnalyzer):
            yield from super().index(value, **kwargs)
            return
        view = analyzer.view
        thin = view == "fold" and thin_fold(analyzer.lang)
        positions: dict[str, list[int]] = {}
        for analyzed in analyze(analyzer.lang, value):
            for text in analyzed.terms(view, thin):
                found = positions.get(text)
                if found is None:
                    positions[text] = [analyzed.pos]
                else:
                    found.append(analyzed.pos)
        encode, boost = self.format.encode, self.format.field_boost
        for text, poslist in positions.items():
            yield text.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)
