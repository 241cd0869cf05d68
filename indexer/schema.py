"""The Whoosh schema: stored document fields plus, per language, title and body in three views.

Each language has its own fields (title_exact_pl, body_stem_pl, ...), analyzed by that
language's rules; a document fills only its own language's fields. Views: `exact` (the
normalized word), `stem` (its stems), `fold` (typed without special letters).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, STORED, Schema

from .analysis import analysis_codes, plugin_modules
from .analysis.pipeline import VIEWS
from .analysis.whoosh_analyzer import AnalyzedText, PolyfindAnalyzer, WordMarks

if TYPE_CHECKING:
    from .corpus import Document

PARTS = ("title", "body")
# The on-disk encoding of postings (part of schema_signature): 2 = positions as varint
# deltas (CompactPositions), one-posting terms inlined, compact pickles. An index of an
# older format is still read as written; the next build of it is a full one.
INDEX_FORMAT = 2


def field_name(part: str, view: str, lang: str) -> str:
    return f"{part}_{view}_{lang}"


def build_schema() -> Schema:
    schema = Schema(
        # id, lang and content_hash are also columns, so an incremental build compares
        # hashes without loading every stored body.
        id=ID(stored=True, unique=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        translation_key=ID(stored=True),
        title=STORED,
        body=STORED,
        url=STORED,
        source=STORED,
        position=STORED,
        meta=STORED,
        content_hash=ID(stored=True, sortable=True),
        # title and url again, as a column: a hit's translations are listed without
        # reading each translation's whole stored document
        card=COLUMN(VarBytesColumn()),
        # where the body's words are, every few positions: a snippet finds the words at the
        # query's positions without reading the body's words before them
        body_words=WordMarks(),
    )
    for lang in analysis_codes():
        for part in PARTS:
            for view in VIEWS:
                analyzer = PolyfindAnalyzer(lang, view)
                schema.add(field_name(part, view, lang),
                           AnalyzedText(analyzer=analyzer, phrase=True))
    return schema


CARD_SEPARATOR = "\x1f"


def card(title: str, url: str) -> bytes:
    """The `card` column's value: what a link to the document needs."""
    return f"{title}{CARD_SEPARATOR}{url}".encode()


def read_card(value: bytes) -> tuple[str, str]:
    title, _sep, url = value.decode("utf-8").partition(CARD_SEPARATOR)
    return title, url


def is_scored(field: object) -> bool:
    """Whether a field is one of the analyzed title and body fields ranking reads."""
    return isinstance(field, AnalyzedText)


def scored_fields(schema: Schema) -> list[str]:
    """The analyzed title and body fields, whose postings ranking reads."""
    return [name for name in schema.names() if is_scored(schema[name])]


def schema_signature() -> str:
    """Changes when the fields or any analysis code or data change: then unchanged documents
    would keep stale terms, so an incremental build becomes a full one."""
    digest = hashlib.sha1(",".join(sorted(build_schema().names())).encode())
    digest.update(f"format {INDEX_FORMAT}".encode())
    package = resources.files("indexer.analysis")
    for path in sorted(_analysis_files(package), key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for module in plugin_modules():  # languages installed from elsewhere (entry points)
        digest.update(module.__name__.encode())
        if module.__file__:
            digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _analysis_files(folder: Traversable) -> list[Traversable]:
    files = []
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name != "__pycache__":
            files.extend(_analysis_files(entry))
        elif entry.name.endswith((".py", ".txt", ".tsv")):
            files.append(entry)
    return files


def document_fields(doc: Document) -> dict[str, object]:
    """What a writer is given for a document: its stored fields, columns and, in its
    language's fields (the generic ones for a language without a module), its text."""
    lang = doc.lang if doc.lang in analysis_codes() else "und"
    values: dict[str, object] = {
        "id": doc.id, "lang": doc.lang, "translation_key": doc.translation_key or "",
        "title": doc.title, "body": doc.body, "url": doc.url, "source": doc.source,
        "position": doc.position, "content_hash": doc.content_hash,
        "card": card(doc.title, doc.url), "meta": dict(doc.meta), "body_words": doc.body,
    }
    for part, text in zip(PARTS, (doc.title, doc.body), strict=True):
        for view in VIEWS:
            values[field_name(part, view, lang)] = text
    return values
