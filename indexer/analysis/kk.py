"""Kazakh (Cyrillic): an iterative suffix stripper for agglutinative endings.

Kazakh stacks endings in a fixed order after the root: derivation, plural, possessive, case
(шұңқыр-лар-ы-ның). Each ending has vowel-harmony (back/front) and consonant-assimilation
variants (-лар/-лер/-дар/-дер/-тар/-тер), and WHICH variant appears is decided by the sound
before it: -лар after a vowel or р/у/й, -дар after л/м/н/ң/з/ж, -тар after a voiceless
consonant. Every ending below carries the set of letters it may follow, and is stripped only
there: уақыты is уақыт + -ы, never уақы + -ты (-ты only follows a voiceless consonant), and
жарна is not жар + -на. The "pronominal н" endings (-н, -на, -нда, -нан, -ндағы) only follow
a 3rd-person possessive -ы/-і(-сы/-сі), so that possessive is the next thing stripped
(тоқсан-ы-нда, never тоқса-ны-нда). We strip the longest allowed ending again and again,
with no further ordering, so that a root whose end looks like an ending (желі, нүкте) loses
it in every form alike and all forms still meet; never below MIN_STEM letters, so short
roots (қара, ақ, ой) are not eaten. A few whole words that look inflected but are one root
(сауда, басқа, тегін, ...) are listed in LEXICAL.

Endings too ambiguous to strip without a dictionary are left out: the verbal noun -у (қарау
'to look' is not қара 'black'), the bare 1sg/2sg possessives -м/-ң after a vowel (кезең,
жарнама), the dative -а/-е that only follows them, -лы 'having' (мысал-ы, тәсіл-і are
л-final roots + possessive) and the converb -ып (тәртіп, қалып).

Voiced final consonants that appear before a vowel (нарық → нарығы, жеңілдік → жеңілдігі)
are restored to the root's spelling after each step, except г in loanwords ending in -нг
(маркетинг → маркетингі). Russian loans drop one letter of a final double consonant before
an ending (процесс → процестер), and loans in voiceless consonant + т read like a root +
accusative -ті (интеллекті), so the bare forms are simplified too (процес, интеллек).
Users with a Russian keyboard type к for қ, г for ғ, и for і...: the fold view maps the
Kazakh letters to their nearest Russian ones.
"""

from __future__ import annotations

from functools import lru_cache

from .base import Language, load_stopwords

MIN_STEM = 3
MAX_ROUNDS = 6
VOWELS = frozenset("аәеэиіоөұүуыюяё")

# What the stem may end in before an ending (the sound that picks the ending's variant).
V = "аәеэіоөұүыюяё"  # vowels (у and и behave as the glides у/й before endings)
R = "руйи"  # r and glides: -лар, -лық, -дың, -ды, -дан, -мен
L = "л"  # -дар, -дық, -дың, -ды, -дан, -мен
N = "мнң"  # nasals: -дар, -ның, -ды, -нан, -мен
Z = "зж"  # voiced sibilants: -дар, -дың, -ды, -дан, -бен
K = "кқпстшщфхһцчбвгдь"  # voiceless (and loan б в г д ь): -тар, -тың, -ты, -қа, -тан, -пен
CONS = R + L + N + Z + K + "ғ"
ANY = V + CONS
VOICED = V + R + L + N + Z
PRON = "PRON"  # only after a 3rd-person possessive -ы/-і (the "pronominal н")


def _endings(spec: str, after: str) -> dict[str, str]:
    return {suffix: after for suffix in spec.split()}


ENDINGS: dict[str, str] = {
    # plural
    **_endings("лар лер", V + R), **_endings("дар дер", L + N + Z), **_endings("тар тер", K),
    # possessive: 3rd -ы/-сы, 1sg -ым, 2sg -ың, 2sg polite -ыңыз/-ңыз, 1pl -ымыз/-мыз
    **_endings("ы і ым ім ың ің ыңыз іңіз ымыз іміз", CONS),
    **_endings("сы сі ңыз ңіз мыз міз", V),
    # genitive
    **_endings("ның нің", V + N), **_endings("дың дің", R + L + Z), **_endings("тың тің", K),
    # accusative
    **_endings("ны ні", V), **_endings("ды ді", R + L + N + Z), **_endings("ты ті", K),
    **_endings("н", PRON),
    # dative (-а/-е after 1sg/2sg possessive is left out: see the docstring)
    **_endings("ға ге", VOICED), **_endings("қа ке", K), **_endings("на не", PRON),
    # locative
    **_endings("да де", VOICED), **_endings("та те", K), **_endings("нда нде", PRON),
    # ablative
    **_endings("дан ден", V + R + L + Z), **_endings("тан тен", K),
    **_endings("нан нен", N + PRON),
    # instrumental
    **_endings("мен менен", V + R + L + N), **_endings("бен бенен", Z),
    **_endings("пен пенен", K),
    # relative -дағы ("the one in")
    **_endings("дағы дегі", VOICED), **_endings("тағы тегі", K),
    **_endings("ндағы ндегі", PRON),
    # equative -ша ("in the manner of": қазақша)
    **_endings("ша ше", ANY),
    # derivation: -лық (abstract nouns, adjectives), -шы (agent: сатушы → сату),
    # -сыз (privative), participles. Left out: -лы 'having' (мысал-ы, тәсіл-і are л-final
    # roots + possessive) and the converb -ып (тәртіп, қалып are roots).
    **_endings("лық лік", V + R), **_endings("дық дік", L + N + Z),
    **_endings("тық тік", K),
    **_endings("шы ші сыз сіз", ANY),
    **_endings("ған ген", VOICED), **_endings("қан кен", K),
    **_endings("атын етін", CONS), **_endings("йтын йтін", V),
}
SUFFIXES = tuple(sorted(ENDINGS, key=len, reverse=True))
# The agent -шы must leave a longer root (сату-шы, көмек-ші), not eat бас-шы, қай-шы, тап-шы.
AGENT = ("шы", "ші")
AGENT_MIN_STEM = 4
# -сы/-сі after ы/і only on an agent noun (көмекші-сі); elsewhere ы/і + с + ы/і is an -ыс/-іс
# noun + possessive (жұмыс-ы, көрініс-і, байланыс-ы), far commoner than ы/і-final roots.
POSS3_AFTER_VOWEL = ("сы", "сі")
POSS3 = ("сы", "сі", "ы", "і")

# Genuine lexical exceptions: whole words that look like root + ending but are one root.
LEXICAL = frozenset({
    "сауда",  # 'trade' (Persian sawdā), not locative of сау 'healthy'
    "басқа",  # 'other', a lexicalised dative of бас 'head'
    "тегін",  # 'free of charge', not тек 'origin' + poss. + acc.
    "кейін",  # 'after, later' (postposition), not possessive + accusative
    "бүгін",  # 'today'
    "пайда",  # 'benefit, profit' (Arabic fāʼida), not locative of пай 'share'
    "қайда",  # 'where', a lexicalised locative of қай 'which'
})
DEVOICE = {"ғ": "қ", "г": "к", "б": "п"}
# Final double consonants of Russian loans, simplified before an ending (процесс → процестер).
GEMINATES = ("сс", "лл", "мм")
# Loans ending in a voiceless consonant + т (интеллект, факт, тест) take the possessive -і,
# which reads as the accusative -ті of a root without the т (интеллекті); native words do not
# end in these clusters, so the stem drops that т and every form meets (интеллек).
VOICELESS_BEFORE_T = "кпсшфх"
FOLD = str.maketrans({"қ": "к", "ғ": "г", "ң": "н", "ә": "а", "ө": "о", "ұ": "у", "ү": "у",
                      "һ": "х", "і": "и"})


def _has_vowel(stem: str) -> bool:
    return any(ch in VOWELS for ch in stem)


def _pronominal(stem: str, suffix: str) -> bool:
    """Is `suffix` a pronominal-н ending standing after a 3rd-person possessive -ы/-і?"""
    return PRON in ENDINGS[suffix] and stem[-1] in "ыі" and len(stem) - 1 >= MIN_STEM


def _allowed(stem: str, suffix: str) -> bool:
    """May `suffix` be cut off, leaving `stem`? (length, a vowel, the sound before it)"""
    if len(stem) < MIN_STEM or not _has_vowel(stem):
        return False
    if suffix in AGENT and len(stem) < AGENT_MIN_STEM:
        return False
    if suffix in POSS3_AFTER_VOWEL and stem[-1] in "ыі" and stem[-2] != "ш":
        return False
    return _pronominal(stem, suffix) or stem[-1] in ENDINGS[suffix].replace(PRON, "")


def _restore_root(stem: str) -> str:
    """нарығ → нарық: a voiced final before a vowel ending is voiceless in the root."""
    last = stem[-1]
    if last in DEVOICE and not (last == "г" and stem[-2] == "н"):
        return stem[:-1] + DEVOICE[last]
    return stem


def _strip_once(word: str, candidates: tuple[str, ...]) -> tuple[str, str] | None:
    """The stem left by the longest allowed ending among `candidates`, and that ending."""
    for suffix in candidates:
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if _allowed(stem, suffix):
            return (_restore_root(stem) if suffix[0] in VOWELS else stem), suffix
    return None


def _simplify_final(stem: str) -> str:
    """процесс → процес, интеллект → интеллек: loan finals that inflected forms never show."""
    if len(stem) <= MIN_STEM:
        return stem
    if stem.endswith(GEMINATES) or (stem[-1] == "т" and stem[-2] in VOICELESS_BEFORE_T):
        return stem[:-1]
    return stem


@lru_cache(maxsize=200_000)
def kazakh_stem(word: str) -> str:
    if not word.isalpha() or word in LEXICAL:
        return word
    stem, candidates = word, SUFFIXES
    for _ in range(MAX_ROUNDS):
        step = _strip_once(stem, candidates)
        if step is None:
            break
        stem, suffix = step
        if stem in LEXICAL:
            return stem
        # After a pronominal-н ending the next one is the possessive it follows (тоқсан-ы-нда).
        candidates = POSS3 if _pronominal(stem, suffix) else SUFFIXES
    return _simplify_final(stem)


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
