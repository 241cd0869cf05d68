"""Known-item search with reinflected queries: can a system find a document from 2-3 of its
rarer words typed in another inflected form?

For each sampled document, its content lemmas are ranked by how few documents of the
collection hold them (ties broken by a seeded shuffle); the 2 or 3 rarest that have a
written form not in the document (seen elsewhere in the split) make the query, each typed
in such a form, so that no query word stands in the target as typed. The same lemmas typed
as the document writes them make the verbatim control query.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..analysis.normalize import normalize
from ..analysis.tokenize import tokenize
from ..evaluate import Judged
from .romanize import romanize, romanized_kinds
from .ud import UDDocument

QUERIES_PER_LANGUAGE = 200
KINDS = ("reinflected", "verbatim")


def kinds(lang: str) -> tuple[str, ...]:
    """The query kinds made for `lang`: KINDS, then its romanized reinflected queries."""
    return KINDS + romanized_kinds(lang)


@dataclass(frozen=True)
class KnownItem:
    """One target document and its two queries (same lemmas)."""

    target: str
    lang: str
    reinflected: str
    verbatim: str

    def judged(self, kind: str) -> Judged:
        if kind in KINDS:
            query = self.reinflected if kind == "reinflected" else self.verbatim
        else:
            query = romanize(self.lang, kind, self.reinflected)
        return Judged(f"{self.target}/{kind}", self.lang, query, kind, {self.target: 1})


def written_forms(doc: UDDocument) -> set[str]:
    """The document's words as the search tokenizer reads them."""
    return {normalize(t.text) for t in tokenize(doc.text)}


def known_items(docs: list[UDDocument], seed: int, count: int = QUERIES_PER_LANGUAGE
                ) -> list[KnownItem]:
    """Up to `count` known-item queries over `docs` (one language), the same for a seed."""
    forms: dict[str, set[str]] = defaultdict(set)
    frequency: Counter[str] = Counter()
    for doc in docs:
        for word in doc.words:
            forms[word.lemma].add(word.form)
        frequency.update({w.lemma for w in doc.words})
    rng = random.Random(f"{seed}:{docs[0].lang if docs else ''}")
    targets = sorted(rng.sample(range(len(docs)), min(count, len(docs))))
    items = []
    for i in targets:
        item = _known_item(docs[i], forms, frequency, rng)
        if item is not None:
            items.append(item)
    return items


def _known_item(doc: UDDocument, forms: dict[str, set[str]], frequency: Counter[str],
                rng: random.Random) -> KnownItem | None:
    present = written_forms(doc)
    as_written: dict[str, str] = {}
    for word in doc.words:
        if word.form in present and len(word.form) >= 3:
            as_written.setdefault(word.lemma, word.form)
    others = {lemma: sorted(f for f in forms[lemma] - present if len(f) >= 3)
              for lemma in as_written}
    lemmas = [lemma for lemma in sorted(as_written) if others[lemma]]
    rng.shuffle(lemmas)
    lemmas.sort(key=lambda lemma: frequency[lemma])  # stable: the shuffle breaks ties
    chosen = lemmas[:rng.choice((2, 3))]
    if len(chosen) < 2:
        return None
    typed = [rng.choice(others[lemma]) for lemma in chosen]
    return KnownItem(doc.id, doc.lang, " ".join(typed),
                     " ".join(as_written[lemma] for lemma in chosen))
