"""polyfind's segment writer writes, term at a time, the same bytes as Whoosh's own path
that adds postings one at a time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.codec.base import FieldWriter

from indexer import whoosh_adapter
from indexer.schema import build_schema, field_name

WHOOSHS_POOL = whoosh_adapter.DocumentOrderPool.__mro__[1]
WORDS = ("dom", "domu", "domem", "kot", "kota", "rzeka", "rzeki", "miasto", "miasta", "las")


def _write(folder: Path, whooshs_own: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Write 300 Polish documents (so common terms span several blocks); return the
    segment's files by extension."""
    if whooshs_own:  # Whoosh's postings path, pool and file position throughout
        monkeypatch.setattr(whoosh_adapter._ArraysFieldWriter, "add_postings",
                            FieldWriter.add_postings)
        monkeypatch.setattr(whoosh_adapter, "DocumentOrderPool", WHOOSHS_POOL)
        monkeypatch.setattr(whoosh_adapter._CountingFile, "adopt", classmethod(
            lambda cls, dbfile: None))
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    rng = random.Random(5)
    with ix.writer(compound=False, **whoosh_adapter.writer_codec()) as writer:
        assert (type(writer.pool) is WHOOSHS_POOL) == whooshs_own
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


def _postings(rng: random.Random, docs: int) -> list[tuple]:
    """(field, term, docnum, weight, value) as a writer adds them: document by document."""
    return [(field, rng.choice(WORDS).encode(), docnum, 1.0, bytes([docnum % 7]))
            for docnum in range(docs)
            for field in rng.sample(["body_exact_pl", "body_stem_pl", "title_exact_pl"], 2)
            for _ in range(rng.randint(1, 4))]


@pytest.mark.parametrize("in_order", [True, False])
def test_document_order_pool_gives_whoosh_s_order(tmp_path: Path, in_order: bool) -> None:
    """Sorted by field and term only, a term's postings stay in document order; postings
    that came in another order are sorted Whoosh's way."""
    from whoosh.filedb.filestore import FileStorage

    rng = random.Random(7)
    postings = list(dict.fromkeys(_postings(rng, 200)))  # (a term once a field a document)
    if not in_order:
        postings.reverse()
    pool = whoosh_adapter.DocumentOrderPool(FileStorage(str(tmp_path)), None)
    for posting in postings:
        pool.add(posting)
    assert list(pool.items()) == sorted(postings)


def test_counting_file_keeps_the_file_s_position(tmp_path: Path) -> None:
    """The postings file's counted position is its real one after every kind of write; a
    write that went around the count is found when the file is closed."""
    from array import array

    from whoosh.filedb.structfile import StructFile

    with (tmp_path / "p").open("wb") as raw:
        raw.write(b"header")
        counted = StructFile(raw)
        whoosh_adapter._CountingFile.adopt(counted)
        counted.write(b"abc")
        counted.write_int(-5)
        counted.write_array(array("I", [1, 2, 3]))
        counted.write_string2(b"xyz")
        assert counted.tell() == raw.tell() == 6 + 3 + 4 + 12 + 5
        counted.close()
    assert (tmp_path / "p").read_bytes()[13:25] == b"\0\0\0\1\0\0\0\2\0\0\0\3"
    with (tmp_path / "q").open("wb") as raw:
        counted = StructFile(raw)
        whoosh_adapter._CountingFile.adopt(counted)
        counted.file.write(b"around the count")
        with pytest.raises(RuntimeError, match="counted"):
            counted.close()


@given(docnum=st.integers(min_value=-2**40, max_value=2**40),
       weight=st.one_of(st.integers(min_value=-2**40, max_value=2**40),
                        st.floats(allow_nan=False), st.booleans()),
       value=st.one_of(st.binary(max_size=600), st.text(max_size=5), st.none()))
def test_one_posting_pickle_is_the_pickler_s(docnum: int, weight: float | int,
                                             value: object) -> None:
    """The inlined posting spelt out opcode by opcode is byte for byte what the pickler
    writes (and reads back as the same tuple)."""
    import pickle

    spelt = whoosh_adapter.one_posting_pickle(docnum, weight, value)
    assert spelt == whoosh_adapter._dumps(((docnum,), (weight,), (value,)))
    assert pickle.loads(spelt) == ((docnum,), (weight,), (value,))
