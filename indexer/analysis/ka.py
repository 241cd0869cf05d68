"""Georgian: a suffix stemmer, ejective folding and Latin→Georgian transliteration.

Georgian nouns take plural -ებ- (or the old -თა/-ნი), then a case ending (-ი, -მა/-მ, -ს,
-ის, -ით/-თ, -ად/-დ, -ო), then a postposition fused to the word (-ში, -ზე, -თან, -დან,
-ისთვის, -მდე, -კენ, -ივით, -ადმი ...). Stems ending in -ა lose it before -ის
(კომერცია → კომერციის). We strip endings again and again down to MIN_STEM letters, final
vowels included, so every form of a noun meets at one string; adjectives in -ული/-ური meet
their truncated attributive form (ელექტრონულ კომერციაში).
Georgian has no case, so nothing is ever upper-cased; Mtavruli folds to Mkhedruli earlier.
People type Georgian in Latin letters (national romanization, often without the apostrophes
that mark ejectives): a query word is transliterated, and the fold view merges each
ejective with its aspirate (კ/ქ, პ/ფ, ტ/თ, წ/ც, ჭ/ჩ) so `kompania` finds კომპანია.
"""

from __future__ import annotations

from functools import lru_cache

from .base import Language, load_stopwords

MIN_STEM = 3
VOWELS = set("აეიოუ")
EJECTIVE_TO_ASPIRATE = str.maketrans("კპტწჭ", "ქფთცჩ")
# Endings in the order they stand after the stem, outermost first (each slot strips once).
CLITICS = ("ც",)  # "also"; the copula -ა after a postposition is handled in _strip_clitic
POSTPOSITIONS = ("ისთვის", "ისადმი", "ისკენ", "ისგან", "თვის", "იდან", "ამდე", "ადმი", "კენ",
                 "ივით", "სავით", "გან", "ში", "ზე", "თან", "დან", "მდე", "ვით")
CASES = ("ისა", "ის", "ით", "ად", "მა", "სა", "ს", "მ", "თ", "დ", "ო", "ი")
PLURALS = ("ებ", "თა")


def _with_aspirates(endings: tuple[str, ...]) -> tuple[str, ...]:
    """Endings also as a Latin-typed query spells them (კ→ქ ...), longest first."""
    both = {*endings, *(e.translate(EJECTIVE_TO_ASPIRATE) for e in endings)}
    return tuple(sorted(both, key=len, reverse=True))


POSTPOSITIONS = _with_aspirates(POSTPOSITIONS)


def _strip(word: str, endings: tuple[str, ...], min_stem: int = MIN_STEM) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= min_stem:
            return word[: -len(ending)]
    return word


def _strip_clitic(word: str) -> str:
    word = _strip(word, CLITICS, MIN_STEM + 1)
    # Copula -ა ("is") after a postposition: ცენტრშია = ცენტრ-ში-ა.
    if word.endswith("ა") and any(word[:-1].endswith(p) for p in POSTPOSITIONS):
        return word[:-1]
    return word


def _strip_final_vowels(word: str) -> str:
    """Nominative -ი/-ა and vowels that truncate before endings (კომერცია/კომერციის)."""
    for _ in range(2):
        if word[-1] in VOWELS and len(word) - 1 >= MIN_STEM:
            word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def georgian_stems(word: str) -> tuple[str, ...]:
    """Two readings: with the plural -ებ- stripped, and without (for -ება verbal nouns:
    მიწოდება/მიწოდების must meet at მიწოდებ, კომპანია/კომპანიები at კომპან)."""
    if not word.isalpha():
        return (word,)
    stem = _strip(_strip(_strip_clitic(word), POSTPOSITIONS), CASES)
    plural_stripped = _strip_final_vowels(_strip(stem, PLURALS))
    kept = _strip_final_vowels(stem)
    return tuple(dict.fromkeys([plural_stripped, kept]))


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
