"""Georgian: a suffix stemmer, ejective folding and Latin→Georgian transliteration.

Georgian nouns take plural -ებ- (or the old genitive plural -თა), then a case ending (-ი, -ს,
-ის, -მა/-მ, -ით/-თი, -ად/-დ, -ო; extended -ისა/-სა before და), or instead a postposition
fused to its case form (-ში, -ზე, -თან/-სთან, -იდან/-დან, -ისთვის/-სთვის, -ამდე/-მდე,
-ისკენ, -ისგან, -ისადმი, -ივით ...), then the particle -ც or the copula -ა. One ending per
slot is stripped, so a postposition never lets a case ending be eaten from the stem
(ბიზნეს-ში, not ბიზნე-ს-ში). Which letter precedes an ending matters: ergative -მა follows
consonants, -მ/-თი/-დ only vowel stems that keep their vowel (ჯილდო-მ, ჯილდო-თი), and the
old plural -თა after a vowel is only a second reading (მონაცემ-თა, დრო-თა, but კალათა).
Stems in -ა/-ე lose the vowel before -ის/-ით/-ად (კომერცია → კომერციის), so every trailing
vowel is dropped at the end and all forms meet at one string (კომერც).
A vowel between a consonant and final -ლ/-რ/-ნ syncopates before a vowel ending
(მომხმარებელი → მომხმარებლის, ბაზარი → ბაზრის, მნიშვნელოვანი → მნიშვნელოვნად, წელი → წლის);
we cannot know which stems do this, so every stem is written in its syncopated form (-ელ-/-არ-/
-ან- after a consonant → -ლ-/-რ-/-ნ-, never -იან-). A stem may be as short as MIN_STEM letters,
or two consonants (წლ, ხმ, დღ: roots whose vowel is gone), so short roots are not eaten.
Without a dictionary some endings are ambiguous, so the stem view gives a few readings, best
first: the plural -ებ- stripped and kept (-ება verbal nouns look like plurals: მიწოდება/
მიწოდების meet at მიწოდებ), and for -Cმა (ergative or a noun like პლატფორმა), -Cად (adverbial
or a truncated -ადი adjective: მდგრად) and -სა also the word with the ending kept.
Georgian has no case, so nothing is ever upper-cased; Mtavruli folds to Mkhedruli earlier.
People type Georgian in Latin letters (national romanization, often without the apostrophes
that mark ejectives): a query word is transliterated, and the fold view merges each
ejective with its aspirate (კ/ქ, პ/ფ, ტ/თ, წ/ც, ჭ/ჩ) so `kompania` finds კომპანია.
"""

from __future__ import annotations

from functools import lru_cache

from .base import Language, load_stopwords

MIN_STEM = 3
VOWELS = "აეიოუ"
CONSONANTS = "ბგდვზთკლმნპჟრსტფქღყშჩცძწჭხჯჰ"
KEPT_VOWELS = "ეოუ"  # vowel stems that keep their vowel before an ending (ჯილდო-ს, -თი, -დ)
ANY = VOWELS + CONSONANTS
EJECTIVE_TO_ASPIRATE = str.maketrans("კპტწჭ", "ქფთცჩ")

# Each ending with the letters that may stand before it (the case a postposition governs is
# part of it: -ისთვის after consonants and truncated stems, -სთვის after vowels). Bare
# -თვის/-გან after a consonant only follow pronouns (ჩემთვის, stopwords), while nouns in
# -თვა end in it (მართვის = მართვ-ის), so they are not listed.
CLITICS = (("ც", ANY),)  # "also"; the copula -ა is handled in _strip_clitics
POSTPOSITIONS = (
    ("ისთვის", ANY), ("სთვის", VOWELS),
    ("ისადმი", ANY), ("სადმი", VOWELS),
    ("ისკენ", ANY), ("სკენ", VOWELS), ("ისგან", ANY), ("სგან", VOWELS),
    ("იდან", ANY), ("დან", VOWELS), ("ამდე", ANY), ("მდე", VOWELS),
    ("სთან", VOWELS), ("თან", ANY), ("ივით", ANY), ("სავით", ANY), ("ვით", VOWELS),
    ("ში", ANY), ("ზე", ANY),
)
CASES = (
    ("ისა", ANY), ("ის", ANY), ("ითა", ANY), ("ით", ANY), ("თი", KEPT_VOWELS), ("ად", ANY),
    ("დ", KEPT_VOWELS), ("მა", CONSONANTS), ("მ", VOWELS), ("სა", ANY), ("ს", ANY),
    ("ო", ANY), ("ი", ANY),
)
# Case endings that may instead end the stem, and after which letters: -Cმა is an ergative
# or a noun (პლატფორმა, ფირმა, ღრმა), -Cად an adverbial or a truncated adjective (მდგრად
# ბიზნესი), -სა an extended dative or a noun (პრესა). The plural -ებ- before them settles it.
AMBIGUOUS = {"მა": CONSONANTS, "ად": CONSONANTS, "სა": ANY}
# Readings are best first, and a query word is typed in its nominative: for -Cმა the noun
# reading comes first, so a searched პლატფორმა stands first at პლატფორმ, with პლატფორმები.
KEPT_FIRST = ("მა",)
# The old genitive plural -თა on a vowel stem (დროთა) is rarer than a noun in -თა (კალათა),
# so there the word itself is the first reading.
PLURALS = (("ებ", ANY), ("თა", ANY))
# Genuine roots that look inflected: მზად "ready" is not an adverbial of მზე "sun" (მზის).
ROOTS = frozenset({"მზად"})
# Syncope: a vowel between a consonant and these final letters drops before a vowel ending.
SYNCOPE = ("ელ", "არ", "ან")

Endings = tuple[tuple[str, str], ...]


def _with_aspirates(endings: Endings) -> Endings:
    """Endings also as a Latin-typed query spells them (კ→ქ ...), longest first."""
    both = {*endings, *((e.translate(EJECTIVE_TO_ASPIRATE), a) for e, a in endings)}
    return tuple(sorted(both, key=lambda pair: len(pair[0]), reverse=True))


POSTPOSITIONS = _with_aspirates(POSTPOSITIONS)


def _long_enough(stem: str) -> bool:
    """MIN_STEM letters, or a two-consonant root whose vowel is gone (წლ-ის, ხმ-ის)."""
    return len(stem) >= MIN_STEM or (len(stem) == 2 and not any(c in VOWELS for c in stem))


def _strip(word: str, endings: Endings) -> tuple[str, str]:
    """The word without its first matching ending (and that ending, "" if none)."""
    for ending, after in endings:
        stem = word[: -len(ending)]
        if word.endswith(ending) and _long_enough(stem) and stem[-1] in after:
            return stem, ending
    return word, ""


def _strip_clitics(word: str) -> str:
    """-ც "also", then the copula -ა after a postposition or a vowel (ცენტრშია, ტენდენციაა)."""
    word = _strip(word, CLITICS)[0]
    if len(word) > MIN_STEM and word.endswith("ა"):
        bare = word[:-1]
        if bare[-1] in "აეოუ" or _strip(bare, POSTPOSITIONS)[1]:
            return bare
    return word


def _canonical(stem: str) -> str:
    """Trailing vowels dropped (კომერცია/კომერციის), then the stem's syncopated form."""
    while stem[-1] in VOWELS and _long_enough(stem[:-1]):
        stem = stem[:-1]
    if len(stem) >= 3 and stem[-2:] in SYNCOPE and stem[-3] in CONSONANTS:
        stem = stem[:-2] + stem[-1]
    return stem


def _bodies(word: str) -> list[str]:
    """The word without its postposition or case ending, then with an ambiguous one kept."""
    stem, ending = _strip(word, POSTPOSITIONS)
    if ending:
        return [stem]
    stem, ending = _strip(word, CASES)
    if ending in AMBIGUOUS and stem[-1] in AMBIGUOUS[ending] and not stem.endswith("ებ"):
        return [word, stem] if ending in KEPT_FIRST else [stem, word]
    return [stem]


def _plural_readings(body: str) -> list[str]:
    """The body without its plural ending, and with it (-ება nouns, -თა nouns)."""
    stem, ending = _strip(body, PLURALS)
    if ending == "თა" and stem[-1] in VOWELS:
        return [body, stem]
    return [stem, body]


@lru_cache(maxsize=200_000)
def georgian_stems(word: str) -> tuple[str, ...]:
    """Readings of a Georgian word, best first: for each body, with the plural -ებ- stripped
    and without (-ება verbal nouns: მიწოდება/მიწოდების meet at მიწოდებ, კომპანია/კომპანიები
    at კომპნ)."""
    if not word.isalpha():
        return (word,)
    word = _strip_clitics(word)
    if word in ROOTS:
        return (_canonical(word),)
    readings = []
    for body in _bodies(word):
        readings += _plural_readings(body)
    return tuple(dict.fromkeys(_canonical(r) for r in readings))


def georgian_stem(word: str) -> str:
    return georgian_stems(word)[0]


def fold_georgian(word: str) -> str:
    """Merge ejectives with aspirates, as a Latin-typed word without apostrophes does."""
    return word.translate(EJECTIVE_TO_ASPIRATE)


# National romanization (2002): longest Latin sequences first; an apostrophe marks an ejective.
# Informal spellings people also type (x, w, c, f, y) are accepted.
LATIN_TO_GEORGIAN = [
    ("ch'", "ჭ"), ("ts'", "წ"), ("k'", "კ"), ("p'", "პ"), ("t'", "ტ"), ("q'", "ყ"),
    ("ch", "ჩ"), ("ts", "ც"), ("dz", "ძ"), ("sh", "შ"), ("zh", "ჟ"), ("kh", "ხ"), ("gh", "ღ"),
    ("a", "ა"), ("b", "ბ"), ("g", "გ"), ("d", "დ"), ("e", "ე"), ("v", "ვ"), ("z", "ზ"),
    ("t", "თ"), ("i", "ი"), ("k", "ქ"), ("l", "ლ"), ("m", "მ"), ("n", "ნ"), ("o", "ო"),
    ("p", "ფ"), ("r", "რ"), ("s", "ს"), ("u", "უ"), ("q", "ყ"), ("j", "ჯ"), ("h", "ჰ"),
    ("x", "ხ"), ("w", "ვ"), ("c", "ც"), ("f", "ფ"), ("y", "ი"),
]


@lru_cache(maxsize=50_000)
def transliterate_to_georgian(word: str) -> str:
    """`mits'odeba` → მიწოდება; letters with no Georgian reading are kept."""
    text = word.casefold().replace("’", "'").replace("`", "'")
    out, i = [], 0
    while i < len(text):
        for latin, georgian in LATIN_TO_GEORGIAN:
            if text.startswith(latin, i):
                out.append(georgian)
                i += len(latin)
                break
        else:
            if text[i] != "'":
                out.append(text[i])
            i += 1
    return "".join(out)


LANGUAGE = Language(
    code="ka",
    name="ქართული",
    stems=georgian_stems,
    fold=fold_georgian,
    stopwords=load_stopwords("ka"),
    transliterate=transliterate_to_georgian,
)
