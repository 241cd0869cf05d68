"""Afrikaans: a light rule stemmer, since Snowball has none (its Dutch stemmer leaves `boeke`).

Afrikaans inflection is thin: plurals in -e, -s, -'s (and -ens/-ers), diminutives in
-(e)tjie/-jie/-pie (after m)/-ie and -inkie for -ing (with their own plurals in -s), past
participles with ge- (and an attributive -de/-te), and comparatives -er/-ste. Spelling
alternates between open and closed syllables (`groot`, `groter`; `verkoop`, `verkope`; `stap`,
`stappe`), so when a vowel-initial suffix is stripped the stem is brought back to its
closed-syllable spelling: a doubled consonant is undoubled and a single long vowel doubled again
(`verkop` → `verkoop`). This keeps short and long roots apart (`kop`/`koop`, `sak`/`saak`),
which undoubling every long vowel would merge. The same step restores other alternations of the
closed syllable: a t lost after k, g, f, s (`produkte` → `produk`: Afrikaans drops a final t
there), w for f (`lewe` → `leef`), ë for ee (`finansiële` → `finansieel`) and the g lost between
vowels (`hoë`, `lae` → `hoog`, `laag`).

Words whose ge- belongs to the root (`gebruik`, `gesig`) are kept whole, and lexicalised
diminutives (`kaartjie` "ticket", `koppie` "cup") keep their own stem: both are listed in data,
not guessed. Comparative -er and superlative -ste need a longer stem than other suffixes, so
short roots that end in them (`water`, `somer`, `eerste`) are not eaten.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .base import Language, load_stopwords
from .normalize import strip_diacritics

MIN_STEM = 3
# -er and -ste are also the ends of many short roots (water, somer, koper, lewer, eerste).
MIN_DEGREE_STEM = 4
DIMINUTIVES = ("etjies", "etjie", "tjies", "tjie", "jies", "jie", "pies", "pie", "ies", "ie")
# Suffix → the shortest stem it may leave.
ENDINGS = (("'s", MIN_STEM), ("ste", MIN_DEGREE_STEM), ("er", MIN_DEGREE_STEM), ("e", MIN_STEM))
# Suffixes that begin with a vowel: the stem they leave is in an open syllable.
VOWEL_SUFFIXES = frozenset({"e", "er", "ie", "ies", "etjie", "etjies"})
# The plural -s follows unstressed syllables (stelsel-s, koper-s, woning-s, kopie-s, behoefte-s),
# not roots that end in s (pas, prys).
S_PLURAL_AFTER = ("el", "er", "em", "en", "ng", "ie", "ee", "oe", "ur", "or", "e")
# ...but -ses/-res mostly ends a stressed loanword (proses, sukses, adres, kongres: plural
# prosesse), not a plural -s.
STRESSED_ES = re.compile(r"[sr]es$")
# Words that start with ge- as part of the root (not a past participle); lower-case.
GE_ROOTS = frozenset("""
gebed gebied gebou geboue gebruik gebruike gebruiker gebruikers gedagte gedrag gedeelte gees
gegewe gegewens geheim geheue gehalte gehoor gelaat geld gelde geleentheid geleenthede
geloof gemak gemeenskap gemiddeld gemiddelde genoeg gereed gereedskap gesag gesig gesin
geskiedenis geskik geskikte gesond gesondheid getal getalle getrou gevaar geval gevalle
gevoel gevolg gevolge gevolgtrekking gewig gewild gewilde gewoon gewoonte gewone gewys
gedurende gereeld getuie getuienis getuig gebeur gebrek geheel geluk gelukkig gelyk gemeente
gemoed genees geniet gerief geselskap geskenk geskil gesprek gestalte geweld gewete
""".split())
# A compound whose first part is a ge- root (gebruikersaankoop, gehoorsegmente, gevallestudies):
# only roots this long, since a shorter one also starts participles (gewys-ig, geval-ideer).
GE_ROOT_PREFIX_MIN = 6
# Words whose particle + ge- is part of the root, not a separable participle (omgewing
# "environment", ingenieur "engineer", aangenaam "pleasant", ...); they also start compounds.
PARTICLE_GE_ROOTS = ("aangeleentheid", "aangenaam", "ingenieur", "ingewikkeld", "omgewing")
# Endings after which a ge- root is still the same word (gesig-te, gesin-ne, gedagte-s).
GE_ROOT_TAILS = ("", "s", "'s", "e", "es", "te", "de", "ste", "er", "ers")
# Diminutives with a meaning of their own (ticket, cup/hill, shopping cart, bean, pea, girl,
# cookie, a little, basket, picture, tangerine, sweet, sparrow): not the base word made small.
LEXICAL_DIMINUTIVES = frozenset("""
kaartjie koppie karretjie boontjie ertjie meisie koekie bietjie mandjie plaatjie nartjie
lekkertjie mossie
""".split())
# Roots in -aer that are not g-deletion forms (maer "thin", swaer "brother-in-law").
AER_ROOTS = frozenset({"maer", "swaer"})
# g dropped between vowels: laag/lae/laer, hoog/hoë/hoër, vraag/vrae, ploeg/ploeë.
G_DELETION = re.compile(r"^(.*[^aeiou])(a|o|oe)(?:e|er|ë|ër)$")
# Separable verb particles: the ge- of the participle goes after them (aan-ge-pas).
SEPARABLE_PARTICLES = ("aan", "af", "in", "op", "uit", "oor", "om", "toe", "voor", "weg", "by",
                       "mee", "terug", "saam", "agter", "deur")
VOWELS = set("aeiouyáéèêëíïóôöúûü")
LONG_WHEN_OPEN = set("aeou")
# Vowel pairs written for one vowel; other pairs are two syllables, whose second vowel is long
# when open (sosiale → sosiaal, aktuele → aktueel).
DIGRAPHS = frozenset({"aa", "ee", "oo", "uu", "ie", "oe", "eu", "ou", "au"})


@lru_cache(maxsize=200_000)
def afrikaans_stem(word: str) -> str:
    if not word.isalpha() and "'" not in word:
        return word
    restored = _restore_g(word)
    if restored:
        return restored
    stem, participle = _strip_participle(word)
    if participle:
        for suffix in ("de", "te"):  # attributive participle: geïmplementeer-de, aangepas-te
            if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
                return stem[: -len(suffix)]
    if stem.endswith("hede") and len(stem) > 6:  # geleentheid/geleenthede
        return stem[:-4] + "heid"
    if stem in LEXICAL_DIMINUTIVES or stem[:-1] in LEXICAL_DIMINUTIVES:
        return stem.removesuffix("s")
    if stem.endswith("ieë"):  # strategieë: the plural -ë after -ie
        stem = stem[:-1]
    return _strip_endings(stem).rstrip("'")


def _strip_endings(stem: str) -> str:
    """One diminutive, or a plural -s and/or one of ENDINGS; then the closed-syllable spelling."""
    if re.search(r"[aeiouy][^aeiouy]inkies?$", stem):  # koning → koninkie: ng becomes nk
        return stem[: stem.rindex("inkie")] + "ing"
    for suffix in DIMINUTIVES:
        if suffix.startswith("pie") and not stem.endswith("mpie" + suffix[3:]):
            continue  # -pie only after m (boompie); strepie is streep + -ie
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
            return _close(stem[: -len(suffix)], suffix)
    if (stem.endswith("s") and stem[:-1].endswith(S_PLURAL_AFTER)
            and len(stem) > MIN_STEM + 1 and not STRESSED_ES.search(stem)):
        stem = stem[:-1]
    for suffix, min_stem in ENDINGS:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= min_stem:
            if suffix == "er" and _vowel_before_er(stem):
                break
            closed = _close(stem[: -len(suffix)], suffix)
            if len(closed) >= min_stem:  # kommer is not kom + -er
                return closed
    return stem.removesuffix("ë")  # Brasilië, knieë


def _vowel_before_er(stem: str) -> bool:
    """implementeer, koers, dier, manier: ee/oe/ie + r is one vowel, not a root + -er.

    After a diphthong the i is a glide and -er is a suffix (mooi-er, moei-er)."""
    before = stem[-3]
    return before in "eo" or (before == "i" and stem[-4:-3] not in VOWELS)


def _close(stem: str, suffix: str) -> str:
    """The closed-syllable spelling of a stem left by `suffix` (stapp→stap, verkop→verkoop)."""
    if suffix not in VOWEL_SUFFIXES:
        return stem
    last, before = stem[-1], stem[-2]
    if last == before and last not in VOWELS:
        return stem[:-1]
    if suffix == "e" and last == "t" and before in "kgfs":  # produkte → produk, nagte → nag
        return stem[:-1]
    if before == "ë" and last not in VOWELS:  # finansiële → finansieel
        return stem[:-2] + "ee" + last
    if last == "w" and (before in "lr" or before in VOWELS and before != "u"):
        stem = stem[:-1] + "f"  # lewe → leef, briewe → brief, golwe → golf
    return _lengthen(stem)


def _lengthen(stem: str) -> str:
    """A single a/e/o/u in an open syllable is long: write it double when the syllable closes.

    An e after a consonant and before l or r in a later syllable is usually schwa (edele,
    andere), so it stays.
    """
    if len(stem) < 3 or stem[-1] in VOWELS or stem[-3:-1] in DIGRAPHS:
        return stem
    vowel = stem[-2]
    if vowel not in LONG_WHEN_OPEN:
        return stem
    if (vowel == "e" and stem[-1] in "lr" and stem[-3] not in VOWELS
            and _syllables(stem) > 1):
        return stem
    return stem[:-1] + vowel + stem[-1]


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouyáéèêëíïóôöúûü]+", word))


def _restore_g(word: str) -> str:
    """hoë, hoër → hoog; lae, laer → laag: the g between two vowels is not written."""
    if word in AER_ROOTS or word.endswith("oe") or word.endswith("oer"):
        return ""  # oe is one vowel (hoe, koerier), not o + e
    match = G_DELETION.match(word)
    if not match:
        return ""
    head, vowel = match.groups()
    return head + (vowel * 2 if len(vowel) == 1 else vowel) + "g"


def _strip_participle(word: str) -> tuple[str, bool]:
    """geïmplementeer → implementeer, aangepas → aanpas; `gebruik` and friends stay whole."""
    if _is_ge_root(word) or word.startswith(PARTICLE_GE_ROOTS) or len(word) < 6:
        return word, False
    for particle in SEPARABLE_PARTICLES:
        rest = word[len(particle):]
        if word.startswith(particle + "ge") and len(rest) >= 5:
            return particle + _drop_ge(rest), True
    if word.startswith("ge"):
        return _drop_ge(word), True
    return word, False


def _is_ge_root(word: str) -> bool:
    """gesig, gesigte, gesinne, gedagtes, gebruikersaankoop: a listed ge- root, inflected or
    as the first part of a compound."""
    if not word.startswith("ge"):
        return False
    for tail in GE_ROOT_TAILS:
        if word.endswith(tail) and word[: len(word) - len(tail)] in GE_ROOTS:
            return True
    if any(word[:n] in GE_ROOTS for n in range(GE_ROOT_PREFIX_MIN, len(word))):
        return True
    # doubled consonant before -e: gesin → gesinne, geval → gevalle
    return len(word) > 4 and word.endswith("e") and word[-2] == word[-3] and word[:-2] in GE_ROOTS


def _drop_ge(word: str) -> str:
    rest = word[2:]
    if rest[:1] in ("ï", "ë"):  # geïntegreer, geëvalueer: the diaeresis only marks the hiatus
        return strip_diacritics(rest[0]) + rest[1:]
    return rest


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
