"""Text → analyzed tokens for one language: the single place index, query, highlight and the
`polyfind analyze` tool take their tokens from."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from . import get_language
from .normalize import normalize
from .tokenize import tokenize

VIEWS = ("exact", "stem", "fold")
# normalized word, its stems, its folded forms, whether it is a stopword
WordViews = tuple[str, tuple[str, ...], tuple[str, ...], bool]


class AnalyzedToken(NamedTuple):
    """One word of the text and its index terms in each view (a NamedTuple: texts have
    many words, and a frozen dataclass costs five times as much to build)."""

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
        """The word's index terms in one view (the stem and fold views thin: `thinned`)."""
        if view == "exact":
            return (self.normalized,)
        stems, folded = thinned(self.normalized, self.stems, self.folded)
        return stems if view == "stem" else folded


def thinned(normalized: str, stems: tuple[str, ...], folded: tuple[str, ...]
            ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stems and folded forms the stem and fold views keep: each view only the forms
    the views before it lack. A word that is its own stem (an uninflected form) is in the
    exact view alone; a folded form that is the word or a stem is in those views. The
    search looks for stems in the exact view too, and for folded forms in both."""
    return (tuple(s for s in stems if s != normalized),
            tuple(f for f in folded if f != normalized and f not in stems))


@lru_cache(maxsize=128)
def analyze(lang: str, text: str) -> tuple[AnalyzedToken, ...]:
    """Tokens of `text` analyzed with `lang`'s rules (GENERIC rules for an unknown code).

    Cached: the index analyzes each field's text once per view, and the highlighter analyzes
    the documents that popular queries keep returning.
    """
    out = []
    for raw in tokenize(text):
        views = word_views(lang, raw.text)
        if views is None:
            continue
        normalized, stems, folded, stopword = views
        out.append(AnalyzedToken(
            surface=raw.text, start=raw.start, end=raw.end, pos=raw.pos, normalized=normalized,
            stems=stems, folded=folded, compound=raw.compound, stopword=stopword,
        ))
    return tuple(out)


@lru_cache(maxsize=300_000)
def word_views(lang: str, surface: str) -> WordViews | None:
    """(normalized, stems, folded, is stopword) of one word as written; None if it is empty.

    Words repeat (Zipf), so this per-word cache makes analysis cost grow with the vocabulary,
    not with the text.
    """
    language = get_language(lang)
    word = normalize(surface)
    if not word:
        return None
    stems = language.stems(word)
    # The fold view holds the folded word and its folded stems, so a user who types
    # without special letters still finds other inflected forms; and, where the language
    # gives folded_stems, the stems of the folded word: a query typed without special
    # letters (`sprzedazy`, `шункырлардын`) is stemmed as typed, so a text word is also
    # stemmed as it would be typed, and other inflected forms meet.
    folded_word = language.fold(word)
    more = language.folded_stems(folded_word) if language.folded_stems else ()
    folded = tuple(dict.fromkeys(
        [folded_word, *map(language.fold, stems), *map(language.fold, more)]))
    return word, stems, folded, word in language.stopwords
