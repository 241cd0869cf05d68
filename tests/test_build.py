"""Builds on a real on-disk Whoosh index: atomic switch, incremental updates, lock, recovery."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from indexer import build, integrity
from indexer.build import SEGMENT_FILE, build_index, build_lock
from indexer.errors import CorpusError, IndexLockedError, IndexMissingError, PolyfindError
from indexer.layout import current_dir
from indexer.search import SearchService

from .conftest import ROOT, settings_for


def counts(summary, lang: str) -> tuple[int, int, int, int]:
    c = summary.per_language[lang]
    return c.added, c.updated, c.deleted, c.unchanged


def test_incremental_build_changes_exactly_what_changed(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    first = build_index(settings)
    assert first.mode == "full" and first.documents == 50
    pl = corpus_copy / "pl.txt"
    pl.write_text(pl.read_text("utf-8").replace("Czarny Piątek to fenomen",
                                                "Czarny Piątek to wielki fenomen"), "utf-8")
    (corpus_copy / "ka.txt").unlink()
    (corpus_copy / "extra.md").write_text("# Wat is e-handel?\n\nE-handel is aanlyn handel.\n",
                                          "utf-8")
    second = build_index(settings)
    assert second.mode == "incremental" and second.generation == 2
    assert counts(second, "pl") == (0, 1, 0, 9)
    assert counts(second, "ka") == (0, 0, 10, 0)
    assert counts(second, "af") == (1, 0, 0, 10)
    assert counts(second, "he") == (0, 0, 0, 10)
    service = SearchService(settings)
    assert service.search("wielki fenomen", lang="pl").results[0].id == "pl-03"
    assert service.info()["documents"] == 41
    assert service.search("e-handel aanlyn", lang="af").results[0].id == "extra"


def test_update_in_several_batches_replaces_and_deletes_each_document_once(
        tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An update too big for one batch deletes a changed document's old version in the
    batch that adds the new one, and documents gone from the corpus in the last batch."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    monkeypatch.setattr(build, "_batch_bytes", lambda parallel: 1)  # an article a batch
    for name in ("af.txt", "pl.txt"):  # read first and last: the first and a late batch
        path = corpus_copy / name
        path.write_text(path.read_text("utf-8").replace("?\n\n", " nowyznak?\n\n", 1),
                        "utf-8")
    (corpus_copy / "he.txt").unlink()
    second = build_index(settings)
    assert counts(second, "pl") == (0, 1, 0, 9) and counts(second, "af") == (0, 1, 0, 9)
    assert counts(second, "he") == (0, 0, 10, 0)
    ix = whoosh_index.open_dir(str(current_dir(settings.index.path)))
    assert len(ix._segments()) == 3  # the first build's, and one a batch
    with ix.searcher() as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
    assert len(ids) == len(set(ids)) == 40
    assert not any(doc_id.startswith("he-") for doc_id in ids)
    assert {hit.id for hit in SearchService(settings).search("nowyznak").results} == {
        "pl-01", "af-01"}


def test_batches_fill_the_sort_memory_by_each_languages_measured_rate() -> None:
    """Batches hold what the writers' sort memory holds, counted as Whoosh counts it, at
    each language's own rate (sampled from its first documents); a build that fits in one
    batch by the upper bound is never sampled."""
    from indexer.batches import MAX_BYTES_PER_CHAR, PoolEstimate, batches, pool_bytes
    from indexer.config import load_settings
    from indexer.corpus import read_corpus
    from indexer.schema import build_schema

    docs = read_corpus(load_settings(ROOT / "config.toml").corpus).documents
    schema = build_schema()
    estimate = PoolEstimate(schema)
    chars = sum(len(d.title) + len(d.body) for d in docs)
    assert list(batches(iter(docs), chars * MAX_BYTES_PER_CHAR, estimate)) == [(docs, True)]
    assert not estimate._samples
    assert list(batches(iter([]), 100, estimate)) == [([], True)]

    budget = 200_000
    cut = list(batches(iter(docs), budget, estimate))
    assert [doc for batch, _last in cut for doc in batch] == docs
    assert [last for _batch, last in cut] == [False] * (len(cut) - 1) + [True]
    assert all(len(batch) == 1 or sum(pool_bytes(schema, d) for d in batch) <= budget * 1.1
               for batch, _last in cut)
    rates = {lang: sampled_bytes / sampled_chars
             for lang, (_n, sampled_chars, sampled_bytes) in estimate._samples.items()}
    assert rates["he"] > 1.5 * rates["af"]  # Hebrew: more distinct words a character


def test_pool_bytes_are_whooshs_own_count(tmp_path: Path) -> None:
    from indexer import whoosh_adapter
    from indexer.batches import pool_bytes
    from indexer.config import load_settings
    from indexer.corpus import read_corpus
    from indexer.schema import build_schema, document_fields

    docs = read_corpus(load_settings(ROOT / "config.toml").corpus).documents[::7]
    schema = build_schema()
    writer = whoosh_index.create_in(str(tmp_path), schema).writer(
        limitmb=512, **whoosh_adapter.writer_codec())
    try:
        for doc in docs:
            writer.add_document(**document_fields(doc))
        assert writer.pool.currentsize == sum(pool_bytes(schema, doc) for doc in docs)
    finally:
        writer.cancel()


def test_incremental_build_links_the_live_segments_and_writes_none_of_them(
        tmp_path: Path, corpus_copy: Path) -> None:
    """An incremental build hard-links the live generation's segment files instead of
    copying the index; nothing it writes reaches the live generation through a link."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    old = current_dir(settings.index.path)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in old.iterdir()}
    pl = corpus_copy / "pl.txt"
    pl.write_text(pl.read_text("utf-8").replace("Czarny Piątek to fenomen",
                                                "Czarny Piątek to wielki fenomen"), "utf-8")
    build_index(settings)
    new = current_dir(settings.index.path)
    assert new != old and old.is_dir()  # the retired generation is kept a while
    linked = {p.name for p in new.iterdir()
              if p.name in before and p.stat().st_ino == before[p.name][0]}
    assert any(name.endswith(".trm") for name in linked)
    assert all(SEGMENT_FILE.fullmatch(name) for name in linked)
    assert {"polyfind.json", "MAIN_WRITELOCK"}.isdisjoint(linked)
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in old.iterdir()} == before
    integrity.verify(settings.index.path, old)
    integrity.verify(settings.index.path, new)  # the linked files' reused hashes are right
    manifest = json.loads((new / "polyfind.json").read_text("utf-8"))["files"]
    assert all(manifest[name]["sha256"] == hashlib.sha256((new / name).read_bytes()).hexdigest()
               for name in linked)
    assert SearchService(settings).search("wielki fenomen", lang="pl").results[0].id == "pl-03"


def test_rebuild_switches_generation_atomically(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    build_index(settings)
    old = current_dir(settings.index.path)
    summary = build_index(settings, rebuild=True)
    new = current_dir(settings.index.path)
    assert summary.mode == "full" and new != old and new.name.endswith("000002")
    assert (settings.index.path / "current").is_symlink()


def test_search_during_rebuilds_never_fails(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    build_index(settings)
    service = SearchService(settings)
    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            try:
                totals.append(service.search("lejek sprzedaży", lang="pl").total)
            except BaseException as exc:  # noqa: BLE001 - any failure fails the test
                errors.append(exc)

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        for _ in range(3):
            build_index(settings, rebuild=True)
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert len(totals) > 3 and min(totals) == max(totals) > 0


def test_second_build_is_refused_while_one_runs(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    with build_lock(settings.index.path, 0), pytest.raises(IndexLockedError, match="being built"):
        build_index(settings)


def test_killed_build_leftovers_are_cleaned(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    build_index(settings)
    leftover = settings.index.path / "building-gen-000002"
    leftover.mkdir()
    (leftover / "junk").write_text("x")
    summary = build_index(settings)
    assert not leftover.exists()
    # nothing changed in the corpus: the live generation stays
    assert not summary.changed and current_dir(settings.index.path).name == "gen-000001"


def test_missing_index_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="polyfind index"):
        SearchService(settings_for(tmp_path / "none")).search("lejek")


def test_corrupt_index_is_reported_and_rebuild_recovers(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    build_index(settings)
    live = current_dir(settings.index.path)
    for toc in live.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(PolyfindError, match="rebuild"):
        SearchService(settings).search("lejek")
    build_index(settings, rebuild=True)
    assert SearchService(settings).search("lejek", lang="pl").total > 0


def test_corpus_without_articles_leaves_the_index_alone(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    build_index(settings)
    live = current_dir(settings.index.path)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "a.txt").write_text("   \n", "utf-8")
    with pytest.raises(CorpusError, match="no article"):
        build_index(replace(settings, corpus=replace(settings.corpus, path=empty)))
    assert current_dir(settings.index.path) == live


def test_analyzers_load_in_a_fresh_process(built_settings) -> None:
    """Every language's analyzers are pickled into the index and work again unpickled."""
    import subprocess
    import sys

    code = (
        "import sys; from whoosh import index; ix = index.open_dir(sys.argv[1]); "
        "s = ix.searcher(); print(s.doc_count()); "
        "words = {'he': 'ובבית', 'pl': 'lejkiem', 'kk': 'шұңқырлары', 'ka': 'კომპანიებში', "
        "'af': 'boekies'}; "
        "[print(l, [t.text for t in ix.schema['body_stem_' + l].analyzer(w)]) "
        "for l, w in words.items()]"
    )
    out = subprocess.run([sys.executable, "-c", code, str(current_dir(built_settings.index.path))],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "50"
    stems = dict(line.split(" ", 1) for line in out[1:])
    assert "'בית'" in stems["he"] and "'lejek'" in stems["pl"] and "'шұңқыр'" in stems["kk"]
    assert "'boek'" in stems["af"] and "კომპ" in stems["ka"]


def test_world_writable_index_is_refused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "index")
    build_index(settings)
    live = current_dir(settings.index.path)
    live.chmod(0o777)
    with pytest.raises(PolyfindError, match="chmod go-w"):
        SearchService(settings).search("lejek")
    live.chmod(0o755)
    assert SearchService(settings).search("lejek", lang="pl").total > 0


def test_write_failure_leaves_the_live_index(tmp_path: Path, monkeypatch) -> None:
    import errno

    import indexer.build as build

    settings = settings_for(tmp_path / "index")
    build_index(settings)
    live = current_dir(settings.index.path)

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "_write_meta", full_disk)
    with pytest.raises(PolyfindError, match="No space left on device"):
        build_index(settings, rebuild=True)
    monkeypatch.undo()
    assert current_dir(settings.index.path) == live
    assert SearchService(settings).search("lejek", lang="pl").total > 0
    build_index(settings, rebuild=True)  # and the next build cleans up and succeeds


def test_a_lock_left_by_a_dead_process_does_not_block(tmp_path: Path) -> None:
    import subprocess
    import sys

    settings = settings_for(tmp_path / "index")
    settings.index.path.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); "
        "fcntl.flock(f, fcntl.LOCK_EX); f.write('pid dead'); f.flush(); time.sleep(60)"),
        str(settings.index.path / ".lock")])
    time.sleep(0.5)
    with pytest.raises(IndexLockedError):
        build_index(settings)
    holder.kill()
    holder.wait()
    assert build_index(settings).documents == 50  # the kernel released the dead process's lock


def test_huge_and_oversized_files_are_skipped(tmp_path: Path) -> None:
    from indexer import corpus as corpus_module

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "ok.txt").write_text("Czym jest lejek?\n\nLejek to model.\n", "utf-8")
    (folder / "huge.txt").write_text("x" * 2048, "utf-8")
    # a big export: one article a line, each line within the limit, is read whole
    rows = [json.dumps({"id": f"e{i}", "lang": "pl", "title": f"Tytuł {i}",
                        "body": "Sklep internetowy i jego klienci. " * 5}) for i in range(20)]
    (folder / "export.jsonl").write_text("\n".join(rows), "utf-8")
    (folder / "oneline.jsonl").write_text(json.dumps({"title": "x", "body": "y" * 2048}))
    original = corpus_module.MAX_FILE_BYTES
    corpus_module.MAX_FILE_BYTES = 1024  # stands in for the 50 MB limit
    try:
        summary = build_index(settings_for(tmp_path / "index", folder))
    finally:
        corpus_module.MAX_FILE_BYTES = original
    assert summary.documents == 21
    skipped = dict(summary.skipped)
    assert skipped["huge.txt"].startswith("larger than")
    assert skipped["oneline.jsonl:1"].startswith("line longer than")


def test_fast_indexing_path_gives_whoosh_own_postings() -> None:
    """AnalyzedText.index skips Whoosh's token-by-token path; the postings must not differ."""
    from whoosh.fields import TEXT

    from indexer.analysis.whoosh_analyzer import AnalyzedText, PolyfindAnalyzer
    from indexer.config import load_settings
    from indexer.corpus import read_corpus

    docs = read_corpus(load_settings(ROOT / "config.toml").corpus).documents
    assert len(docs) == 50
    for doc in docs[::3]:
        for view in ("exact", "stem", "fold"):
            field = AnalyzedText(analyzer=PolyfindAnalyzer(doc.lang, view), phrase=True)
            fast = sorted(field.index(doc.body))
            plain = sorted(TEXT.index(field, doc.body))  # Whoosh's path, the field's format
            assert fast == plain, (doc.id, view)


def test_compact_positions_read_as_whoosh_positions() -> None:
    """The compact encoding gives back the positions and frequency Whoosh's own does, in
    a fraction of the bytes."""
    from whoosh.formats import Positions

    from indexer.analysis.whoosh_analyzer import CompactPositions

    compact, whoosh = CompactPositions(), Positions()
    for poslist in ([0], [5], [3, 300], [127, 128, 255, 256], [7, 20_000, 3_000_000],
                    list(range(0, 5000, 37))):
        value = compact.encode(poslist)
        assert compact.decode_positions(value) == whoosh.decode_positions(
            whoosh.encode(poslist)) == poslist
        assert compact.decode_frequency(value) == len(poslist)
        assert len(value) < len(whoosh.encode(poslist))


@given(st.lists(st.lists(st.integers(min_value=0, max_value=5_000_000), min_size=1,
                         max_size=8, unique=True).map(sorted), max_size=30))
def test_positions_decoded_at_once_are_each_values_positions(lists: list[list[int]]) -> None:
    """A phrase decodes its candidates' positions all at once (CompactPositions.decode_many),
    or one value at a time for Whoosh's own format: the same positions, each with the
    document it is in."""
    from whoosh.formats import Positions

    from indexer.analysis.whoosh_analyzer import CompactPositions
    from indexer.scoring.phrases import _positions

    owners = [3 * i + 1 for i in range(len(lists))]
    expected = ([owner for owner, p in zip(owners, lists, strict=True) for _ in p],
                [x for p in lists for x in p])
    for format_ in (CompactPositions(), Positions()):
        found = _positions(format_, [format_.encode(p) for p in lists], owners)
        assert (found[0].tolist(), found[1].tolist()) == expected


def test_one_posting_terms_are_inlined_and_read_back(built_settings) -> None:
    """A word of one document keeps its posting in the term index (no block of its own in
    the postings file) and reads back with its positions, through Whoosh's public API."""
    from whoosh import index as whoosh_index

    from indexer.analysis.whoosh_analyzer import CompactPositions

    ix = whoosh_index.open_dir(str(current_dir(built_settings.index.path)))
    with ix.reader() as reader:
        segment = reader.leaf_readers()[0][0]
        fieldname = "body_exact_pl"
        assert isinstance(ix.schema[fieldname].format, CompactPositions)
        inlined = blocks = 0
        for text, info in segment.iter_field(fieldname):
            if info.doc_frequency() == 1:
                assert info.is_inlined()
                inlined += 1
                postings = segment.postings(fieldname, text)
                positions = postings.value_as("positions")
                assert positions and positions == sorted(positions)
                assert postings.weight() == len(positions)
            else:
                blocks += not info.is_inlined()
        assert inlined > 1000 and blocks > 100


def test_big_build_commits_in_batches_that_fit_memory(tmp_path: Path, corpus_copy: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A build too big for the writers' sort memory commits batch by batch, each batch
    written by parallel writer processes into segments of its own; all of it is searchable."""
    import indexer.build as build_module

    monkeypatch.setattr(build_module, "PARALLEL_BUILD_MIN", 10)
    monkeypatch.setattr(build_module, "_batch_bytes", lambda parallel: 2 * 2**20)
    settings = settings_for(tmp_path / "index", corpus_copy)
    summary = build_index(settings)
    assert summary.documents == 50 and summary.mode == "full"
    service = SearchService(settings)
    with service.searcher() as lease:
        assert lease.searcher.doc_count() == 50
        assert len(lease.postings.segments) >= 2  # at least one segment per batch
    hit = service.search("lejek sprzedażowy", lang="pl").results[0]
    assert hit.id == "pl-01"


def test_updates_merge_their_small_segments_and_never_the_big_ones(
        tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An update merges earlier updates' small segments, never a big build's segments
    (Whoosh's own policy merged most of a big index's segments to add a few documents)."""
    monkeypatch.setattr(build, "SMALL_SEGMENT_DOCS", 20)  # the shipped corpus is one of 50
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)

    def segments() -> dict[str, int]:
        ix = whoosh_index.open_dir(str(current_dir(settings.index.path)))
        return {s.segment_id(): s.doc_count_all() for s in ix._segments()}

    (big,) = segments()
    af = corpus_copy / "af.txt"
    for n in range(4):
        text = af.read_text("utf-8").rstrip("\n")
        af.write_text(text.rsplit(" merker", 1)[0] + f" merker{n}\n", "utf-8")
        build_index(settings)
        found = segments()
        assert big in found and found[big] == 50  # (its deleted documents stay counted)
        assert len(found) <= 3  # the big one, the merged updates, this update's own
    assert SearchService(settings).search("merker3", lang="af").total >= 1


def test_an_update_writes_one_segment_unless_it_is_big(tmp_path: Path, corpus_copy: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build of many documents writes with a process per core (a segment each); an
    update of fewer than PARALLEL_UPDATE_MIN documents writes one segment, in process:
    every search visits every segment for as long as it lasts."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: every build writes in process")
    monkeypatch.setattr(build, "PARALLEL_BUILD_MIN", 10)
    monkeypatch.setattr(build, "PARALLEL_UPDATE_MIN", 1000)
    monkeypatch.setattr(build, "SMALL_SEGMENT_DOCS", 20)  # (none is merged here)

    def add(name: str, count: int) -> None:  # (Whoosh hands writer processes 100 at a time)
        rows = [{"id": f"{name}-{n}", "lang": "pl", "title": f"{name} {n}",
                 "body": f"nowość {name} {n}"} for n in range(count)]
        (corpus_copy / f"{name}.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")

    def segments() -> set[str]:
        ix = whoosh_index.open_dir(str(current_dir(settings.index.path)))
        return {s.segment_id() for s in ix._segments()}

    add("first", 300)
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    before = segments()
    assert len(before) >= 2  # the full build's writer processes
    add("second", 250)
    assert build_index(settings).mode == "incremental"
    after = segments()
    assert before < after and len(after - before) == 1
    assert SearchService(settings).search("nowość", lang="pl").total == 550
