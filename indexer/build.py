"""Atomic, incremental index builds (the index folder's layout: indexer/layout.py).

A build writes a new generation beside the live one (a copy of it, for an incremental build)
and switches `current` only after the Whoosh commit: a search always sees a whole index, and
a killed build leaves only a folder, which the next build continues from its last committed
batch (indexer/resume.py) or removes. A generation switched away from
stays on disk for `index.keep_retired_seconds` (longer than any request), so searches still
reading it finish; a build that changed nothing switches nothing.
"""

from __future__ import annotations

import fcntl
import gc
import itertools
import json
import logging
import os
import shutil
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import regex
from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.reading import SegmentReader

from . import integrity, procs, resume, whoosh_adapter
from .analysis import registry
from .batches import PoolEstimate, batches
from .config import Settings
from .corpus import Document, stream_corpus
from .errors import CorpusError, IndexLockedError, IndexMissingError, PolyfindError
from .layout import (
    BUILDING_PREFIX,
    CURRENT,
    GEN_PREFIX,
    LOCK,
    META,
    PROGRESS,
    RETIRED,
    current_dir,
    generation_number,
    read_meta,
)
from .schema import build_schema, document_fields, schema_signature
from .site import read_site

# A segment's own files (Whoosh's MAIN_<segment id>.<part>, polyfind's sidecars alike).
SEGMENT_FILE = regex.compile(r"MAIN_[0-9a-z]+\.[A-Za-z0-9_.]+")
# Segments below this many documents come from small updates: an update merges them (a
# merge rewrites every posting in one process, some 20 ms a document).
SMALL_SEGMENT_DOCS = 1000
# From this many new documents on, a build writes with one process per core.
PARALLEL_BUILD_MIN = 500
# ... and an update of an index that has documents, from this many: each writer process
# writes a segment of its own, and every term lookup of every search visits each segment
# for as long as it lasts (a 1% update of 50,000 documents written by two processes left
# two segments of 278 documents; one process writes it in a few seconds more).
PARALLEL_UPDATE_MIN = 10_000
# Memory for each writer's in-memory sort of postings (whoosh's limitmb).
# The more a batch holds, the fewer segments a big build leaves, and every term lookup of
# a search visits each segment (12 segments at 50,000 real-vocabulary documents with 2 GB
# writers); the available memory bounds it first.
POOL_MB_MIN, POOL_MB_MAX = 128, 8192
# How full a batch fills the writers' pools (indexer/batches.py): the rates a character
# are sampled, and the writer processes share a batch's documents as they take them, not
# evenly. A batch that outgrows a pool only spills its last postings to disk.
POOL_FILL = 0.85

log = logging.getLogger(__name__)

Progress = Callable[[int], None]  # documents written so far


@dataclass
class LanguageCounts:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


@dataclass
class BuildSummary:
    """What a build did, for the CLI's closing summary."""

    mode: str
    generation: int
    seconds: float
    size_bytes: int
    documents: int
    per_language: dict[str, LanguageCounts] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    generic_languages: dict[str, int] = field(default_factory=dict)
    # False when an incremental build found nothing to add, update or delete: the live
    # generation stays (and so do the servers' caches).
    changed: bool = True
    resumed: int = 0  # documents a killed build had written, which this one continued


class _Plan:
    """What a build must write, worked out as the corpus streams past: the documents new
    or changed since the live generation (every document, for a full build), the live ones
    they replace, the live ones gone from the corpus, and counts per language."""

    def __init__(self, live: whoosh_index.Index | None) -> None:
        self.live = live
        # id -> (content hash, docnum) of live documents not yet met in the corpus
        self.unseen = _existing_hashes(live) if live is not None else {}
        self.replaced: set[str] = set()  # ids of live documents a changed one replaces
        self.counts: dict[str, LanguageCounts] = defaultdict(LanguageCounts)
        self.generic_languages: Counter[str] = Counter()
        self.documents = 0
        self._ids: set[str] = set()

    def changed(self, documents: Iterable[Document]) -> Iterator[Document]:
        """The documents to write, from the corpus's; the others are counted."""
        known = registry()
        for doc in documents:
            if doc.id in self._ids:  # the readers make ids unique; this guards the writer
                log.warning("document id %s given twice: the first is indexed", doc.id)
                continue
            self._ids.add(doc.id)
            self.documents += 1
            if doc.lang not in known:
                self.generic_languages[doc.lang] += 1
            old = self.unseen.pop(doc.id, None)
            if old is None:
                self.counts[doc.lang].added += 1
                yield doc
            elif old[0] != doc.content_hash:
                self.replaced.add(doc.id)
                self.counts[doc.lang].updated += 1
                yield doc
            else:
                self.counts[doc.lang].unchanged += 1

    def languages(self) -> dict[str, int]:
        """Documents in the corpus per language."""
        return {lang: n for lang, c in self.counts.items()
                if (n := c.added + c.updated + c.unchanged)}

    def gone(self) -> list[str]:
        """Once the corpus is read: the ids of live documents no longer in it, counted."""
        ids = list(self.unseen)
        if ids:  # (only an incremental build has live documents: self.live is set)
            assert self.live is not None
            for lang in _languages(self.live, [n for _hash, n in self.unseen.values()]):
                self.counts[lang].deleted += 1
        self.unseen = {}
        return ids


# Descriptors of the build locks this process holds, and the pid that holds them.
_held_locks: set[int] = set()
_locker_pid = 0


def _after_fork_in_child() -> None:
    """A child forked during a build (whoosh's writer processes) must not keep the build lock
    alive if the build is killed, nor outlive the build: it drops its copy of the lock's
    descriptor (pointed at /dev/null, so a later close of that number stays harmless) and
    asks to be killed when its parent dies."""
    if not _held_locks:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in _held_locks:
        os.dup2(null, fd)
    os.close(null)
    _held_locks.clear()
    procs.die_with_parent(_locker_pid)


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def build_lock(index_path: Path, timeout: float) -> Iterator[None]:
    """Hold the index's build lock; a second build gets IndexLockedError, not a corrupt index.
    The lock dies with this process: no child it forks holds it (see _after_fork_in_child)."""
    global _locker_pid
    index_path.mkdir(parents=True, exist_ok=True)
    with open(index_path / LOCK, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise IndexLockedError(
                        f"index at {index_path} is being built by {holder}: wait for that "
                        "build to finish, then run `polyfind index` again"
                    ) from None
                time.sleep(0.1)
        _held_locks.add(handle.fileno())
        _locker_pid = os.getpid()
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield
        finally:
            _held_locks.discard(handle.fileno())
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(settings: Settings, rebuild: bool = False, progress: Progress | None = None
                ) -> BuildSummary:
    """Read the corpus and bring the index up to date (fully when `rebuild`).

    A full disk or a read-only folder is one clear error; the live index is never touched
    before the new generation is complete.
    """
    try:
        summary = _build(settings, rebuild, progress)
    except OSError as exc:
        raise PolyfindError(
            f"cannot write the index at {settings.index.path}: {exc.strerror or exc} "
            "(check free disk space and permissions); the live index was not changed"
        ) from None
    log.info("%s build: generation %d, %d documents in %.1f s, %d bytes%s", summary.mode,
             summary.generation, summary.documents, summary.seconds, summary.size_bytes,
             "" if summary.changed else " (nothing changed, nothing switched)")
    return summary


def _build(settings: Settings, rebuild: bool, progress: Progress | None) -> BuildSummary:
    started = time.monotonic()
    index_path = settings.index.path
    with build_lock(index_path, settings.index.lock_timeout), _unfinished_removed() as unfinished:
        live = _live_dir(index_path)
        meta = read_meta(live) if live else {}
        generation = meta.get("generation", 0) + 1
        killed = None if rebuild else resume.find(index_path, generation - 1)
        _remove_leftovers(index_path, keep=killed.folder if killed else None)
        skipped: list[tuple[str, str]] = []
        documents = _corpus_documents(settings, skipped)
        full = killed.full if killed else (
            rebuild or live is None or meta.get("schema") != schema_signature()
            or integrity.MANIFEST not in meta)  # built before manifests: never opened
        live_check = integrity.GenerationCheck(index_path, live) if live else None
        base = _base(killed, None if full else live_check)
        plan = _Plan(base)
        changed = plan.changed(documents)
        first = next(changed, None)  # reads the whole corpus when nothing changed
        if first is None and not plan.documents:
            raise CorpusError(_nothing_indexed(corpus_source(settings), skipped))
        keep = settings.index.keep_retired_seconds
        if first is None and not plan.unseen and not killed and meta.get("corpus") == str(
                corpus_source(settings)):
            assert live is not None
            _prune(index_path, live, None, keep)
            return _summary(plan, skipped, "incremental", live, started, changed=False)
        building = killed.folder if killed else \
            index_path / f"{BUILDING_PREFIX}{GEN_PREFIX}{generation:06d}"
        unfinished.append(building)
        if killed and base is not None:
            ix, verified = base, killed.verified
        else:
            ix, verified = _new_generation(building, live if not full else None, live_check)
        checkpoints = resume.Checkpoints(building, full, generation - 1, verified)
        to_write = changed if first is None else itertools.chain([first], changed)
        with _collector_paused():
            _write(ix, to_write, plan, progress, checkpoints)
        checkpoints.finish()
        final = index_path / f"{GEN_PREFIX}{generation:06d}"
        unfinished.append(final)
        _write_meta(building, settings, plan, generation, checkpoints.verified)
        building.rename(final)
        _switch(index_path, final)
        _prune(index_path, final, live, keep)
    return _summary(plan, skipped, "full" if full else "incremental", final, started,
                    resumed=killed.documents if killed else 0)


def _base(killed: resume.Unfinished | None, live_check: integrity.GenerationCheck | None
          ) -> whoosh_index.Index | None:
    """The index whose documents a build does not write again: the killed build's that it
    continues (checked by resume.find), else the live generation for an update (checked
    here: it is unpickled), else none."""
    if killed:
        return whoosh_index.open_dir(str(killed.folder))
    if live_check is None:
        return None
    live_check.check()
    return whoosh_index.open_dir(str(live_check.generation))


def _new_generation(building: Path, live: Path | None,
                    live_check: integrity.GenerationCheck | None
                    ) -> tuple[whoosh_index.Index, integrity.Verified]:
    """The new generation's folder: empty for a full build, else the live generation's
    files; with the manifest entries of the files it already has."""
    if live is None:
        building.mkdir()
        return whoosh_index.create_in(str(building), build_schema()), {}
    # the live generation is unpickled again through its copy: it must still pass (a stat
    # of its files, unless they changed since the last check)
    assert live_check is not None
    live_check.check()
    verified = integrity.by_inode(live)
    _copy_generation(live, building)
    return whoosh_index.open_dir(str(building)), verified


def _corpus_documents(settings: Settings, skipped: list[tuple[str, str]]
                      ) -> Iterator[Document]:
    """The documents to index, streamed from a corpus folder (a built site is read whole:
    its pages are linked to one another); what is skipped is added to `skipped`."""
    if settings.corpus.site:
        report = read_site(settings.corpus)
        skipped.extend(report.skipped)
        return iter(report.documents)
    return stream_corpus(settings.corpus, skipped)


def _summary(plan: _Plan, skipped: list[tuple[str, str]], mode: str, generation: Path,
             started: float, changed: bool = True, resumed: int = 0) -> BuildSummary:
    return BuildSummary(
        mode=mode,
        generation=generation_number(generation),
        seconds=time.monotonic() - started,
        size_bytes=folder_size(generation),
        documents=plan.documents,
        per_language=dict(plan.counts),
        skipped=skipped,
        generic_languages=dict(plan.generic_languages),
        changed=changed,
        resumed=resumed,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while writing: whoosh's writers hold millions
    of small posting tuples, and each full collection walks all of them (and, in the forked
    writer processes, the whole inherited corpus), a cost that grows with the build (5% of a
    1k-document build). Reference counting still frees everything a build drops."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _live_dir(index_path: Path) -> Path | None:
    try:
        return current_dir(index_path)
    except IndexMissingError:
        return None


def _write(ix: whoosh_index.Index, documents: Iterator[Document], plan: _Plan,
           progress: Progress | None, checkpoints: resume.Checkpoints) -> None:
    """Write the changed documents batch by batch, each batch one commit, recorded for a
    build that continues this one if it is killed. A changed document's old version is
    deleted in the batch that adds it; documents gone from the corpus, in the last batch
    (an empty one when nothing is added)."""
    parallel = PARALLEL_UPDATE_MIN if ix.doc_count_all() else PARALLEL_BUILD_MIN
    done = 0
    cut = batches(documents, _batch_bytes(parallel), PoolEstimate(build_schema()))
    for number, (batch, last) in enumerate(cut):
        stale = [doc.id for doc in batch if doc.id in plan.replaced]
        if last:
            stale += plan.gone()
        if not batch and not stale:
            return
        writer = ix.writer(**_writer_options(len(batch), parallel))
        try:
            for doc_id in stale:
                writer.delete_by_term("id", doc_id)
            for doc in batch:
                writer.add_document(**document_fields(doc))
                done += 1
                if progress:
                    progress(done)
        except BaseException:
            writer.cancel()
            raise
        # A big build's batches stay separate segments (merging would rewrite them all);
        # an update merges earlier updates' small segments so they do not pile up.
        writer.commit(mergetype=merge_small_updates if number == 0 and last
                      else writing.NO_MERGE)
        if not last:
            checkpoints.save(ix.doc_count())


def merge_small_updates(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: the index's segments of fewer than SMALL_SEGMENT_DOCS documents
    (earlier small updates) merged into the segment being written, once there are two;
    the others kept as they are. Whoosh's own policy (MERGE_SMALL) grows its notion of
    small with the number of segments: on a 300,000-document index of 38 batch segments
    it merged 23 of them, an hour in one process, to add 1% of the documents."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return [segment for segment in segments if segment not in small]


def _batch_bytes(parallel: int) -> int:
    """The writers' sort memory a batch may fill (one segment per writer process, none
    spilling postings to disk). From `parallel` documents on, writers are processes
    (_writer_options); the memory they share is the same either way."""
    options = _writer_options(parallel, parallel)
    writers = int(options.get("procs", 1))
    return int(writers * int(options["limitmb"]) * 2**20 * POOL_FILL)


def _writer_options(new_documents: int, parallel: int) -> dict[str, Any]:
    """Builds of `parallel` new documents or more use both cores: one writer process per
    core, each writing its own segment (merging them afterwards would cost more than it
    saves). Smaller builds stay in process.

    Segments are written as plain files, not one compound file: whoosh opens a compound
    file's parts as in-memory copies (BytesIO), so every searcher held a private copy of
    all postings; plain files are read through the page cache, which the server's
    processes share."""
    cores = os.cpu_count() or 1
    if new_documents >= parallel and cores > 1 and threading.current_thread() is \
            threading.main_thread():
        procs = min(cores, 4)
        return {"limitmb": _pool_megabytes(procs), "procs": procs, "multisegment": True,
                "compound": False, **whoosh_adapter.writer_codec()}
    return {"limitmb": _pool_megabytes(1), "compound": False,
            **whoosh_adapter.writer_codec()}


def _pool_megabytes(writers: int) -> int:
    """Whoosh sorts a writer's postings in memory up to `limitmb` and spills the rest to
    runs on disk that it merges back posting by posting, the costliest step of a big build.
    Each writer gets a third of its share of the available memory (a writer's peak resident
    size is about 1.6 x limitmb), within POOL_MB_MIN-POOL_MB_MAX."""
    available = _available_megabytes()
    if available is None:
        return POOL_MB_MIN
    return max(POOL_MB_MIN, min(POOL_MB_MAX, available // (3 * writers)))


def _available_megabytes() -> int | None:
    """Memory a build may take: the kernel's MemAvailable, which counts the page cache it
    can drop (a machine that has read a big corpus has little memory *free*, most of it
    cache: counting only free memory made a big build commit in many small batches, each
    with new writer processes that analyse the vocabulary again); else free memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (ValueError, OSError):
        return None


def _existing_hashes(ix: whoosh_index.Index) -> dict[str, tuple[str, int]]:
    """id → (content hash, docnum) of every live document, read from columns."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids, hashes = (list(reader.column_reader(name)) for name in ("id", "content_hash"))
        return {ids[n]: (hashes[n], n) for n in reader.all_doc_ids()}


def _languages(ix: whoosh_index.Index, docnums: list[int]) -> list[str]:
    """The language of each of a few documents (those a build deletes)."""
    if not docnums:
        return []
    with ix.searcher() as searcher:
        column = searcher.reader().column_reader("lang")
        return [column[n] for n in docnums]


def _copy_generation(live: Path, building: Path) -> None:
    """The live generation's files in the new generation's folder: segment files as hard
    links (Whoosh never writes a segment's files again once written, nor do polyfind's
    sidecars; a merge writes a new segment and unlinks the old), so an incremental build
    costs what it writes, not a copy of the whole index (and not twice its disk); the rest
    (table of contents, lock, polyfind.json, which are written again) copied."""
    def link_or_copy(source: str, target: str) -> object:
        if SEGMENT_FILE.fullmatch(os.path.basename(source)):
            try:
                os.link(source, target)
                return target
            except OSError as exc:  # another file system, no links: a copy, as before
                log.debug("copying %s instead of linking it: %s", source, exc)
        return shutil.copy2(source, target)

    shutil.copytree(live, building, copy_function=link_or_copy)


def _write_meta(folder: Path, settings: Settings, plan: _Plan, generation: int,
                verified: integrity.Verified | None = None) -> None:
    meta = {
        "generation": generation,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": str(corpus_source(settings)),
        "schema": schema_signature(),
        "documents": plan.documents,
        "languages": plan.languages(),
        "size_bytes": folder_size(folder),
        integrity.MANIFEST: integrity.record(folder, verified),
    }
    (folder / META).write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")
    integrity.seal(folder)
    integrity.seal_root(folder.parent)


def _switch(index_path: Path, target: Path) -> None:
    """Point `current` at target with one atomic rename."""
    tmp = index_path / f"{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.name)
    os.replace(tmp, index_path / CURRENT)
    log.info("index %s: current -> %s", index_path, target.name)


def _prune(index_path: Path, live: Path, retired: Path | None, keep_seconds: float) -> None:
    """Record that `retired` was switched away from, and remove the generations retired
    more than `keep_seconds` ago, never the live one nor the last one retired (a server
    may still be answering from them). A generation with no record counts from now."""
    now = time.time()
    record = _read_retired(index_path)
    if retired is not None and retired.resolve() != live.resolve():
        record[retired.name] = now
    folders = {e.name: e for e in index_path.iterdir()
               if e.name.startswith(GEN_PREFIX) and e.is_dir() and e.name != live.name}
    record = {name: record.get(name, now) for name in folders}
    last = max(record, key=lambda name: (record[name], name), default=None)
    for name, since in list(record.items()):
        if name != last and now - since > keep_seconds:
            shutil.rmtree(folders[name], ignore_errors=True)
            if not folders[name].exists():
                del record[name]
    _write_retired(index_path, record)


def _read_retired(index_path: Path) -> dict[str, float]:
    try:
        data = json.loads((index_path / RETIRED).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_retired(index_path: Path, record: dict[str, float]) -> None:
    tmp = index_path / f"{RETIRED}.tmp"
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, index_path / RETIRED)


def _nothing_indexed(corpus: Path, skipped: list[tuple[str, str]], shown: int = 3) -> str:
    """One line: no article anywhere, and the first few things skipped with why."""
    if not skipped:
        return f"no article found in {corpus}: add .txt, .md, .html or .jsonl files with text"
    first = "; ".join(f"{where} ({why})" for where, why in skipped[:shown])
    more = f"; and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return (f"no article found in {corpus}: {len(skipped)} item(s) skipped: {first}{more}"
            " (fix or replace them and run `polyfind index` again)")


@contextmanager
def _unfinished_removed() -> Iterator[list[Path]]:
    """Any failure of a build (full disk, killed writer, bad input, Ctrl+C) removes the
    folders it listed (its building-* folder, and its renamed generation unless `current`
    points there already) before the error goes on: a full disk does not stay full."""
    folders: list[Path] = []
    try:
        yield folders
    except BaseException as exc:
        for folder in folders:
            live = _live_dir(folder.parent)
            if isinstance(exc, KeyboardInterrupt) and (folder / PROGRESS).is_file():
                log.warning("build interrupted: %s keeps the batches it committed; `polyfind "
                            "index` continues it, `polyfind index --rebuild` starts over",
                            folder)
            elif folder.exists() and (live is None or folder.resolve() != live):
                shutil.rmtree(folder, ignore_errors=True)
        raise


def _remove_leftovers(index_path: Path, keep: Path | None) -> None:
    """Folders of builds that were killed before they finished, but the one continued."""
    for entry in index_path.iterdir():
        if entry.name.startswith(BUILDING_PREFIX) and (keep is None or entry.resolve() != keep):
            shutil.rmtree(entry, ignore_errors=True)


def corpus_source(settings: Settings) -> Path:
    """Where the documents come from: the built site when one is set, else the corpus folder."""
    return settings.corpus.site or settings.corpus.path


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
