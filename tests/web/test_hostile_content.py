"""Articles that carry markup, script URLs and bidi overrides stay inert text everywhere."""

from __future__ import annotations

import json

import pytest

from indexer.build import build_index
from indexer.search import SearchService
from search_web import create_app

from ..conftest import settings_for

EVIL = {
    "id": "evil", "lang": "pl", "url": "javascript:alert(4)",
    "title": "<script>alert('t')</script> Lejek \u202eodwrócony",
    "body": 'Lejek <img src=x onerror=alert(1)> "><script>alert(2)</script> '
            "javascript:alert(3) \u202e koniec lejka sprzedaży.",
}


@pytest.fixture(scope="module")
def evil_service(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("evil-corpus")
    (corpus / "evil.jsonl").write_text(json.dumps(EVIL, ensure_ascii=False), "utf-8")
    settings = settings_for(tmp_path_factory.mktemp("evil-index"), corpus)
    build_index(settings)
    return settings, SearchService(settings)


def test_api_escapes_snippets_and_drops_script_urls(evil_service) -> None:
    settings, service = evil_service
    client = create_app(settings, service).test_client()
    hit = client.get("/api/search?q=lejek").get_json()["results"][0]
    assert hit["title"] == EVIL["title"]  # plain text: the caller escapes it
    assert "<img" not in hit["snippet"] and "<script" not in hit["snippet"]
    assert "&lt;img" in hit["snippet"]
    assert "<script" not in hit["title_html"] and "&lt;script&gt;" in hit["title_html"]
    assert hit["url"] == "/doc/evil"


def test_page_renders_markup_as_text(evil_service) -> None:
    settings, service = evil_service
    client = create_app(settings, service).test_client()
    for path in ("/?q=lejek", "/doc/evil?q=lejek"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
