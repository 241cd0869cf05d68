"""Guess a text's language from its script and letters (no model: our five languages are
told apart by script, by Kazakh-only Cyrillic letters, and by Polish/Afrikaans letters and
function words)."""

from __future__ import annotations

from collections import Counter

import regex

UNKNOWN = "und"

# Letters Kazakh adds to the Russian alphabet; Ukrainian and Belarusian have their own.
KAZAKH_LETTERS = set("әғқңөұүһі")
UKRAINIAN_LETTERS = set("їєґ")
BELARUSIAN_LETTERS = set("ў")
POLISH_LETTERS = set("ąćęłńśźż")
AFRIKAANS_LETTERS = set("êëïôûŉ")

# The most frequent function words of each Latin-script language we may meet; enough to tell
# a sentence of Polish from Afrikaans (or English) when special letters are absent.
FUNCTION_WORDS = {
    "pl": {"i", "w", "na", "się", "sie", "z", "do", "jest", "to", "że", "ze", "nie", "o", "jak",
           "oraz", "czy", "dla", "od", "po", "co", "czym", "przez", "które", "ktore", "jego"},
    "af": {"die", "en", "van", "is", "in", "wat", "'n", "nie", "om", "te", "vir", "het", "word",
           "met", "op", "dit", "hoe", "aan", "deur", "kan", "sy", "ook", "of", "as"},
    "en": {"the", "and", "of", "to", "is", "in", "that", "for", "what", "how", "with", "on",
           "are", "by", "this", "it", "as", "be", "or", "from"},
}

SCRIPT_RE = {
    "Georgian": regex.compile(r"[\p{Georgian}]"),
    "Hebrew": regex.compile(r"[\p{Hebrew}]"),
    "Cyrillic": regex.compile(r"[\p{Cyrillic}]"),
    "Latin": regex.compile(r"[\p{Latin}]"),
}
WORD_RE = regex.compile(r"['’]?[\p{L}\p{M}]+")


def script_counts(text: str) -> Counter[str]:
    """Letters per script in `text`."""
    return Counter({name: len(rx.findall(text)) for name, rx in SCRIPT_RE.items()})


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or 'und' when there is too little to tell."""
    counts = script_counts(text)
    script, letters = counts.most_common(1)[0]
    if letters == 0:
        return UNKNOWN
    if script == "Georgian":
        return "ka"
    if script == "Hebrew":
        return "he"
    if script == "Cyrillic":
        return _cyrillic_language(text.lower())
    return latin_language(text) or UNKNOWN


def _cyrillic_language(text: str) -> str:
    letters = Counter(ch for ch in text if ch.isalpha())
    total = sum(letters.values()) or 1
    if sum(letters[c] for c in KAZAKH_LETTERS - {"і"}) / total > 0.003:
        return "kk"
    if any(letters[c] for c in UKRAINIAN_LETTERS):
        return "uk"
    if any(letters[c] for c in BELARUSIAN_LETTERS):
        return "be"
    return "ru"


def latin_language(text: str) -> str | None:
    """'pl', 'af' or 'en' for Latin-script text, or None when nothing points either way."""
    lowered = text.lower()
    words = [w.replace("’", "'") for w in WORD_RE.findall(lowered)]
    scores = Counter({lang: sum(w in vocab for w in words)
                      for lang, vocab in FUNCTION_WORDS.items()})
    scores["pl"] += 2 * sum(ch in POLISH_LETTERS for ch in lowered)
    scores["af"] += 2 * sum(ch in AFRIKAANS_LETTERS for ch in lowered)
    best, score = scores.most_common(1)[0]
    if score == 0:
        return None
    return best
