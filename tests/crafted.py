"""Crafted expensive queries (issue 12), made from the index's own words so that each costs
what it would cost an attacker: fresh variants every time (nothing is cached yet)."""

from __future__ import annotations

import random
import string
import time

from indexer.errors import QueryError
from indexer.limits import MAX_EXCLUDED, MAX_PHRASES, MAX_QUERY_LENGTH
from indexer.search import SearchService

LATIN = ("pl", "af")


class Crafter:
    """Query generators over one index's vocabulary."""

    def __init__(self, service: SearchService, seed: int = 12):
        self.rng = random.Random(seed)
        with service.searcher() as lease:
            reader = lease.searcher.reader()
            self.fields = [f"body_exact_{lang}" for lang in lease.meta["languages"]]
            self.known = {
                field: {_text(t) for t in reader.lexicon(field)}
                for field in self.fields if field in reader.indexed_field_names()
            }
            by_frequency = {
                lang: sorted(self.known.get(f"body_exact_{lang}", ()),
                             key=lambda w, f=f"body_exact_{lang}": (-reader.doc_frequency(f, w), w))
                for lang in LATIN
            }
        self.common = [w for w in by_frequency["pl"][:40] if w.isalpha()]
        self.short_common = [w for w in by_frequency["pl"][:300] if w.isalpha() and len(w) <= 3]
        self.typo_sources = sorted(w for lang in LATIN for w in by_frequency[lang]
                                   if 6 <= len(w) <= 10 and w.isalpha() and w.isascii())

    def near_miss_typos(self, count: int = 32) -> str:
        """`count` real words, each with one letter (not the first) changed so that no
        language has it: every one gets a typo lookup, in every language."""
        words: list[str] = []
        while len(words) < count:
            word = self._near_miss(self.rng.choice(self.typo_sources))
            if word and len(" ".join([*words, word])) <= MAX_QUERY_LENGTH:
                words.append(word)
            elif word:
                break
        return " ".join(words)

    def quoted_pairs(self, count: int = 50) -> str:
        """`count` quoted pairs of the commonest words (50 is over the cap: refused)."""
        pairs = [f'"{self.rng.choice(self.common)} {self.rng.choice(self.common)}"'
                 for _ in range(count)]
        return _fit(pairs)

    def excluded_words(self, count: int = 120) -> str:
        """One common word and `count` excluded short common words."""
        return _fit(["sprzedaży", *(f"-{self.rng.choice(self.short_common)}"
                                    for _ in range(count))])

    def long_words(self, letters: int = 24) -> str:
        """As many random words of `letters` letters as fit: each matches nothing and is
        long enough for the costliest typo lookup (edit distance 2)."""
        words = []
        while len(" ".join(words)) + letters + 1 <= MAX_QUERY_LENGTH:
            words.append("".join(self.rng.choice(string.ascii_lowercase)
                                 for _ in range(letters)))
        return " ".join(words)

    def kinds(self) -> dict[str, callable]:
        """Every crafted kind, the refused ones and the costliest accepted at each cap."""
        return {
            "typos32": self.near_miss_typos,
            "pairs50": self.quoted_pairs,
            f"pairs{MAX_PHRASES}": lambda: self.quoted_pairs(MAX_PHRASES),
            "excluded120": self.excluded_words,
            f"excluded{MAX_EXCLUDED}": lambda: self.excluded_words(MAX_EXCLUDED),
            "long_words": self.long_words,
        }

    def _near_miss(self, word: str) -> str | None:
        for _ in range(50):
            at = self.rng.randrange(1, len(word))
            typo = word[:at] + self.rng.choice(string.ascii_lowercase) + word[at + 1:]
            if not any(typo in known for known in self.known.values()):
                return typo
        return None


def timed(service: SearchService, query: str) -> float:
    """Seconds one search takes (a query refused over a cap: the refusal)."""
    started = time.perf_counter()
    try:
        service.search(query)
    except QueryError:
        pass  # refused over a cap: that is its whole cost
    return time.perf_counter() - started


def _fit(parts: list[str]) -> str:
    """As many of `parts` as fit the query length limit."""
    out: list[str] = []
    for part in parts:
        if len(" ".join([*out, part])) > MAX_QUERY_LENGTH:
            break
        out.append(part)
    return " ".join(out)


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
