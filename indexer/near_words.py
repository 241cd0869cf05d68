"""Near-word matches: index words that begin like a query word, as weak evidence for it.

Rule stemmers miss what a dictionary would know: suppletion, stem alternations, Georgian
preverbs and screeves, Kazakh converbs and voices. Most forms of one lemma still share
their first letters, so index words sharing a long query word's beginning are offered as
an alternative inside that word's clause. They are evidence, not proof (a shared
beginning joins unrelated words too), so such a match counts as part of a matched word
(NEAR_CREDIT) and scores at a fraction of the word's own terms: a document holding
the word's own forms still ranks first; one holding only near forms of every query word
ranks above one holding a single word exactly, as the query's concepts are the
ranking's first key.
"""

from __future__ import annotations

from collections.abc import Callable

from .expansion import beginning_words
from .lru import LRU

# Query words shorter than this get no near words: a shorter word's first letters are
# mostly its whole stem or a common root, and its near words would be noise.
NEAR_MIN_LETTERS = 5
# Letters of the beginning shared: five keeps the root of most inflected words in the
# five languages (Polish and Kazakh roots of 3-5 letters plus at most a letter of ending,
# Georgian roots after a one- or two-letter preverb) while it still tells lemmas apart.
NEAR_PREFIX_LETTERS = 5
# Index words looked at per beginning, and the commonest of them kept: in an index of
# many documents a beginning is shared by hundreds of words; the common ones are the
# lemma's everyday forms, the rare ones mostly other lemmas' rare forms.
NEAR_SCAN = 300
NEAR_KEEP = 30
# What a near match of a word counts for, as a share of a matched query word, and its
# BM25F weight against the word's own terms.
NEAR_CREDIT = 0.5
NEAR_BOOST = 0.5
# Near words are for short queries of rare words, where each word is much of the
# evidence: a query of more than NEAR_MAX_QUERY_WORDS words gets none, and the first
# NEAR_WORDS_PER_QUERY long words of a shorter one get them. Each adds up to 2 * NEAR_KEEP
# terms per language, so that a query's own terms never give way to near words under the
# cap on terms (indexer.limits.MAX_TERMS: 1500).
NEAR_MAX_QUERY_WORDS = 8
NEAR_WORDS_PER_QUERY = 4


def wants_near_words(word: str, stopword: bool) -> bool:
    """Is a query word long enough, a real word (not a number, not a stop word)?"""
    return not stopword and len(word) >= NEAR_MIN_LETTERS and word.isalpha()


def near_words(reader, cache: LRU[tuple[str, str], list[str]], fieldname: str, word: str,
               beginnings: Callable[[str], tuple[str, ...]] | None = None) -> list[str]:
    """The NEAR_KEEP commonest index words of `fieldname` beginning with the word's first
    NEAR_PREFIX_LETTERS letters or with one of the language's `beginnings` of it (the word
    itself left out), remembered in `cache` (per index generation: the term dictionary
    does not change)."""
    key = (fieldname, word)
    found = cache.get(key)
    if found is None:
        prefixes = {word[:NEAR_PREFIX_LETTERS], *(beginnings(word) if beginnings else ())}
        found = _commonest_with_prefixes(reader, fieldname, word, prefixes)
        cache.put(key, found)
    return found


def _commonest_with_prefixes(reader, fieldname: str, word: str, prefixes: set[str]
                             ) -> list[str]:
    """The NEAR_KEEP commonest of the first NEAR_SCAN words of each beginning (ties in
    alphabetical order), the word itself left out."""
    counted: dict[str, float] = {}
    for prefix in sorted(prefixes):
        for text, frequency in beginning_words(reader, fieldname, prefix, NEAR_SCAN):
            if text != word:
                counted.setdefault(text, frequency)
    ranked = sorted(counted, key=lambda text: (-counted[text], text))
    return ranked[:NEAR_KEEP]
