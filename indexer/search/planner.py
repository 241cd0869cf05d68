"""The query planner: which languages a query is searched in, and per language one concept
per query word or phrase, each a list of weighted index terms (plan.py): the word as
written, by stem and folded (typed without special letters), in title and body, weighted
exact > stem > fold > transliterated/typo-corrected, title above body; quoted phrases in
order; the completions of a half-typed last word; near words as weak evidence; and a cap
on terms. It asks the index only through a Vocabulary (vocabulary.py)."""

from __future__ import annotations

from dataclasses import replace

from ..analysis import analysis_codes, get_language, registry
from ..analysis.normalize import normalize
from ..analysis.pipeline import AnalyzedToken, analyze
from ..budget import Budget, Ticket, unlimited
from ..langdetect import LATIN, detect_language, latin_language, script_counts
from ..limits import (
    COST_PER_TYPO_LOOKUP,
    EXPENSIVE_COST,
    EXPENSIVE_WORD_LOOKUPS,
    MAX_TERMS,
    MAX_TYPO_WORD,
    MIN_PREFIX,
    MIN_TYPO_WORD,
    PREFIX_COMPLETIONS,
    SUGGEST_COMPLETIONS,
)
from ..near_words import (
    NEAR_BOOST,
    NEAR_CREDIT,
    NEAR_MAX_QUERY_WORDS,
    NEAR_WORDS_PER_QUERY,
    wants_near_words,
)
from ..query import ParsedQuery
from ..schema import field_name
from ..scoring.clauses import estimated_cost
from .plan import (
    GUESSED_LANGUAGE_BOOST,
    PHRASE_BOOST,
    PREFIX_BOOST,
    PREFIX_CREDIT,
    STOPWORD_BOOST,
    STOPWORD_CREDIT,
    TITLE_BOOST,
    TRANSLIT_BOOST,
    VIEW_BOOST,
    Concept,
    LanguagePlan,
    Part,
    Plan,
    PlanPhrase,
    PlanTerm,
)
from .typos import occurrences, typo_clause, typo_words
from .vocabulary import Vocabulary

# The views a folded form is in: the fold view is thin (AnalyzedToken.terms), holding only
# the folded forms that differ from the word's own; the others are in the exact and stem views.
FOLDED_VIEWS = ("fold", "exact", "stem")
# Letters a folded completion steps back from the end of the typed word (sprzedaz: sprzeda).
FOLD_BACKTRACK = 4
PARTS = (("title", TITLE_BOOST), ("body", 1.0))
COMPLETION_VIEWS = ("exact", "stem", "fold")


class MustWait(Exception):
    """The query is expensive and no slot is free: give the searcher back and wait."""


def plan_query(vocab: Vocabulary, parsed: ParsedQuery, lang: str | None, indexed: set[str],
               prefer: str | None = None, budget: Budget | None = None,
               ticket: Ticket | None = None) -> Plan:
    """Each language's plan. With a `ticket`, an expensive plan (by its estimated cost,
    typo lookups included) waits for admission before its costly steps (MustWait)."""
    budget = budget or unlimited()
    if parsed.dropped:  # words past the cap are not searched: say so
        budget.cut()
    targets = target_languages(parsed.text, lang, indexed)
    lookups = (len(parsed.words) + len(parsed.phrases) + len(parsed.excluded)) * len(targets)
    if ticket is not None and not ticket.admit(lookups > EXPENSIVE_WORD_LOOKUPS):
        raise MustWait  # a long query: even planning it is costly
    plans = _build_plans(vocab, parsed, targets, None, budget)
    to_correct = typo_words(parsed, plans)
    if ticket is not None:
        cost = sum(_plan_cost(vocab, plan) for plan in plans.values()) \
            + COST_PER_TYPO_LOOKUP * len(to_correct) * len(targets)
        if not ticket.admit(cost > EXPENSIVE_COST):
            raise MustWait
    if to_correct:  # typo tolerance only for words no language knows
        plans = _build_plans(vocab, parsed, targets, to_correct, budget, plans)
    plans = _cap_terms(plans, budget)
    guessed = guess_language(parsed.text) or prefer
    if guessed in plans:
        plan = plans[guessed]
        plans[guessed] = plan.scaled(GUESSED_LANGUAGE_BOOST)
    return plans


def completion_candidates(vocab: Vocabulary, lang: str, last: str, translit: bool
                          ) -> list[tuple[str, str, int]]:
    """(field, word, documents) of the body's words, as written, beginning with `last`; when
    none does: with `last` read in the language's script (typed in Latin letters), or whose
    folded form begins with it (typed without special letters)."""
    exact = field_name("body", "exact", lang)

    def begun(beginning: str) -> list[tuple[str, str, int]]:
        return [(exact, w, df) for w, df in vocab.with_prefix(exact, beginning,
                                                           SUGGEST_COMPLETIONS)]

    found = begun(last)
    if not found and translit and latin_typed(last):
        found = [c for t in analyze(lang, _read_in_script(lang, last)) if not t.compound
                 for c in begun(t.normalized)]
    if found:
        return found
    folded = {f for t in analyze(lang, last) if not t.compound for f in t.folded}
    # The written word differs from the typed one from its first special letter on: look
    # among the words with the typed word's beginning, a letter shorter each time.
    for cut in range(len(last) - 1, max(MIN_PREFIX, len(last) - FOLD_BACKTRACK) - 1, -1):
        found = [(name, w, df) for name, w, df in begun(last[:cut])
                 if any(f.startswith(b) for t in analyze(lang, w) for f in t.folded
                        for b in folded)]
        if found:
            return found
    return []


def _build_plans(vocab: Vocabulary, parsed: ParsedQuery, targets: list[tuple[str, bool]],
                 to_correct: set[str] | None, budget: Budget, first: Plan | None = None
                 ) -> Plan:
    """Each language's plan; with the `first` plans (made without typo words), only the
    typo words' concepts are made again."""
    plans = {}
    for code, translit in targets:
        plan = language_plan(vocab, parsed, code, translit, to_correct, budget,
                             (first or {}).get(code))
        if plan is not None:
            plans[code] = plan
    return plans


def _plan_cost(vocab: Vocabulary, plan: LanguagePlan) -> int:
    return estimated_cost(vocab, [*(p for c in plan.scored() for p in c.parts), *plan.excluded])


def _cap_terms(plans: Plan, budget: Budget) -> Plan:
    """Keep the query's first concepts (words, then phrases) while all languages together
    have at most MAX_TERMS index terms to score; the words past that are searched in no
    language, and the answer is partial."""
    total = 0
    longest = max((len(plan.concepts) for plan in plans.values()), default=0)
    for n in range(longest):
        for plan in plans.values():
            if n < len(plan.concepts):
                total += sum(len(p.words) if isinstance(p, PlanPhrase) else 1
                             for p in plan.concepts[n].parts)
        if total > MAX_TERMS and n > 0:
            budget.cut()
            return {code: replace(plan, concepts=plan.concepts[:n])
                    for code, plan in plans.items()}
    return plans


def language_plan(vocab: Vocabulary, parsed: ParsedQuery, lang: str, translit: bool,
                  to_correct: set[str] | None, budget: Budget,
                  first: LanguagePlan | None = None) -> LanguagePlan | None:
    """One language's plan. Words in `to_correct` (matched in no language) also try index
    words within a small edit distance, while the budget lasts; the other words' concepts
    are taken from the `first` plan when given (planning a long query twice cost as much
    as its typo lookups). Terms the index does not have are left out (they would match
    nothing)."""
    words, matched, transliterated = set(), set(), False
    corrections: dict[str, str] = {}
    counts: dict[str, float] = {}
    concepts = []
    tokens = _query_tokens(lang, parsed)
    near_left = NEAR_WORDS_PER_QUERY if len(tokens) <= NEAR_MAX_QUERY_WORDS else 0
    for n, (token, beginning) in enumerate(tokens):
        budget.spent()  # (an expensive query yields to others here)
        words.add(token.surface)
        if first is not None and token.surface not in (to_correct or ()):
            if token.surface in first.matched:
                matched.add(token.surface)
            if near_left > 0 and not beginning and wants_near_words(token.normalized,
                                                                    token.stopword):
                near_left -= 1
            concepts.append(first.concepts[n])
            continue
        parts, native = _typed_and_read(vocab, lang, token, beginning,
                                        translit and latin_typed(token.normalized))
        if _matches(vocab, parts if not beginning else _own(parts)) \
                or beginning and _begun_as_typed(vocab, lang, token):
            matched.add(token.surface)
            transliterated |= parts is not native and not _matches(vocab, native)
        elif (to_correct and token.surface in to_correct
              and MIN_TYPO_WORD <= len(token.normalized) <= MAX_TYPO_WORD
              and not budget.spent()):
            fix = typo_clause(vocab, lang, token.normalized)
            if fix is not None:
                fixed_parts, best = fix
                # (a half-typed word keeps its guessed completions, after the corrections)
                parts = [*fixed_parts, *parts] if beginning else fixed_parts
                corrections[token.surface] = best
                counts[token.surface] = occurrences(vocab, lang, best)
        if near_left > 0 and not beginning and wants_near_words(token.normalized,
                                                                token.stopword) \
                and not budget.spent():
            near_left -= 1
            parts = [*parts, *_near_parts(vocab, lang, _spelt(lang, token, translit))]
        concepts.append(Concept(token.surface, _present(vocab, parts)))
    if first is not None:
        return replace(first, concepts=(*concepts, *first.concepts[len(tokens):]),
                       matched=frozenset(matched), corrections=corrections,
                       correction_counts=counts)
    for phrase in parsed.phrases:
        parts = _phrase_parts(lang, phrase, False)
        if translit and latin_typed(phrase):
            parts = [*parts, *_phrase_parts(lang, phrase, True)]
        concepts.append(Concept(phrase, _present(vocab, parts)))
    if not concepts:
        return None
    excluded = [t for w in parsed.excluded for t in analyze(lang, w) if not t.compound]
    return LanguagePlan(
        lang, tuple(concepts),
        _present(vocab, [p for t in excluded for p in _word_parts(lang, t, False)]),
        frozenset(words), frozenset(matched), corrections, counts, transliterated,
        _stopwords(vocab, lang, parsed, [t for t, _beginning in tokens]))


def _stopwords(vocab: Vocabulary, lang: str, parsed: ParsedQuery,
               searched: list[AnalyzedToken]) -> Concept | None:
    """The query's stopwords that are not searched as words, as a tie-breaker: among
    documents matching as many words, one that also has `ander`, `word`, `бар` as typed is
    more likely the one meant (exact view only: stopwords have no useful stems)."""
    if all(t.stopword for t in searched):
        return None
    own = {t.normalized for t in searched}
    stops = [t for t in analyze(lang, " ".join(parsed.words))
             if t.stopword and not t.compound and t.normalized not in own]
    parts = _present(vocab, [
        PlanTerm(field_name(part, "exact", lang), t.normalized, "exact", "stopword",
                 STOPWORD_BOOST * boost, STOPWORD_BOOST, credit=STOPWORD_CREDIT)
        for t in stops for part, boost in PARTS])
    return Concept(" ".join(t.surface for t in stops), parts) if parts else None


def _spelt(lang: str, token: AnalyzedToken, translit: bool) -> str:
    """The word whose near words to look up: a word typed in Latin letters for a language
    written in another script is looked up as read in that script (a Latin string begins
    no word of a Cyrillic index)."""
    if translit and latin_typed(token.normalized):
        return normalize(_read_in_script(lang, token.surface))
    return token.normalized


def analysis_lang(lang: str) -> str:
    return lang if lang in analysis_codes() else "und"


def guess_language(text: str) -> str | None:
    guess = detect_language(text)
    return guess if guess in registry() else None


def target_languages(text: str, lang: str | None, indexed: set[str]
                      ) -> list[tuple[str, bool]]:
    """(analysis language, transliterate?) pairs to search, from the script of the query."""
    fields_langs = {analysis_lang(code) for code in indexed}
    counts = script_counts(text)
    latin = counts[LATIN] > 0 and counts[LATIN] >= max(counts.values())
    if lang is not None:
        code = analysis_lang(lang)
        return [(code, latin and get_language(code).transliterate is not None)]
    script = counts.most_common(1)[0][0] if sum(counts.values()) else None
    out = []
    for code in sorted(script_languages(script, fields_langs)):
        # A query clearly in a Latin-script language of ours (Polish, Afrikaans) is not
        # Georgian or Kazakh typed in Latin letters.
        transliterate = (latin and get_language(code).transliterate is not None
                         and latin_language(text) not in registry())
        out.append((code, transliterate))
    return out


def script_languages(script: str | None, fields_langs: set[str]) -> set[str]:
    """The analysis languages a query written in `script` may be in: those of the script
    (only those when the script alone identifies them, as Georgian's does; with the generic
    fields otherwise, as Cyrillic is Russian too). Latin, mixed and unknown scripts: all,
    since names and acronyms occur everywhere and other scripts are typed in Latin letters."""
    languages = registry()
    own = {code for code, language in languages.items() if language.script == script}
    if script == LATIN or not own:
        return set(fields_langs)
    if not all(languages[code].script_identifies for code in own):
        own |= {code for code in fields_langs if code not in languages}
    return own & fields_langs


def _near_parts(vocab: Vocabulary, lang: str, word: str) -> list[PlanTerm]:
    """Index words that begin like the word, as weak alternatives (indexer/near_words.py),
    looked up in the body's exact field (titles repeat body words)."""
    found = vocab.near(field_name("body", "exact", lang), word,
                       get_language(lang).near_beginnings)
    return [PlanTerm(field_name(part, "exact", lang), w, "exact", "near",
                     NEAR_BOOST * boost, NEAR_BOOST, credit=NEAR_CREDIT)
            for w in found for part, boost in PARTS]


def latin_typed(text: str) -> bool:
    """Is `text` written in Latin letters only (ASCII romanization, or Kazakh's ä ş ñ ū ...)?"""
    counts = script_counts(text)
    return counts[LATIN] > 0 and counts[LATIN] == sum(counts.values())


def _present(vocab: Vocabulary, parts: list[Part]) -> tuple[Part, ...]:
    """The parts the index has (a phrase: each of its words): the others match nothing, and
    looking each up again while scoring costs time."""
    return tuple(p for p in parts if all(_held(vocab, p, w) for w in _words(p)))


def _words(part: Part) -> tuple[str, ...]:
    return part.words if isinstance(part, PlanPhrase) else (part.text,)


def _held(vocab: Vocabulary, part: Part, word: str) -> bool:
    """Whether the index has the word in one of the part's fields."""
    return any(vocab.doc_frequency(name, word) for name in part.fields)


def _matches(vocab: Vocabulary, parts: list[Part]) -> bool:
    return any(_held(vocab, p, w) for p in parts for w in _words(p))


def _read_in_script(lang: str, latin: str) -> str:
    """Latin-typed text read in the language's own script (only for languages that have a
    transliteration: target_languages asks for it for those alone)."""
    transliterate = get_language(lang).transliterate
    assert transliterate is not None
    return transliterate(latin)


def _translit_parts(lang: str, latin_word: str) -> list[Part]:
    """A Latin-typed word read in the language's own script (Georgian typed in Latin)."""
    return [p for t in analyze(lang, _read_in_script(lang, latin_word)) if not t.compound
            for p in _word_parts(lang, t, True)]


def _query_tokens(lang: str, parsed: ParsedQuery) -> list[tuple[AnalyzedToken, bool]]:
    """(token, is the beginning of a word still being typed?) for the query's words; the
    last word's tokens are kept even when stopwords (`na` may become `narzędzia`)."""
    if not parsed.prefix:
        return [(t, False) for t in _content_tokens(lang, parsed.words)]
    head = _content_tokens(lang, parsed.words[:-1]) if len(parsed.words) > 1 else []
    last = [t for t in analyze(lang, parsed.words[-1]) if not t.compound]
    return [(t, False) for t in head] + [(t, len(t.normalized) >= MIN_PREFIX) for t in last]


def _typed_and_read(vocab: Vocabulary, lang: str, token: AnalyzedToken, beginning: bool,
                    read: bool) -> tuple[list[Part], list[Part]]:
    """A word's parts, and those of them that match the word as typed: the whole word and
    (half-typed) its completions, without the readings of Latin letters in the language's
    script, so that results are said to be transliterated only when a reading found them."""
    native = _word_parts(lang, token, False)
    readings = _translit_parts(lang, token.surface) if read else []
    if beginning:
        if _unfinished(vocab, lang, token):
            native = _as_beginning(native)
        typed = _prefix_lookups(lang, token)
        native = [*native, *_completion_parts(vocab, lang, token, typed)]
        if read:
            readings += _completion_parts(vocab, lang, token,
                                          _read_prefix_lookups(lang, token) - typed)
    return ([*native, *readings] if readings else native), native


def _unfinished(vocab: Vocabulary, lang: str, token: AnalyzedToken) -> bool:
    """Is a half-typed word still being typed: not a word of the index, but the beginning
    of some? (A word the index has may be finished; an unknown word nothing begins with
    may be an inflected form the index lacks, found by its stem.)"""
    exact = field_name("body", "exact", lang)
    # (as many as _completion_parts asks for: the index answers both from one lookup)
    return not vocab.doc_frequency(exact, token.normalized) and \
        bool(vocab.with_prefix(exact, token.normalized, PREFIX_COMPLETIONS))


def _own(parts: list[Part]) -> list[Part]:
    """A word's parts without its completions."""
    return [p for p in parts if not isinstance(p, PlanTerm) or p.kind != "completion"]


def _begun_as_typed(vocab: Vocabulary, lang: str, token: AnalyzedToken) -> bool:
    """Does a half-typed word begin index words as typed (or typed without special
    letters)? One that the index lacks and that only its stems' completions find may be
    mistyped (Polish `ofice`, whose stem `ofic` begins `oficjalny`): it is corrected as a
    word no language knows is, and keeps those completions."""
    # (the lookups _completion_parts has made: remembered)
    return any(vocab.with_prefix(field_name("body", view, lang), beginning, PREFIX_COMPLETIONS)
               for view, beginning in [("exact", token.normalized),
                                       *((v, token.folded[0]) for v in FOLDED_VIEWS)])


def _as_beginning(parts: list[Part]) -> list[Part]:
    """An unfinished word's own parts demoted to completions. The index lacks the word as
    typed, so what they match are guesses: its stems (Polish `marke` cut to `mark`, Kazakh
    `ағы` read as `ақ`; counted as the whole word, documents with `marki` outranked
    `marketingu`), and its letters as the stem or folded form of other words (Hebrew `מכי`,
    Kazakh `инте`), which begin with them like any completion."""
    return [replace(p, boost=p.boost * PREFIX_BOOST, factor=p.factor * PREFIX_BOOST,
                    credit=PREFIX_CREDIT, admits=True) if isinstance(p, PlanTerm) else p
            for p in parts]


def _prefix_lookups(lang: str, token: AnalyzedToken) -> set[tuple[str, str]]:
    """(view, beginning) pairs of a half-typed word as written and folded. A stem (a Hebrew
    word without its prefix letters) begins its inflected forms."""
    lookups = {("exact", token.normalized), *(("stem", s) for s in token.stems),
               *((view, f) for f in token.folded for view in FOLDED_VIEWS)}
    language = get_language(lang)
    if language.beginnings is not None:  # (a bare word is its own stem: in the exact view)
        lookups |= {(view, b) for b in language.beginnings(token.normalized)
                    for view in ("stem", "exact")}
    return lookups


def _read_prefix_lookups(lang: str, token: AnalyzedToken) -> set[tuple[str, str]]:
    """(view, beginning) pairs of a half-typed word in Latin letters read in the language's
    script."""
    return {(view, f) for t in analyze(lang, _read_in_script(lang, token.surface))
            if not t.compound for f in t.folded for view in FOLDED_VIEWS}


def _completion_parts(vocab: Vocabulary, lang: str, token: AnalyzedToken,
                      lookups: set[tuple[str, str]]) -> list[Part]:
    """The index words that begin with a half-typed word, looked up by (view, beginning):
    each counts as part of a match (PREFIX_CREDIT), so that whole words rank above
    completions."""
    words = {token.normalized, *token.stems, *token.folded}
    fold = get_language(lang).fold
    alternatives: list[Part] = []
    folded: set[str] = set()
    for view in COMPLETION_VIEWS:
        completions = _commonest_completions(vocab, field_name("body", view, lang), words,
                                             [b for v, b in lookups if v == view])
        if view == "fold":
            completions = [w for w in completions if w not in folded]
        folded.update(map(fold, completions))
        alternatives += [
            PlanTerm(field_name(part, view, lang), word, view, "completion",
                     PREFIX_BOOST * VIEW_BOOST[view] * part_boost, PREFIX_BOOST,
                     credit=PREFIX_CREDIT, admits=True, also=_stem_holders(part, lang, view))
            for word in completions for part, part_boost in PARTS]
    return alternatives


def _commonest_completions(vocab: Vocabulary, field: str, words: set[str],
                           beginnings: list[str]) -> list[str]:
    """The field's commonest words (other than `words`) beginning with any of a half-typed
    word's beginnings (as typed, its stem, its folded forms): each once, and as many as one
    beginning would have, so that a word read several ways costs no more to score."""
    found: dict[str, int] = {}
    for beginning in sorted(beginnings):
        if len(beginning) >= MIN_PREFIX:
            found.update((w, df) for w, df in vocab.with_prefix(field, beginning,
                                                                 PREFIX_COMPLETIONS)
                         if w not in words)
    return sorted(found, key=lambda w: (-found[w], w))[:PREFIX_COMPLETIONS]


def _content_tokens(lang: str, words: list[str]) -> list[AnalyzedToken]:
    """The query's words analyzed for `lang`; stopwords dropped unless nothing else is left.

    A compound (e-handel, B2B-платформа) is looked for whole and by its parts.
    """
    tokens = list(analyze(lang, " ".join(words)))
    content = [t for t in tokens if not t.stopword]
    return content or tokens


def _word_parts(lang: str, token: AnalyzedToken, translit: bool) -> list[Part]:
    """Title and body, each matched as written, by stem and folded."""
    if translit:
        return _translit_word_parts(lang, token)
    views: dict[str, tuple[str, ...]] = {
        "exact": (token.normalized,), "stem": token.stems, "fold": token.folded,
    }
    lookups = [(view, view, value) for view, values in views.items() for value in values]
    lookups += _thinned_fold_lookups(token)
    # Summed, not the best of them: an exact match also matches its stem and fold, so the
    # sum still ranks exact > stem > fold.
    return [PlanTerm(field_name(part, view, lang), value, form, "word",
                     VIEW_BOOST[form] * part_boost, also=_stem_holders(part, lang, form, view))
            for part, part_boost in PARTS for form, view, value in lookups]


def _stem_holders(part: str, lang: str, form: str = "stem", view: str = "stem"
                  ) -> tuple[str, ...]:
    """Where a stem is besides the stem view: a word that is its own stem is in the exact
    view alone (pipeline.thinned). A folded form looked up in the stem view is looked up
    in the exact view on its own (_thinned_fold_lookups)."""
    return (field_name(part, "exact", lang),) if form == view == "stem" else ()


def _translit_word_parts(lang: str, token: AnalyzedToken) -> list[Part]:
    """A word read from Latin letters, matched folded only (ejectives are ambiguous without
    apostrophes): each folded form in the fold view or, where that leaves it out, the exact
    and stem views, a document scoring by the best of them."""
    return [PlanTerm(field_name(part, "fold", lang), value, "fold", "translit",
                     VIEW_BOOST["fold"] * part_boost * TRANSLIT_BOOST, TRANSLIT_BOOST,
                     also=_fold_holders(part, lang))
            for part, part_boost in PARTS for value in token.folded]


def _fold_holders(part: str, lang: str) -> tuple[str, ...]:
    """The fields besides the fold view's that hold folded forms (see FOLDED_VIEWS)."""
    return tuple(field_name(part, view, lang) for view in FOLDED_VIEWS[1:])


def _thinned_fold_lookups(token: AnalyzedToken) -> list[tuple[str, str, str]]:
    """(form, view, value): the query's folded forms, also looked up in the exact and stem
    views, where a thin fold view leaves a word whose folded form is itself or its stem
    (`łódź` typed, `lodz` written). Typed without special letters, a word's folded forms
    are its own exact and stem forms, so this adds nothing."""
    own = {token.normalized, *token.stems}
    return [("fold", view, value) for value in token.folded if value not in own
            for view in ("exact", "stem")]


def _phrase_parts(lang: str, phrase: str, translit: bool) -> list[Part]:
    language = get_language(lang)
    if translit and language.transliterate:
        phrase = " ".join(language.transliterate(w) for w in phrase.split())
    tokens = [t for t in analyze(lang, phrase) if not t.compound]
    view = "fold" if translit else "exact"
    words = tuple(t.folded[0] if translit else t.normalized for t in tokens)
    if len(words) == 1:
        return _word_parts(lang, tokens[0], translit)
    kind = "translit" if translit else "phrase"
    parts: list[Part] = []
    for part, boost in PARTS:
        parts.append(PlanPhrase(field_name(part, view, lang), words, view, kind,
                                PHRASE_BOOST * boost,
                                also=_fold_holders(part, lang) if translit else ()))
        if not translit:
            stems = tuple(t.stems[0] for t in tokens)
            parts.append(PlanPhrase(field_name(part, "stem", lang), stems, "stem", kind,
                                    boost * 2, also=_stem_holders(part, lang)))
    return parts
