"""Text → analyzed tokens for one language: the single place index, query, highlight and the
`polyfind analyze` tool take their tokens from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import get_language
from .normalize import normalize
from .tokenize import tokenize

VIEWS = ("exact", "stem", "fold")


@dataclass(frozen=True, slots=True)
class AnalyzedToken:
    """One word of the text and its index terms in each view."""

    surface: str
    start: int
    end: int
    pos: int
    normalized: str
    stems: tuple[str, ...]
    folded: tuple[str, ...]
    compound: bool
    stopword: bool

    def terms(self, view: str) -> tuple[str, ...]:
        if view == "exact":
            return (self.normalized,)
        if view == "stem":
            return self.stems
        return self.folded


@lru_cache(maxsize=16)
def analyze(lang: str, text: str) -> tuple[AnalyzedToken, ...]:
    """Tokens of `text` analyzed with `lang`'s rules (GENERIC rules for an unknown code).

    Cached: the index analyzes each field's text once per view, the highlighter again.
    """
    language = get_language(lang)
    out = []
    for raw in tokenize(text):
        word = normalize(raw.text)
        if not word:
            continue
        stems = language.stems(word)
        # The fold view holds the folded word and its folded stem, so a user who types
        # without special letters still finds other inflected forms.
        folded = tuple(dict.fromkeys([language.fold(word), *map(language.fold, stems)]))
        out.append(AnalyzedToken(
            surface=raw.text, start=raw.start, end=raw.end, pos=raw.pos, normalized=word,
            stems=stems, folded=folded, compound=raw.compound,
            stopword=word in language.stopwords,
        ))
    return tuple(out)
