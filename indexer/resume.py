"""A killed build's committed batches, kept for the next build to continue.

A full build of a million documents takes hours, and a reboot, an out-of-memory kill or a
Ctrl+C near its end used to cost all of it. After each batch it commits but the last, a
build lists the files of its unfinished generation in polyfind.progress.json with their
sizes and hashes (indexer/integrity.py), and says what it was: full or incremental, on
which live generation, with which analysis. The next `polyfind index` (not `--rebuild`)
that finds such a folder, made on the same live generation with the same analysis, drops
what the killed batch left half-written, checks the rest as it checks a generation
(nothing is unpickled that polyfind did not write) and writes only what the folder lacks.

Whoosh deletes a commit's table of contents when it writes the next one, before the new
one is recorded: a build killed in between would leave its record naming a file that is
gone. The record keeps that small file's bytes, to put it back.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import regex

from . import integrity
from .errors import PolyfindError
from .layout import BUILDING_PREFIX, PROGRESS
from .schema import schema_signature

log = logging.getLogger(__name__)

# Whoosh's table of contents: _<index name>_<commit number>.toc
TABLE_OF_CONTENTS = regex.compile(r"_MAIN_([0-9]+)\.toc")


@dataclass
class Unfinished:
    """A killed build's folder that passed its check."""

    folder: Path
    full: bool  # a full build (else an incremental one, on a copy of the live generation)
    documents: int  # documents its committed batches hold
    verified: integrity.Verified


class Checkpoints:
    """Records, after each committed batch, what a building generation holds."""

    def __init__(self, folder: Path, full: bool, base: int,
                 verified: integrity.Verified) -> None:
        self.folder, self.full, self.base = folder, full, base
        self.verified = verified  # its files' manifest entries: each file is hashed once

    def save(self, documents: int) -> None:
        files = integrity.record(self.folder, self.verified, PROGRESS)
        commits = {name: int(found[1]) for name in files
                   if (found := TABLE_OF_CONTENTS.fullmatch(name))}
        toc = max(commits, key=commits.__getitem__)  # Whoosh's latest
        progress = {"full": self.full, "base": self.base, "schema": schema_signature(),
                    "documents": documents, integrity.MANIFEST: files,
                    "toc": {"name": toc, "bytes": base64.b64encode(
                        (self.folder / toc).read_bytes()).decode("ascii")}}
        tmp = self.folder / f"{PROGRESS}.tmp"
        tmp.write_text(json.dumps(progress, indent=1), "utf-8")
        os.replace(tmp, self.folder / PROGRESS)
        self.verified = integrity.by_inode(self.folder, PROGRESS)

    def finish(self) -> None:
        """The build is complete: its generation's own record replaces the progress."""
        (self.folder / PROGRESS).unlink(missing_ok=True)


def find(index_path: Path, base: int) -> Unfinished | None:
    """The folder a killed build left that the next build can continue: made on the live
    generation numbered `base` (0: none) with the current analysis, and passing its check
    once the killed batch's files are dropped. None when there is none."""
    for folder in sorted(index_path.resolve().glob(f"{BUILDING_PREFIX}*")):
        progress = _read(folder)
        if progress is None or progress["base"] != base \
                or progress["schema"] != schema_signature():
            continue
        try:
            _restore_toc(folder, progress["toc"])
            _drop_unrecorded(folder, progress[integrity.MANIFEST])
            integrity.verify(index_path, folder, PROGRESS)
        except (PolyfindError, OSError, ValueError) as exc:  # (ValueError: bad base64)
            log.warning("the killed build in %s cannot be continued (%s): starting over",
                        folder, exc)
            continue
        log.info("continuing the killed build in %s (%d documents written)", folder,
                 progress["documents"])
        return Unfinished(folder, progress["full"], progress["documents"],
                          integrity.by_inode(folder, PROGRESS))
    return None


def committed(index_path: Path) -> dict[str, int]:
    """Documents committed by each unfinished build (under way, or killed), by folder name."""
    return {folder.name: progress["documents"]
            for folder in sorted(index_path.glob(f"{BUILDING_PREFIX}*"))
            if (progress := _read(folder)) is not None}


def _read(folder: Path) -> dict | None:
    """A building folder's progress record, when it is one this code wrote."""
    if folder.is_symlink() or not folder.is_dir():
        return None
    try:
        progress = json.loads((folder / PROGRESS).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    kinds = {"full": bool, "base": int, "schema": str, "documents": int,
             integrity.MANIFEST: dict, "toc": dict}
    if not isinstance(progress, dict) or not all(
            isinstance(progress.get(key), kind) for key, kind in kinds.items()):
        return None
    return progress


def _restore_toc(folder: Path, toc: dict) -> None:
    """Put back the recorded table of contents when the next commit deleted it (its hash
    is checked with the other files')."""
    name = str(toc.get("name", ""))
    if TABLE_OF_CONTENTS.fullmatch(name) and not (folder / name).exists():
        log.info("restoring %s in %s, deleted by a commit the build did not record", name,
                 folder)
        (folder / name).write_bytes(base64.b64decode(str(toc.get("bytes", ""))))
        (folder / name).chmod(0o644)


def _drop_unrecorded(folder: Path, files: dict) -> None:
    """Remove what the batch being written when the build was killed left: its segments'
    files, Whoosh's temporary folder, a progress record not yet in place."""
    for entry in os.scandir(folder):
        if entry.name in files or entry.name == PROGRESS:
            continue
        log.debug("dropping %s, written after the last committed batch", entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
