"""Kazakh (Cyrillic): an iterative suffix stripper for agglutinative endings.

Kazakh stacks endings in a fixed order after the root: derivation, plural, possessive, case
(шұңқыр-лар-ы-ның). Each ending has vowel-harmony (back/front) and consonant-assimilation
variants (-лар/-лер/-дар/-дер/-тар/-тер), all listed below. We strip the longest ending again
and again, but never below MIN_STEM letters, and single-letter endings only from longer
words, so short roots (қара, сауда) are not eaten. Voiced final consonants that appear
before a vowel (нарық → нарығы, кітап → кітабы) are restored to the root's spelling.
Users with a Russian keyboard type к for қ, г for ғ, и for і...: the fold view maps the
Kazakh letters to their nearest Russian ones.
"""

from __future__ import annotations

from functools import lru_cache

from .base import Language, load_stopwords

MIN_STEM = 3
VOWELS = set("аәеэиіоөұүуыюяё")

PLURAL = "лар лер дар дер тар тер".split()
POSSESSIVE = ("ымыз іміз мыз міз ыңыз іңіз ңыз ңіз ың ің ым ім сы сі "
              "лары лері дары дері тары тері").split()
CASE = (
    "ның нің дың дің тың тің "          # genitive
    "ға ге қа ке на не "                 # dative
    "ны ні ды ді ты ті "                 # accusative
    "да де та те нда нде "               # locative
    "дан ден тан тен нан нен "           # ablative
    "мен бен пен менен бенен пенен "     # instrumental
    "дағы дегі тағы тегі ндағы ндегі "   # relative (-дағы: "the one in")
    "ша ше дай дей тай тей"              # equative / similative
).split()
DERIVATION = (
    "лық лік дық дік тық тік "           # abstract nouns (-ness, -ship)
    "шы ші шылар шілер "                 # agent nouns
    "сыз сіз "                           # privative (without)
    "лы лі "                             # having
    "ушы уші "                           # doer
    "ған ген қан кен атын етін йтын йтін " # participles
    "ып іп "                             # converb
    "у"                                  # verbal noun (сату, автоматтандыру)
).split()
SUFFIXES = tuple(sorted(set(PLURAL + POSSESSIVE + CASE + DERIVATION), key=len, reverse=True))
# One-letter endings (possessive -ы/-і, dative -а/-е, accusative -н) are stripped only from
# words long enough that what remains is clearly a root.
SHORT_ENDINGS = ("ы", "і", "а", "е", "н", "м", "ң")
SHORT_MIN_STEM = 4
DEVOICE = {"ғ": "қ", "г": "к", "б": "п"}
FOLD = str.maketrans({"қ": "к", "ғ": "г", "ң": "н", "ә": "а", "ө": "о", "ұ": "у", "ү": "у",
                      "һ": "х", "і": "и"})


def _has_vowel(stem: str) -> bool:
    return any(ch in VOWELS for ch in stem)


def _strip_once(word: str) -> str | None:
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= MIN_STEM and _has_vowel(stem):
            return stem
    for suffix in SHORT_ENDINGS:
        stem = word[:-1]
        if word.endswith(suffix) and len(stem) >= SHORT_MIN_STEM and _has_vowel(stem):
            return stem
    return None


@lru_cache(maxsize=200_000)
def kazakh_stem(word: str) -> str:
    if not word.isalpha():
        return word
    stem = word
    for _ in range(5):
        shorter = _strip_once(stem)
        if shorter is None:
            break
        stem = shorter
    if stem != word and stem[-1] in DEVOICE:
        stem = stem[:-1] + DEVOICE[stem[-1]]
    return stem


def kazakh_stems(word: str) -> tuple[str, ...]:
    return (kazakh_stem(word),)


def fold_kazakh(word: str) -> str:
    """Kazakh letters → the nearest Russian ones (қ→к, ғ→г, ң→н, ә→а, ө→о, ұ/ү→у, һ→х, і→и)."""
    return word.translate(FOLD)


LANGUAGE = Language(
    code="kk",
    name="Қазақша",
    stems=kazakh_stems,
    fold=fold_kazakh,
    stopwords=load_stopwords("kk"),
)
