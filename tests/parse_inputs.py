"""Inputs that made the readers quadratic, at any size, and a CPU timer: shared by the
linear-time tests and bench/parse.py. Each maker gives a text of about `size` characters."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import regex

from indexer.corpus import _html_articles, _read_markdown, _read_plain

WORDS = regex.findall(r"\p{L}+", (Path(__file__).resolve().parent.parent / "corpus" / "pl.txt")
                      .read_text("utf-8"))


def cpu_seconds(read: Callable[[str], object], text: str, runs: int = 2) -> float:
    """CPU time of read(text), best of `runs` (CPU, not wall time: the machine is shared)."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        read(text)
        best = min(best, time.process_time() - started)
    return best


def dump_of_short_lines(size: int) -> str:
    """A page dump of 1-4 real words a line: every line is a candidate heading."""
    rnd, out, total = random.Random(7), [], 0
    while total < size:
        line = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 4)))
        out.append(line)
        total += len(line) + 1
    return "\n".join(out)


def repeated(unit: str) -> Callable[[int], str]:
    return lambda size: unit * (size // len(unit))


def closed_nesting(size: int) -> str:
    depth = size // len("<div>a </div>")
    return "<html><body>" + "<div>a " * depth + "</div>" * depth + "</body></html>"


def parse_plain(text: str) -> object:
    return list(_read_plain(text))


def parse_html(text: str) -> object:
    return list(_html_articles(text))


def parse_markdown(text: str) -> object:
    return list(_read_markdown(text))


def parse_site_page(text: str) -> object:
    from indexer.site import parse_page

    return parse_page(text)


# name -> (size at 1x, maker, reader); 1x is the size of the reported slow input
CASES: dict[str, tuple[int, Callable[[int], str], Callable[[str], object]]] = {
    "page dump, short lines": (28_000, dump_of_short_lines, parse_plain),
    "HTML nested, never closed": (200_000, repeated("<div>słowo "), parse_html),
    "HTML nested, closed": (200_000, closed_nesting, parse_html),
    "HTML unclosed quotes": (200_000, repeated("<a b='x "), parse_html),
    "HTML unclosed comments": (200_000, repeated("<!--a"), parse_html),
    "HTML bare '<a'": (200_000, repeated("<a"), parse_html),
    "HTML unclosed end tags": (200_000, repeated("</a x"), parse_html),
    "site page nested, never closed": (200_000, repeated("<main><div>słowo "), parse_site_page),
    "site page unclosed quotes": (200_000, repeated("<a b='x "), parse_site_page),
    "site page unclosed comments": (200_000, repeated("<!--a"), parse_site_page),
    "Markdown '['": (200_000, repeated("["), parse_markdown),
    "text, blank lines of spaces": (200_000, repeated(" \n"), parse_plain),
}
