"""Find corpus files and open them safely: one bad entry is skipped and named, never fatal.

Symbolic links are never followed (a link can reach any file on the machine, e.g.
/etc/passwd, and a link checked to point inside the corpus can be swapped before it is
opened); FIFOs, devices and sockets are never opened for reading (a FIFO blocks a reader
forever); names that are not UTF-8 cannot be stored or shown and are skipped.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from io import BufferedReader
from pathlib import Path

Skip = Callable[[str, str], None]
# Read in pieces this big, so a line's length is checked before all of it is in memory.
CHUNK_BYTES = 1024 * 1024


def shown_name(name: str) -> str:
    """A file name as the user can type it: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def find_files(root: Path, suffixes: tuple[str, ...], skip: Skip) -> list[tuple[str, Path]]:
    """(relative path, path) of every regular file under root with one of the suffixes, in
    path order; symbolic links, special files and undecodable names are skipped and named."""
    found: list[tuple[tuple[str, ...], str, Path]] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            skip(_rel(folder, root) + "/", f"folder cannot be read ({exc.strerror or exc})")
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = _rel(path, root)
            indexed = path.suffix.lower() in suffixes
            if not _is_utf8(entry.name):
                skip(shown_name(rel), "file name is not valid UTF-8: rename it to index it")
            elif entry.is_symlink():
                if indexed or entry.is_dir():
                    skip(rel, "symbolic link, not followed (links may lead outside the corpus "
                              "folder): copy the file into the corpus instead")
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif indexed:
                if entry.is_file(follow_symlinks=False):
                    found.append((Path(rel).parts, rel, path))
                else:
                    skip(rel, f"not a regular file ({_kind(entry)}); only plain files are read")
    return [(rel, path) for _parts, rel, path in sorted(found)]


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "."


def _kind(entry: os.DirEntry) -> str:
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return "unknown type"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a plain file"


def open_regular(path: Path, limit: int) -> BufferedReader:
    """The file opened for reading, refused (ValueError) before any byte is read when it is
    not a regular file any more (swapped for a link or FIFO since it was listed) or is
    larger than `limit` bytes."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("symbolic link, not followed") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file; only plain files are read")
        if info.st_size > limit:
            raise ValueError(f"larger than {_megabytes(limit)} (limit): split it into "
                             "smaller files")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")  # a BufferedReader
    except BaseException:
        os.close(fd)
        raise


def read_limited(handle: BufferedReader, limit: int) -> bytes:
    """All of a file, refused once it passes `limit` bytes (it may grow after the check)."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {_megabytes(limit)} (limit): split it into smaller files")
    return data


def lines(handle: BufferedReader, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a file read line by line; a line longer than `limit` bytes is
    read past in pieces and given as None, so it never sits in memory whole."""
    lineno = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(CHUNK_BYTES)
            yield lineno, None
        else:
            yield lineno, line


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
