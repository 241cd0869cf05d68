"""Afrikaans: a light rule stemmer, since Snowball has none (its Dutch stemmer leaves `boeke`).

Afrikaans inflection is thin: plurals in -e, -s, -'s (and -ens/-ers), diminutives in
-(e)tjie/-jie/-pie/-kie/-ie (with their own plurals in -s), past participles with ge-, and
comparatives -er/-ste. Spelling alternates between open and closed syllables (`groot`,
`groter`; `verkoop`, `verkope`), so a stem's doubled vowels and consonants are undoubled,
as Snowball's Dutch stemmer does. Words whose ge- belongs to the root (`gebruik`, `gesig`)
are kept whole: they are listed in data, not guessed.
"""

from __future__ import annotations

from functools import lru_cache

from .base import Language, load_stopwords
from .normalize import strip_diacritics

MIN_STEM = 3
DIMINUTIVES = ("etjies", "etjie", "tjies", "tjie", "jies", "jie", "pies", "pie", "ies", "ie")
ENDINGS = ("'s", "ste", "er", "e")
# The plural -s follows unstressed syllables (stelsel-s, koper-s, woning-s, kopie-s), not
# roots that end in s (pas, prys).
S_PLURAL_AFTER = ("el", "er", "em", "en", "ng", "ie", "ee", "oe", "ur", "or")
# Words that start with ge- as part of the root (not a past participle); lower-case.
GE_ROOTS = frozenset("""
gebed gebied gebou geboue gebruik gebruike gebruiker gebruikers gedagte gedrag gedeelte gees
gegewe gegewens geheim geheue gehalte gehoor gelaat geld gelde geleentheid geleenthede
geloof gemak gemeenskap gemiddeld gemiddelde genoeg gereed gereedskap gesag gesig gesin
geskiedenis geskik geskikte gesond gesondheid getal getalle getrou gevaar geval gevalle
gevoel gevolg gevolge gevolgtrekking gewig gewild gewilde gewoon gewoonte gewone gewys
""".split())
# Separable verb particles: the ge- of the participle goes after them (aan-ge-pas).
SEPARABLE_PARTICLES = ("aan", "af", "in", "op", "uit", "oor", "om", "toe", "voor", "weg", "by",
                       "mee", "terug", "saam", "agter", "deur")
VOWELS = set("aeiouyáéèêëíïóôöúûü")


def _undouble(stem: str) -> str:
    """groot→grot, verkoop→verkop, winkell→winkel: one spelling for open and closed syllables."""
    if len(stem) >= 3 and stem[-1] == stem[-2]:
        stem = stem[:-1]
    if len(stem) >= 4 and stem[-2] == stem[-3] and stem[-2] in VOWELS and stem[-1] not in VOWELS:
        stem = stem[:-2] + stem[-1]
    return stem


@lru_cache(maxsize=200_000)
def afrikaans_stem(word: str) -> str:
    if not word.isalpha() and "'" not in word:
        return word
    stem = _strip_participle(word)
    for suffix in DIMINUTIVES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
            stem = stem[: -len(suffix)]
            break
    else:
        if stem.endswith("s") and stem[:-1].endswith(S_PLURAL_AFTER) and len(stem) > MIN_STEM + 1:
            stem = stem[:-1]
        else:
            for suffix in ENDINGS:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
                    stem = stem[: -len(suffix)]
                    break
    stem = stem.rstrip("'")
    if stem.endswith("ë"):  # strategieë → strategie
        stem = stem[:-1]
    return _undouble(stem)


def _strip_participle(word: str) -> str:
    """geïmplementeer → implementeer, aangepas → aanpas; `gebruik` and friends stay whole."""
    if word in GE_ROOTS or len(word) < 6:
        return word
    for particle in SEPARABLE_PARTICLES:
        if word.startswith(particle + "ge") and len(word) - len(particle) >= 5:
            return particle + _drop_ge(word[len(particle):])
    return _drop_ge(word) if word.startswith("ge") else word


def _drop_ge(word: str) -> str:
    rest = word[2:]
    return "i" + rest[1:] if rest.startswith("ï") else rest


def afrikaans_stems(word: str) -> tuple[str, ...]:
    return (afrikaans_stem(word),)


def fold_afrikaans(word: str) -> str:
    """ê ë é è ï î ô ö û ü á → plain letters, so `se` finds `sê` (below exact hits)."""
    return strip_diacritics(word)


LANGUAGE = Language(
    code="af",
    name="Afrikaans",
    stems=afrikaans_stems,
    fold=fold_afrikaans,
    stopwords=load_stopwords("af"),
)
