"""Documents whose vocabulary grows like a real site's (bench/corpus.py --vocab real).

Word ranks are drawn from a Zipf-Mandelbrot law, p(r) ∝ 1 / (r + Q)^S, over far more ranks
than any run reaches, so every new document brings some words never seen before (Heaps'
law). The commonest ranks are the articles' own words, most frequent first; every rank past
them is a word formed by the language's morphology: a new root (an article word's stem with
one or two letters changed, or two stems' halves joined) with an ending the language's
analyzer strips from real words, chosen by how often it occurs. Some ranks are names
(capitalised, sometimes a Latin name) and numbers. Document lengths are log-normal, from a
paragraph to several pages.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.analysis.pipeline import word_views  # noqa: E402

Q = 2.7  # Zipf-Mandelbrot shape
# The exponent S per language, fitted so that a language's distinct words after as many
# words as its Universal Dependencies treebanks hold match theirs (bench/heaps.py): af
# 5,945 after 45,332 words (AfriBooms: official texts, a narrow vocabulary), he 11,571
# after 27,031 (HTB, IAHLTwiki), ka 13,817 after 32,306 (GLC, GNC), kk 4,368 after 8,517
# (KTB), pl 28,574 after 92,893 (LFG, PDB, PUD). One S of 1.15 for all grew Afrikaans
# 2.3x too fast and the others 13-23% too slowly.
S_BY_LANGUAGE = {"af": 1.343, "he": 1.091, "ka": 1.084, "kk": 1.092, "pl": 1.121}
S_OTHER = 1.15
RANKS = 5_000_000  # the vocabulary no run exhausts
MEDIAN_WORDS, SPREAD = 450, 0.9  # log-normal document length: median and sigma
MIN_WORDS, MAX_WORDS = 40, 6000
CASED_SCRIPTS = {"LATIN", "CYRILLIC"}
LATIN_NAMES = ("Anna", "Novak", "Smith", "Garcia", "Berlin", "Toyota", "Siemens", "Lima")


class RealVocabulary:
    """One language's growing vocabulary and a deterministic document maker."""

    def __init__(self, lang: str, source: dict[str, list[str]], seed: int):
        self.lang = lang
        self.seed = seed
        words = source["words"]
        counts = Counter(w.lower() for w in words)
        self.head = [w for w, _ in counts.most_common()]
        self.alphabet = _main_script_letters(self.head)
        own = set(self.alphabet)
        self.stems, self.endings, self.weights = _morphology(
            lang, [w for w in self.head if set(w) <= own])
        weights = 1.0 / (np.arange(1, RANKS + 1) + Q) ** zipf_exponent(lang)
        self.cumulative = np.cumsum(weights / weights.sum())
        self.seen: set[int] = set()

    def ranks(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.searchsorted(self.cumulative, rng.random(n))

    def document(self, n: int) -> dict:
        rng = np.random.default_rng((self.seed, n))
        length = int(np.clip(rng.lognormal(np.log(MEDIAN_WORDS), SPREAD), MIN_WORDS,
                             MAX_WORDS))
        ranks = self.ranks(rng, length)
        self.seen.update(ranks.tolist())
        words = [self.word(int(r)) for r in ranks]
        title_ranks = self.ranks(rng, int(rng.integers(3, 8))) + 20  # no bare function words
        title = " ".join(self.word(int(r)) for r in title_ranks)
        return {"id": f"real-{self.lang}-{n:07d}", "title": _capitalised(title),
                "body": _paragraphs(words, rng), "lang": self.lang}

    def distinct_words(self) -> int:
        return len(self.seen)

    @lru_cache(maxsize=1_000_000)  # noqa: B019 - one vocabulary per language per run
    def word(self, rank: int) -> str:
        if rank < len(self.head):
            return self.head[rank]
        rng = random.Random(f"{self.lang}/{self.seed}/{rank}")
        kind = rng.random()
        if kind < 0.02:
            return str(rng.choice((rng.randint(1, 999), rng.randint(1900, 2030))))
        root = self._new_root(rng)
        ending = rng.choices(self.endings, self.weights)[0]
        word = root + ending
        if kind < 0.08:  # a name
            return rng.choice(LATIN_NAMES) if kind < 0.03 else _capitalised(word)
        return word

    def _new_root(self, rng: random.Random) -> str:
        stem = rng.choice(self.stems)
        if rng.random() < 0.3:
            other = rng.choice(self.stems)
            return stem[: max(2, len(stem) // 2)] + other[len(other) // 2:]
        letters = list(stem)
        for _ in range(rng.randint(1, 2)):
            letters[rng.randrange(len(letters))] = rng.choice(self.alphabet)
        return "".join(letters)


def zipf_exponent(lang: str) -> float:
    return S_BY_LANGUAGE.get(lang, S_OTHER)


def _morphology(lang: str, words: list[str]) -> tuple[list[str], list[str], list[int]]:
    """The stems of the articles' words, and the endings the analyzer strips from them with
    how often each occurs (the bare stem counts as the empty ending)."""
    stems, endings = [], Counter()
    for word in words:
        views = word_views(lang, word)
        if views is None:
            continue
        stem = views[1][0]
        if len(stem) >= 3 and word.startswith(stem) and len(word) - len(stem) <= 6:
            stems.append(stem)
            endings[word[len(stem):]] += 1
    ordered = endings.most_common()
    return sorted(set(stems)), [e for e, _ in ordered], [c for _, c in ordered]


def _main_script_letters(words: list[str]) -> list[str]:
    """The letters of the language's own script (its words also hold Latin loans and names)."""
    letters = Counter(c for w in words for c in w if c.isalpha())
    script = _script(letters.most_common(1)[0][0])
    return sorted(c for c in letters if _script(c) == script)


def _script(letter: str) -> str:
    return unicodedata.name(letter, "?").split()[0]


def _capitalised(text: str) -> str:
    """First letter upper case, in scripts whose writing has case (Georgian's Mtavruli
    capitals are not used in running text; Hebrew has no case)."""
    if not text or _script(text[0]) not in CASED_SCRIPTS:
        return text
    return text[:1].upper() + text[1:]


def _paragraphs(words: list[str], rng: np.random.Generator) -> str:
    """Sentences of 6-24 words, capitalised and ended with a full stop, in paragraphs of
    2-6 sentences."""
    sentences, i = [], 0
    while i < len(words):
        size = int(rng.integers(6, 25))
        part = words[i:i + size]
        i += size
        sentence = " ".join(part)
        sentences.append(_capitalised(sentence) + ".")
    paragraphs, j = [], 0
    while j < len(sentences):
        size = int(rng.integers(2, 7))
        paragraphs.append(" ".join(sentences[j:j + size]))
        j += size
    return "\n\n".join(paragraphs)
