"""What the scoring core scores: weighted index terms and phrases, as a plan names them."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class PlanTerm:
    """One index term a query word matches through. `field` is the index field (part, view
    and language); `view` the word's form it is (exact, stem or fold: sets its weight);
    `kind` how it came in (word, translit, typo, completion, near); `boost` what its BM25F
    score is multiplied by (view x part x `factor`, the kind's, x `language_boost`, that of
    the language the query looks written in);
    `credit` what matching it counts for against the word itself (1), and `admits` whether
    that alone makes a document a result. `also` names fields that hold the term too (a
    thin fold view leaves a folded form that is the word itself or its stem to the exact
    and stem views): read from all of them, a document scores by the best."""

    field: str
    text: str
    view: str
    kind: str
    boost: float
    factor: float = 1.0
    credit: float = 1.0
    admits: bool = False
    language_boost: float = 1.0
    also: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, *self.also)

    def scaled(self, factor: float) -> PlanTerm:
        """Weighted `factor` times more: the language's boost."""
        return replace(self, boost=self.boost * factor,
                       language_boost=self.language_boost * factor)


@dataclass(frozen=True)
class PlanPhrase:
    """Words that must stand side by side, in order, in one field (a word may stand in the
    `also` fields instead: see PlanTerm)."""

    field: str
    words: tuple[str, ...]
    view: str
    kind: str  # phrase (as typed) or translit
    boost: float
    factor: float = 1.0
    credit: float = 1.0
    admits: bool = False
    language_boost: float = 1.0
    also: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, *self.also)

    def scaled(self, factor: float) -> PlanPhrase:
        return replace(self, boost=self.boost * factor,
                       language_boost=self.language_boost * factor)


Part = PlanTerm | PlanPhrase
