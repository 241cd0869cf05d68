"""Split a page dump (articles one after another, no separators) into articles.

Where articles begin is found from the structure of the text, with no knowledge of the titles:
1. Candidate starts are heading-like lines: short, not a list item, not a lead-in ending in
   ':' or ','. Generic section headings ("Introduction", "Conclusion" in our languages, kept
   in each language's record) never start an article, and the heading after a
   closing section always does.
2. Among the candidates, the segmentation is the one that best explains the words, after
   Utiyama & Isahara (2001), "A Statistical Model for Domain-Independent Text Segmentation":
   each article is a bag of words with its own Laplace-smoothed unigram model, and each extra
   article costs log(n). No article count is given; the model chooses it.
3. A title announces its article: a candidate whose words recur in what follows but not in
   what precedes gets a bonus (its article costs less).
Leading navigation (a breadcrumb) is a heading-like line followed by another heading-like
line that shares no word with the article below it; it is dropped.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

import regex

from .analysis import GENERIC, registry

MAX_HEADING_CHARS = 160
# Words are compared by their first letters, a crude stem that works for every script here.
PREFIX = 4
# Share of lines a word may appear in before it counts as a function word and is ignored.
COMMON_WORD_SHARE = 0.15
TITLE_BONUS = 1.5
# How far back (in characters) a title's words must be absent to count as new.
LOOKBACK_CHARS = 3000
# Longest article considered; a longer stretch without a title is split at the best heading.
MAX_ARTICLE_CHARS = 80_000
# Most heading-like lines one article may hold (the shipped articles hold up to 38); with
# the limit above it bounds the ends tried from each start.
MAX_ARTICLE_HEADINGS = 120

LIST_ITEM = regex.compile(r"^(?:\d+[.)]\s|\d+(?:\.\d+)+\.?\s|[–—\-•*·]\s)")
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


@dataclass(frozen=True)
class Segment:
    """One article found in a dump: its title line and body lines."""

    title: str
    body: str


def section_headings() -> dict[str, str]:
    """Generic section heading → 'opening' or 'closing', from every language's record."""
    table = {}
    for language in [*registry().values(), GENERIC]:
        table.update(dict.fromkeys(language.opening_headings, "opening"))
        table.update(dict.fromkeys(language.closing_headings, "closing"))
    return table


def plain_heading(line: str) -> str:
    """A heading without marks, edge punctuation and case, for lookup in the headings table."""
    decomposed = unicodedata.normalize("NFD", line)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).strip(" :.-–").casefold()


def is_heading_like(line: str) -> bool:
    return (
        len(line) <= MAX_HEADING_CHARS
        and not LIST_ITEM.match(line)
        and not line.endswith((":", ",", ";"))
    )


def _words(line: str) -> list[str]:
    return [w.casefold()[:PREFIX] for w in WORD.findall(line) if len(w) > 2 and not w.isdigit()]


class _Model:
    """Word statistics of one dump, and the cost of taking blocks[a:b] as one article.

    Every cost is worked out incrementally (counts, fit and title novelty grow block by
    block), so a start costs time in proportion to the blocks it may span, not more."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        words = [_words(b) for b in blocks]
        df = Counter(w for ws in words for w in set(ws))
        common = {w for w, n in df.items() if n > COMMON_WORD_SHARE * len(blocks)}
        self.words = [[w for w in ws if w not in common] for ws in words]
        self.idf = {w: math.log(len(blocks) / n) for w, n in df.items()}
        self.vocabulary = len({w for ws in self.words for w in ws}) or 1
        self.segment_penalty = math.log(max(2, sum(len(ws) for ws in self.words)))
        self.offsets = list(accumulate((len(b) for b in blocks), initial=0))
        # growth of Σ f·log(f+1) when a word's count reaches g, for every count that occurs
        most = max(Counter(w for ws in self.words for w in ws).values(), default=0)
        self.gain = [0.0] + [g * math.log(g + 1) - (g - 1) * math.log(g)
                             for g in range(1, most + 1)]

    def costs_from(self, a: int, targets: list[int], fresh: dict[str, int]) -> list[
            tuple[int, float]]:
        """(e, cost of blocks[a:e] as one article) for each e in `targets` (ascending, > a).

        fit = n·log(n+V) − Σ f·log(f+1); `fresh` maps each heading word absent just above the
        heading to the count at which it has recurred twice below it (see title_words)."""
        counts: dict[str, int] = {}
        gain, idf = self.gain, self.idf
        heading_weight = sum(self.idf[w] for w in set(self.words[a]))
        n, s, novel, out = 0, 0.0, 0.0, []
        done = a  # blocks[a:done] are counted
        for target in targets:
            for k in range(done, target):
                for w in self.words[k]:
                    f = counts.get(w, 0) + 1
                    counts[w] = f
                    s += gain[f]
                    if fresh.get(w) == f:
                        novel += idf[w]
                n += len(self.words[k])
            done = target
            fit = n * math.log(n + self.vocabulary) - s
            novelty = novel / heading_weight if heading_weight else 0.0
            out.append((target, fit + self.segment_penalty * (1 - TITLE_BONUS * novelty)))
        return out

    def title_words(self, starts: list[int]) -> dict[int, dict[str, int]]:
        """For each start (ascending): its heading's words absent from the LOOKBACK_CHARS
        above it, each with the count (own occurrences + 2) at which it has recurred twice
        below. The text above is a sliding window, so all starts cost one pass."""
        window: Counter[str] = Counter()
        lo = hi = 0  # window = words of blocks[lo:hi]
        out = {}
        for a in starts:
            while hi < a:
                window.update(self.words[hi])
                hi += 1
            # the lookback takes whole blocks back from a until LOOKBACK_CHARS are covered
            first = max(0, bisect_right(self.offsets, self.offsets[a] - LOOKBACK_CHARS) - 1)
            while lo < first:
                window.subtract(self.words[lo])
                lo += 1
            own = Counter(self.words[a])
            out[a] = {w: c + 2 for w, c in own.items() if window[w] <= 0}
        return out

    def reach(self, start: int) -> int:
        """The furthest end of an article starting at `start`: whole blocks until
        MAX_ARTICLE_CHARS are covered, at least one block."""
        limit = self.offsets[start] + MAX_ARTICLE_CHARS
        k = bisect_left(self.offsets, limit)
        return max(min(k, len(self.blocks)), start + 1)


def split_dump(text: str) -> list[Segment]:
    """Articles of a page dump, in order; a text with one article gives one segment."""
    numbered = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines()) if line.strip()]
    if not numbered:
        return []
    numbered = _drop_preamble(numbered)
    blocks = [line for _, line in numbered]
    starts = _best_starts(blocks)
    segments = []
    for a, b in zip(starts, [*starts[1:], len(blocks)], strict=True):
        title, *body = blocks[a:b]
        segments.append(Segment(title=title, body="\n\n".join(body)))
    return segments


def _drop_preamble(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop leading navigation lines: heading-like, followed by a heading, unrelated to the text."""
    first = 0
    while (len(numbered) - first > 2 and is_heading_like(numbered[first][1])
           and is_heading_like(numbered[first + 1][1])):
        heading = set(_words(numbered[first][1]))
        following = Counter(_words(" ".join(line for _, line in numbered[first + 1:first + 30])))
        if heading and sum(following[w] >= 2 for w in heading) * 2 >= len(heading):
            break
        first += 1
    return numbered[first:]


def _candidates(blocks: list[str]) -> tuple[list[int], set[int]]:
    """Possible article starts, and those forced by a preceding closing section."""
    headings = section_headings()
    candidates, forced = [0], {0}
    after_closing = False
    for k, line in enumerate(blocks[1:], start=1):
        if not is_heading_like(line):
            continue
        role = headings.get(plain_heading(line))
        if role == "closing":
            after_closing = True
        elif role is None:
            candidates.append(k)
            if after_closing:
                forced.add(k)
            after_closing = False
    return candidates, forced


def _best_starts(blocks: list[str]) -> list[int]:
    """Dynamic programming over candidate starts for the cheapest segmentation.

    From each start only the ends within reach are tried: at most MAX_ARTICLE_HEADINGS
    candidates ahead, MAX_ARTICLE_CHARS of text, and never past the next forced start (the
    heading after a conclusion); the time is linear in the dump's size."""
    model = _Model(blocks)
    candidates, forced = _candidates(blocks)
    ends = [*candidates, len(blocks)]
    next_forced = _next_forced(ends, forced, len(blocks))
    fresh = model.title_words(candidates)
    best = [0.0] + [math.inf] * (len(ends) - 1)
    back = [0] * len(ends)
    for i, start in enumerate(ends[:-1]):
        stop = min(next_forced[i], model.reach(start))
        last = min(bisect_right(ends, stop, lo=i + 1), i + 1 + MAX_ARTICLE_HEADINGS)
        last = max(last, i + 2)  # the next candidate is always in reach
        for j, (_end, cost) in enumerate(model.costs_from(start, ends[i + 1:last], fresh[start]),
                                         start=i + 1):
            if best[i] + cost < best[j]:
                best[j], back[j] = best[i] + cost, i
    starts, j = [], len(ends) - 1
    while j > 0:
        j = back[j]
        starts.append(ends[j])
    return sorted(starts)


def _next_forced(ends: list[int], forced: set[int], size: int) -> list[int]:
    """For each position in ends, the first forced start after it (else size)."""
    out, upcoming = [size] * len(ends), size
    for i in range(len(ends) - 1, -1, -1):
        out[i] = upcoming
        if ends[i] in forced:
            upcoming = ends[i]
    return out
