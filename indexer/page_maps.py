"""Read-only maps of index files, advised for what a search does with them: small reads
at random places, and some whole ranges read in order.

Without advice, a fault on a page not in memory makes the kernel read the disk's whole
read-ahead window around it (`read_ahead_kb`, often megabytes). While the index fits in
memory that is harmless; once it does not, every cold term lookup pulls in pages no
search asked for and pushes out pages searches need. Advised random, a fault reads its
own page; a range about to be read whole (a long posting array) is asked for in one go
first.
"""

from __future__ import annotations

import mmap

_RANDOM = getattr(mmap, "MADV_RANDOM", None)  # not on every platform
_WILLNEED = getattr(mmap, "MADV_WILLNEED", None)
PAGE = mmap.PAGESIZE


def read_only_map(fileno: int) -> mmap.mmap:
    """The whole file mapped read-only, advised for reads at random places."""
    found = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
    if _RANDOM is not None:
        found.madvise(_RANDOM)
    return found


def will_read(found: mmap.mmap, offset: int, length: int) -> None:
    """Tell the kernel that `length` bytes from `offset` will be read now, so the pages
    not in memory come in one read instead of a fault each (only for more than a page:
    a shorter range costs one fault, at most two)."""
    if _WILLNEED is None or length <= PAGE:
        return
    start = offset - offset % PAGE
    found.madvise(_WILLNEED, start, min(offset + length, len(found)) - start)
