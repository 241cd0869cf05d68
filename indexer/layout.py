"""The index folder's layout on disk, for the builder that writes it and the search service
that reads it (search does not import the builder).

    index/current     symlink to the live generation (switched with an atomic rename)
    index/gen-000007/ a complete Whoosh index plus polyfind.json (what was built, when, from what)
    index/building-gen-000008/ a build under way, or one that was killed: its committed batches
                      listed in polyfind.progress.json, for the next build to continue
    index/.lock       held (flock) by the one build running
    index/retired.json when each generation was switched away from
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import IndexMissingError, PolyfindError

CURRENT = "current"
META = "polyfind.json"
LOCK = ".lock"
RETIRED = "retired.json"
GEN_PREFIX = "gen-"
BUILDING_PREFIX = "building-"
PROGRESS = "polyfind.progress.json"


def generation_number(folder: Path) -> int:
    """A generation's number, from its folder name (0 for a folder not named like one)."""
    try:
        return int(folder.name.removeprefix(GEN_PREFIX))
    except ValueError:
        return 0


def current_dir(index_path: Path) -> Path:
    """The live generation's folder; IndexMissingError when nothing was built yet."""
    link = index_path / CURRENT
    target = link.resolve() if link.is_symlink() else None
    if target is None or not (target / META).is_file():
        raise IndexMissingError(
            f"no index at {index_path}: run `polyfind index` to build it"
        )
    return target


def read_meta(generation_dir: Path) -> dict:
    try:
        return json.loads((generation_dir / META).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise PolyfindError(
            f"index at {generation_dir} is damaged ({exc}): run `polyfind index --rebuild`"
        ) from None
