"""A killed or interrupted build is continued by the next one from its last committed batch;
what the next build cannot trust or use is started over (indexer/resume.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import writing

from indexer import build, integrity, resume
from indexer.build import build_index
from indexer.config import Settings, load_settings
from indexer.corpus import read_corpus
from indexer.layout import BUILDING_PREFIX, PROGRESS, current_dir
from indexer.schema import document_fields
from indexer.search import SearchService

from .conftest import ROOT, settings_for


def interrupted(settings: Settings, after: int, rebuild: bool = False) -> Path:
    """Build one article a batch and press Ctrl+C as the `after`-th is written: the folder
    kept, holding the batches committed before it."""
    def progress(done: int) -> None:
        if done == after:
            raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "_batch_bytes", lambda parallel: 1)
        with pytest.raises(KeyboardInterrupt):
            build_index(settings, rebuild=rebuild, progress=progress)
    [folder] = settings.index.path.glob(f"{BUILDING_PREFIX}*")
    return folder


def progress_of(folder: Path) -> dict:
    return json.loads((folder / PROGRESS).read_text("utf-8"))


def live_ids(settings: Settings) -> list[str]:
    live = current_dir(settings.index.path)
    integrity.verify(settings.index.path, live)  # a whole generation, every file recorded
    assert not (live / PROGRESS).exists()
    with whoosh_index.open_dir(str(live)).searcher() as searcher:
        return [fields["id"] for fields in searcher.all_stored_fields()]


def test_an_interrupted_full_build_is_continued_where_it_stopped(
        tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    folder = interrupted(settings, after=20)
    assert progress_of(folder)["documents"] == 19 and progress_of(folder)["full"]
    info = subprocess.run([sys.executable, "-m", "indexer", "info", "--index",
                           str(settings.index.path)], cwd=ROOT, capture_output=True, text=True)
    said = ("run `polyfind index` to build it; building-gen-000001 holds the 19 documents a "
            "killed first build committed")
    assert info.returncode == 2 and said in info.stderr, info.stderr
    summary = build_index(settings)
    assert summary.mode == "full" and summary.generation == 1 and summary.resumed == 19
    assert sum(c.added for c in summary.per_language.values()) == 31
    assert sum(c.unchanged for c in summary.per_language.values()) == 19
    ids = live_ids(settings)
    assert len(ids) == len(set(ids)) == 50
    assert not list(settings.index.path.glob(f"{BUILDING_PREFIX}*"))
    assert SearchService(settings).search("lejek sprzedażowy", lang="pl").results[0].id == \
        "pl-01"


def test_an_interrupted_update_is_continued_with_its_changes_and_deletions(
        tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    for name in ("af.txt", "pl.txt"):  # read first and last
        path = corpus_copy / name
        path.write_text(path.read_text("utf-8").replace("?\n\n", " nowyznak?\n\n", 1),
                        "utf-8")
    (corpus_copy / "he.txt").unlink()
    folder = interrupted(settings, after=2)
    assert progress_of(folder)["documents"] == 50 and not progress_of(folder)["full"]
    info = subprocess.run([sys.executable, "-m", "indexer", "info", "--index",
                           str(settings.index.path)], cwd=ROOT, capture_output=True, text=True)
    assert "unfinished building-gen-000002: 50 documents committed" in info.stdout
    summary = build_index(settings)
    assert summary.mode == "incremental" and summary.generation == 2 and summary.resumed == 50
    assert summary.per_language["pl"].updated == 1 and summary.per_language["he"].deleted == 10
    ids = live_ids(settings)
    assert len(ids) == len(set(ids)) == 40 and not any(i.startswith("he-") for i in ids)
    assert {hit.id for hit in SearchService(settings).search("nowyznak").results} == {
        "pl-01", "af-01"}


def test_a_build_killed_between_a_commit_and_its_record_is_continued_from_the_record(
        tmp_path: Path, corpus_copy: Path) -> None:
    """Whoosh deletes the recorded table of contents when it commits the next batch: the
    record puts it back, and the unrecorded batch is written again, not twice."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    folder = interrupted(settings, after=20)
    recorded = progress_of(folder)["toc"]["name"]
    docs = read_corpus(settings.corpus).documents
    writer = whoosh_index.open_dir(str(folder)).writer()
    for doc in docs[19:22]:  # the next batches, committed but not recorded
        writer.add_document(**document_fields(doc))
    writer.commit(mergetype=writing.NO_MERGE)
    assert not (folder / recorded).exists()
    summary = build_index(settings)
    assert summary.resumed == 19
    ids = live_ids(settings)
    assert len(ids) == len(set(ids)) == 50


def test_rebuild_starts_over(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    interrupted(settings, after=20)
    summary = build_index(settings, rebuild=True)
    assert summary.resumed == 0 and sum(c.added for c in summary.per_language.values()) == 50
    assert len(live_ids(settings)) == 50
    assert not list(settings.index.path.glob(f"{BUILDING_PREFIX}*"))


def test_a_changed_file_or_analysis_starts_over_and_a_half_written_batch_is_dropped(
        tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Nothing in a killed build's folder is unpickled unless it is what the build recorded;
    files written after the last record (the killed batch's) are dropped, not refused."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    folder = interrupted(settings, after=10)
    (folder / "MAIN_halfwritten.seg").write_bytes(b"killed mid-batch")
    (folder / "MAIN.tmp").mkdir()
    found = resume.find(settings.index.path, 0)
    assert found is not None and found.documents == 9
    assert not (folder / "MAIN_halfwritten.seg").exists() and not (folder / "MAIN.tmp").exists()

    monkeypatch.setattr(resume, "schema_signature", lambda: "another analysis")
    assert resume.find(settings.index.path, 0) is None
    monkeypatch.undo()
    assert resume.find(settings.index.path, 1) is None  # made on no live generation, not 1

    segment = next(folder.glob("MAIN_*.pst"))
    with segment.open("ab") as handle:
        handle.write(b"\x80")  # a pickle's opcode: foreign code would be run from here
    summary = build_index(settings)
    assert summary.resumed == 0 and "cannot be continued" in caplog.text
    assert len(live_ids(settings)) == 50


KILLED_BUILD = """
import sys
from pathlib import Path
from indexer import build
from indexer.config import load_settings
build._batch_bytes = lambda parallel: 8 * 2**20  # a few articles a batch
build.PARALLEL_BUILD_MIN = 2  # the batches written by forked writer processes
build.build_index(load_settings(Path(sys.argv[1])))
"""


def test_a_build_killed_by_sigkill_is_continued_by_polyfind_index(tmp_path: Path) -> None:
    """kill -9 in the middle of a multi-process build; `polyfind index` then writes only
    what the killed build's committed batches lack."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with (corpus / "docs.jsonl").open("w", encoding="utf-8") as out:
        for doc in read_corpus(load_settings(ROOT / "config.toml").corpus).documents:
            out.write(json.dumps({"id": doc.id, "lang": doc.lang, "title": doc.title,
                                  "body": doc.body * 8}, ensure_ascii=False) + "\n")
    config = tmp_path / "config.toml"
    config.write_text('[index]\npath = "index"\n[corpus]\npath = "corpus"\n', "utf-8")
    killed = subprocess.Popen([sys.executable, "-c", textwrap.dedent(KILLED_BUILD), config],
                              cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list((tmp_path / "index").glob(f"{BUILDING_PREFIX}*/{PROGRESS}")):
            assert killed.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
    [progress] = (tmp_path / "index").glob(f"{BUILDING_PREFIX}*/{PROGRESS}")
    written = json.loads(progress.read_text("utf-8"))["documents"]
    done = subprocess.run([sys.executable, "-m", "indexer", "index", "--config", str(config)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"continued a killed build that had written {written} documents" in done.stdout
    assert "full build, generation 1: 50 documents" in done.stdout
    settings = settings_for(tmp_path / "index", corpus)
    ids = live_ids(settings)
    assert len(ids) == len(set(ids)) == 50
