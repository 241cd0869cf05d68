"""Split a page dump (articles one after another, no separators) into articles.

Where articles begin is found from the structure of the text, with no knowledge of the titles:
1. Candidate starts are heading-like lines: short, not a list item, not a lead-in ending in
   ':' or ','. Generic section headings ("Introduction", "Conclusion" in our languages, kept
   as data in data/section_headings.tsv) never start an article, and the heading after a
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
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

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

LIST_ITEM = regex.compile(r"^(?:\d+[.)]\s|\d+(?:\.\d+)+\.?\s|[–—\-•*·]\s)")
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


@dataclass(frozen=True)
class Segment:
    """One article found in a dump: its title line and body lines (1-based line numbers)."""

    title: str
    body: str
    first_line: int


@lru_cache(maxsize=1)
def section_headings() -> dict[str, str]:
    """Generic section heading → 'opening' or 'closing'."""
    text = resources.files("indexer").joinpath("data/section_headings.tsv").read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            _lang, role, heading = line.split("\t")
            table[heading] = role
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
    """Word statistics of one dump, and the cost of taking blocks[a:b] as one article."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        words = [_words(b) for b in blocks]
        df = Counter(w for ws in words for w in set(ws))
        common = {w for w, n in df.items() if n > COMMON_WORD_SHARE * len(blocks)}
        self.words = [[w for w in ws if w not in common] for ws in words]
        self.idf = {w: math.log(len(blocks) / n) for w, n in df.items()}
        self.vocabulary = len({w for ws in self.words for w in ws}) or 1
        self.segment_penalty = math.log(max(2, sum(len(ws) for ws in self.words)))
        self._before: dict[int, set[str]] = {}

    def costs_from(self, a: int, ends: list[int], stop: int) -> dict[int, float]:
        """Cost of blocks[a:e] as one article for every e in `ends` with a < e <= stop.

        Counts grow block by block, so all ends cost one pass: fit = n·log(n+V) − Σ f·log(f+1).
        """
        counts: Counter[str] = Counter()
        n, s, out = 0, 0.0, {}
        targets = iter(e for e in ends if a < e <= stop)
        target = next(targets, None)
        for k in range(a, stop):
            for w in self.words[k]:
                f = counts[w]
                s += (f + 1) * math.log(f + 2) - f * math.log(f + 1)
                counts[w] = f + 1
                n += 1
            while target is not None and target == k + 1:
                fit = n * math.log(n + self.vocabulary) - s
                novelty = self.title_novelty(a, counts)
                out[target] = fit + self.segment_penalty * (1 - TITLE_BONUS * novelty)
                target = next(targets, None)
        return out

    def title_novelty(self, a: int, counts: Counter[str]) -> float:
        """Share (by idf) of block a's words that recur below it and are absent just above it."""
        heading = set(self.words[a])
        total = sum(self.idf[w] for w in heading)
        if not total:
            return 0.0
        own = Counter(self.words[a])
        before = self.words_before(a)
        new = (w for w in heading if counts[w] - own[w] >= 2 and w not in before)
        return sum(self.idf[w] for w in new) / total

    def words_before(self, a: int) -> set[str]:
        if a not in self._before:
            seen: set[str] = set()
            chars, j = 0, a - 1
            while j >= 0 and chars < LOOKBACK_CHARS:
                seen.update(self.words[j])
                chars += len(self.blocks[j])
                j -= 1
            self._before[a] = seen
        return self._before[a]


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
        segments.append(Segment(title=title, body="\n\n".join(body), first_line=numbered[a][0]))
    return segments


def _drop_preamble(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop leading navigation lines: heading-like, followed by a heading, unrelated to the text."""
    while len(numbered) > 2 and is_heading_like(numbered[0][1]) and is_heading_like(numbered[1][1]):
        first = set(_words(numbered[0][1]))
        following = Counter(_words(" ".join(line for _, line in numbered[1:30])))
        if first and sum(following[w] >= 2 for w in first) * 2 >= len(first):
            break
        numbered = numbered[1:]
    return numbered


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
    """Dynamic programming over candidate starts for the cheapest segmentation."""
    model = _Model(blocks)
    candidates, forced = _candidates(blocks)
    ends = [*candidates, len(blocks)]
    index_of = {e: i for i, e in enumerate(ends)}
    best = [0.0] + [math.inf] * (len(ends) - 1)
    back = [0] * len(ends)
    for i, start in enumerate(ends[:-1]):
        # An article never runs past the next forced start (the heading after a conclusion).
        stop = next((e for e in ends[i + 1 :] if e in forced), len(blocks))
        stop = min(stop, _reach(blocks, start))
        for end, cost in model.costs_from(start, ends, stop).items():
            j = index_of[end]
            if best[i] + cost < best[j]:
                best[j], back[j] = best[i] + cost, i
    starts, j = [], len(ends) - 1
    while j > 0:
        j = back[j]
        starts.append(ends[j])
    return sorted(starts)


def _reach(blocks: list[str], start: int) -> int:
    """The furthest end of an article starting at `start` (keeps the search linear)."""
    chars, k = 0, start
    while k < len(blocks) and chars < MAX_ARTICLE_CHARS:
        chars += len(blocks[k])
        k += 1
    return max(k, start + 1)
