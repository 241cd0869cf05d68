"""The index files a search maps are advised for reads at random places (page_maps): on an
index bigger than memory, a cold lookup then reads its page, not the disk's whole
read-ahead window around it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from indexer import page_maps
from indexer.config import Settings
from indexer.layout import current_dir
from indexer.search import SearchService

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the kernel's advice is read from /proc/self/smaps")


_MAPPING = re.compile(r"[0-9a-f]+-[0-9a-f]+ ")


def _mapped_flags(folder: Path) -> dict[str, set[str]]:
    """Suffix of each file under `folder` this process maps -> the flags of its maps."""
    found: dict[str, set[str]] = {}
    current = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if _MAPPING.match(line):  # a mapping's first line: range, mode, ..., its file if any
            path = Path(fields[5]) if len(fields) >= 6 else None
            current = path.suffix if path is not None and folder in path.parents else None
        elif current is not None and line.startswith("VmFlags:"):
            found.setdefault(current, set()).update(fields[1:])
    return found


def test_a_searchers_index_maps_are_advised_random(built_settings: Settings) -> None:
    service = SearchService(built_settings)
    service.search("lejek")
    service.search("lej", prefix="auto")
    service.search("wodocion")  # a typo: the typo lists are read
    flags = _mapped_flags(current_dir(built_settings.index.path).resolve())
    assert {".trm", ".pst", ".pfterms", ".pftypo"} <= set(flags), flags
    for suffix, found in flags.items():
        assert "rr" in found, (suffix, found)  # rr: VM_RAND_READ, madvise(MADV_RANDOM)


def test_a_range_to_read_may_end_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(bytes(range(256)) * (3 * page_maps.PAGE // 256) + b"tail")
    with path.open("rb") as handle:
        mapped = page_maps.read_only_map(handle.fileno())
    for offset, length in ((0, len(mapped)), (page_maps.PAGE + 7, 2 * page_maps.PAGE),
                           (len(mapped) - page_maps.PAGE - 1, page_maps.PAGE + 1), (5, 10)):
        page_maps.will_read(mapped, offset, length)
    assert mapped[-4:] == b"tail"
    assert mapped[:3] == bytes(range(3))
