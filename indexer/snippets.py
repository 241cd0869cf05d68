"""Highlighted passages: the words as written in the text (inflected, pointed, folded) that
matched the query's terms in any view, with offsets from the original text so RTL and
multi-codepoint words are marked whole. Output is HTML-escaped with only <mark> tags."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

import numpy as np
from whoosh.reading import IndexReader

from .analysis.pipeline import WordViews, word_views
from .analysis.tokenize import HYPHENS, TOKEN_RE, simple_words
from .budget import Budget, unlimited
from .schema import field_name
from .scoring.postings import among_sorted
from .whoosh_adapter import segment_values

T = TypeVar("T")
# (field, term) -> the documents holding the term, ascending; None: not known at hand
Held = Callable[[str, str], "np.ndarray | None"]
VIEW_WEIGHT = {"exact": 3.0, "stem": 2.0, "fold": 1.0}
# Distinct words of a text weighed between two looks at the time budget.
WORDS_PER_CHECK = 256
HYPHEN = re.compile(f"[{re.escape(''.join(sorted(HYPHENS)))}]")  # joiners of compounds
SPACE = re.compile(r"\s")


@dataclass
class MatchTerms:
    """The index terms a query looked for in one language, per view."""

    exact: set[str] = field(default_factory=set)
    stem: set[str] = field(default_factory=set)
    fold: set[str] = field(default_factory=set)
    # lang -> word as written -> (weight, normalized): the hits of one query share words
    seen: dict[str, dict[str, tuple[float, str]]] = field(
        default_factory=dict, repr=False, compare=False)

    def weight(self, views: WordViews) -> float:
        normalized, stems, folded, _stopword = views
        if normalized in self.exact:
            return VIEW_WEIGHT["exact"]
        if self.stem.intersection(stems):
            return VIEW_WEIGHT["stem"]
        if self.fold.intersection(folded):
            return VIEW_WEIGHT["fold"]
        return 0.0


def _marked(text: str, lang: str, terms: MatchTerms, budget: Budget
            ) -> list[tuple[int, int, float, str]]:
    """(start, end, weight, key) of every matching word, compound wholes left out; once the
    budget is spent, of the words weighed so far.

    Each distinct word is weighed once per query (texts repeat their words: Zipf), and the
    text is walked word by word only around the words that match, so a long text costs one
    pass of the tokenizer's pattern, not a Python step per word."""
    matching = _matching_words(text, lang, terms, budget)
    if not matching:
        return []
    spans = []
    for begin, end in _chunks_containing(text, matching):
        for word, start, stop in simple_words(text[begin:end]):
            found = matching.get(word)
            if found is not None:
                spans.append((begin + start, begin + stop, found[0], found[1]))
    return spans


def _marked_at(text: str, lang: str, terms: MatchTerms, positions: set[int],
               marks: bytes = b"") -> list[tuple[int, int, float, str]]:
    """_marked's spans, from the words at `positions` alone (a superset of the matching
    words' positions: each is weighed as _marked weighs it)."""
    seen = terms.seen.setdefault(lang, {})
    spans = []
    for word, start, end in words_at(text, positions, marks):
        found = seen.get(word)
        if found is None:
            views = word_views(lang, word)
            found = seen[word] = (terms.weight(views), views[0]) if views else (0.0, "")
        if found[0]:
            spans.append((start, end, found[0], found[1]))
    return spans


def words_at(text: str, positions: set[int], marks: bytes = b"") -> list[tuple[str, int, int]]:
    """(word, start, end) of the words at these positions, in text order. The index
    numbers words as simple_words gives them (a compound's parts, not its whole); a text
    without compounds is skipped through by the tokenizer's pattern alone. With the text's
    word marks, each walk starts at the last mark before the position, not at the start."""
    table = np.frombuffer(marks, dtype="<u4").reshape(-1, 2)
    if HYPHEN.search(text) is None:
        return [(m.group(), m.start(), m.end())
                for m in _walk(positions, table, lambda at: TOKEN_RE.finditer(text, at))]
    return _walk(positions, table, lambda at: simple_words(text, at))


def _walk(positions: set[int], marks: np.ndarray, walk_from: Callable[[int], Iterator[T]]
          ) -> list[T]:
    """The items at these positions of a walk that `walk_from` starts at a character offset
    (the text's start, or a mark: (position, offset) rows), skipping the others without
    looking at them."""
    found: list[T] = []
    items: Iterator[T] | None = None
    at = 0  # the position of the next item of the walk
    for position in sorted(positions):
        i = int(np.searchsorted(marks[:, 0], position, side="right")) - 1
        if items is None or (i >= 0 and marks[i, 0] > at):  # a mark nearer than the walk
            at, start = (int(marks[i, 0]), int(marks[i, 1])) if i >= 0 else (0, 0)
            items = walk_from(start)
        item = next(islice(items, position - at, None), None)
        if item is None:
            break
        found.append(item)
        at = position + 1
    return found


def body_positions(reader: IndexReader, docnums: list[int], lang: str, terms: MatchTerms,
                   budget: Budget, held: Held | None = None) -> dict[int, set[int]]:
    """docnum -> the positions in its body of the words that may match the query: where
    the index has one of its terms (stems are also looked for in the exact view, folded
    words in the exact and stem views, as the search does: the stem and fold views are
    thin, pipeline.thinned). One walk of each term's postings per segment, over the hits
    in it; with `held` (the documents holding a term, when the search has them at hand),
    only over the hits that hold it: a half-typed word's completions are many terms, and
    most are in none of the hits."""
    lookups = {
        field_name("body", "exact", lang): terms.exact | terms.stem | terms.fold,
        field_name("body", "stem", lang): terms.stem | terms.fold,
        field_name("body", "fold", lang): terms.fold,
    }
    found: dict[int, set[int]] = {docnum: set() for docnum in docnums}
    hits = np.array(sorted(docnums), dtype=np.int64)
    for fieldname, words in lookups.items():
        for word in sorted(words):
            holding = held(fieldname, word) if held is not None else None
            wanted = hits if holding is None else _held_by(hits, holding)
            for segment, offset, local in _by_segment(reader, wanted.tolist()):
                if budget.spent():
                    return found
                format_ = segment.schema[fieldname].format
                assert format_ is not None  # (the views keep positions)
                # (hits are not deleted: deletions need no masking here)
                for docnum, value in segment_values(segment, fieldname, word, local).items():
                    found[docnum + offset].update(format_.decode_as("positions", value))
    return found


def _held_by(hits: np.ndarray, holding: np.ndarray) -> np.ndarray:
    """The hits among the documents holding a term (both ascending)."""
    return hits[among_sorted(hits, holding)]


def _by_segment(reader: IndexReader, docnums: list[int]
                ) -> list[tuple[IndexReader, int, np.ndarray]]:
    """(segment reader, its first docnum, the docnums in it local to it, ascending)."""
    leaves = reader.leaf_readers()
    starts = [offset for _segment, offset in leaves]
    grouped: dict[int, list[int]] = {}
    for docnum in docnums:
        grouped.setdefault(bisect_right(starts, docnum) - 1, []).append(docnum)
    return [(leaves[i][0], leaves[i][1], np.array(sorted(d - leaves[i][1] for d in group)))
            for i, group in sorted(grouped.items())]


def _matching_words(text: str, lang: str, terms: MatchTerms, budget: Budget
                    ) -> dict[str, tuple[float, str]]:
    """word as written -> (weight, normalized) of the text's distinct words (compounds by
    their parts) that match the query."""
    seen = terms.seen.setdefault(lang, {})
    matching = {}
    for n, token in enumerate(set(TOKEN_RE.findall(text))):
        if n % WORDS_PER_CHECK == WORDS_PER_CHECK - 1 and budget.spent():
            break
        for word in _parts(token):
            found = seen.get(word)
            if found is None:
                views = word_views(lang, word)
                found = seen[word] = (terms.weight(views), views[0]) if views else (0.0, "")
            if found[0]:
                matching[word] = found
    return matching


def _parts(token: str) -> list[str]:
    """A token's words as the highlighter marks them: a compound's parts, else itself."""
    if HYPHEN.search(token) is None:
        return [token]
    return [word for word, _start, _end in simple_words(token)]


def _chunks_containing(text: str, words: dict[str, tuple[float, str]]) -> list[tuple[int, int]]:
    """(begin, end) of the whitespace-delimited stretches of text in which one of `words`
    occurs, in text order. No word contains whitespace, so the tokenizer finds the same
    words in such a stretch alone as in the whole text."""
    starts = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            starts.add(at)
            at = text.find(word, at + len(word))
    chunks: dict[int, int] = {}
    for at in sorted(starts):
        begin = at
        while begin > 0 and not text[begin - 1].isspace():
            begin -= 1
        if begin not in chunks:
            after = SPACE.search(text, at)
            chunks[begin] = after.start() if after else len(text)
    return list(chunks.items())


def highlight_all(text: str, lang: str, terms: MatchTerms, budget: Budget | None = None
                  ) -> str:
    """The whole text, escaped, with every match marked (titles, article pages); line breaks
    are kept so a page can show paragraphs."""
    spans = _marked(text, lang, terms, budget or unlimited())
    return _render(text, 0, len(text), spans, collapse=False)


def best_passage(text: str, lang: str, terms: MatchTerms, width: int = 300,
                 budget: Budget | None = None, positions: set[int] | None = None,
                 marks: bytes = b"") -> str:
    """The window of about `width` characters with the most (and best) distinct matches;
    the text's beginning, unmarked, when the budget is already spent. With `positions`
    (body_positions: where the index has the query's terms), only the words there are
    looked at, so the cost no longer grows with the text's length and vocabulary; with the
    body's word `marks` (whoosh_analyzer.word_marks) too, nor with how far in they are."""
    budget = budget or unlimited()
    if budget.spent():
        return _render(text, 0, _cut(text, 0, width), [])
    spans = _marked(text, lang, terms, budget) if positions is None else \
        _marked_at(text, lang, terms, positions, marks)
    if not spans:
        return _render(text, 0, _cut(text, 0, width), [])
    best_start, best_score = 0, -1.0
    last = 0  # spans[i:last] end within the window starting at spans[i]
    for i, (start, _end, _w, _k) in enumerate(spans):
        last = max(last, i)
        while last < len(spans) and spans[last][1] <= start + width:
            last += 1
        window = spans[i:last]
        distinct: dict[str, float] = {}
        for s in window:
            distinct[s[3]] = max(distinct.get(s[3], 0.0), s[2])
        score = sum(distinct.values()) + 0.1 * len(window)
        if score > best_score:
            best_start, best_score = start, score
    begin = _word_start(text, max(0, best_start - width // 5))
    return _render(text, begin, _cut(text, begin, width), spans)


def _word_start(text: str, index: int) -> int:
    """Move back to the start of the word (or line) containing index."""
    if index == 0:
        return 0
    line = text.rfind("\n", 0, index)
    space = text.rfind(" ", 0, index)
    return max(line, space) + 1


def _cut(text: str, begin: int, width: int) -> int:
    end = begin + width
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", begin, end)
    return space if space > begin else end


def _render(text: str, begin: int, end: int, spans: list[tuple[int, int, float, str]],
            collapse: bool = True) -> str:
    out, at = [], begin
    for start, stop, _w, _k in spans:
        if start < at or stop > end:
            continue
        out.append(html.escape(text[at:start], quote=False))
        out.append(f"<mark>{html.escape(text[start:stop], quote=False)}</mark>")
        at = stop
    out.append(html.escape(text[at:end], quote=False))
    passage = "".join(out)
    if not collapse:
        return passage
    passage = " ".join(passage.split())
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return f"{prefix}{passage}{suffix}"
