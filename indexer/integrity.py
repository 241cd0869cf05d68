"""Nothing is unpickled that polyfind did not write.

Whoosh reads an index with pickle (the table of contents, postings blocks, term infos,
stored fields; polyfind's term arrays too), so a file someone else can write is code they
can run in polyfind. A build records every file of a generation with its size and SHA-256
in polyfind.json; before a generation is opened (search, info, health, incremental build)
its index folder, generation folder and every file must belong to the running user (or
root), be writable by no one else, list exactly the recorded files, and match their sizes
and hashes. The same check finds a truncated or emptied file at open, not at a search.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import stat
import struct
import time
import zlib
from pathlib import Path

from .errors import IndexDamagedError, IndexUntrustedError, PolyfindError
from .layout import META

MANIFEST = "files"
HASH = "sha256"  # 1.5 GB/s here (SHA-NI), twice blake2b's speed
REBUILD = "run `polyfind index --rebuild`"
logger = logging.getLogger(__name__)
# What Whoosh raises reading a damaged file: a bad pickle, a short read, a wrong offset.
READ_ERRORS = (struct.error, EOFError, ValueError, TypeError, pickle.UnpicklingError,
               zlib.error, OSError, IndexError, KeyError, AttributeError)

# What a check remembers of the files it verified, to tell cheaply whether they changed.
Stamp = tuple[tuple[str, int, int, int, int, int], ...]


class GenerationCheck:
    """One generation's verdict, worked out again only when the stat of its files, its folder
    or the index folder changed (a stat is cheap, a hash is not): an open hashes once, and a
    health check or a failed read after that costs a stat unless something was written."""

    def __init__(self, root: Path, generation: Path):
        self.root, self.generation = root.resolve(), generation
        self._stamp: Stamp | None = None
        self._error: PolyfindError | None = None

    def check(self) -> None:
        """Raise IndexUntrustedError or IndexDamagedError unless the generation passes."""
        stamp = _stamp(self.root, self.generation)  # before: a change during a check is seen
        if stamp != self._stamp:
            try:
                if _CHECKED_BEFORE_FORK.get(self.root) != (self.generation, stamp):
                    _verify_logged(self.root, self.generation)
                self._error = None
            except PolyfindError as exc:
                self._error = exc
            self._stamp = stamp
        if self._error is not None:
            raise self._error.__class__(str(self._error))

    @property
    def stamp(self) -> Stamp | None:
        """The stat of the files the last check judged (None: not checked yet)."""
        return self._stamp


# The generation a server's master checked before forking its workers, with the stamp its
# files had then, by index folder: a worker, forked with this table, trusts that check as
# its own while the stamp holds (each would otherwise hash every file again, all at once).
_CHECKED_BEFORE_FORK: dict[Path, tuple[Path, Stamp]] = {}


def check_before_fork(root: Path, generation: Path) -> None:
    """In a server's master: check `generation` once for all the workers it will fork
    (again only when a file changed); raises as verify() does (the workers then report the
    error to requests)."""
    check = GenerationCheck(root, generation)
    check.check()  # a stat only, when this table holds the generation as it is now
    if check.stamp:  # (): its files could not be stat'ed, so no worker can tell them unchanged
        _CHECKED_BEFORE_FORK[check.root] = (generation, check.stamp)


def _verify_logged(root: Path, generation: Path) -> None:
    """verify(), saying how long the hashing took (a minute or more for a big index)."""
    started = time.perf_counter()
    verify(root, generation)
    logger.info("checked index generation %s (hashed every file) in %.1f s", generation.name,
                time.perf_counter() - started)


# A file's (device, inode, size, mtime): while it holds, the file holds the same bytes.
FileIdentity = tuple[int, int, int, int]
# A verified generation's manifest entries by the identity of their files: a file of a new
# generation that is one of them (a hard link) has the same bytes.
Verified = dict[FileIdentity, dict]


def record(folder: Path, verified: Verified | None = None, kept_in: str = META
           ) -> dict[str, dict[str, object]]:
    """The manifest of a generation: each file (but `kept_in`, the record it goes in) with
    its size and hash (taken from `verified` for a file that is one of its files: an
    incremental build's links to the live generation's segments are not read again); its
    files and the folder are made writable by their owner only."""
    seal(folder)
    manifest: dict[str, dict[str, object]] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name == kept_in:
            continue
        info = entry.stat(follow_symlinks=False)
        known = (verified or {}).get(_identity(info))
        manifest[entry.name] = {"size": info.st_size,
                                HASH: known[HASH] if known else _digest(Path(entry.path))}
    return manifest


def by_inode(generation: Path, kept_in: str = META) -> Verified:
    """The manifest entries of a generation that has just passed its check, by the identity
    of their files now."""
    found: Verified = {}
    for name, entry in _manifest(generation, kept_in).items():
        try:
            info = (generation / name).stat(follow_symlinks=False)
        except OSError:
            continue
        if info.st_size == entry.get("size"):
            found[_identity(info)] = entry
    return found


def _identity(info: os.stat_result) -> FileIdentity:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def seal(folder: Path) -> None:
    """Drop group and other write permission from a generation and its files (a umask of
    002 would otherwise leave an index polyfind itself refuses)."""
    for path in (folder, *(Path(e.path) for e in os.scandir(folder))):
        mode = path.lstat().st_mode
        if mode & 0o022 and not stat.S_ISLNK(mode):
            path.chmod(stat.S_IMODE(mode) & ~0o022)


def seal_root(root: Path) -> None:
    """Drop group and other write permission from the index folder a build wrote into (made
    under a umask of 002, or by hand), when the running user owns it: searches refuse it
    otherwise. Said in the log, since it changes a folder the user may have made; a sticky
    folder is shared on purpose (/tmp) and left alone (searches refuse it)."""
    info = root.stat()
    if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX and info.st_uid == os.geteuid():
        mode = stat.S_IMODE(info.st_mode) & ~0o022
        root.chmod(mode)
        logger.warning("index folder %s could be written by other users: now mode %o (the "
                       "index is read with pickle, so only its owner may write it)", root, mode)


def verify(root: Path, generation: Path, kept_in: str = META) -> None:
    """Check a generation before anything in it is unpickled (see the module docstring)
    against the manifest kept in its file `kept_in`; IndexUntrustedError or
    IndexDamagedError, one line naming the path and the remedy."""
    try:
        return _verify(root.resolve(), generation, kept_in)
    except OSError as exc:
        raise IndexDamagedError(
            f"index at {generation} cannot be read ({exc.strerror or exc}): {REBUILD}"
        ) from None


def _verify(root: Path, generation: Path, kept_in: str) -> None:
    _check_owner_and_mode(root, "index folder")
    if generation.parent != root:
        raise IndexUntrustedError(
            f"{root / 'current'} points outside the index folder (to {generation}); polyfind "
            f"reads only generations it built there: {REBUILD}"
        )
    _check_owner_and_mode(generation, "index generation")
    entries = _entries(generation)
    for path in entries.values():
        _check_owner_and_mode(path, "index file")
    files = _manifest(generation, kept_in)
    added = sorted(set(entries) - set(files) - {kept_in})
    if added:
        raise IndexUntrustedError(
            f"{generation / added[0]} is not a file polyfind wrote (it is not in {kept_in}); "
            f"the index is read with pickle, which can run code: remove it, or {REBUILD}"
        )
    hashed: dict[FileIdentity, str] = {}
    for name, expected in files.items():
        _check_file(generation / name, expected, entries, hashed)
    _HASHED.clear()
    _HASHED.update(hashed)


# The files of the generation this process (or the master it was forked from) last verified:
# their identity (device, inode, size, mtime) -> the hash they matched. A new generation
# links the unchanged segments of the one before (an incremental build), so a server process
# that switches to it hashes only the files the build wrote, not the whole index again.
# (The identity is the build's own test, by_inode: a file changed in place gets a new mtime,
# and only its owner, who passed the ownership check above, can set an old one back.)
_HASHED: dict[FileIdentity, str] = {}


def _check_owner_and_mode(path: Path, what: str) -> None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise IndexUntrustedError(f"{what} {path} is a symbolic link; polyfind reads only files "
                                  f"it wrote: {REBUILD}")
    if info.st_uid not in (os.geteuid(), 0):
        raise IndexUntrustedError(
            f"{what} {path} belongs to user id {info.st_uid}, not to you ({os.geteuid()}); the "
            f"index is read with pickle, which can run code, so polyfind reads only its "
            f"own files: {REBUILD}"
        )
    if info.st_mode & 0o022:
        raise IndexUntrustedError(
            f"{what} {path} can be written by other users (mode {stat.S_IMODE(info.st_mode):o}); "
            f"the index is read with pickle, which can run code: run `chmod go-w {path}` "
            f"if no one else wrote to it, or {REBUILD}"
        )


def _entries(generation: Path) -> dict[str, Path]:
    """The generation's regular files by name; anything else in it is refused."""
    entries = {}
    for entry in os.scandir(generation):
        path = Path(entry.path)
        if not entry.is_file(follow_symlinks=False):
            raise IndexUntrustedError(f"{path} is not a plain file polyfind wrote: {REBUILD}")
        entries[entry.name] = path
    return entries


def _manifest(generation: Path, kept_in: str = META) -> dict[str, dict]:
    try:
        files = json.loads((generation / kept_in).read_text("utf-8"))[MANIFEST]
        if isinstance(files, dict) and all(isinstance(v, dict) for v in files.values()):
            return files
    except (OSError, ValueError, KeyError, TypeError):
        pass
    raise IndexDamagedError(
        f"index generation {generation} has no list of its files in {kept_in} (damaged, or "
        f"built by an older polyfind): {REBUILD}"
    )


def _check_file(path: Path, expected: dict, entries: dict[str, Path],
                hashed: dict[FileIdentity, str]) -> None:
    """Size and hash as recorded (the hash taken again only for a file this process has not
    verified as it is now); a file that passes goes in `hashed`."""
    if path.name not in entries:
        raise IndexDamagedError(f"index file {path} is missing: {REBUILD}")
    info = path.stat()
    if info.st_size != expected.get("size"):
        raise IndexDamagedError(
            f"index file {path} is damaged ({info.st_size} bytes, written as "
            f"{expected.get('size')}): {REBUILD}"
        )
    identity = _identity(info)
    digest = expected.get(HASH)
    if not isinstance(digest, str) or (_HASHED.get(identity) != digest
                                       and _digest(path) != digest):
        raise IndexDamagedError(
            f"index file {path} changed since polyfind wrote it (its {HASH} differs): "
            f"{REBUILD}"
        )
    hashed[identity] = digest


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, HASH).hexdigest()


def _stamp(root: Path, generation: Path) -> Stamp:
    def facts(path: Path, name: str) -> tuple[str, int, int, int, int, int]:
        info = path.lstat()
        return (name, info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode, info.st_uid)

    try:
        return (facts(root, ""), facts(generation, "."),
                *sorted(facts(Path(e.path), e.name) for e in os.scandir(generation)))
    except OSError:
        return ()  # gone or unreadable: verify() says which
