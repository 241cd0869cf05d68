"""Find and read corpus files and turn them into plain Document records (knows nothing of Whoosh).

Reads page dumps (.txt with several articles, split by indexer.segment), one-article files
(.txt, .md, .html) and .jsonl exports (id, title, body, lang, url per line).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from io import BufferedReader
from pathlib import Path

from .config import CorpusSettings
from .corpus_files import Skip, find_files, lines, open_regular, read_limited
from .errors import CorpusError
from .html_text import read_html
from .langdetect import UNKNOWN, detect_language
from .segment import split_dump

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
# WordPress-style shortcodes left on a line of their own, e.g. [elfsight_cookie_consent id="1"].
# Spaces, not \s: \s also matches newlines, and every line of a run of blank lines would
# rescan the whole run (quadratic).
SHORTCODE_LINE = re.compile(r"^[ \t]*\[/?[a-z_][\w-]*(?:[ \t][^\]\n]*)?\][ \t]*$", re.MULTILINE)
MAX_FILE_BYTES = 50 * 1024 * 1024
# A .jsonl file holds one article a line, so it may be far bigger (each line within the
# limit above): a 100k-article export is over 100 MB.
MAX_JSONL_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class Document:
    """One article, as every later step sees it."""

    id: str
    lang: str
    title: str
    body: str
    source: str
    position: int
    url: str
    translation_key: str | None = None
    # What the source says about the document besides its text (a page's description...).
    meta: tuple[tuple[str, str], ...] = ()

    @cached_property
    def content_hash(self) -> str:
        """Changes whenever anything indexed about the document changes."""
        parts = [self.lang, self.title, self.body, self.url, self.translation_key or "",
                 self.source, str(self.position), repr(self.meta)]
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class CorpusReport:
    """What reading a corpus folder produced: documents, and what was skipped (files,
    folders, .jsonl lines as file:line, duplicate articles) with the reason."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Article:
    title: str
    body: str
    position: int
    lang: str | None = None
    id: str | None = None
    url: str | None = None
    translation_key: str | None = None


def read_corpus(settings: CorpusSettings) -> CorpusReport:
    """Every document under settings.path; each unreadable file, entry or .jsonl line is
    skipped and named with the reason, never fatal to the rest."""
    report = CorpusReport()
    report.documents = list(stream_corpus(settings, report.skipped))
    return report


def stream_corpus(settings: CorpusSettings, skipped: list[tuple[str, str]]
                  ) -> Iterator[Document]:
    """The documents under settings.path one by one, as read_corpus reads them: a build
    holds a batch, not the corpus (a million documents are some 12 GB as Python strings).
    A missing or empty folder is said at once; what is skipped is added to `skipped` as the
    files are read."""
    root = settings.path
    if not root.is_dir():
        raise CorpusError(
            f"corpus folder {root} does not exist: set corpus.path in config.toml or pass --corpus"
        )
    files = find_files(root.resolve(), SUFFIXES, lambda where, why: skipped.append((where, why)))
    if not files and not skipped:
        raise CorpusError(
            f"corpus folder {root} has no .txt, .md, .html or .jsonl files to index"
        )
    return _documents(files, settings, skipped)


def _documents(files: list[tuple[str, Path]], settings: CorpusSettings,
               skipped: list[tuple[str, str]]) -> Iterator[Document]:
    def skip(where: str, why: str) -> None:
        skipped.append((where, why))

    seen_ids: set[str] = set()
    seen_texts: dict[bytes, str] = {}  # digest of (title, body) -> id
    for rel, path in files:
        skipped_before, found = len(skipped), 0
        source = _Source.of(rel, path, settings)
        try:
            # A .jsonl export is read article by article; other files are read whole first,
            # so an unreadable one gives nothing. A .jsonl file that fails halfway (an I/O
            # error) keeps the articles before the failure, and is named with the reason.
            for article in _read_file(path, rel, skip):
                found += 1
                text = _text_digest(article)
                if text in seen_texts:
                    skip(f"{rel} (article {article.position})",
                         f"duplicate of {seen_texts[text]}")
                    continue
                doc = source.document(article, settings, seen_ids)
                seen_ids.add(doc.id)
                seen_texts[text] = doc.id
                yield doc
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            skip(rel, _reason(exc) if not found else
                 f"{_reason(exc)} (after {found} articles, which are kept)")
            continue
        if not found and len(skipped) == skipped_before:
            skip(rel, "no article found (empty or no text)")


def _text_digest(article: _Article) -> bytes:
    """What makes two articles duplicates, in 16 bytes instead of their text."""
    text = f"{article.title}\x1f{article.body}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).digest()


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not valid UTF-8 text: save it as UTF-8"
    if isinstance(exc, OSError):
        return f"cannot be read ({exc.strerror or exc})"
    return str(exc) or exc.__class__.__name__


def _clean_text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    text = data.decode("utf-8-sig")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _read_file(path: Path, rel: str, skip: Skip) -> Iterator[_Article]:
    suffix = path.suffix.lower()
    limit = MAX_JSONL_BYTES if suffix == ".jsonl" else MAX_FILE_BYTES
    with open_regular(path, limit) as handle:
        if suffix == ".jsonl":
            yield from _read_jsonl(handle, rel, skip)
            return
        text = _clean_text(read_limited(handle, limit))
    if suffix in (".html", ".htm"):
        yield from _html_articles(text)
    elif suffix in (".md", ".markdown"):
        yield from _read_markdown(text)
    else:
        yield from _read_plain(text)


def _read_plain(text: str) -> Iterator[_Article]:
    text = SHORTCODE_LINE.sub("", text)
    for position, segment in enumerate(split_dump(text), start=1):
        yield _Article(title=segment.title, body=segment.body, position=position)


def _read_jsonl(handle: BufferedReader, rel: str, skip: Skip) -> Iterator[_Article]:
    """One article per line, read line by line; a bad line is skipped and named (file:line),
    the rest of the file is kept."""
    if b"\x00" in handle.peek(8192)[:8192]:
        raise ValueError("binary file (contains NUL bytes)")
    for lineno, raw in lines(handle, MAX_FILE_BYTES):
        try:
            article = _jsonl_article(raw, lineno)
        except ValueError as exc:
            skip(f"{rel}:{lineno}", str(exc))
            continue
        if article is not None:
            yield article


def _jsonl_article(raw: bytes | None, lineno: int) -> _Article | None:
    """The article on one .jsonl line (None for a blank line); ValueError says what is wrong."""
    if raw is None:
        raise ValueError(f"line longer than {MAX_FILE_BYTES // (1024 * 1024)} MB: "
                         "put one article a line")
    try:
        line = unicodedata.normalize("NFC", raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not valid UTF-8 text: save the file as UTF-8") from None
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise ValueError("expected an object with title and body")
    title, body = str(record.get("title") or "").strip(), str(record.get("body") or "").strip()
    if not title and not body:
        raise ValueError("record has neither title nor body")
    return _Article(
        title=title or body.split("\n", 1)[0][:120],
        body=body,
        position=lineno,
        lang=_opt(record.get("lang")),
        id=_opt(record.get("id")),
        url=_opt(record.get("url")),
        translation_key=_opt(record.get("translation_key")),
    )


def _opt(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
# Link text stops at the next bracket and the target at the next parenthesis, so no text
# is scanned by more than one attempt (linear; unbounded [^\]]* rescans after every '[').
MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|[*_`]{1,3}", re.MULTILINE)


def _read_markdown(text: str) -> Iterator[_Article]:
    meta: dict[str, str] = {}
    match = FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end():]
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    plain = MD_MARKUP.sub("", MD_LINK.sub(r"\1", text)).strip()
    if not plain:
        return
    title = meta.get("title") or (heading.group(1).strip() if heading else plain.split("\n", 1)[0])
    body = plain
    if body.startswith(title):
        body = body[len(title):].strip()
    yield _Article(title=title, body=body, position=1, lang=meta.get("lang"), id=meta.get("id"),
                   url=meta.get("url"), translation_key=meta.get("translation_key"))


def _html_articles(text: str) -> Iterator[_Article]:
    page = read_html(text)
    lines = [" ".join(line.split()) for line in page.text.split("\n")]
    lines = [line for line in lines if line]
    title = " ".join((page.h1 or page.title).split()) or (lines[0] if lines else "")
    if not title and not lines:
        return
    if lines and lines[0] == title:
        lines = lines[1:]
    lang = (page.lang or "").split("-")[0].lower() or None
    yield _Article(title=title, body="\n\n".join(lines), position=1, lang=lang)


@dataclass(frozen=True)
class _Source:
    """What a file says about each of its articles: worked out once per file (a .jsonl
    export holds thousands of articles)."""

    rel: str
    multi: bool  # several articles: ids carry the position
    lang: str | None  # configured for the file in config.toml
    parallel: bool  # a translation of the other files listed in corpus.parallel

    @classmethod
    def of(cls, rel: str, path: Path, settings: CorpusSettings) -> _Source:
        stem = Path(rel).with_suffix("").as_posix()
        return cls(rel=rel, multi=path.suffix.lower() in (".txt", ".jsonl"),
                   lang=_configured_language(rel, settings), parallel=stem in settings.parallel)

    def document(self, article: _Article, settings: CorpusSettings, seen: set[str]) -> Document:
        lang = (self.lang or _clean_lang(article.lang)
                or detect_language(f"{article.title}\n{article.body}"))
        doc_id = _unique(article.id or _make_id(self.rel, article.position if self.multi
                                                else None), seen)
        key = article.translation_key
        if key is None and self.parallel:
            key = f"parallel-{article.position:02d}"
        return Document(
            id=doc_id,
            lang=lang,
            title=article.title,
            body=article.body,
            source=self.rel,
            position=article.position,
            url=_safe_url(article.url) or settings.url_pattern.format(id=doc_id, lang=lang),
            translation_key=key,
        )


def _safe_url(url: str | None) -> str | None:
    """Keep http(s) and site-relative URLs; anything else (javascript:, data:) is dropped."""
    if not url:
        return None
    if re.match(r"https?://[^\s<>\"]+$", url) or re.match(r"/(?![/\\])[^\s<>\"]*$", url):
        return url
    return None


def _configured_language(rel: str, settings: CorpusSettings) -> str | None:
    for pattern, lang in settings.languages.items():
        if fnmatch.fnmatch(rel, pattern):
            return _clean_lang(lang)
    return None


@lru_cache(maxsize=1024)
def _clean_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) and code != UNKNOWN else None


def _make_id(rel: str, position: int | None) -> str:
    """A stable, URL-safe id from the file's path (and position inside a dump)."""
    slug = _path_slug(rel)
    return f"{slug}-{position:02d}" if position is not None else slug


@lru_cache(maxsize=1024)
def _path_slug(rel: str) -> str:
    stem = Path(rel).with_suffix("").as_posix()
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if not slug or not stem.isascii():
        digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug


def _unique(doc_id: str, seen: set[str]) -> str:
    doc_id = re.sub(r"[^\w.-]+", "-", doc_id).strip("-") or "doc"
    candidate, n = doc_id, 2
    while candidate in seen:
        candidate, n = f"{doc_id}-{n}", n + 1
    return candidate
