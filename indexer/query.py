"""The restricted query language users type: words, "quoted phrases", -excluded words and an
optional lang:xx. Nothing else is syntax (no wildcards, fields, fuzzy or boolean operators),
so no query can be expensive or fail to parse. Hebrew gershayim inside a word (דוא"ל) are
part of the word, not a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from .errors import QueryError
from .limits import MAX_EXCLUDED, MAX_PHRASES, MAX_QUERY_LENGTH, MAX_WORDS

QUOTES = '"“”„«»״'
# A quote between two letters is a Hebrew acronym mark (gershayim), not a phrase delimiter.
INNER_QUOTE = regex.compile(r"(?<=[\p{L}\p{M}])[\"״”](?=[\p{L}\p{M}])")
LANG_FILTER = re.compile(r"(?:^|\s)lang:([A-Za-z]{2,3})(?=\s|$)")
OPERATORS = {"AND", "OR", "NOT", "&&", "||"}
WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
# After these a word is finished (not `-`: `B2B-` may be a compound being typed, nor the
# apostrophes and gershayim of Hebrew and Georgian words).
SENTENCE_PUNCTUATION = frozenset("?!.,;:…؟")
CONTROL = regex.compile(r"[\p{Cc}\p{Cf}\p{Cs}\p{Co}]")


@dataclass
class ParsedQuery:
    """What the user asked for, before any language's analysis."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    lang: str | None = None
    # The last word is a beginning still being typed: it also matches the index words that
    # start with it (see prefix_mode).
    prefix: bool = False
    # Words past MAX_WORDS, not searched (the answer is then partial).
    dropped: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All positive text (words and phrases), for language guessing."""
        return " ".join([*self.words, *self.phrases])


def parse_query(raw: str, max_length: int = MAX_QUERY_LENGTH) -> ParsedQuery:
    """Split a user's query; QueryError when nothing searchable is left, or when it has
    more phrases or excluded words than a query may (words past MAX_WORDS are dropped:
    `dropped`)."""
    if len(raw) > max_length:
        raise QueryError(f"query is too long ({len(raw)} characters; the limit is {max_length})")
    text = CONTROL.sub(" ", raw).replace("\u200d", "")
    parsed = ParsedQuery()
    match = LANG_FILTER.search(text)
    if match:
        parsed.lang = match.group(1).lower()
        text = text[: match.start()] + " " + text[match.end():]
    text = INNER_QUOTE.sub("\u0000", text)  # protect gershayim from the phrase splitter
    for chunk, quoted in _split_phrases(text):
        chunk = chunk.replace("\u0000", '"')
        if quoted:
            if WORDLIKE.search(chunk):
                parsed.phrases.append(chunk.strip())
            continue
        for word in chunk.split():
            if word in OPERATORS or not WORDLIKE.search(word):
                continue
            if word.startswith("-") and WORDLIKE.search(word[1:]):
                parsed.excluded.append(word[1:])
            else:
                parsed.words.append(word)
    parsed.words, parsed.dropped = parsed.words[:MAX_WORDS], parsed.words[MAX_WORDS:]
    if not parsed.words and not parsed.phrases:
        raise QueryError(
            "the query has no words to search for: type one or more words "
            '(quotes make a phrase, -word excludes a word)'
        )
    _check_caps(parsed)
    return parsed


PREFIX_MODES = ("auto", "on", "off")


def prefix_mode(raw: str, parsed: ParsedQuery, mode: str) -> bool:
    """Is the query's last word matched as a beginning? `on`: always (when the query has
    words); `off`: never; `auto` (search as you type): when the query does not end in
    whitespace or sentence punctuation (`cross-docking?` is finished) and its last word is
    a plain word, not in quotes or excluded."""
    if mode not in PREFIX_MODES:
        raise QueryError(f"prefix must be one of {', '.join(PREFIX_MODES)}, got '{mode}'")
    if not parsed.words or mode == "off":
        return False
    if mode == "on":
        return True
    chunks = CONTROL.sub(" ", raw).split()
    return bool(chunks) and not raw[-1:].isspace() and chunks[-1] == parsed.words[-1] \
        and chunks[-1][-1] not in SENTENCE_PUNCTUATION


def _check_caps(parsed: ParsedQuery) -> None:
    if len(parsed.phrases) > MAX_PHRASES:
        raise QueryError(
            f"the query has {len(parsed.phrases)} quoted phrases; the limit is {MAX_PHRASES}: "
            "remove some quotes (unquoted words are searched too)"
        )
    if len(parsed.excluded) > MAX_EXCLUDED:
        raise QueryError(
            f"the query excludes {len(parsed.excluded)} words; the limit is {MAX_EXCLUDED}: "
            "remove some -words"
        )


def _split_phrases(text: str) -> list[tuple[str, bool]]:
    """Alternate plain and quoted chunks; an unmatched quote is ignored."""
    pieces = regex.split(f"[{re.escape(QUOTES)}]", text)
    if len(pieces) % 2 == 0:  # odd number of quotes: the last one opens nothing
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    return [(piece, i % 2 == 1) for i, piece in enumerate(pieces)]
