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
Verbs stack prefixes and suffixes round the root (და-ვ-ი-წერ-ე); a verb form gets one more
reading, its preverb + root without the ending chain and person prefix (see VERB_ENDINGS), so
the forms of one verb with one preverb meet (დაწერა, დავწერე, დაწერს), and a present form
meets its other present-series forms (აკეთებს, აკეთებდნენ, ვაკეთებ); after a preverb also
without the version vowel, which comes and goes within a paradigm (გაიხედა, გახედა, გახედვა).
Georgian has no case, so nothing is ever upper-cased; Mtavruli folds to Mkhedruli earlier.
People type Georgian in Latin letters (national romanization, often without the apostrophes
that mark ejectives): a query word is transliterated, and the fold view merges each
ejective with its aspirate (კ/ქ, პ/ფ, ტ/თ, წ/ც, ჭ/ჩ) so `kompania` finds კომპანია; a folded
word is stemmed with its preverbs folded too (ცაიყვანა is წაიყვანა typed without ejectives).
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
# Particles after the case: -ც "also", -ვე "the very, same" (ბავშვობიდან-ვე "since childhood
# already"), -ღა "only, still" (სირბილით-ღა); the copula -ა is handled in _strip_clitics.
CLITICS = (("ვე", ANY), ("ღა", ANY), ("ც", ANY))
POSTPOSITIONS: tuple[tuple[str, str], ...] = (
    ("ისათვის", ANY), ("სათვის", VOWELS), ("ისთვის", ANY), ("სთვის", VOWELS),
    ("ისას", ANY), ("სას", VOWELS),
    ("ისადმი", ANY), ("სადმი", VOWELS), ("ისაგან", ANY), ("საგან", VOWELS),
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
        if not word.endswith(ending):  # most endings: no copy of the word's other letters
            continue
        stem = word[: -len(ending)]
        if _long_enough(stem) and stem[-1] in after:
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


# --- Verbs -------------------------------------------------------------------------------
# A Georgian verb is [preverb] [person prefix] [version vowel] root [thematic suffix]
# [screeve marker] [person/number ending]: და-ვ-ი-წერ-ე, გა-ა-კეთ-ებ-დ-ნენ, ცხოვრ-ობ-ს.
# Thematic suffixes (present/future series): -ებ, -ობ, -ავ, -ევ (and -ამ, left out: roots
# end in it, ჭამ-ს, ჭამ-და, far more often than it is a suffix, დგ-ამ-ს); the imperfect and the
# conjunctive add -დ- (წერ-დ-ა, აკეთ-ებ-დ-ეს), passives -ებ-/-ოდ- (იწერ-ებ-ა, იწერ-ებ-ოდ-ა).
# A verb form gets one more reading: its preverb + version vowel + root, the ending chain and
# the person prefix stripped (და-ვ-წერ-ე, და-წერ-ა, და-წერ-ს → დაწერ; ვ-ა-კეთ-ებ, ა-კეთ-ებ-დ-ა
# → აკეთ), only when the word shows a verb ending that nouns do not end in, or a preverb or
# a 1st-person prefix beside one they do.
THEMATIC = ("ებ", "ობ", "ავ", "ევ")
# What follows the thematic suffix: nothing (1st/2nd sg present: ვაკეთებ), present -ს (3sg),
# -ენ (3pl), -თ (1/2pl); imperfect -დ-ა, -დ-ი, -დ-ით, -დ-ნენ; conjunctive -დ-ე, -დ-ეს, -დ-ეთ;
# passive -ა, -ი, -ით, -იან, -ოდ-ა, -ოდ-ი, -ოდ-ნენ ...; perfect -ია (უ-კეთ-ებ-ია).
AFTER_THEMATIC = ("", "ს", "ენ", "თ", "და", "დი", "დით", "დნენ", "დე", "დეს", "დეთ", "ა", "ი",
                  "ით", "იან", "ოდა", "ოდი", "ოდით", "ოდნენ", "ოდეს", "ოდე", "ია")
# Chains that also end nouns: a thematic suffix + -ა/-ი/-ით/-თ is also a noun in -ება/-ობა/
# -ევა (verbal and abstract nouns: მიწოდება, ბავშვობა, კვლევა) or its plural (-ები, -ებით,
# -ებს, -ებთ: the plural -ებ-). These make a
# verb reading only beside a preverb or a 1st-person prefix.
NOUN_LIKE = frozenset({*(t + a for t in THEMATIC for a in ("ა", "ი", "ით", "თ", "ია")),
                       "ებს"})
# Without a thematic suffix: the -ოდ-/-დ- screeves (მო-დი-ოდ-ა, ჩნ-დ-ნენ, ჰ-ქონ-ოდ-ათ), 3pl
# -იან and the aorist 3pl -ნენ (მო-ი-ქც-ნენ) are verbal; the aorist's bare person endings
# (და-წერ-ა, მი-ი-ღ-ო, და-ა-ყენ-ეს), the conjunctive's -ო-ს/-ო-ნ/-ო-თ (და-ა-მზად-ო-ს), 3pl -ათ
# of indirect verbs (შე-ე-შინ-დ-ათ), the verbal noun's -ვა (და-მალ-ვა, გა-ხედ-ვა), the
# perfect's -ია (უ-თამაშ-ია, შე-ჩვ-ევ-ია) and -და/-დი end nouns too (ისტორია; -და 'and',
# ქალაქ-და), so they need a preverb or a person prefix.
BARE_STRONG = ("ოდნენ", "დნენ", "ნენ", "ოდა", "ოდი", "ოდით", "ოდათ", "ოდეს", "იან")
BARE_WEAK = ("და", "დი", "დით", "დათ", "დეს", "ეს", "ეთ", "ით", "ოს", "ონ", "ოთ", "ათ", "ვა", "ია",
             "ა", "ო", "ე", "ი", "ს", "ენ")
# The verbal noun's -ვა follows a consonant; after a vowel the ვ is the root's (მო-ი-პოვ-ა).
VERBAL_NOUN = "ვა"
VERB_ENDINGS = tuple(sorted(
    {*(t + a for t in THEMATIC for a in AFTER_THEMATIC), *BARE_STRONG, *BARE_WEAK},
    key=len, reverse=True))
VERB_ENDING_SET = frozenset(VERB_ENDINGS)
# The endings by their last letter, longest first (a word is tried only against its own).
ENDINGS_BY_LAST = {last: tuple(e for e in VERB_ENDINGS if e[-1] == last)
                   for last in {e[-1] for e in VERB_ENDINGS}}
# Preverbs (direction, and the perfective aspect): და- შე- გა- მო- მი- ჩა- წა- (ა- is read as
# a version vowel), compounds with -მო (გამო-, შემო-, ჩამო-, წამო-, გადმო-), გადა-, წარ-,
# ამო-, აღ-, გან-, უკუ-; longest first. The preverb stays in the verb reading: it often makes
# another verb (წერა 'write', გადაწერა 'copy'; წყვეტა 'cut', გადაწყვეტა 'decide'), and
# stripping it joined those on the treebank at a precision cost (P .82 -> .69) for no recall.
PREVERBS = ("გადმო", "წარმო", "ჩამო", "გამო", "შემო", "წამო", "მიმო", "გადა", "გარდა",
            "ამო", "წარ", "გან", "უკუ", "და", "გა", "შე", "მო", "მი", "ჩა", "წა", "აღ")
# Person prefixes: ვ- (1st subject), გვ- (1pl object), ჰ- (3rd object) before a consonant
# (ჰ-ქონ-დ-ა: no word begins with ჰ + consonant otherwise); მ- (1sg object), გ- (2nd object),
# ს- (3rd object) only before a version vowel + consonant (მ-ი-ყვარ-ს, გ-ა-კეთ-ებ-ს), as many
# roots begin with these letters (მართ-ავ-ს, გრძნ-ობ-ს, სწავლ-ობ-ს). The version
# vowel (ა- ი- უ- ე-) stays: it is mostly the same in a verb's forms, and stripping it cost
# precision for no recall.
FIRST_PERSON = ("გვ", "ვ")
OBJECT_PERSON = ("მ", "გ", "ს", "ჰ")
VERSION = "აიუე"
VERB_ROOT_MIN = 2
# The version vowel changes within a verb's paradigm and between the verb and its verbal
# noun (გა-ხედ-ა / გა-ი-ხედ-ა / გა-ხედ-ვა, შე-ა-სრულ-ა / შე-სრულ-ება, მო-ი-პოვ-ა / მო-პოვ-ება),
# so a verb form with a preverb gets one more reading: the preverb + root without it.
# Without a preverb the version vowel is left alone (ა-კეთ-ებ-ს: a bare ა- also begins roots).
# The -ებ- of passives and present stems is the thematic suffix in the imperfect
# (ეკისრ-ებ-ოდ-ა, რჩ-ებ-ოდ-ა) and part of what the present looks like (ეკისრება, რჩება,
# read as a noun in -ება: ეკისრებ): the imperfect gets that reading too, so the two meet.
THEMATIC_KEPT = ("ებ",)
# The -დ- of the imperfect and of -და/-დი is also the last letter of many roots (ხედ-ა, ზრდ-ა,
# ქმედ-ება): an ending that begins with it gives a second reading with the დ kept.
ROOT_D = "დ"
# Left out: past participles (დაწერილი, გაკეთებული) stay apart from their verb; joining them
# cost precision and gained no recall on the treebank, whose lemmas keep them apart too; and
# verbal nouns in -ება/-ობა meeting the verb's root (ცხოვრება/ცხოვრობს): P .82 -> .78 for
# R +.01.


def _verb_ending(word: str) -> tuple[str, bool] | None:
    """The verbal ending chain of `word` (thematic + screeve + person), and whether it is
    verbal by itself (not one that nouns also end in)."""
    for ending in ENDINGS_BY_LAST.get(word[-1], ()):
        if word.endswith(ending) and len(word) - len(ending) >= VERB_ROOT_MIN:
            if ending == VERBAL_NOUN and word[-3] in VOWELS:
                continue
            strong = ending not in NOUN_LIKE and ending not in BARE_WEAK
            return ending, strong
    return None


def _strip_prefixes(word: str, preverbs: tuple[str, ...]) -> tuple[str, str, bool]:
    """The word's preverb, the rest without its person prefix (version vowel kept), and
    whether a preverb or a 1st-person prefix was there (a sign that the word is a verb)."""
    signed, preverb = False, ""
    for candidate in preverbs:
        if word.startswith(candidate) and _root_left(word[len(candidate):]):
            preverb, word, signed = candidate, word[len(candidate):], True
            break
    for person in FIRST_PERSON:
        if word.startswith(person) and len(word) - len(person) > VERB_ROOT_MIN:
            word, signed = word[len(person):], True
            break
    else:
        if len(word) > 3 and word[0] == "ჰ" and word[1] in CONSONANTS:  # ჰ-ქონ-დ-ა
            word = word[1:]
        elif (len(word) > 3 and word[0] in OBJECT_PERSON and word[1] in VERSION
                and word[2] in CONSONANTS):
            word = word[1:]
    return preverb, word, signed


def _root_left(rest: str) -> bool:
    """More than VERB_ROOT_MIN letters, or a root of two consonants (გა-ქრ-ა, და-სხ-ა)."""
    return len(rest) > VERB_ROOT_MIN or (
        len(rest) == VERB_ROOT_MIN and rest[0] in CONSONANTS and rest[1] in CONSONANTS)


def _verb_reading(word: str, preverbs: tuple[str, ...]) -> str | None:
    """The preverb and root a verb form shares with the verb's other forms (და-ვ-ი-წერ-ე,
    და-წერ-ა, და-წერ-ს → დაწერ), or None for a word that shows no verb ending, or only one
    that nouns end in too and no verb prefix."""
    readings = _verb_readings(word, preverbs)
    return readings[0] if readings else None


def _verb_readings(word: str, preverbs: tuple[str, ...]) -> tuple[str, ...]:
    """The verb reading (see _verb_reading), then the same without the version vowel after
    a preverb, then with the thematic -ებ kept (THEMATIC_KEPT); for an ending in -დ- that
    may be the root's own დ (გა-ი-ხედ-ა, not გა-ი-ხე-და), the same with the დ kept."""
    found = _verb_ending(word)
    if found is None:
        return ()
    ending, strong = found
    preverb, root, signed = _strip_prefixes(word[: -len(ending)], preverbs)
    if not (strong or signed) or len(preverb + root) < VERB_ROOT_MIN:
        return ()
    readings = _root_readings(preverb, root)
    if ending.startswith(THEMATIC_KEPT) and ending not in NOUN_LIKE:
        readings.append(preverb + root + ending[:2])
    if ending[0] == ROOT_D and ending[1:] in VERB_ENDING_SET:
        readings += _root_readings(preverb, root + ROOT_D)
    return tuple(readings)


def _root_readings(preverb: str, root: str) -> list[str]:
    """Preverb + root, and without the version vowel after a preverb."""
    readings = [preverb + root]
    if (preverb and len(root) > VERB_ROOT_MIN and root[0] in VERSION
            and root[1] in CONSONANTS):
        readings.append(preverb + root[1:])
    return readings


def _stems(word: str, preverbs: tuple[str, ...]) -> tuple[str, ...]:
    if not word.isalpha():
        return (word,)
    word = _strip_clitics(word)
    if word in ROOTS:
        return (_canonical(word),)
    readings = []
    for body in _bodies(word):
        readings += _plural_readings(body)
    canonical = [_canonical(r) for r in readings]
    canonical += _verb_readings(word, preverbs)
    return tuple(dict.fromkeys(canonical))


@lru_cache(maxsize=200_000)
def georgian_stems(word: str) -> tuple[str, ...]:
    """Readings of a Georgian word, best first: for each body, with the plural -ებ- stripped
    and without (-ება verbal nouns: მიწოდება/მიწოდების meet at მიწოდებ, კომპანია/კომპანიები
    at კომპნ); last, for a verb form, its preverb + root (დაწერა, დავწერე → დაწერ)."""
    return _stems(word, PREVERBS)


@lru_cache(maxsize=200_000)
def folded_georgian_stems(folded: str) -> tuple[str, ...]:
    """Readings of a word typed without ejectives (ცაიყვანა for წაიყვანა), folded: the
    preverbs წა-, წარ- ... are then spelled ცა-, ცარ-."""
    return tuple(map(fold_georgian, _stems(folded, FOLDED_PREVERBS)))


# Near-word beginnings of a verb form (indexer/near_words.py): the version vowel between
# preverb and root changes within one verb's paradigm (გა-ხედ-ა / გა-ი-ხედ-ა, შე-შინ-დ-ნენ /
# შე-ე-შინ-დ-ათ, გა-ე-მხილ-ა / გა-უ-მხილ-ა), and so does the person prefix before it
# (გ-ი-გზავნ-ი / უ-გზავნ-ი-და). Stripping it in the stems cost precision (see above), but as
# weak evidence the same preverb + the root's first letters under every version vowel finds
# those forms. The root's first NEAR_ROOT letters: enough to tell roots apart, few enough
# to survive stem alternations at the root's end (ჭირ/ჭერ).
NEAR_ROOT = 3
# The same without a preverb (აჩუქ-ეს / გა-აჩუქ-ო, ითხოვ-ა / მო-ითხოვ-ოს, უ-შველ-ა / მი-შველ-ა):
# with no preverb to narrow it down, one more letter of the root.
NEAR_BARE_ROOT = 4


def _thematic(word: str) -> bool:
    """Does the word end in a thematic suffix's chain (ამტკიც-ებ-ს, ემორჩილ-ებ-ა, წყ-ობ-ს)?
    Such a word is as often a present-series verb as a noun (-ება, -ები, -ებს), so it gets
    no verb reading of its own, but as weak evidence its root's beginning is worth trying."""
    found = _verb_ending(word)
    return found is not None and found[0].startswith(THEMATIC)


def _near_root(stem: str, preverb: str) -> str:
    """The stem without its preverb, person prefix and version vowel."""
    _none, root, _signed = _strip_prefixes(stem[len(preverb):], ())
    if len(root) > 1 and root[0] in VERSION and root[1] in CONSONANTS:
        root = root[1:]
    return root


@lru_cache(maxsize=50_000)
def georgian_near_beginnings(word: str) -> tuple[str, ...]:
    """For a verb form (a preverb, or a verb ending with a person prefix), its preverb + each
    version vowel (or none) + its root's first letters, and the same without the preverb;
    nothing for other words."""
    if not word.isalpha():
        return ()
    preverb = next((p for p in PREVERBS
                    if word.startswith(p) and len(word) - len(p) > NEAR_ROOT), "")
    if not preverb and _verb_reading(word, PREVERBS) is None and not _thematic(word):
        return ()
    # The longest verb ending that leaves a root (გა-ხედ-ა, not გა-ხე-და).
    endings = [e for e in ENDINGS_BY_LAST.get(word[-1], ()) if word.endswith(e)]
    roots = (_near_root(word[: len(word) - len(e)], preverb) for e in [*endings, ""])
    root = next((r for r in roots if len(r) >= NEAR_ROOT and r[0] in CONSONANTS), None)
    if root is None:
        return ()
    found = [preverb + version + root[:NEAR_ROOT] for version in ("", *VERSION)] \
        if preverb else []
    if len(root) >= NEAR_BARE_ROOT:
        found += [version + root[:NEAR_BARE_ROOT] for version in ("", *VERSION)]
    return tuple(dict.fromkeys(found))


def fold_georgian(word: str) -> str:
    """Merge ejectives with aspirates, as a Latin-typed word without apostrophes does."""
    return word.translate(EJECTIVE_TO_ASPIRATE)


FOLDED_PREVERBS = tuple(p.translate(EJECTIVE_TO_ASPIRATE) for p in PREVERBS)


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
    english_name="Georgian",
    script="Georgian",
    script_identifies=True,
    opening_headings=("შესავალი", "განმარტება"),
    closing_headings=("დასკვნა",),
    stems=georgian_stems,
    fold=fold_georgian,
    folded_stems=folded_georgian_stems,
    stopwords=load_stopwords("ka"),
    transliterate=transliterate_to_georgian,
    near_beginnings=georgian_near_beginnings,
)
