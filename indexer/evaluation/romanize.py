"""Queries retyped in Latin letters, as users of a language written in another script type
them: Kazakh in the official Latin alphabet of 2021 and in informal ASCII habits.

Written from the alphabets themselves, not by inverting the analyzer's Latin → Cyrillic
table (indexer/analysis/kk.py), so the eval measures the search, not a round trip of one
table.
"""

from __future__ import annotations

# The Kazakh Latin alphabet of 2021: one letter per sound, ı for і, y for ы, i for и and й,
# j for ж, ç for ч, ş for ш, ğ ñ q ū ü ä ö for ғ ң қ ұ ү ә ө; Russian-only letters are
# spelled out (ц ts, щ şş, ё io, ю iu, я ia), the hard and soft signs are dropped.
KAZAKH_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# Informal typing on a plain keyboard (chats, search boxes): digraphs sh zh ch gh ng kh for
# ш ж ч ғ ң х, q for қ, y for ы and й, and the vowels without their marks (ә a, ө o, ұ/ү u,
# і i).
KAZAKH_ASCII = {
    **KAZAKH_2021,
    "ә": "a", "ғ": "gh", "ж": "zh", "й": "y", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "х": "kh", "ч": "ch", "ш": "sh", "щ": "shch", "і": "i", "ё": "yo", "ю": "yu", "я": "ya",
}
# language -> query kind -> letter table
ROMANIZATIONS: dict[str, dict[str, dict[str, str]]] = {
    "kk": {"latin2021": KAZAKH_2021, "latinascii": KAZAKH_ASCII},
}


def romanize(lang: str, kind: str, text: str) -> str:
    """`text` (lower-case, as queries are normalized) in the letters of `kind`."""
    table = ROMANIZATIONS[lang][kind]
    return "".join(table.get(ch, ch) for ch in text)


def romanized_kinds(lang: str) -> tuple[str, ...]:
    """The Latin-typed query kinds the eval makes for `lang` (none for most languages)."""
    return tuple(ROMANIZATIONS.get(lang, {}))
