"""The language registry: every language polyfind knows, keyed by ISO 639-1 code.

A language is one record (base.Language): its analysis, script, direction, detection hints,
section headings and names. Detection, query targeting, the dump splitter, the page and the
widget all read this registry, so adding a language is one module defining LANGUAGE, nothing
else edited: either in this package (plus stopwords/<code>.txt and its golden data), or in
any installed distribution that declares it in the `polyfind.languages` entry point group
(`hy = my_package.armenian`, the module defining LANGUAGE). Text in a language without a
module gets GENERIC analysis (normalize and fold accents, no stemming).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import lru_cache
from importlib.metadata import entry_points
from types import ModuleType

from .base import Language
from .normalize import strip_diacritics

ENTRY_POINT_GROUP = "polyfind.languages"
# Text in any other language. Its headings are English ones, which dumps in every language mix in.
GENERIC = Language(
    code="und", name="Other", english_name="Other", fold=strip_diacritics,
    opening_headings=("introduction", "definition"), closing_headings=("conclusion", "summary"),
)
logger = logging.getLogger(__name__)
_SHARED_MODULES = {"base", "normalize", "tokenize", "pipeline", "whoosh_analyzer"}


@lru_cache(maxsize=1)
def registry() -> dict[str, Language]:
    """Language code → Language, for every language module in this package and every one
    installed under the `polyfind.languages` entry point group (sorted by code)."""
    languages: dict[str, Language] = {}
    for module in [*_package_modules(), *plugin_modules()]:
        language = getattr(module, "LANGUAGE", None)
        if not isinstance(language, Language):
            logger.warning("%s defines no LANGUAGE = Language(...): ignored", module.__name__)
        elif language.code in languages and language is not languages[language.code]:
            logger.warning("%s registers %s again: the first registration is kept",
                           module.__name__, language.code)
        else:
            languages[language.code] = language
    return dict(sorted(languages.items()))


def _package_modules() -> list[ModuleType]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    return [importlib.import_module(f"{__name__}.{name}") for name in names
            if name not in _SHARED_MODULES and not name.startswith("_")]


def plugin_modules() -> list[ModuleType]:
    """The language modules installed distributions declare (entry point group
    `polyfind.languages`), sorted by entry point name."""
    modules = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            modules.append(importlib.import_module(entry.value.partition(":")[0]))
        except Exception:  # one broken plug-in must not take every other language down
            logger.exception("language plug-in %s = %s cannot be loaded: ignored",
                             entry.name, entry.value)
    return modules


def get_language(code: str) -> Language:
    """The language's analysis, or GENERIC for a code we have no module for."""
    return registry().get(code, GENERIC)


def analysis_codes() -> list[str]:
    """Codes with their own index fields: every registered language, then 'und'."""
    return [*sorted(registry()), GENERIC.code]
