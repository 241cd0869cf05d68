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
it in every form alike and all forms still meet; never below MIN_STEM letters, or two for an
inflection (ел-і, үй-ге, ал-ды), so short roots (қара, ақ, ой) are not eaten by derivation or
by one-letter endings. A few whole words that look inflected but are one root
(сауда, басқа, тегін, ...) are listed in LEXICAL.

Verbs take voice (passive -ыл/-л/-ын, reflexive -ын/-н), negation (-ма/-ба/-па), then tense,
mood and person (кел-ме-й-ді, бер-іл-ді, ал-ын-ған). A verb/noun split is not known at index
time, so voice and negation, which look like the ends of many nouns (мысал, қойма), are stripped
only right after a verb ending, and a verb ending spelled like a noun ending (the past or the
accusative -ды) lets both be stripped next. Verb roots may have two letters (ал, ет, де), so
verb endings may leave two. -ады/-еді is a consonant stem's present (ал-а-ды) or an -а/-е
stem's past (жаса-ды): such words get both readings. The verbal noun -у is stripped, so the
citation form meets the rest of the verb (жасау, жасады); homonymous roots then meet too
(қарау 'to look', қара 'black').

Endings too ambiguous to strip without a dictionary are left out: the converbs -а/-е/-й (бала,
үй), the bare 1sg/2sg possessives -м/-ң after a vowel (кезең, жарнама) and the dative -а/-е
after them (after -ым/-ың it is stripped with them: көрген-ім-е, ел-ің-е), -лы 'having'
(мысал-ы, тәсіл-і are л-final roots + possessive), the causative and the reciprocal (see
VOICE).

Voiced final consonants that appear before a vowel (нарық → нарығы, жеңілдік → жеңілдігі)
are restored to the root's spelling after each step, except г in loanwords ending in -нг
(маркетинг → маркетингі). Russian loans drop one letter of a final double consonant before
an ending (процесс → процестер), and loans in voiceless consonant + т read like a root +
accusative -ті (интеллекті), so the bare forms are simplified too (процес, интеллек).
Users with a Russian keyboard type к for қ, г for ғ, и for і...: the fold view maps the
Kazakh letters to their nearest Russian ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .base import Detection, Language, load_stopwords

MIN_STEM = 3
SHORT_ROOT = 2
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


NOUN_ENDINGS: dict[str, str] = {
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
    # dative; -а/-е only after a 1sg/2sg possessive -ым/-ың, stripped with it (көрген-ім-е,
    # ел-ің-е); after a vowel stem's bare -м/-ң it is left out (see the docstring)
    **_endings("ға ге", VOICED), **_endings("қа ке", K), **_endings("на не", PRON),
    **_endings("ыма іме ыңа іңе", CONS),
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
    # similative -дай/-дей ("like": келген-дей, айтарлық-тай)
    **_endings("дай дей", VOICED), **_endings("тай тей", K),
    # equative -ша ("in the manner of": қазақша)
    **_endings("ша ше", ANY),
    # derivation: -лық (abstract nouns, adjectives), -шы (agent: сатушы → сату → сат),
    # -сыз (privative). Left out: -лы 'having' (мысал-ы, тәсіл-і are л-final roots +
    # possessive).
    **_endings("лық лік", V + R), **_endings("дық дік", L + N + Z),
    **_endings("тық тік", K),
    **_endings("шы ші сыз сіз", ANY),
    # predicative person endings on nouns and participles (мұғалім-мін, келген-міз)
    **_endings("мын мін", V + R + L + N), **_endings("бын бін быз біз", Z),
    **_endings("пын пін пыз піз", K),
}
# Derivation makes a new word, and does not leave a 2-letter root (ақ-ша, ой-лы, қой-ма).
DERIVATION = frozenset("лық лік дық дік тық тік шы ші сыз сіз ша ше дай дей тай тей".split())
# One-letter endings that may leave a 2-letter root: the possessive (ел-і), the verbal noun (ал-у).
SHORT_SINGLE = "ыіу"
# Verb endings, right of the root and its voice/negation (бер-іл-ме-ді). A verb stem ends in
# a vowel or a consonant, and the ending's first sound follows it as in nouns.
VERB_ENDINGS: dict[str, str] = {
    # present-future: the converb -а/-е (after consonants) or -й (after vowels) + person:
    # бар-а-ды, кел-е-мін, сақта-й-мыз, ойла-й-сыз (3rd -ды, 1sg -мын, 2sg -сың, 1pl -мыз,
    # 2sg polite -сыз)
    **_endings("ады еді амын емін асың есің амыз еміз асыз есіз асыңдар есіңдер", CONS),
    **_endings("йды йді ймын ймін йсың йсің ймыз йміз йсыз йсіз йсыңдар йсіңдер", V),
    # definite past -ды/-ты + person (кел-ді, ал-дым, жаса-дық, айт-тыңыз): after a vowel
    # -ды is only the past (the accusative is -ны there). The 1pl -дық/-тық after a consonant
    # is read as the noun-forming -дық/-тық (адал-дық, not ада-л-дық).
    **_endings("ды ді дым дім дың дің дыңыз діңіз", VOICED), **_endings("дық дік", V + R),
    **_endings("ты ті тым тім тың тің тыңыз тіңіз", K),
    # conditional -са/-се + person (бол-са, кел-сем, біл-сеңіз); 3rd imperative -сын/-сін after
    # consonants (бол-сын): after a vowel it is the possessive -сы + -н (сілтеме-сі-н)
    **_endings("са се сам сем саң сең сақ сек саңыз сеңіз", ANY), **_endings("сын сін", CONS),
    # 1st imperative -айын/-ейін/-йын (барайын, ойлайын), -айық/-йық (барайық)
    **_endings("айын ейін айық ейік", CONS), **_endings("йын йін йық йік", V),
    # perfective converb -ып/-іп after consonants, -п after vowels (ал-ып, жаса-п); roots that
    # end like it (тәртіп, кітап) lose it in every form alike (тәртібі → тәртіп → тәрт)
    **_endings("ып іп", CONS), **_endings("п", V),
    # participles: past -ған/-ген/-қан/-кен, habitual -атын/-етін/-йтын/-йтін
    **_endings("ған ген", VOICED), **_endings("қан кен", K),
    **_endings("атын етін", CONS), **_endings("йтын йтін", V),
    # verbal noun -у, the citation form (жаса-у, жаз-у, кел-у): жасауы, жасауға strip to it
    **_endings("у", V + CONS),
    # negative converb: negation -ма/-ба/-па + converb -й, "without ...ing" (аш-пай, қыл-май,
    # кел-мей, жаз-бай)
    **_endings("май мей", V + R + L), **_endings("бай бей", N + Z),
    **_endings("пай пей", K),
}
# Voice and negation stand between the root and a verb ending, so they are stripped only right
# after one (келмейді: -йді, then -ме, then кел); a noun never loses them (мысал, жасыл).
VOICE: dict[str, str] = {
    # negation -ма/-ме after vowels, р й у л; -ба/-бе after м н ң з ж; -па/-пе after voiceless
    **_endings("ма ме", V + R + L), **_endings("ба бе", N + Z), **_endings("па пе", K),
    # passive -ыл/-іл after consonants (айт-ыл), -л after vowels (жаса-л), -ын/-ін after л
    # (ал-ын, сал-ын); reflexive -ын/-ін/-н (көр-ін, ойла-н)
    **_endings("ыл іл", CONS.replace("л", "")), **_endings("л", V),
    **_endings("ын ін", CONS), **_endings("н", V),
}
# Left out: the causative (-дыр/-тыр, -ғыз/-қыз, -т: біл-дір, жет-кіз, көр-сет) and the
# reciprocal (-ыс/-іс: кел-іс, бөл-іс) make verbs of their own meaning (білдір 'express',
# жеткіз 'deliver', келіс 'agree'); stripping them joined those to their roots and cost
# more precision than it gained recall on the treebank.


def _merged(*tables: dict[str, str]) -> dict[str, str]:
    """One table of the endings of `tables`, longest first (stripping tries them so)."""
    out: dict[str, str] = {}
    for table in tables:
        for suffix, after in table.items():
            out[suffix] = out.get(suffix, "") + after
    return dict(sorted(out.items(), key=lambda item: len(item[0]), reverse=True))


ENDINGS = _merged(NOUN_ENDINGS, VERB_ENDINGS)
VOICE = _merged(VOICE)  # longest first
# The agent -шы must leave a longer root (сату-шы, көмек-ші), not eat бас-шы, қай-шы, тап-шы.
AGENT = ("шы", "ші")
AGENT_MIN_STEM = 4
# -сы/-сі after ы/і only on an agent noun (көмекші-сі); elsewhere ы/і + с + ы/і is an -ыс/-іс
# noun + possessive (жұмыс-ы, көрініс-і, байланыс-ы), far commoner than ы/і-final roots.
POSS3_AFTER_VOWEL = ("сы", "сі", "сын", "сін")
POSS3 = _merged({"сы": V, "сі": V, "ы": CONS, "і": CONS})
# After a verb ending, only voice and negation are left of it; after an ending that is both
# (the accusative or the past -ды, ...) anything may be.
AFTER_AMBIGUOUS = _merged(ENDINGS, VOICE)

# -ады/-еді: present of a consonant stem (ал-а-ды) or past of a stem in -а/-е (жаса-ды).
PRESENT_OR_PAST = ("ады", "еді")

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
# The 3rd-person possessive that a pronominal-н ending follows.
POSS3_VOWELS = "ыі"
# Final double consonants of Russian loans, simplified before an ending (процесс → процестер).
GEMINATES = ("сс", "лл", "мм")
# Loans ending in a voiceless consonant + т (интеллект, факт, тест) take the possessive -і,
# which reads as the accusative -ті of a root without the т (интеллекті); native words do not
# end in these clusters, so the stem drops that т and every form meets (интеллек).
VOICELESS_BEFORE_T = "кпсшфх"
FOLD = str.maketrans({"қ": "к", "ғ": "г", "ң": "н", "ә": "а", "ө": "о", "ұ": "у", "ү": "у",
                      "һ": "х", "і": "и"})


@dataclass(frozen=True)
class Rules:
    """The tables the stripper reads, in one spelling: as written, or folded (typed on a
    Russian keyboard, шункырлардын), so that a folded word is stemmed by folded endings."""

    noun: dict[str, str]
    verb: dict[str, str]
    voice: dict[str, str]
    endings: dict[str, str]
    after_ambiguous: dict[str, str]
    poss3: dict[str, str]
    poss3_after_vowel: tuple[str, ...]
    poss3_vowels: str
    agent: tuple[str, ...]
    present_or_past: tuple[str, ...]
    lexical: frozenset[str]
    devoice: dict[str, str]
    derivation: frozenset[str]
    short_single: str


def _rules(spell: Callable[[str], str]) -> Rules:
    """The rules with every letter spelled by `spell` (the identity, or the fold)."""
    def table(t: dict[str, str]) -> dict[str, str]:
        return _merged(*({spell(k): spell(v)} for k, v in t.items()))  # folds may collide

    voice = table(VOICE)
    endings = table(ENDINGS)
    return Rules(
        noun=table(NOUN_ENDINGS), verb=table(VERB_ENDINGS), voice=voice, endings=endings,
        after_ambiguous=_merged(endings, voice), poss3=table(POSS3),
        poss3_after_vowel=tuple(map(spell, POSS3_AFTER_VOWEL)),
        poss3_vowels=spell(POSS3_VOWELS), agent=tuple(map(spell, AGENT)),
        present_or_past=tuple(map(spell, PRESENT_OR_PAST)),
        lexical=frozenset(map(spell, LEXICAL)),
        devoice={spell(k): spell(v) for k, v in DEVOICE.items()},
        derivation=frozenset(map(spell, DERIVATION)), short_single=spell(SHORT_SINGLE),
    )


def _has_vowel(stem: str) -> bool:
    return any(ch in VOWELS for ch in stem)


def _pronominal(r: Rules, stem: str, suffix: str) -> bool:
    """Is `suffix` a pronominal-н ending standing after a 3rd-person possessive -ы/-і?"""
    return (PRON in r.noun.get(suffix, "") and stem[-1] in r.poss3_vowels
            and len(stem) - 1 >= MIN_STEM)


def _follows(stem: str, suffix: str, table: dict[str, str]) -> bool:
    """Does `table` allow `suffix` after the sound `stem` ends in?"""
    return suffix in table and stem[-1:] in table[suffix].replace(PRON, "")


def _allowed(r: Rules, stem: str, suffix: str, table: dict[str, str]) -> bool:
    """May `suffix` be cut off, leaving `stem`? (length, a vowel, the sound before it)"""
    # Roots may have two letters (ел, үй, іш; verbs ал, ет, де): an inflection of two letters
    # or more, the possessive -ы/-і or the verbal noun -у (3-letter words in -у are nearly all
    # verbal nouns: алу, өсу) may leave one; -п may not (көп, топ), nor derivation (ақ-ша).
    short_ok = (len(suffix) > 1 or suffix in r.short_single) and suffix not in r.derivation
    shortest = SHORT_ROOT if short_ok else MIN_STEM
    if len(stem) < shortest or not _has_vowel(stem):
        return False
    if suffix in r.agent and len(stem) < AGENT_MIN_STEM:
        return False
    if suffix in r.poss3_after_vowel and stem[-1] in r.poss3_vowels and stem[-2] != "ш":
        return False
    return _pronominal(r, stem, suffix) or _follows(stem, suffix, table)


def _restore_root(r: Rules, stem: str) -> str:
    """нарығ → нарық: a voiced final before a vowel ending is voiceless in the root."""
    last = stem[-1]
    if last in r.devoice and not (last == "г" and stem[-2] == "н"):
        return stem[:-1] + r.devoice[last]
    return stem


def _strip_once(r: Rules, word: str, table: dict[str, str]) -> tuple[str, str] | None:
    """The stem left by the longest ending of `table` allowed here, and that ending
    (looked up by the word's last letters, longest first: one lookup per ending length)."""
    for length in _ending_lengths(table):
        if length > len(word):
            continue
        suffix = word[len(word) - length:]
        if suffix in table and _allowed(r, word[: -length], suffix, table):
            return word[: -length], suffix
    return None


# id of a table -> (the table, its endings' lengths, longest first)
_LENGTHS: dict[int, tuple[dict[str, str], tuple[int, ...]]] = {}


def _ending_lengths(table: dict[str, str]) -> tuple[int, ...]:
    entry = _LENGTHS.get(id(table))
    if entry is None or entry[0] is not table:
        entry = _LENGTHS[id(table)] = (table, tuple(sorted({len(s) for s in table},
                                                           reverse=True)))
    return entry[1]


def _next_table(r: Rules, stem: str, suffix: str, table: dict[str, str]) -> dict[str, str]:
    """What may be stripped after `suffix` came off `stem`."""
    if _pronominal(r, stem, suffix):  # the possessive it follows (тоқсан-ы-нда)
        return r.poss3
    if table is r.voice or (table is r.after_ambiguous
                            and not _follows(stem, suffix, r.endings)):
        return r.voice
    verbal = _follows(stem, suffix, r.verb)
    if verbal and not _follows(stem, suffix, r.noun):
        return r.voice
    return r.after_ambiguous if verbal else r.endings


def _simplify_final(stem: str) -> str:
    """процесс → процес, интеллект → интеллек: loan finals that inflected forms never show."""
    if len(stem) <= MIN_STEM:
        return stem
    if stem.endswith(GEMINATES) or (stem[-1] == "т" and stem[-2] in VOICELESS_BEFORE_T):
        return stem[:-1]
    return stem


def _stem(r: Rules, word: str, table: dict[str, str]) -> str:
    """Strip endings from `word`, the first one from `table`."""
    stem = word
    for _ in range(MAX_ROUNDS):
        step = _strip_once(r, stem, table)
        if step is None:
            break
        bare, suffix = step
        table = _next_table(r, bare, suffix, table)
        stem = _restore_root(r, bare) if suffix[0] in VOWELS else bare
        if stem in r.lexical:
            return stem
    return _simplify_final(stem)


def _stems(r: Rules, word: str) -> tuple[str, ...]:
    """The word's stem; for a verb in -ады/-еді also the past reading (жаса-ды beside жас-а-ды:
    the -а/-е verbs' past is spelled like a consonant stem's present)."""
    if not word.isalpha() or word in r.lexical:
        return (word,)
    stems = [_stem(r, word, r.endings)]
    if word.endswith(r.present_or_past):
        stems.append(_stem(r, word[:-2], r.voice))
    return tuple(dict.fromkeys(stems))


def fold_kazakh(word: str) -> str:
    """Kazakh letters → the nearest Russian ones (қ→к, ғ→г, ң→н, ә→а, ө→о, ұ/ү→у, һ→х, і→и);
    ң is also typed нг (its Russian transcription: Шынгыс), so нг folds to н as well."""
    return word.translate(FOLD).replace("нг", "н")


# Latin → Cyrillic, longest Latin sequences first. Kazakh is typed in Latin letters two ways:
# the official alphabet of 2021 (ä ğ ı ñ ö q ş ū ü; ı is і, y is ы, i is и/й, j is ж, ç is ч;
# the 2018 draft's á ǵ ń ó ú ý are read the same), and informal ASCII habits (sh zh ch gh ng
# kh ts for ш ж ч ғ ң х ц, but tsh is т + ш, патша: ц + һ is no Kazakh spelling; vowels
# without marks). Unmarked vowels give the letter the fold view merges with the marked one
# (a/ә, o/ө, u/ұ/ү, i/і), so either spelling meets the Cyrillic.
LATIN_TO_KAZAKH = [
    ("shch", "щ"), ("sh", "ш"), ("zh", "ж"), ("ch", "ч"), ("gh", "ғ"), ("ng", "ң"), ("kh", "х"),
    ("tsh", "тш"), ("ts", "ц"), ("ya", "я"), ("yu", "ю"), ("yo", "ё"),
    ("ä", "ә"), ("á", "ә"), ("ğ", "ғ"), ("ǵ", "ғ"), ("ñ", "ң"), ("ń", "ң"), ("ö", "ө"),
    ("ó", "ө"), ("ū", "ұ"), ("ü", "ү"), ("ú", "ү"), ("ý", "у"), ("ş", "ш"), ("ç", "ч"),
    ("ı", "і"), ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "һ"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "у"), ("x", "х"), ("y", "ы"), ("z", "з"),
]
# A word with a letter of the official alphabet's own (ş ğ ñ ...) is typed in that alphabet,
# where ш ж ч ғ ң are single letters: its sh, zh, ch, gh, ng, kh are two letters (ashanağa
# асханаға, jirengen жиренген), and only ts, ia, iu, io spell ц, я, ю, ё.
OFFICIAL_ONLY = frozenset("äğıñöşūüçáǵńóúý")
ASCII_DIGRAPHS = frozenset({"shch", "sh", "zh", "ch", "gh", "ng", "kh", "tsh", "ya", "yu", "yo"})
OFFICIAL_LETTERS = [pair for pair in LATIN_TO_KAZAKH if pair[0] not in ASCII_DIGRAPHS]
# After a vowel, i and y are the glide й (2021: üiıne үйіне, qalaiyn; informal: oylau ойлау,
# duysenbi дүйсенбі), except y after у when it is the 3rd-person possessive, word-final or
# before the endings that follow that possessive (tauy тауы, jasauyn жасауын).
VOWELS_LATIN_TYPED = set("аәеоөыіиуұү")
GLIDES = ("i", "y")
POSS3_TAILS = ("", "n", "na", "nda", "nan", "men", "ndağy", "ndagy")
# ia and iu after a vowel (or и) are я and ю (2021: alaiaqtyq алаяқтық, Aziia Азия).
IOTATED = {"ia": "я", "iu": "ю"}


def _latin_letter(text: str, i: int, latin: str, cyrillic: str, out: list[str]) -> str:
    """The Cyrillic for `latin` at `text[i]`, given what came before (glides, я/ю)."""
    after_vowel = bool(out) and out[-1] in VOWELS_LATIN_TYPED and not _consonant_u(out)
    if latin == "y" and out and out[-1] in "уұү" and text[i + 1:] in POSS3_TAILS:
        return cyrillic
    if latin in GLIDES and after_vowel:
        return "й"
    return cyrillic


def _consonant_u(out: list[str]) -> bool:
    """Is the last letter у/ұ/ү after a vowel, the consonant [w] (тау, күйеу, дауыс)? Then a
    vowel letter after it is a vowel, not a glide (kuyeuin күйеуін, dauys дауыс)."""
    return out[-1] in "уұү" and len(out) > 1 and out[-2] in VOWELS_LATIN_TYPED


@lru_cache(maxsize=50_000)
def transliterate_to_kazakh(word: str) -> str:
    """`şūñqyrlary`, `shungqyrlary` → шұңқырлары; letters with no reading are kept."""
    text, i = word.casefold(), 0
    table = OFFICIAL_LETTERS if OFFICIAL_ONLY & set(text) else LATIN_TO_KAZAKH
    out: list[str] = []
    while i < len(text):
        pair = text[i:i + 2]
        if pair in IOTATED and (not out or out[-1] in VOWELS_LATIN_TYPED):
            out.append(IOTATED[pair])
            i += 2
            continue
        for latin, cyrillic in table:
            if text.startswith(latin, i):
                out.append(_latin_letter(text, i, latin, cyrillic, out))
                i += len(latin)
                break
        else:
            if text[i] not in "'’":
                out.append(text[i])
            i += 1
    return "".join(out)


AS_WRITTEN = _rules(lambda text: text)
FOLDED = _rules(fold_kazakh)


@lru_cache(maxsize=200_000)
def kazakh_stems(word: str) -> tuple[str, ...]:
    return _stems(AS_WRITTEN, word)


def kazakh_stem(word: str) -> str:
    return kazakh_stems(word)[0]


@lru_cache(maxsize=200_000)
def folded_kazakh_stems(folded: str) -> tuple[str, ...]:
    """Stems of a word typed without the Kazakh letters (шункырлардын → шункыр), folded."""
    return _stems(FOLDED, folded)


LANGUAGE = Language(
    code="kk",
    name="Қазақша",
    english_name="Kazakh",
    script="Cyrillic",
    # Letters Kazakh adds to the Russian alphabet (і is Ukrainian and Belarusian too).
    detection=Detection(letters=frozenset("әғқңөұүһ"), min_letter_share=0.003),
    opening_headings=("кіріспе", "анықтама"),
    closing_headings=("қорытынды",),
    stems=kazakh_stems,
    fold=fold_kazakh,
    folded_stems=folded_kazakh_stems,
    transliterate=transliterate_to_kazakh,
    stopwords=load_stopwords("kk"),
)
