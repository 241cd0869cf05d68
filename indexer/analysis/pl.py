"""Polish: Snowball's Polish stemmer (through PyStemmer), diacritic folding with ł→l.

Why: Polish inflects nouns in seven cases and verbs richly; Snowball Polish is a maintained,
tested stemmer for exactly that, so we do not write our own. People often type without
Polish letters (`lodz` for `łódź`); `ł` has no Unicode decomposition, so it is mapped by hand.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer

from .base import Language, load_stopwords
from .normalize import strip_diacritics

_stemmer: Stemmer.Stemmer | None = None


@lru_cache(maxsize=200_000)
def polish_stems(word: str) -> tuple[str, ...]:
    global _stemmer
    if _stemmer is None:
        _stemmer = Stemmer.Stemmer("polish")
    if not word.isalpha():
        return (word,)
    return (_stemmer.stemWord(word),)


def fold_polish(word: str) -> str:
    return strip_diacritics(word.replace("ł", "l"))


LANGUAGE = Language(
    code="pl",
    name="Polski",
    stems=polish_stems,
    fold=fold_polish,
    stopwords=load_stopwords("pl"),
)
