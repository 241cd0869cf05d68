"""Every limit on what one search request may ask for and spend, in one place.

A request gets one time budget (SEARCH_SECONDS) that every costly step checks: typo
lookups, term lookups, ranking, phrase positions and snippets. The caps keep a 500-character
query from asking for hundreds of costly steps in the first place; admission control keeps
a few expensive queries from starving the rest of a server process.
"""

from __future__ import annotations

# -- what a query may ask for ------------------------------------------------------------
MAX_QUERY_LENGTH = 500  # characters (search.max_query_length may lower it)
# Words searched; later words are not (the answer says "partial"). Each word is looked up
# in every view, part and language searched, so a query of many fresh words cost about
# one normal query per two words; the relevance sets' longest query has 10.
MAX_WORDS = 16
# "Quoted phrases" and -excluded words are syntax a user typed on purpose: ignoring some
# would silently change the answer, so a query with more is refused (QueryError).
MAX_PHRASES = 8
MAX_EXCLUDED = 16
# Words that matched nowhere get typo correction (index words within an edit distance);
# only the first MAX_TYPO_WORDS of them, the others are searched as typed. Each costs a
# walk of every searched language's term dictionary. Typo tolerance only for words of
# MIN_TYPO_WORD-MAX_TYPO_WORD letters: shorter ones have too many neighbours, longer ones
# are no typo but noise.
MAX_TYPO_WORDS = 2
MIN_TYPO_WORD = 5
MAX_TYPO_WORD = 24
# Index words held in memory per process for typo lookups (a field's words of one first
# letter at a time, indexer.lexicon), about 60 bytes each.
LETTER_WORDS_KEPT = 600_000
# Index terms scored for one query (views x title/body x languages, terms absent from the
# index not counted). Words past the cap are not searched and the answer says "partial".
MAX_TERMS = 1500
MAX_PAGE = 1000
MAX_PER_PAGE = 100
PER_PAGE = 10  # results a page when the request does not say (search.per_page)
# Completions of the last word a suggestion looks at (the most frequent), per language
# and view, before keeping those found with the words typed before it.
SUGGEST_COMPLETIONS = 60
# The last, half-typed word of a query (prefix search) matches this many index words that
# begin with it, the most frequent, per view and language, among the first EXPANSION_SCAN
# words of the term dictionary with that beginning.
PREFIX_COMPLETIONS = 12
EXPANSION_SCAN = 4000
# Shortest beginning expanded (a single letter would match a language's whole vocabulary).
MIN_PREFIX = 2

# -- time ----------------------------------------------------------------------------------
# One request's budget of work. Past it every step stops and answers with what it has;
# the response says "partial" and is not cached.
SEARCH_SECONDS = 2.0
# Longest wait for one of the process's searchers (all lent): then "busy, retry" (503).
SEARCHER_WAIT_SECONDS = 5.0
# How long a request waits for a build's new generation to pass its check (hashing every
# file: seconds for a big index) before it is answered from the generation open before.
SWITCH_WAIT_SECONDS = 0.2

# -- admission -----------------------------------------------------------------------------
# A query's estimated cost, in postings read (see indexer.scoring.clauses.estimated_cost). Above
# EXPENSIVE_COST a query is expensive: at most EXPENSIVE_AT_ONCE of them run at a time in
# a process, the others wait up to EXPENSIVE_WAIT_SECONDS and then get "busy, retry" (503).
EXPENSIVE_COST = 400_000
EXPENSIVE_AT_ONCE = 1
EXPENSIVE_WAIT_SECONDS = 1.0
# A query of more words than this (times the languages searched) is expensive before any
# lookup: planning it alone costs a term lookup per word, view and language. (The
# relevance sets' longest query, 10 words in 5 languages, is 50.)
EXPENSIVE_WORD_LOOKUPS = 60
# An admitted expensive query pauses YIELD_SECONDS after each YIELD_EVERY_SECONDS of work
# while other searches run in the process, so that they keep most of the processor.
YIELD_EVERY_SECONDS = 0.005
YIELD_SECONDS = 0.005
# Estimated cost of the steps that are not posting reads, in postings.
COST_PER_TERM = 400  # looking a term up and scoring its list, whatever its length
COST_PER_PHRASE_CANDIDATE = 30  # reading one document's positions of every phrase word
COST_PER_TYPO_LOOKUP = 40_000  # one walk of a term dictionary by Levenshtein automaton

# -- index generations ---------------------------------------------------------------------
# A generation switched away from stays on disk this long, so searches still open on it
# finish: longer than any request (its budget, a wait for a searcher and one for admission).
RETIRED_KEEP_SECONDS = 60.0
LONGEST_REQUEST_SECONDS = SEARCH_SECONDS + SEARCHER_WAIT_SECONDS + EXPENSIVE_WAIT_SECONDS
assert RETIRED_KEEP_SECONDS > 2 * LONGEST_REQUEST_SECONDS
