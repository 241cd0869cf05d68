"""What a search answers: hits with their snippets and translations, and the response the
CLI's --json prints and the web API serves."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from whoosh.searching import Searcher

from ..budget import Budget
from ..schema import read_card
from ..snippets import Held, MatchTerms, body_positions
from .planner import analysis_lang

if TYPE_CHECKING:
    from .service import Lease


@dataclass
class Translation:
    lang: str
    id: str
    title: str
    url: str


@dataclass
class Hit:
    id: str
    title: str
    lang: str
    url: str
    snippet: str
    score: float
    title_html: str = ""
    translations: list[Translation] = field(default_factory=list)
    # how the score is made (search/explain.py), when asked for
    explain: dict | None = None


@dataclass
class SearchResponse:
    """The structure the CLI's --json prints and the web API serves."""

    query: str
    lang: str | None
    total: int
    page: int
    per_page: int
    took_ms: float
    suggestion: str | None
    facets: dict[str, dict[str, int]]
    results: list[Hit]
    # The time budget ran out (or a cap was reached) before the whole answer was found:
    # hits may be missing or ranked on part of the query. Never cached.
    partial: bool = False
    # Languages whose matches came from reading the Latin-typed query in their own script.
    transliterated: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        for hit in data["results"]:
            hit.pop("title_html", None)
            if hit["explain"] is None:
                hit.pop("explain")
        return data


def snippet_positions(searcher: Searcher, shown: list[tuple[int, float]], stored: list[dict],
                      terms: dict[str, MatchTerms], budget: Budget, held: Held | None = None
                      ) -> dict[int, set[int]]:
    """docnum -> positions of the query's words in each hit's body, language by language
    (snippets then look at those words only)."""
    by_lang: dict[str, list[int]] = {}
    for (docnum, _score), fields in zip(shown, stored, strict=True):
        by_lang.setdefault(analysis_lang(fields["lang"]), []).append(docnum)
    positions: dict[int, set[int]] = {}
    for lang, docnums in by_lang.items():
        if lang in terms:
            positions.update(body_positions(searcher.reader(), docnums, lang, terms[lang],
                                            budget, held))
    return positions


def translations_of(lease: Lease, fields: dict) -> list[Translation]:
    """The document's translations, remembered per index generation (hits repeat across
    queries, and each lookup reads whole stored documents)."""
    key = fields.get("translation_key")
    if not key:
        return []
    group = lease.translations.get(key)
    if group is None:
        group = _translation_group(lease, key)
        lease.translations.put(key, group)
    return [t for t in group if t.id != fields["id"]]


def _translation_group(lease: Lease, key: str) -> list[Translation]:
    """Every document of a translation group, from columns (an index built before the
    `card` column existed: from the stored documents)."""
    reader = lease.searcher.reader()
    if "card" not in reader.schema:
        return [Translation(lang=doc["lang"], id=doc["id"], title=doc["title"], url=doc["url"])
                for doc in lease.searcher.documents(translation_key=key)]
    ids, cards = lease.column("id"), lease.column("card")
    languages = lease.postings.languages()  # (every document's, read whole for facets)
    group = []
    for docnum in lease.postings.docs("translation_key", key).tolist():
        title, url = read_card(cards[docnum])
        group.append(Translation(lang=languages.names[languages.codes[docnum]],
                                 id=ids[docnum], title=title, url=url))
    return group

