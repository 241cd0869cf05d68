"""polyfind's segment writer writes, term at a time, the same bytes as Whoosh's own path
that adds postings one at a time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.base import FieldWriter

from indexer import whoosh_adapter
from indexer.schema import build_schema, field_name

WORDS = ("dom", "domu", "domem", "kot", "kota", "rzeka", "rzeki", "miasto", "miasta", "las")


def _write(folder: Path, whooshs_own: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Write 300 Polish documents (so common terms span several blocks); return the
    segment's files by extension."""
    if whooshs_own:
        monkeypatch.setattr(whoosh_adapter._ArraysFieldWriter, "add_postings",
                            FieldWriter.add_postings)
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    rng = random.Random(5)
    with ix.writer(compound=False, **whoosh_adapter.writer_codec()) as writer:
        for n in range(300):
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
            # a rare word per document: one-posting terms, inlined in the term index
            writer.add_document(id=f"d{n}", lang="pl", title=f"tytuł {n}", body=body,
                                **{field_name("body", view, "pl"): f"{body} słowo{n}"
                                   for view in ("exact", "stem", "fold")},
                                **{field_name("title", "exact", "pl"): f"tytuł {n}"})
    ix.storage.close()
    monkeypatch.undo()
    return {path.suffix: path.read_bytes() for path in folder.iterdir()
            if path.suffix in (".trm", ".pst", ".pfterms")}


def test_term_at_a_time_writes_whoosh_s_bytes(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert whoosh_adapter.capabilities().codec
    ours = _write(tmp_path / "ours", False, monkeypatch)
    theirs = _write(tmp_path / "theirs", True, monkeypatch)
    assert {".trm", ".pst", ".pfterms"} <= set(ours)
    assert ours.keys() == theirs.keys()
    for suffix in ours:
        assert ours[suffix] == theirs[suffix], suffix
