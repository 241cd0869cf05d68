"""The Whoosh side of analysis: one picklable analyzer per (language, view).

Whoosh pickles analyzers into the index, so this is a top-level class that stores only its
language code and view; the stemmers (PyStemmer objects, caches) are looked up at call time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token

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
