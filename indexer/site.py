"""A built static site (Hugo, Jekyll, Astro, MkDocs output) as a corpus: every HTML page is a
document whose URL is its address on the site.

A page's text comes from `<main>` (or the element marked `data-polyfind-body`) without
navigation, headers, footers, asides and anything marked `data-polyfind-ignore`, so menu
words do not match every page; its language from `<html lang>` (detection otherwise); its
URL from `<link rel="canonical">` or its path (`a/b/index.html` → `/a/b/`); pages linked by
`hreflang` alternates are translations of one another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .config import CorpusSettings
from .corpus import CorpusReport, Document
from .corpus import _clean_lang as clean_lang
from .corpus import _path_slug as path_slug
from .corpus import _safe_url as safe_url
from .corpus import _unique as unique_id
from .corpus_files import find_files, open_regular, read_limited
from .errors import CorpusError
from .html_text import scan
from .langdetect import detect_language

PAGE_SUFFIXES = (".html", ".htm")
MAX_PAGE_BYTES = 50 * 1024 * 1024
# Page furniture, repeated on every page: never part of a document's text.
FURNITURE = frozenset({"nav", "header", "footer", "aside"})
# Elements whose content is not text a reader sees.
INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe",
                       "object", "canvas", "select", "button"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
# Elements after which the text breaks into a new paragraph.
BLOCKS = frozenset({"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt",
                    "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "blockquote",
                    "pre", "figure", "figcaption", "br", "hr", "details", "summary"})
CONTROL_ATTRIBUTES = frozenset({"data-polyfind-body", "data-polyfind-ignore",
                                "data-polyfind-meta"})
BLANK_LINES = re.compile(r"\n\s*\n\s*")
SPACES = re.compile(r"[^\S\n]+")


@dataclass
class _Open:
    """An element still open while the page is parsed."""

    tag: str
    hidden: bool  # furniture, invisible or marked ignore: its text is left out
    content: bool  # <main> or data-polyfind-body: the page's own text


@dataclass
class Page:
    """What one HTML page says about itself."""

    lang: str | None = None
    title: str = ""
    h1: str = ""
    body: str = ""
    canonical: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang → href
    meta: dict[str, str] = field(default_factory=dict)


class _PageReader:
    """Receives the page's tags and text (indexer.html_text.scan, linear in the page's size):
    a stack of open elements (with a count per tag name, so a stray end tag costs nothing)
    and two text buffers, the content element's and the whole body's (used when the page
    has no content element)."""

    def __init__(self) -> None:
        self.page = Page()
        self._stack: list[_Open] = []
        self._open_count: dict[str, int] = {}
        self._hidden = 0  # open elements whose text is left out
        self._content = 0  # open content elements
        self._content_seen = False
        self._in_body = False
        self._main_text: list[str] = []
        self._body_text: list[str] = []
        self._title: list[str] | None = None
        self._h1: list[str] | None = None

    def start(self, tag: str, values: dict[str, str]) -> None:
        self._note_head(tag, values)
        self._note_meta(values)
        if tag == "body":
            self._in_body = True
        if tag in BLOCKS:
            self._text("\n\n")
        if tag in VOID:
            return
        hidden = (tag in FURNITURE or tag in INVISIBLE or "data-polyfind-ignore" in values)
        content = (tag == "main" or "data-polyfind-body" in values) and not self._hidden
        self._stack.append(_Open(tag, hidden, content))
        self._open_count[tag] = self._open_count.get(tag, 0) + 1
        self._hidden += hidden
        self._content += content
        self._content_seen |= content
        if tag == "title" and self._title is None:
            self._title = []
        elif tag == "h1" and self._h1 is None and not self._hidden:
            self._h1 = []

    def end(self, tag: str) -> None:
        if not self._open_count.get(tag):
            return  # a stray end tag
        while self._stack:
            element = self._stack.pop()
            self._open_count[element.tag] -= 1
            self._hidden -= element.hidden
            self._content -= element.content
            self._closed(element.tag)
            if element.tag == tag:
                break
        if tag in BLOCKS:
            self._text("\n\n")

    def data(self, data: str) -> None:
        if self._title is not None and not self.page.title:
            self._title.append(data)
        if self._h1 is not None and not self.page.h1:
            self._h1.append(data)
        self._text(data)

    def _text(self, data: str) -> None:
        if self._hidden or not self._in_body:
            return
        self._body_text.append(data)
        if self._content:
            self._main_text.append(data)

    def _closed(self, tag: str) -> None:
        if tag == "title" and self._title is not None and not self.page.title:
            self.page.title = _squeeze("".join(self._title))
        elif tag == "h1" and self._h1 is not None and not self.page.h1:
            self.page.h1 = _squeeze("".join(self._h1))

    def _note_head(self, tag: str, values: dict[str, str]) -> None:
        if tag == "html" and values.get("lang"):
            self.page.lang = values["lang"]
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            href = values.get("href", "").strip()
            if "canonical" in rels and href and self.page.canonical is None:
                self.page.canonical = href
            elif "alternate" in rels and href and values.get("hreflang"):
                self.page.alternates[values["hreflang"].strip().lower()] = href
        elif tag == "meta" and values.get("name", "").lower() == "description":
            self.page.meta["description"] = _squeeze(values.get("content", ""))

    def _note_meta(self, values: dict[str, str]) -> None:
        """`data-polyfind-meta="key:value"` and `data-polyfind-<key>="value"` attributes."""
        for name, value in values.items():
            if not name.startswith("data-polyfind-") or name in CONTROL_ATTRIBUTES:
                continue
            self.page.meta[name.removeprefix("data-polyfind-")] = value.strip()
        key, sep, value = values.get("data-polyfind-meta", "").partition(":")
        if sep and key.strip():
            self.page.meta[key.strip()] = value.strip()

    def finish(self) -> Page:
        while self._stack:  # elements never closed
            self._closed(self._stack.pop().tag)
        text = self._main_text if self._content_seen else self._body_text
        self.page.body = _paragraphs("".join(text))
        return self.page


def parse_page(html_text: str) -> Page:
    """The page's language, title, text, canonical URL, alternates and metadata."""
    reader = _PageReader()
    scan(html_text, reader)
    return reader.finish()


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(text: str) -> str:
    paragraphs = (SPACES.sub(" ", p).strip() for p in BLANK_LINES.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def page_path(rel: str) -> str:
    """The page's address on the site: `a/b/index.html` → `/a/b/`, `a/b.html` → `/a/b.html`."""
    if rel == "index.html" or rel == "index.htm":
        return "/"
    for index in ("/index.html", "/index.htm"):
        if rel.endswith(index):
            return "/" + rel[: -len(index)] + "/"
    return "/" + rel


def read_site(settings: CorpusSettings) -> CorpusReport:
    """Every page of the built site at settings.site as a document (see the module doc)."""
    root = settings.site
    if root is None or not root.is_dir():
        raise CorpusError(f"site folder {root} does not exist: pass a built site's output "
                          "folder to --site (or set corpus.site in config.toml)")
    report = CorpusReport()
    files = find_files(root, PAGE_SUFFIXES, lambda rel, why: report.skipped.append((rel, why)))
    if not files:
        raise CorpusError(f"site folder {root} has no .html pages to index")
    parsed: list[tuple[str, Page]] = []
    for rel, path in files:
        try:
            with open_regular(path, MAX_PAGE_BYTES) as handle:
                page = parse_page(read_limited(handle, MAX_PAGE_BYTES).decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = "not valid UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
            report.skipped.append((rel, reason))
            continue
        if not page.body:
            report.skipped.append((rel, "no text in the page's content"))
            continue
        parsed.append((rel, page))
    report.documents = _documents(parsed, settings.base_url, report.skipped)
    return report


def _documents(parsed: list[tuple[str, Page]], base_url: str,
               skipped: list[tuple[str, str]]) -> list[Document]:
    urls = [_page_url(rel, page, base_url) for rel, page in parsed]
    keys = _translation_keys(parsed, urls, base_url)
    seen_ids: set[str] = set()
    seen_texts: dict[tuple[str, str], str] = {}
    documents = []
    for (rel, page), url, key in zip(parsed, urls, keys, strict=True):
        title = page.h1 or page.title or rel
        if (title, page.body) in seen_texts:
            skipped.append((rel, f"duplicate of {seen_texts[(title, page.body)]}"))
            continue
        doc_id = unique_id(path_slug(rel), seen_ids)
        seen_ids.add(doc_id)
        seen_texts[(title, page.body)] = doc_id
        lang = clean_lang(page.lang) or detect_language(f"{title}\n{page.body}")
        documents.append(Document(
            id=doc_id, lang=lang, title=title, body=page.body, source=rel, position=0,
            url=url, translation_key=key, meta=tuple(sorted(page.meta.items())),
        ))
    return documents


def _page_url(rel: str, page: Page, base_url: str) -> str:
    """The canonical link when it is a web address, else the page's path under base_url."""
    own = _absolute(base_url, page_path(rel))
    if page.canonical:
        canonical = safe_url(urljoin(own, page.canonical.strip()))
        if canonical:
            return canonical
    return own


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path if base_url else path


def _translation_keys(parsed: list[tuple[str, Page]], urls: list[str], base_url: str
                      ) -> list[str | None]:
    """Pages linked by hreflang alternates (either way, transitively) share a key."""
    by_url: dict[str, int] = {}
    for n, ((rel, _page), url) in enumerate(zip(parsed, urls, strict=True)):
        by_url.setdefault(_comparable(url), n)
        by_url.setdefault(_comparable(_absolute(base_url, page_path(rel))), n)
    parent = list(range(len(parsed)))

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for n, ((_rel, page), url) in enumerate(zip(parsed, urls, strict=True)):
        for hreflang, href in page.alternates.items():
            other = by_url.get(_comparable(urljoin(url, href)))
            if hreflang != "x-default" and other is not None:
                parent[find(other)] = find(n)
    members: dict[int, list[int]] = {}
    for n in range(len(parsed)):
        members.setdefault(find(n), []).append(n)
    keys: list[str | None] = [None] * len(parsed)
    for group in members.values():
        if len(group) > 1:
            key = "site:" + min(urls[n] for n in group)
            for n in group:
                keys[n] = key
    return keys


def _comparable(url: str) -> str:
    """A URL without scheme, host, query and fragment: alternates may be written absolute or
    relative to the site."""
    parts = urlsplit(url)
    return parts.path or "/"
