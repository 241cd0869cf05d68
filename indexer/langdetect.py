"""Guess a text's language from its script and letters (no model): every registered language
says its script and, when it shares the script, the letters and function words that tell it
from the others (its record's `detection`)."""

from __future__ import annotations

from collections import Counter

import regex

from .analysis import registry
from .analysis.base import Detection

UNKNOWN = "und"
# Romanized text: names, acronyms and other languages typed in Latin letters occur everywhere.
LATIN = "Latin"

# Languages we have no analysis for but meet beside ours, in the scripts ours share: a text
# in one of them must not be taken for ours. A registered language of the same code wins.
NEIGHBOURS: dict[str, tuple[str, Detection]] = {
    "en": (LATIN, Detection(function_words=frozenset({
        "the", "and", "of", "to", "is", "in", "that", "for", "what", "how", "with", "on",
        "are", "by", "this", "it", "as", "be", "or", "from"}))),
    "uk": ("Cyrillic", Detection(letters=frozenset("їєґ"))),
    "be": ("Cyrillic", Detection(letters=frozenset("ў"))),
}
# The language of a script's text when no hint points anywhere (None: unknown).
SCRIPT_DEFAULT = {"Cyrillic": "ru"}
WORD_RE = regex.compile(r"['’]?[\p{L}\p{M}]+")


def scripts() -> list[str]:
    """The scripts we count: those of the registered languages, of their neighbours, Latin."""
    named = [language.script for language in registry().values()]
    return list(dict.fromkeys([*named, *(script for script, _ in NEIGHBOURS.values()), LATIN]))


def script_counts(text: str) -> Counter[str]:
    """Letters per script in `text`."""
    return Counter({name: len(regex.findall(rf"\p{{{name}}}", text)) for name in scripts()})


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or 'und' when there is too little to tell."""
    counts = script_counts(text)
    script, letters = counts.most_common(1)[0]
    if letters == 0:
        return UNKNOWN
    return script_language(text, script) or UNKNOWN


def script_language(text: str, script: str) -> str | None:
    """The language of `text` among those written in `script`, or None when nothing points
    to one: a language that alone writes the script, else the best score of letters and
    function words (see Detection), else the script's default."""
    candidates = _candidates(script)
    sole = [code for code, (_, identifies) in candidates.items() if identifies]
    if sole:
        return sole[0]
    lowered = text.lower()
    letters = Counter(ch for ch in lowered if ch.isalpha())
    total = sum(letters.values()) or 1
    words = [w.replace("’", "'") for w in WORD_RE.findall(lowered)]
    scores = Counter({code: _score(hints, letters, total, words)
                      for code, (hints, _) in candidates.items()})
    best = scores.most_common(1)
    if best and best[0][1] > 0:
        return best[0][0]
    return SCRIPT_DEFAULT.get(script)


def latin_language(text: str) -> str | None:
    """The language of Latin-script text ('pl', 'af', 'en', ...), or None when nothing
    points either way."""
    return script_language(text, LATIN)


def _candidates(script: str) -> dict[str, tuple[Detection, bool]]:
    """Code → (detection hints, whether the script alone identifies it) of the languages,
    registered first, written in `script`."""
    out = {code: (language.detection, language.script_identifies)
           for code, language in registry().items() if language.script == script}
    for code, (neighbour_script, hints) in NEIGHBOURS.items():
        if neighbour_script == script and code not in out:
            out[code] = (hints, False)
    return out


def _score(hints: Detection, letters: Counter[str], total: int, words: list[str]) -> int:
    own = sum(letters[ch] for ch in hints.letters)
    letter_points = 2 * own if own and own / total > hints.min_letter_share else 0
    return letter_points + sum(w in hints.function_words for w in words)
