"""Polish: Snowball's Polish stemmer (through PyStemmer), diacritic folding with ł→l.

Why: Polish inflects nouns in seven cases and verbs richly; Snowball Polish is a maintained,
tested stemmer for exactly that, so we do not write our own. People often type without
Polish letters (`lodz` for `łódź`); `ł` has no Unicode decomposition, so it is mapped by hand.

Snowball stays the core; light rules around it fix what it splits or merges inconsistently:

- before it: `-ii`/`-ię` of `-ia` nouns become `-ia` (`strategii` → `strategia`), so the
  `i` is not left on some forms only; nouns whose root ends like an ending Snowball strips
  (`system`, `poziom`, `kanał`: `-em`/`-om`/`-am` look like instrumental or verb endings,
  `-ał` like the past tense) are stemmed from a short list of such roots instead.
- after it: where Snowball cuts a verbal noun (`-anie`/`-enie`) to a short root, the `-ni-`
  is kept, so `danie` (dish) is not merged with `dane` (data) while `planie` still meets
  `plan`; the mobile `e` of `-ek`/`-el` is dropped (`lejek`/`lejka` → `lejk`; not in short
  loanwords like `model`); the present-tense `-uj-` of `-ować` verbs meets the `-ow-` of
  the other forms (`kupuje`, `kupował` → `kupow`).
- a second reading undoes the common consonant alternations before endings (`kliencie`,
  `klienci` → `klient`; `usłudze` → `usługa`; `partnerzy` → `partner`), so those forms also
  meet the rest of their word; the first reading is the one above.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache

import Stemmer

from .base import Detection, Language, load_stopwords
from .normalize import strip_diacritics

_stemmer: Stemmer.Stemmer | None = None

VOWELS = frozenset("aąeęioóuy")

# Masculine nouns whose root ends in letters Snowball strips as an ending (-em/-om/-am like
# instrumental or verb endings, -ał like the past tense). Prefixed forms (`udział`,
# `ekosystem`) are covered by the root; genuine lexical exceptions, not a list of test words.
FALSE_ENDING_ROOTS = (
    "system", "problem", "program", "poziom", "syndrom", "idiom", "spam",
    "kanał", "kapitał", "materiał", "potencjał", "sygnał", "kwartał", "dział",
    "ideał", "oryginał", "finał", "zapał", "arsenał",
)
# Case endings of a masculine inanimate noun (gen. sg. -u, loc. sg. -ie / -e after ł→l).
MASC_ENDINGS = ("", "u", "owi", "em", "ie", "y", "ów", "om", "ami", "ach")
# Every form _false_ending_root recognises (each root with each ending; -ł roots with -le).
_FALSE_ENDING_FORMS = tuple(root + ending for root in FALSE_ENDING_ROOTS
                            for ending in MASC_ENDINGS) + tuple(
    root[:-1] + "le" for root in FALSE_ENDING_ROOTS if root.endswith("ł"))

# Verbal nouns (-anie, -enie) and -ania/-enia nouns: the endings after their -ni-.
NI_ENDINGS = ("nie", "nia", "niu", "niem", "niom", "niami", "niach", "nią", "nię")

# Consonant alternations before an ending: (ending, basic form, letters allowed before it).
# The basic form is re-stemmed, giving a second reading that meets the other case forms.
_CONSONANTS = "bcćdfghjklłmnńprsśtwzźż"
ALTERNATIONS = (
    ("ście", "st", "aeiouy"),         # tekst → w tekście
    ("cie", "t", _CONSONANTS + "aeo"),  # produkt → w produkcie, rabat → rabacie
    ("ci", "t", "nrk" + "a"),         # klient → klienci (masc.-personal nom. pl.)
    ("dze", "ga", "aeouyąę"),         # usługa → w usłudze
    ("dzy", "g", "aeouy"),            # kolega → koledzy
    ("yce", "yka", _CONSONANTS),      # praktyka → w praktyce
    ("ice", "ika", _CONSONANTS),      # technika → w technice
    ("sce", "ska", _CONSONANTS.replace("j", "")),  # Polska → w Polsce (not miejsce)
    ("rze", "r", _CONSONANTS + "aeiouy"),  # sektor → w sektorze
    ("rzy", "r", _CONSONANTS + "aeiouy"),  # partner → partnerzy
)
MIN_STEM = 3
# A Snowball stem shorter than this is a short root that must not absorb a verbal noun.
SHORT_ROOT = 4


def _snowball(word: str) -> str:
    global _stemmer
    if _stemmer is None:
        _stemmer = Stemmer.Stemmer("polish")
    return _stemmer.stemWord(word)


def _false_ending_root(word: str) -> str | None:
    """`systemów` → `system`: the word as a root from FALSE_ENDING_ROOTS plus a case ending."""
    if not word.endswith(_FALSE_ENDING_FORMS):  # most words: one test, not one per form
        return None
    for root in FALSE_ENDING_ROOTS:
        for ending in MASC_ENDINGS:
            if word.endswith(root + ending):
                return word[: len(word) - len(ending)]
        if root.endswith("ł") and word.endswith(root[:-1] + "le"):  # kanał → w kanale
            return word[:-2] + "ł"
    return None


def _ni_stem(word: str) -> str | None:
    """`zamówienia`, `zamówień` → `zamówieni`: verbal nouns keep their -ni-."""
    if word.endswith(("ań", "eń")) and len(word) >= 3:
        return word[:-1] + "ni"
    for ending in NI_ENDINGS:
        head = word[: -len(ending)]
        if word.endswith(ending) and len(head) >= 2 and head[-1] in "ae":
            return head + "ni"
    return None


def _ia_noun(word: str) -> str:
    """`strategii`, `strategię` → `strategia`, so Snowball strips them like `strategia`."""
    if word.endswith(("ii", "ię")) and len(word) >= 5 and word[-3] not in VOWELS:
        return word[:-1] + "a"
    return word


def _after_snowball(stem: str) -> str:
    """Drop the mobile e (`lejek` → `lejk`) and unify -uj-/-ow- (`kupuj` → `kupow`)."""
    if len(stem) >= 5 and stem.endswith("ek") and stem[-3] not in VOWELS:
        return stem[:-2] + "k"
    # Short -el words are mostly loanwords with a fixed e (model, hotel, panel): `modl` would
    # meet `modlić`, so only longer stems lose it (handel → handl-).
    if len(stem) >= 6 and stem.endswith("el") and stem[-3] not in VOWELS:
        return stem[:-2] + "l"
    if len(stem) >= 5 and stem.endswith("uj"):
        return stem[:-2] + "ow"
    return stem


def _stem(word: str) -> str:
    """The primary stem of one lower-case alphabetic word."""
    root = _false_ending_root(word)
    if root is not None:
        return root
    stem = _snowball(_ia_noun(word))
    if len(stem) < SHORT_ROOT:  # `danie` → `dan` would meet `dane`: keep the -ni-
        stem = _ni_stem(word) or stem
    return _after_snowball(stem)


def _alternation_reading(word: str) -> str | None:
    """The stem of the word with its last consonant alternation undone, if it has one."""
    for ending, basic, before in ALTERNATIONS:
        head = word[: -len(ending)]
        if word.endswith(ending) and len(head) >= MIN_STEM and head[-1] in before:
            return _stem(head + basic)
    return None


# --- Dictionary lemmas: Morfeusz 2 with the SGJP dictionary (Grammatical Dictionary of Polish).
# A dictionary knows what no suffix rule can: suppletion (chcemy/chcą → chcieć, lepszy → dobry),
# mobile vowels (opel/oplem), alternations (ręka/ręce). Its lemma replaces the rule stem for the
# words it knows: adding the rule stem beside it would merge unrelated words that happen to
# share a Snowball stem. Morfeusz splits a word into segments (zrobiłem = zrobił + em, the
# agglutinated "to be"; zrobiłby = zrobił + by); the lemmas of the first segment name the word.
NON_LEXICAL_TAGS = frozenset({"aglt", "interp", "ign", "qub", "brev", "dig", "romandig"})

_morfeusz = None
_morfeusz_pid = -1
_morfeusz_lock = threading.Lock()
_morfeusz_missing = False
log = logging.getLogger(__name__)


def _analyser():
    """One Morfeusz per process, made on first use (never pickled into an index; a forked
    writer process makes its own). None if the morfeusz2 package is not installed."""
    global _morfeusz, _morfeusz_pid, _morfeusz_missing, _morfeusz_lock
    if _morfeusz is not None and _morfeusz_pid == os.getpid():
        return _morfeusz
    if _morfeusz_missing:
        return None
    try:
        import morfeusz2
    except ImportError:
        _morfeusz_missing = True
        log.warning("morfeusz2 is not installed: Polish falls back to rule stems only")
        return None
    # A forked child gets a fresh lock too: the parent's may have been held at the fork.
    _morfeusz_lock = threading.Lock()
    _morfeusz = morfeusz2.Morfeusz(generate=False, expand_tags=False)
    _morfeusz_pid = os.getpid()
    return _morfeusz


def _lemma(raw: str) -> str:
    """`zamek:Sm3~a` → `zamek`: SGJP marks homonyms after a colon; lemmas are lower-cased
    like every other term."""
    return raw.split(":", 1)[0].lower() if len(raw) > 1 else raw.lower()


def dictionary_lemmas(word: str) -> tuple[str, ...]:
    """The SGJP lemmas of a word, most interpretations first; () if the dictionary does not
    know it."""
    analyser = _analyser()
    if analyser is None:
        return ()
    with _morfeusz_lock:
        interpretations = analyser.analyse(word)
    counts: dict[str, int] = {}
    for start, _end, (_form, lemma, tag, _names, _qualifiers) in interpretations:
        if start != 0:
            continue
        kind = tag.split(":", 1)[0]
        if kind == "ign":
            return ()
        if kind not in NON_LEXICAL_TAGS:
            key = _lemma(lemma)
            counts[key] = counts.get(key, 0) + 1
    # All lemmas, not one: SGJP lists no frequencies, and on UD text (PDB dev) every lemma
    # conflates better than the first or the most interpreted one (F1 .93 vs .87).
    return tuple(sorted(counts, key=counts.__getitem__, reverse=True))


def rule_stems(word: str) -> tuple[str, ...]:
    """The rule stems of a word the dictionary does not know: Snowball and the rules above."""
    readings = [_stem(word), _alternation_reading(word)]
    return tuple(dict.fromkeys(r for r in readings if r))


@lru_cache(maxsize=200_000)
def polish_stems(word: str) -> tuple[str, ...]:
    """A known word's dictionary lemmas (see dictionary_lemmas); else its rule stems."""
    if not word.isalpha():
        return (word,)
    return dictionary_lemmas(word) or rule_stems(word)


@lru_cache(maxsize=200_000)
def plain_rule_stems(word: str) -> tuple[str, ...]:
    """Rule stems of a word typed without Polish letters: the dictionary would read `lodzi`
    as the rare verb `lodzić`, not as `łodzi` typed plain."""
    return rule_stems(word) if word.isalpha() else (word,)


def fold_polish(word: str) -> str:
    return strip_diacritics(word.replace("ł", "l"))


LANGUAGE = Language(
    code="pl",
    name="Polski",
    english_name="Polish",
    detection=Detection(
        letters=frozenset("ąćęłńśźż"),
        function_words=frozenset({
            "i", "w", "na", "się", "sie", "z", "do", "jest", "to", "że", "ze", "nie", "o", "jak",
            "oraz", "czy", "dla", "od", "po", "co", "czym", "przez", "które", "ktore", "jego"}),
    ),
    opening_headings=("wstęp", "wprowadzenie", "definicja"),
    closing_headings=("wniosek", "wnioski", "podsumowanie"),
    stems=polish_stems,
    fold=fold_polish,
    stopwords=load_stopwords("pl"),
    folded_stems=plain_rule_stems,
)
