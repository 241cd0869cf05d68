"""The layout polyfind's own per-segment files share (term arrays, typo lists): a header
(magic, where the index is, its length), the data, and the index, pickled, at the end;
written under a temporary name and renamed whole, read through a read-only map."""

from __future__ import annotations

import logging
import mmap
import pickle
import struct
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from .page_maps import read_only_map, will_read

log = logging.getLogger(__name__)

HEADER = struct.Struct("<8sQQ")  # magic, index offset, index length
# What a damaged file raises while it is opened.
DAMAGED = (OSError, ValueError, pickle.UnpicklingError, struct.error, EOFError)
T = TypeVar("T")


def start(out: IO[bytes], magic: bytes) -> None:
    """The header's place, filled in by finish."""
    out.write(HEADER.pack(magic, 0, 0))


def finish(out: IO[bytes], magic: bytes, index: Any) -> None:
    """The index after the data, and the header that finds it."""
    where = out.tell()
    table = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(table)
    out.seek(0)
    out.write(HEADER.pack(magic, where, len(table)))


def mapped(path: Path, magic: bytes) -> tuple[mmap.mmap, Any]:
    """The file mapped read-only and its index; ValueError unless it is whole."""
    with open(path, "rb") as handle:
        found = read_only_map(handle.fileno())
    found_magic, where, length = HEADER.unpack_from(found, 0)
    if found_magic != magic or where + length != len(found):
        raise ValueError(f"{path} is not a complete {path.suffix} file")
    will_read(found, where, length)
    return found, pickle.loads(found[where:where + length])


def opened(make: Callable[[Path], T], path: Path, instead: str) -> T | None:
    """make(path), or None when the file is missing or damaged (logged, with what serves
    `instead`)."""
    try:
        return make(path)
    except FileNotFoundError:
        return None
    except DAMAGED as error:
        log.warning("damaged %s (%s): %s", path, error, instead)
        return None
