"""Visible text of an HTML page, its <title>, <h1> and <html lang>, in one pass over the text.

A scanner of its own rather than html.parser: the standard parser rescans the rest of the
page at every unclosed '<', comment or quote (quadratic: 80 KB of `<a b='x ` took 22 s), and
the open-element checks are counters, not searches of the stack. Every step consumes what it
scanned, so the time is linear in the page's size. Markup still open at the end of the page is
read as text (nothing is lost); an unclosed <script> or <style> hides the rest, as in browsers.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
                   "article", "header", "footer", "blockquote", "pre", "ul", "ol", "table"})
HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
# Elements whose content is text up to their end tag, never markup (title keeps its text).
RAW_TEXT = frozenset({"script", "style", "title", "textarea"})

TAG_NAME = re.compile(r"[a-zA-Z][^\s/>]*")
SPACE_SLASH = re.compile(r"[\s/]*")
# A quote not closed before the end of the page falls through to the unquoted form, so each
# failed quote scan is the last of its kind: no rescans.
ATTRIBUTE = re.compile(r"""([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")


@dataclass(frozen=True)
class HtmlText:
    text: str  # visible text, a newline at each block element's edges
    title: str
    h1: str  # the first <h1>'s text
    lang: str | None


def read_html(page: str) -> HtmlText:
    """The page's visible text and labels (scripts, styles and <head> left out)."""
    collector = _Collector()
    scan(page, collector)
    return collector.result()


class _Collector:
    """Receives tags and text in order; what is open is counted, so each check is O(1)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.lang: str | None = None
        self._stack: list[str] = []
        self._open: Counter[str] = Counter()
        self._hidden = 0
        self._h1_done = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "html":
            self.lang = attrs.get("lang") or None
        if tag in BLOCK:
            self.parts.append("\n")
        if tag != "br":
            self._stack.append(tag)
            self._open[tag] += 1
            self._hidden += tag in HIDDEN

    def end(self, tag: str) -> None:
        if self._open[tag]:
            while True:
                top = self._stack.pop()
                self._open[top] -= 1
                self._hidden -= top in HIDDEN
                if top == tag:
                    break
        if tag == "h1" and "".join(self.h1).strip():
            self._h1_done = True
        if tag in BLOCK:
            self.parts.append("\n")

    def data(self, text: str) -> None:
        if not text:
            return
        if self._open["title"]:
            self.title.append(text)
        elif self._hidden:
            return
        else:
            if self._open["h1"] and not self._h1_done:
                self.h1.append(text)
            self.parts.append(text)

    def result(self) -> HtmlText:
        return HtmlText(text="".join(self.parts), title="".join(self.title),
                        h1="".join(self.h1), lang=self.lang)


class Handler(Protocol):
    """What a scan reports, in document order."""

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...


def scan(page: str, out: Handler) -> None:
    """Report the page's tags and text to `out`, in one linear pass."""
    i, size = 0, len(page)
    while i < size:
        lt = page.find("<", i)
        if lt < 0:
            out.data(html.unescape(page[i:]))
            return
        out.data(html.unescape(page[i:lt]))
        i = _markup(page, lt, out)


def _markup(page: str, i: int, out: Handler) -> int:
    """Handle the markup at page[i] == '<'; the position after it."""
    after = page[i + 1:i + 2]
    if page.startswith("<!--", i):
        return _skip_to(page, i, "-->", i + 4, out)
    if after in ("!", "?"):
        return _skip_to(page, i, ">", i + 2, out)
    if after == "/" and TAG_NAME.match(page, i + 2):
        name = TAG_NAME.match(page, i + 2)
        assert name is not None
        end = page.find(">", name.end())
        if end < 0:
            return _rest_as_text(page, i, out)
        out.end(name.group().lower())
        return end + 1
    if TAG_NAME.match(page, i + 1):
        return _start_tag(page, i, out)
    out.data("<")
    return i + 1


def _start_tag(page: str, i: int, out: Handler) -> int:
    name = TAG_NAME.match(page, i + 1)
    assert name is not None
    tag, j = name.group().lower(), name.end()
    attrs: dict[str, str] = {}
    while True:
        j = SPACE_SLASH.match(page, j).end()  # type: ignore[union-attr]
        if j >= len(page):
            return _rest_as_text(page, i, out)
        if page[j] == ">":
            break
        attr = ATTRIBUTE.match(page, j)
        assert attr is not None  # page[j] is not a space, '/' or '>'
        key = attr.group(1).lower()
        value = next((v for v in attr.group(2, 3, 4) if v is not None), "")
        attrs.setdefault(key, html.unescape(value))
        j = attr.end()
    out.start(tag, attrs)
    if page[j - 1] == "/" and tag not in RAW_TEXT:  # <div/>: opened and closed
        out.end(tag)
    if tag in RAW_TEXT:
        return _raw_text(page, j + 1, tag, out)
    return j + 1


def _raw_text(page: str, i: int, tag: str, out: Handler) -> int:
    """Content of a <script>, <style>, <title> or <textarea>: text up to its end tag."""
    close = re.compile(rf"</{tag}(?=[\s/>])", re.IGNORECASE).search(page, i)
    stop = close.start() if close else len(page)
    text = page[i:stop]
    out.data(text if tag in ("script", "style") else html.unescape(text))
    if not close:
        out.end(tag)
        return stop
    end = page.find(">", close.end())
    out.end(tag)
    return len(page) if end < 0 else end + 1


def _skip_to(page: str, i: int, terminator: str, search_from: int, out: Handler) -> int:
    """Past a comment, declaration or processing instruction (or the rest is text)."""
    end = page.find(terminator, search_from)
    if end < 0:
        return _rest_as_text(page, i, out)
    return end + len(terminator)


def _rest_as_text(page: str, i: int, out: Handler) -> int:
    """Markup still open at the end of the page: kept as text rather than lost."""
    out.data(html.unescape(page[i:]))
    return len(page)
