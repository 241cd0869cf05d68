"""Shared fixtures: the real corpus built into a real on-disk Whoosh index in a temp folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.config import Settings, load_settings
from indexer.search import SearchService

ROOT = Path(__file__).resolve().parent.parent


def settings_for(index_dir: Path, corpus_dir: Path | None = None) -> Settings:
    settings = load_settings(ROOT / "config.toml")
    return replace(
        settings,
        index=replace(settings.index, path=index_dir),
        corpus=replace(settings.corpus, path=corpus_dir or settings.corpus.path),
    )


def service_over(root: Path, lang: str, bodies: dict[str, str],
                 titles: dict[str, str] | None = None) -> SearchService:
    """A real index of a few documents (id -> body, titled by their id unless `titles`
    says otherwise) under `root`."""
    corpus = root / "corpus"
    corpus.mkdir()
    with (corpus / "docs.jsonl").open("w", encoding="utf-8") as out:
        for doc_id, body in bodies.items():
            title = (titles or {}).get(doc_id, doc_id)
            out.write(json.dumps({"id": doc_id, "lang": lang, "title": title, "body": body},
                                 ensure_ascii=False) + "\n")
    settings = settings_for(root / "index", corpus)
    build_index(settings, rebuild=True)
    return SearchService(settings)


@pytest.fixture(scope="session", autouse=True)
def api_responses_follow_the_openapi_document() -> Iterator[None]:
    """Every Flask test client checks the API's answers against the published document."""
    from flask import Flask

    from .openapi_check import ValidatingClient

    previous = Flask.test_client_class
    Flask.test_client_class = ValidatingClient
    yield
    Flask.test_client_class = previous


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped corpus, indexed once for the whole session (read-only for tests)."""
    settings = settings_for(tmp_path_factory.mktemp("index"))
    build_index(settings, rebuild=True)
    return settings


@pytest.fixture(scope="session")
def service(built_settings: Settings) -> SearchService:
    return SearchService(built_settings)


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", target)
    return target
