"""A dictionary anchor for conflation: Hunspell's stems (`hunspell -s`), when the `hunspell`
program and the language's Debian dictionary (hunspell-pl, -he, -kk, -af) are installed.
For evaluation only, never a dependency of the search."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

DICTIONARIES = Path("/usr/share/hunspell")
DICTIONARY = {"pl": "pl_PL", "he": "he_IL", "kk": "kk_KZ", "af": "af_ZA"}

log = logging.getLogger(__name__)


def available(lang: str) -> bool:
    name = DICTIONARY.get(lang)
    return bool(name and shutil.which("hunspell")
                and (DICTIONARIES / f"{name}.dic").is_file())


def stems(lang: str, forms: Iterable[str]) -> dict[str, set[str]]:
    """form -> its Hunspell stems (empty for a word the dictionary does not know), all
    forms in one run of the program."""
    words = sorted(set(forms))
    result = subprocess.run(
        ["hunspell", "-i", "utf-8", "-s", "-d", str(DICTIONARIES / DICTIONARY[lang])],
        input="\n".join(words) + "\n", capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "LC_ALL": "C.UTF-8"}, timeout=600, check=False)
    if result.returncode != 0:
        log.warning("hunspell failed for %s: %s", lang, result.stderr.strip()[:200])
        return {}
    return parse_stems(result.stdout)


def parse_stems(output: str) -> dict[str, set[str]]:
    """`hunspell -s` output: a line "word stem" per stem, a bare "word" when unknown."""
    found: dict[str, set[str]] = {}
    for line in output.splitlines():
        parts = line.split()
        if parts:
            found.setdefault(parts[0], set()).update(parts[1:2])
    return found
