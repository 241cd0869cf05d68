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

Participles: ge- goes after a separable particle (op-ge-maak, goed-ge-keur, vas-ge-stel);
verbs with an unstressed prefix (be-, ver-, ont-, her-, er-) take no ge- at all, so their
attributive -de/-te (bedoel-de) is the only sign; -te follows p t k f s, -de anything else,
which keeps verwant-e apart. Present participles add -end(e) (lop-ende, verskill-ende,
bestaan-de). A hyphenated compound inflects its last part. Old plurals with a vowel change
or a lost consonant (dag/dae, tyd/tye, skip/skepe) are listed, not derived.

Words whose ge- belongs to the root (`gebruik`, `gesig`) are kept whole, and lexicalised
diminutives (`kaartjie` "ticket", `koppie` "cup") keep their own stem: both are listed in data,
not guessed. Comparative -er and superlative -ste need a longer stem than other suffixes, so
short roots that end in them (`water`, `somer`, `eerste`) are not eaten.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .base import Detection, Language, load_stopwords
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
S_PLURAL_AFTER = ("el", "er", "em", "en", "ng", "ie", "ee", "oe", "ur", "or", "e",
                  "aar", "um", "a")  # eienaar-s (agent nouns), laboratorium-s, tema-s
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
geel geen gedig gewas gety gemors gelid gebod gewis
""".split())
# Nouns in -s whose plural is -te (diens/dienste, uitkoms/uitkomste, teks/tekste, gas/gaste):
# their -ste is not the superlative. Agent nouns in -is do the same (aktivis/aktiviste).
S_TE_NOUNS = ("diens", "teks", "koms", "kuns", "gas", "pos", "bees", "is")
# Forms no rule of spelling derives: old plurals with a vowel change or a lost consonant
# (dag/dae, tyd/tye, hof/howe, oog/oë, skip/skepe, stad/stede, lid/lede) and the attributive
# forms of nuut and goed.
IRREGULAR = {"dae": "dag", "tye": "tyd", "howe": "hof", "oë": "oog", "skepe": "skip",
             "stede": "stad", "lede": "lid", "nuwe": "nuut", "goeie": "goed"}
# ge- + a two-letter verb in ê (gesê, gelê): shorter than any other participle.
SHORT_GE_PARTICIPLE = re.compile(r"^ge[^aeiou][êe]$")
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
                       "mee", "terug", "saam", "agter", "deur",
                       # adverbs and nouns that also separate: voort-ge-sit, na-ge-gaan,
                       # vas-ge-stel, neer-ge-lê, teen-ge-staan, goed-ge-keur, reg-ge-stel,
                       # oop-ge-maak, los-ge-laat, plaas-ge-vind, deel-ge-neem
                       "voort", "na", "vas", "neer", "teen", "teë", "goed", "reg", "oop", "los",
                       "plaas", "deel")
# Present participles: verb + -end, attributive -ende (lopende → loop, verskillende → verskil,
# ondersteunende → ondersteun); after a verb in -aan the e is not written (bestaande).
PRESENT_PARTICIPLE = re.compile(r"^(.{2,}[^aeiouyáéèêëíïóôöúûü])(?:end|ende|endes|endste)$")
PRESENT_PARTICIPLE_AAN = re.compile(r"^(.{2,}aan)des?$")
# Words in -end(e) that are not a verb + -end: known, misery, legend, dividend, weekend.
NOT_PRESENT_PARTICIPLES = ("bekend", "bekende", "ellende", "legende", "dividend", "dividende",
                           "naweek", "weekend", "weekende", "tiende")
# Verbs with an unstressed prefix take no ge- (bedoel, bepaal, verander, ontwikkel,
# herstel, erken): their participle is the bare stem, attributively + -de/-te (bedoelde,
# bepaalde, ontwikkelde).
UNSTRESSED_PREFIX = re.compile(r"^(?:be|ver|ont|her|er)")
# Afrikaans writes -de after g (verenigde, bevestigde) though g is voiceless.
VOICELESS = frozenset("ptkfs")
# A participle used as an adjective may add -d after a diphthong or -eer (getrou-d,
# toegewy-d, uitgebrei-d, geïntegreer-d); verbs in -ied, -oed end in d themselves (bied, voed).
D_ADJECTIVE_AFTER = ("ou", "y", "ei", "eer")
# -er after nd, rd, st is mostly part of the word (ander, besonder, verder, onder, venster,
# suster, meester), rarely a comparative.
ROOT_ER = ("nder", "rder", "ster")
# Adjectives in -ies (prakties, krities, ekonomies, logies; attributive -iese): after t n m r g
# a diminutive is -tjie/-pie/-etjie, never plain -ie, so this -ies is no diminutive plural.
ADJECTIVE_IES = re.compile(r"(?:^|[^tnmrg])[tnmrg]iese?$")
# -eel adjectives are loans whose -ele keeps a long e (kultureel/kulturele, formeel/formele,
# personeel/personele); native -el words have a schwa (edel/edele, enkel/enkele).
LONG_EL = ("urel", "onel", "rmel")
# The same loans in -ieel typed without the diaeresis (finansiele for finansiële); -fiele
# (profiel/profiele), -tiele (tekstiel/tekstiele) and short -iele (wiel/wiele) are ordinary long ie.
PLAIN_IEEL = ("siel", "riel")
VOWELS = set("aeiouyáéèêëíïóôöúûü")
LONG_WHEN_OPEN = set("aeou")
# Vowel pairs written for one vowel; other pairs are two syllables, whose second vowel is long
# when open (sosiale → sosiaal, aktuele → aktueel).
DIGRAPHS = frozenset({"aa", "ee", "oo", "uu", "ie", "oe", "eu", "ou", "au"})


@lru_cache(maxsize=200_000)
def afrikaans_stem(word: str) -> str:
    if not word.isalpha() and "'" not in word:
        head, hyphen, tail = word.rpartition("-")
        if hyphen and head and tail.isalpha():  # a hyphenated compound inflects its last part
            return f"{head}-{afrikaans_stem(tail)}"
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    restored = _restore_g(word)
    if restored:
        return restored
    stem, participle = _strip_participle(word)
    if ADJECTIVE_IES.search(stem):  # prakties/praktiese: an adjective, not a diminutive
        return stem.removesuffix("e")
    present = _present_participle(stem)
    if present:
        return present
    weak = _weak_participle(stem, participle)
    if weak:
        return weak
    if stem.endswith(tuple(noun + "te" for noun in S_TE_NOUNS)) and len(stem) > 5:
        return stem[:-2]
    if stem.endswith("hede") and len(stem) > 6:  # geleentheid/geleenthede
        return stem[:-4] + "heid"
    if stem in LEXICAL_DIMINUTIVES or stem[:-1] in LEXICAL_DIMINUTIVES:
        return stem.removesuffix("s")
    if stem.endswith("ieë"):  # strategieë: the plural -ë after -ie
        stem = stem[:-1]
    return _strip_endings(stem).rstrip("'")


def _weak_participle(stem: str, participle: bool) -> str:
    """The verb of an attributive participle: gemaak-te, bedoel-de, geïntegreer-d, getrou-d.

    -te follows a voiceless consonant (p t k f s), -de any other sound; so verwante is
    verwant + -e, not a participle. A verb with an unstressed prefix (bedoel, verenig) has no
    ge- to show it is a participle: it needs a longer stem, and -ste is a superlative there
    (belangrikste)."""
    if not participle and not (UNSTRESSED_PREFIX.match(stem)
                               and not stem.endswith(("ende", "ste"))):
        return ""
    for suffix in ("de", "te", "d"):
        head = stem[: -len(suffix)]
        if not stem.endswith(suffix) or len(head) < MIN_STEM + (0 if participle else 2):
            continue
        voiceless = head[-1] in VOICELESS
        if suffix == "te" and voiceless or suffix == "de" and not voiceless:
            if participle or head[-1] not in VOWELS:
                return head
        if suffix == "d" and participle and head.endswith(D_ADJECTIVE_AFTER):
            return head  # geïntegreerd, getroud, toegewyd, uitgebreid
    return ""


def _present_participle(word: str) -> str:
    """lopende → loop, verskillend → verskil, bestaande → bestaan; '' if not one."""
    if word.endswith(NOT_PRESENT_PARTICIPLES):
        return ""
    match = PRESENT_PARTICIPLE_AAN.match(word)
    if match:
        return match.group(1)
    match = PRESENT_PARTICIPLE.match(word)
    return _close(match.group(1), "e") if match else ""


def _strip_endings(stem: str, diminutive: bool = True) -> str:
    """One diminutive, or a plural -s and/or one of ENDINGS; then the closed-syllable spelling."""
    if re.search(r"[aeiouy][^aeiouy]inkies?$", stem):  # koning → koninkie: ng becomes nk
        return stem[: stem.rindex("inkie")] + "ing"
    for suffix in DIMINUTIVES if diminutive else ():
        if suffix.startswith("pie") and not stem.endswith("mpie" + suffix[3:]):
            continue  # -pie only after m (boompie); strepie is streep + -ie
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
            # the base word then takes the base word's stem (vingertjie → vinger → as vinger)
            return _strip_endings(_close(stem[: -len(suffix)], suffix), diminutive=False)
    if (stem.endswith("s") and stem[:-1].endswith(S_PLURAL_AFTER)
            and len(stem) > MIN_STEM + 1 and not STRESSED_ES.search(stem)
            and not stem.endswith(S_TE_NOUNS)):
        stem = stem[:-1]
    for suffix, min_stem in ENDINGS:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= min_stem:
            if suffix == "er" and (_vowel_before_er(stem) or stem.endswith(ROOT_ER)):
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
    if stem.endswith(PLAIN_IEEL) and _syllables(stem) >= 3:  # finansiele typed without ë
        return stem[:-1] + "el"
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
    if stem.endswith("or") and _syllables(stem) > 1:  # sektor/sektore, faktor, motor
        return stem
    if (vowel == "e" and stem[-1] in "lr" and stem[-3] not in VOWELS
            and _syllables(stem) > 1 and not stem.endswith(LONG_EL)):
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
    if (_is_ge_root(word) or word.startswith(PARTICLE_GE_ROOTS)
            or len(word) < 5 and not SHORT_GE_PARTICIPLE.match(word)):
        return word, False
    for particle in SEPARABLE_PARTICLES:
        rest = word[len(particle):]
        if word.startswith(particle + "ge") and (len(rest) >= 5
                                                  or SHORT_GE_PARTICIPLE.match(rest)):
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


# ge- roots that are also the past participle of a verb: a second reading meets the verb
# (gelyk "equal" / ge-lyk "seemed", gebou "building" / ge-bou "built").
GE_ROOT_PARTICIPLES = {"gelyk": "lyk", "gebou": "bou", "gevoel": "voel", "gehoor": "hoor",
                       "gevolg": "volg", "geval": "val"}


def afrikaans_stems(word: str) -> tuple[str, ...]:
    stem = afrikaans_stem(word)
    verb = GE_ROOT_PARTICIPLES.get(word)
    return (stem, verb) if verb else (stem,)


def fold_afrikaans(word: str) -> str:
    """ê ë é è ï î ô ö û ü á → plain letters, so `se` finds `sê` (below exact hits)."""
    return strip_diacritics(word)


LANGUAGE = Language(
    code="af",
    name="Afrikaans",
    english_name="Afrikaans",
    detection=Detection(
        letters=frozenset("êëïôûŉ"),
        function_words=frozenset({
            "die", "en", "van", "is", "in", "wat", "'n", "nie", "om", "te", "vir", "het", "word",
            "met", "op", "dit", "hoe", "aan", "deur", "kan", "sy", "ook", "of", "as"}),
    ),
    opening_headings=("inleiding", "definisie"),
    closing_headings=("gevolgtrekking", "slot", "samevatting"),
    stems=afrikaans_stems,
    fold=fold_afrikaans,
    stopwords=load_stopwords("af"),
    # geintegreerde typed without ï still meets geïntegreer: the folded word is stemmed too
    folded_stems=afrikaans_stems,
)
