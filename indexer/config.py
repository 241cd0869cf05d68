"""Typed, validated settings read once from config.toml and passed down explicitly."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError
from .limits import MAX_PER_PAGE, MAX_QUERY_LENGTH, PER_PAGE, RETIRED_KEEP_SECONDS


def within(low: int, high: int) -> dict[str, tuple[int, int]]:
    """Field metadata: the range a setting is checked against when the config is read."""
    return {"range": (low, high)}


@dataclass(frozen=True)
class IndexSettings:
    path: Path = Path("index")
    lock_timeout: float = 0.0
    # Seconds a generation switched away from stays on disk (searches open on it finish).
    keep_retired_seconds: float = RETIRED_KEEP_SECONDS


@dataclass(frozen=True)
class CorpusSettings:
    path: Path = Path("corpus")
    url_pattern: str = "/doc/{id}"
    parallel: tuple[str, ...] = ()
    languages: dict[str, str] = field(default_factory=dict)
    # A built static site to index instead of the corpus folder (indexer/site.py), and the
    # address it is published at (prefixed to each page's path).
    site: Path | None = None
    base_url: str = ""


@dataclass(frozen=True)
class SearchSettings:
    per_page: int = field(default=PER_PAGE, metadata=within(1, MAX_PER_PAGE))
    max_query_length: int = field(default=MAX_QUERY_LENGTH,
                                  metadata=within(1, MAX_QUERY_LENGTH))
    snippet_chars: int = 300
    # Responses kept per process (the same query on the same index generation); 0 = none.
    cache_size: int = 512
    # Scored postings kept per process for popular words and phrases (8 bytes each); 0 = none.
    term_cache: int = 4_000_000


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = field(default=8080, metadata=within(0, 65535))
    threads: int = field(default=8, metadata=within(1, 1024))
    # Worker processes accepting on the port; 0 = one per core.
    workers: int = 0
    # Origins allowed to call the JSON API from a browser (CORS, GET only); "*" for any.
    cors_origins: tuple[str, ...] = ("*",)
    # Requests per minute per client address; 0 = no limit. Loopback is exempt unless
    # rate_limit_loopback is true (behind a reverse proxy every client looks like loopback).
    rate_limit: int = 0
    rate_limit_loopback: bool = False
    # Base of absolute URLs (opensearch.xml), e.g. "https://search.example.org"; empty = taken
    # from the request's Host header once it is checked.
    public_url: str = ""
    # Host names the server answers to (any Host header is refused with a 400 otherwise);
    # empty = any well-formed host name.
    trusted_hosts: tuple[str, ...] = ()
    # Seconds a worker may go silent before the master restarts it.
    timeout: int = 30
    # Seconds an idle kept-alive connection (or one that never sends a request) stays open.
    keepalive: int = 5
    # Connections each worker process holds at once, idle ones included.
    max_connections: int = 1000


@dataclass(frozen=True)
class ApiSettings:
    # Whether /api/v1/search answers explain=1 (each hit's score taken apart: the index's
    # words and weights, for whoever asks). Off on a public server.
    explain: bool = False


@dataclass(frozen=True)
class Settings:
    index: IndexSettings = field(default_factory=IndexSettings)
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    source: Path | None = None


SECTIONS = {
    "index": IndexSettings,
    "corpus": CorpusSettings,
    "search": SearchSettings,
    "serve": ServeSettings,
    "api": ApiSettings,
}


def load_settings(path: Path | None) -> Settings:
    """Read `path` (or ./config.toml when present, else defaults); raise ConfigError."""
    if path is None:
        default = Path("config.toml")
        if not default.exists():
            return _resolve(Settings(), Path.cwd(), None)
        path = default
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found (pass an existing file to --config)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    sections = {}
    for name, value in raw.items():
        if name not in SECTIONS:
            raise ConfigError(f"{path}: unknown section [{name}] (known: {', '.join(SECTIONS)})")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        sections[name] = _build_section(path, name, SECTIONS[name], value)
    settings = Settings(**sections, source=path.resolve())
    return _resolve(settings, path.resolve().parent, path)


def _build_section(path: Path, name: str, cls: type, values: dict[str, Any]) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"{path}: unknown key '{name}.{key}' (known: {', '.join(known)})"
            )
        kwargs[key] = _coerce(path, f"{name}.{key}", known[key].type, value)
        _check_range(path, f"{name}.{key}", known[key], kwargs[key])
    return cls(**kwargs)


def _check_range(path: Path, key: str, spec: Any, value: Any) -> None:
    if "range" not in spec.metadata:
        return
    low, high = spec.metadata["range"]
    if not low <= value <= high:
        raise ConfigError(f"{path}: '{key}' must be between {low} and {high}, got {value!r}")


def _coerce(path: Path, key: str, type_name: Any, value: Any) -> Any:
    """Check one value against the declared field type (given as a string by __future__)."""
    expected = str(type_name)

    def bad(what: str) -> ConfigError:
        return ConfigError(f"{path}: '{key}' must be {what}, got {value!r}")

    if expected in ("Path", "Path | None"):
        if not isinstance(value, str) or not value:
            raise bad("a path string")
        return Path(value)
    if expected == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad("a non-negative integer")
        return value
    if expected == "float":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise bad("a non-negative number")
        return float(value)
    if expected == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if expected == "str":
        if not isinstance(value, str):
            raise bad("a string")
        return value
    if expected.startswith("tuple"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of strings")
        return tuple(value)
    if expected.startswith("dict"):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise bad("a table of strings")
        return dict(value)
    raise bad(expected)  # pragma: no cover - every field type is handled above


def _resolve(settings: Settings, base: Path, path: Path | None) -> Settings:
    """Make paths absolute relative to the config file's folder."""
    index = replace(settings.index, path=(base / settings.index.path).resolve())
    site = settings.corpus.site
    corpus = replace(settings.corpus, path=(base / settings.corpus.path).resolve(),
                     site=(base / site).resolve() if site is not None else None)
    _check_url_pattern(path, corpus.url_pattern)
    check_base_url(path, corpus.base_url)
    _check_public_url(path, settings.serve.public_url)
    return replace(settings, index=index, corpus=corpus)


def check_base_url(path: Path | None, base_url: str) -> None:
    if base_url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", base_url):
        where = f"{path}: " if path else ""
        raise ConfigError(f"{where}'corpus.base_url' must be an http(s) address such as "
                          f"https://example.org/blog, got {base_url!r}")


def _check_public_url(path: Path | None, url: str) -> None:
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.hostname
                or parts.query or parts.fragment):
        where = f"{path}: " if path else ""
        raise ConfigError(
            f"{where}'serve.public_url' must be an http(s) URL such as "
            f"\"https://search.example.org\", got {url!r}"
        )


def _check_url_pattern(path: Path | None, pattern: str) -> None:
    try:
        pattern.format(id="x", lang="pl")
    except (KeyError, IndexError, ValueError):
        where = f"{path}: " if path else ""
        raise ConfigError(
            f"{where}'corpus.url_pattern' may only use {{id}} and {{lang}}, got {pattern!r}"
        ) from None
