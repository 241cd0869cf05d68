"""Per-language analysis, keyed by ISO 639-1 code.

Every module in this package that defines LANGUAGE registers itself: adding a language is one
module (plus stopwords/<code>.txt and its golden data), nothing else edited. Text in a
language without a module gets GENERIC analysis (normalize and fold accents, no stemming).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import Language
from .normalize import strip_diacritics

GENERIC = Language(code="und", name="Other", fold=strip_diacritics)
_SHARED_MODULES = {"base", "normalize", "tokenize", "pipeline", "whoosh_analyzer"}


@lru_cache(maxsize=1)
def registry() -> dict[str, Language]:
    """Language code → Language, for every language module in this package."""
    languages = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _SHARED_MODULES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        language = getattr(module, "LANGUAGE", None)
        if isinstance(language, Language):
            languages[language.code] = language
    return languages


def get_language(code: str) -> Language:
    """The language's analysis, or GENERIC for a code we have no module for."""
    return registry().get(code, GENERIC)


def analysis_codes() -> list[str]:
    """Codes with their own index fields: every registered language, then 'und'."""
    return [*sorted(registry()), GENERIC.code]
