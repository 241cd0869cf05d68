"""The query planner: which languages a query is searched in, and per language one clause
per query word or phrase, each an Or of weighted index terms: the word as written, by stem
and folded (typed without special letters), in title and body, weighted exact > stem >
fold > transliterated/typo-corrected, title above body; quoted phrases in order; the
completions of a half-typed last word; near words as weak evidence; and a cap on terms."""

from __future__ import annotations

from whoosh.query import Or, Phrase, Query, Term

from ..analysis import analysis_codes, get_language, registry
from ..analysis.pipeline import AnalyzedToken, analyze, thin_fold
from ..budget import Budget, Ticket, unlimited
from ..expansion import expand_prefix
from ..langdetect import LATIN, detect_language, latin_language, script_counts
from ..limits import (
    COST_PER_TYPO_LOOKUP,
    EXPENSIVE_COST,
    EXPENSIVE_PLANNING_SECONDS,
    EXPENSIVE_WORD_LOOKUPS,
    MAX_TERMS,
    MAX_TYPO_WORD,
    MIN_PREFIX,
    MIN_TYPO_WORD,
    PREFIX_COMPLETIONS,
    SUGGEST_COMPLETIONS,
)
from ..near_words import (
    NEAR_MAX_QUERY_WORDS,
    NEAR_WORDS_PER_QUERY,
    near_clause,
    near_words,
    wants_near_words,
)
from ..query import ParsedQuery
from ..schema import field_name
from ..scoring.clauses import estimated_cost, leaves
from ..scoring.postings import PostingReader
from ..snippets import MatchTerms
from .plan import (
    GUESSED_LANGUAGE_BOOST,
    PHRASE_BOOST,
    PREFIX_BOOST,
    TITLE_BOOST,
    TRANSLIT_BOOST,
    VIEW_BOOST,
    Completion,
    LanguagePlan,
)
from .typos import occurrences, typo_clause, typo_words

# Letters a folded completion steps back from the end of the typed word (sprzedaz: sprzeda).
FOLD_BACKTRACK = 4


class MustWait(Exception):
    """The query is expensive and no slot is free: give the searcher back and wait."""


def plan_query(postings: PostingReader, parsed: ParsedQuery, lang: str | None,
               indexed: set[str], prefer: str | None = None, budget: Budget | None = None,
               ticket: Ticket | None = None) -> dict[str, LanguagePlan]:
    """Each language's query. With a `ticket`, an expensive plan (by its estimated
    cost, typo lookups included) waits for admission before its costly steps (MustWait)."""
    budget = budget or unlimited()
    if parsed.dropped:  # words past the cap are not searched: say so
        budget.cut()
    targets = target_languages(parsed.text, lang, indexed)
    lookups = (len(parsed.words) + len(parsed.phrases) + len(parsed.excluded)) * len(targets)
    if ticket is not None and not ticket.admit(lookups > EXPENSIVE_WORD_LOOKUPS):
        raise MustWait  # a long query: even planning it is costly
    plans = _build_plans(postings, parsed, targets, None, budget, ticket=ticket)
    to_correct = typo_words(parsed, plans)
    if ticket is not None:
        cost = sum(_plan_cost(postings, plan) for plan in plans.values()) \
            + COST_PER_TYPO_LOOKUP * len(to_correct) * len(targets)
        if not ticket.admit(cost > EXPENSIVE_COST):
            raise MustWait
    if to_correct:  # typo tolerance only for words no language knows
        plans = _build_plans(postings, parsed, targets, to_correct, budget, plans)
    _cap_terms(plans, budget)
    guessed = guess_language(parsed.text) or prefer
    if guessed in plans:
        plan = plans[guessed]
        plan.clauses = [_scaled(c, GUESSED_LANGUAGE_BOOST) for c in plan.clauses]
    return plans


def completion_candidates(postings: PostingReader, lang: str, last: str, translit: bool
                           ) -> list[tuple[str, str, int]]:
    """(field, word, documents) of the body's words, as written, beginning with `last`; when
    none does: with `last` read in the language's script (typed in Latin letters), or whose
    folded form begins with it (typed without special letters)."""
    exact = field_name("body", "exact", lang)

    def begun(beginning: str) -> list[tuple[str, str, int]]:
        return [(exact, w, df) for w, df in expand_prefix(postings, exact, beginning,
                                                          SUGGEST_COMPLETIONS)]

    found = begun(last)
    if not found and translit and latin_typed(last):
        transliterate = get_language(lang).transliterate
        assert transliterate is not None
        found = [c for t in analyze(lang, transliterate(last)) if not t.compound
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


def _scaled(query: Query, factor: float) -> Query:
    """The query with every leaf's boost multiplied: whoosh does not apply the boost of a
    compound query (Or) to its matches, only the boosts of its terms and phrases."""
    def scale(node: Query) -> Query:
        return node.with_boost(node.boost * factor) if isinstance(node, Term | Phrase) else node
    return query.accept(scale)


def _build_plans(postings: PostingReader, parsed: ParsedQuery,
                 targets: list[tuple[str, bool]], typo_words: set[str] | None, budget: Budget,
                 first: dict[str, LanguagePlan] | None = None, ticket: Ticket | None = None
                 ) -> dict[str, LanguagePlan]:
    """Each language's plan; with the `first` plans (made without typo words), only the
    clauses of the typo words are made again. With a `ticket`, planning that has taken
    longer than EXPENSIVE_PLANNING_SECONDS (fresh words, looked up on disk in every view
    and language) makes the query expensive: it waits for admission (MustWait) and is
    planned again then, from the lookups now cached."""
    plans = {}
    for code, translit in targets:
        if (ticket is not None and budget.worked() > EXPENSIVE_PLANNING_SECONDS
                and not ticket.admit(True)):
            raise MustWait
        plan = language_plan(postings, parsed, code, translit, typo_words, budget,
                             (first or {}).get(code))
        if plan is not None:
            plans[code] = plan
    return plans


def _plan_cost(postings: PostingReader, plan: LanguagePlan) -> int:
    queries = [*plan.clauses, *([plan.excluded] if plan.excluded else [])]
    return sum(estimated_cost(postings, query) for query in queries)


def _cap_terms(plans: dict[str, LanguagePlan], budget: Budget) -> None:
    """Keep the query's first clauses (words, then phrases) while all languages together
    have at most MAX_TERMS index terms to score; the words past that are searched in no
    language, and the answer is partial."""
    total = 0
    longest = max((len(plan.clauses) for plan in plans.values()), default=0)
    for n in range(longest):
        for plan in plans.values():
            if n < len(plan.clauses):
                total += sum(len(getattr(leaf, "words", ())) or 1
                             for leaf in leaves(plan.clauses[n]))
        if total > MAX_TERMS and n > 0:
            for plan in plans.values():
                plan.clauses = plan.clauses[:n]
            budget.cut()
            return


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


def language_plan(postings: PostingReader, parsed: ParsedQuery, lang: str, translit: bool,
                  typo_words: set[str] | None, budget: Budget,
                  first: LanguagePlan | None = None) -> LanguagePlan | None:
    """One language's query. Words in `typo_words` (matched in no language) also try index
    words within a small edit distance, while the budget lasts; the other words' clauses
    are taken from the `first` plan when given (planning a long query twice cost as much
    as its typo lookups). Terms the index does not have are left out (they would match
    nothing)."""
    terms = first.terms if first else MatchTerms()
    plan = LanguagePlan(terms=terms)
    clauses: list[Query] = []
    tokens = _query_tokens(lang, parsed)
    near_left = NEAR_WORDS_PER_QUERY if len(tokens) <= NEAR_MAX_QUERY_WORDS else 0
    for n, (token, beginning) in enumerate(tokens):
        budget.spent()  # (an expensive query yields to others here)
        plan.words.add(token.surface)
        if first is not None and token.surface not in (typo_words or ()):
            plan.matched |= first.matched & {token.surface}
            if near_left > 0 and not beginning and wants_near_words(token.normalized,
                                                                    token.stopword):
                near_left -= 1
            clauses.append(first.clauses[n])
            continue
        clause, native = _typed_and_read(postings, lang, token, beginning,
                                         translit and latin_typed(token.normalized), terms)
        if _matches(postings, clause):
            plan.matched.add(token.surface)
            plan.transliterated |= clause is not native and not _matches(postings, native)
        elif (typo_words and token.surface in typo_words
              and MIN_TYPO_WORD <= len(token.normalized) <= MAX_TYPO_WORD
              and not budget.spent()):
            fix = typo_clause(postings, lang, token.normalized, terms, budget)
            if fix is not None:
                clause, correction = fix
                plan.corrections[token.surface] = correction
                plan.correction_counts[token.surface] = occurrences(
                    postings.searcher.reader(), lang, correction)
        if near_left > 0 and not beginning and wants_near_words(token.normalized,
                                                                token.stopword) \
                and not budget.spent():
            near_left -= 1
            clause = _with_near_words(postings, lang, token.normalized, clause)
        clauses.append(_present(postings, clause))
    if first is not None:
        plan.transliterated |= first.transliterated
        clauses += first.clauses[len(tokens):]  # phrases
        plan.clauses, plan.excluded = clauses, first.excluded
        return plan
    for phrase in parsed.phrases:
        clause = _phrase_clause(lang, phrase, terms, False)
        if translit and latin_typed(phrase):
            clause = Or([clause, _phrase_clause(lang, phrase, terms, True)])
        clauses.append(_present(postings, clause))
    if not clauses:
        return None
    plan.clauses = clauses
    excluded = [t for w in parsed.excluded for t in analyze(lang, w) if not t.compound]
    if excluded:
        plan.excluded = _present(postings, Or([_word_clause(lang, t, MatchTerms(), False)
                                               for t in excluded]))
    return plan


def _with_near_words(postings: PostingReader, lang: str, word: str, clause: Query) -> Query:
    """The word's clause with index words that begin like it as weak alternatives
    (indexer/near_words.py), looked up in the body's exact field (titles repeat body words)."""
    found = near_words(postings.searcher.reader(), postings.cache.near_prefix,
                       field_name("body", "exact", lang), word,
                       get_language(lang).near_beginnings)
    near = near_clause(found, [(field_name(part, "exact", lang), boost)
                               for part, boost in (("title", TITLE_BOOST), ("body", 1.0))])
    return clause if near is None else Or([clause, near])


def latin_typed(text: str) -> bool:
    """Is `text` written in Latin letters only (ASCII romanization, or Kazakh's ä ş ñ ū ...)?"""
    counts = script_counts(text)
    return counts[LATIN] > 0 and counts[LATIN] == sum(counts.values())


def _present(postings: PostingReader, query: Query) -> Query:
    """The tree of Or queries without the terms (and phrases with a word) the index does
    not have: they match nothing, and looking each up again while scoring costs time."""
    if isinstance(query, Term):
        return query if postings.doc_frequency(query.fieldname, query.text) else Or([])
    if isinstance(query, Phrase):
        known = all(postings.doc_frequency(query.fieldname, w) for w in query.words)
        return query if known else Or([])
    kept = [_present(postings, sub) for sub in query.children()]
    return Or([sub for sub in kept if not _is_empty(sub)])


def _is_empty(query: Query) -> bool:
    return isinstance(query, Or) and not query.subqueries


def _translit_clauses(lang: str, latin_word: str, terms: MatchTerms) -> list[Query]:
    """A Latin-typed word read in the language's own script (Georgian typed in Latin)."""
    transliterate = get_language(lang).transliterate
    assert transliterate is not None
    return [_word_clause(lang, t, terms, True)
            for t in analyze(lang, transliterate(latin_word)) if not t.compound]


def _query_tokens(lang: str, parsed: ParsedQuery) -> list[tuple[AnalyzedToken, bool]]:
    """(token, is the beginning of a word still being typed?) for the query's words; the
    last word's tokens are kept even when stopwords (`na` may become `narzędzia`)."""
    if not parsed.prefix:
        return [(t, False) for t in _content_tokens(lang, parsed.words)]
    head = _content_tokens(lang, parsed.words[:-1]) if len(parsed.words) > 1 else []
    last = [t for t in analyze(lang, parsed.words[-1]) if not t.compound]
    return [(t, False) for t in head] + [(t, len(t.normalized) >= MIN_PREFIX) for t in last]


def _typed_and_read(postings: PostingReader, lang: str, token, beginning: bool, read: bool,
                    terms: MatchTerms) -> tuple[Query, Query]:
    """A word's clause, and the part of it that matches the word as typed: the whole word and
    (half-typed) its completions, without the readings of Latin letters in the language's
    script, so that results are said to be transliterated only when a reading found them."""
    native = _word_clause(lang, token, terms, False)
    readings = _translit_clauses(lang, token.surface, terms) if read else []
    if beginning:
        typed = _prefix_lookups(lang, token)
        native = Or([native, *_prefix_clauses(postings, lang, token, typed, terms)])
        if read:
            readings += _prefix_clauses(postings, lang, token,
                                        _read_prefix_lookups(lang, token) - typed, terms)
    return (Or([native, *readings]) if readings else native), native


def _folded_views(lang: str) -> tuple[str, ...]:
    # A thin fold view holds only the folded forms that differ from the word's own: the
    # others are begun in the exact and stem views.
    return ("fold", "exact", "stem") if thin_fold(lang) else ("fold",)


def _prefix_lookups(lang: str, token) -> set[tuple[str, str]]:
    """(view, beginning) pairs of a half-typed word as written and folded. A stem (a Hebrew
    word without its prefix letters) begins its inflected forms."""
    lookups = {("exact", token.normalized), *(("stem", s) for s in token.stems),
               *((view, f) for f in token.folded for view in _folded_views(lang))}
    language = get_language(lang)
    if language.beginnings is not None:
        lookups |= {("stem", b) for b in language.beginnings(token.normalized)}
    return lookups


def _read_prefix_lookups(lang: str, token) -> set[tuple[str, str]]:
    """(view, beginning) pairs of a half-typed word in Latin letters read in the language's
    script."""
    transliterate = get_language(lang).transliterate
    assert transliterate is not None
    return {(view, f) for t in analyze(lang, transliterate(token.surface))
            if not t.compound for f in t.folded for view in _folded_views(lang)}


def _prefix_clauses(postings: PostingReader, lang: str, token,
                    lookups: set[tuple[str, str]], terms: MatchTerms) -> list[Query]:
    """The index words that begin with a half-typed word, looked up by (view, beginning):
    each counts as part of a match (PREFIX_CREDIT), so that whole words rank above
    completions."""
    words = {token.normalized, *token.stems, *token.folded}
    alternatives: list[Query] = []
    for view, beginning in sorted(lookups):
        if len(beginning) < MIN_PREFIX:
            continue
        completions = [w for w, _df in expand_prefix(
            postings, field_name("body", view, lang), beginning, PREFIX_COMPLETIONS)
            if w not in words]
        getattr(terms, view).update(completions)
        alternatives += [
            Completion(field_name(part, view, lang), word,
                       boost=PREFIX_BOOST * VIEW_BOOST[view] * part_boost)
            for word in completions for part, part_boost in (("title", TITLE_BOOST), ("body", 1.0))
        ]
    return alternatives


def _content_tokens(lang: str, words: list[str]) -> list[AnalyzedToken]:
    """The query's words analyzed for `lang`; stopwords dropped unless nothing else is left.

    A compound (e-handel, B2B-платформа) is looked for whole and by its parts.
    """
    tokens = list(analyze(lang, " ".join(words)))
    content = [t for t in tokens if not t.stopword]
    return content or tokens


def _word_clause(lang: str, token, terms: MatchTerms, translit: bool) -> Query:
    """Title and body, each matched as written, by stem and folded."""
    views: dict[str, tuple[str, ...]] = {
        "exact": (token.normalized,), "stem": token.stems, "fold": token.folded,
    }
    if translit:  # ejectives are ambiguous without apostrophes: only the folded view is safe
        views = {"fold": token.folded}
    for view, values in views.items():
        getattr(terms, view).update(values)
    scale = TRANSLIT_BOOST if translit else 1.0
    lookups = [(view, view, value) for view, values in views.items() for value in values]
    if not translit and thin_fold(lang):
        lookups += _thinned_fold_lookups(token)
    parts = []
    for part, part_boost in (("title", TITLE_BOOST), ("body", 1.0)):
        alternatives = [
            Term(field_name(part, view, lang), value, boost=VIEW_BOOST[kind] * part_boost * scale)
            for kind, view, value in lookups
        ]
        # Summed, not DisjunctionMax: whoosh's DisjunctionMaxMatcher.score() takes the max over
        # sub-matchers even when one sits on another document. An exact match also matches
        # its stem and fold, so the sum still ranks exact > stem > fold.
        parts.append(Or(alternatives))
    return Or(parts)


def _thinned_fold_lookups(token) -> list[tuple[str, str, str]]:
    """(kind, view, value): the query's folded forms, also looked up in the exact and stem
    views, where a thin fold view leaves a word whose folded form is itself or its stem
    (`łódź` typed, `lodz` written). Typed without special letters, a word's folded forms
    are its own exact and stem forms, so this adds nothing."""
    own = {token.normalized, *token.stems}
    return [("fold", view, value) for value in token.folded if value not in own
            for view in ("exact", "stem")]


def _matches(postings: PostingReader, clause: Query) -> bool:
    return any(postings.doc_frequency(name, text) for name, text in clause.iter_all_terms())


def _phrase_clause(lang: str, phrase: str, terms: MatchTerms, translit: bool) -> Query:
    language = get_language(lang)
    if translit and language.transliterate:
        phrase = " ".join(language.transliterate(w) for w in phrase.split())
    tokens = [t for t in analyze(lang, phrase) if not t.compound]
    view = "fold" if translit else "exact"
    words = [t.folded[0] if translit else t.normalized for t in tokens]
    getattr(terms, view).update(words)
    if len(words) == 1:
        return _word_clause(lang, tokens[0], terms, translit)
    clauses = []
    for part, boost in (("title", TITLE_BOOST), ("body", 1.0)):
        clauses.append(Phrase(field_name(part, view, lang), words, boost=PHRASE_BOOST * boost))
        if not translit:
            stems = [t.stems[0] for t in tokens]
            terms.stem.update(stems)
            clauses.append(Phrase(field_name(part, "stem", lang), stems, boost=boost * 2))
    return Or(clauses)

