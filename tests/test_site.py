"""A built static site as the corpus (`polyfind index --site DIR --base-url URL`): a generated
site of a few hundred pages in the five languages, with menus, headers, footers, asides and
translations linked by hreflang, indexed and searched for real."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.config import Settings
from indexer.corpus import Document, read_corpus
from indexer.search import SearchService
from indexer.site import page_path, parse_page

from .conftest import ROOT, settings_for

BASE = "https://example.org"
# Menu and footer words per language: on every page, in no article's own text.
FURNITURE_WORDS = {
    "pl": ("Cennik", "Regulamin", "Kariera"),
    "kk": ("Бағалар", "Ережелер", "Мансап"),
    "he": ("מחירון", "תקנון", "קריירה"),
    "af": ("Pryslys", "Bepalings", "Loopbaan"),
    "ka": ("ფასები", "წესები", "კარიერა"),
}
PARAGRAPHS_PER_PART = 4
PARTS_PER_ARTICLE = 4


@dataclass
class GeneratedSite:
    root: Path
    pages: dict[str, str]  # URL → language
    main_text: dict[str, str]  # URL → the text of its content element
    article_urls: dict[str, str]  # document id in the shipped corpus → its article page URL
    articles: list[Document]


def _furniture(lang: str, titles: list[str]) -> tuple[str, str, str, str]:
    words = FURNITURE_WORDS[lang]
    nav = "<nav><ul>" + "".join(f'<li><a href="/{lang}/{w.lower()}/">{w}</a></li>'
                                for w in words) + "</ul></nav>"
    header = f'<header><a href="/{lang}/">{words[0]} · {words[1]}</a></header>'
    aside = "<aside><h2>" + words[2] + "</h2><ul>" + "".join(
        f"<li>{html.escape(t)}</li>" for t in titles[:5]) + "</ul></aside>"
    footer = f"<footer><p>© 2026 {words[1]} · {words[2]} · {words[0]}</p></footer>"
    return nav, header, aside, footer


def _page(lang: str, title: str, content: str, furniture: tuple[str, str, str, str],
          head: str = "", body_wrapper: str = "main") -> str:
    nav, header, aside, footer = furniture
    opening = "<main>" if body_wrapper == "main" else '<div class="c" data-polyfind-body>'
    closing = "</main>" if body_wrapper == "main" else "</div>"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)} | {FURNITURE_WORDS[lang][0]}</title>{head}</head>"
            f"<body>{header}{nav}{opening}<h1>{html.escape(title)}</h1>{content}"
            f'<div class="share" data-polyfind-ignore>{FURNITURE_WORDS[lang][2]}</div>'
            f"{closing}{aside}{footer}<script>var x = '{FURNITURE_WORDS[lang][1]}';</script>"
            "</body></html>")


def generate_site(root: Path) -> GeneratedSite:
    """One article page per shipped article (translations linked by hreflang, canonical
    links) plus one page per few paragraphs of each article."""
    articles = read_corpus(settings_for(root / "unused").corpus).documents
    groups: dict[str, list[Document]] = {}
    for doc in articles:
        if doc.translation_key:
            groups.setdefault(doc.translation_key, []).append(doc)
    titles = {lang: [d.title for d in articles if d.lang == lang] for lang in FURNITURE_WORDS}
    site = GeneratedSite(root, {}, {}, {}, articles)
    for n, doc in enumerate(articles):
        folder = f"{doc.lang}/{doc.id}"
        furniture = _furniture(doc.lang, titles[doc.lang])
        paragraphs = [p for p in doc.body.split("\n\n") if p.strip()]
        alternates = "".join(
            f'<link rel="alternate" hreflang="{t.lang}" href="/{t.lang}/{t.id}/">'
            for t in groups.get(doc.translation_key or "", []))
        head = (f'<link rel="canonical" href="{BASE}/{folder}/">{alternates}'
                f'<meta name="description" content="{html.escape(paragraphs[0][:120])}">')
        content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        _write(site, f"{folder}/index.html", doc.lang,
               _page(doc.lang, doc.title, content, furniture, head), content)
        site.article_urls[doc.id] = f"{BASE}/{folder}/"
        starts = range(1, len(paragraphs), PARAGRAPHS_PER_PART)
        for part, start in enumerate(list(starts)[:PARTS_PER_ARTICLE], 1):
            heading, *chunk = paragraphs[start:start + PARAGRAPHS_PER_PART]
            content = "".join(f"<p>{html.escape(p)}</p>" for p in chunk)
            wrapper = "main" if (n + part) % 2 else "div"
            _write(site, f"{folder}/part-{part}.html", doc.lang,
                   _page(doc.lang, heading[:80], content, furniture, body_wrapper=wrapper),
                   f"{html.escape(heading[:80])}{content}")
    return site


def _write(site: GeneratedSite, rel: str, lang: str, page: str, content: str) -> None:
    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, "utf-8")
    url = BASE + page_path(rel)
    site.pages[url] = lang
    site.main_text[url] = html.unescape(content)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> GeneratedSite:
    return generate_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site_settings(site: GeneratedSite, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = settings_for(tmp_path_factory.mktemp("site-index"))
    settings = replace(settings, corpus=replace(settings.corpus, site=site.root, base_url=BASE))
    build_index(settings, rebuild=True)
    return settings


@pytest.fixture(scope="module")
def site_service(site_settings: Settings) -> SearchService:
    return SearchService(site_settings)


def test_the_generated_site_is_big_and_multilingual(site: GeneratedSite) -> None:
    assert len(site.pages) >= 200
    assert set(site.pages.values()) == set(FURNITURE_WORDS)


def test_every_page_is_a_document_linked_at_its_own_url(site: GeneratedSite,
                                                        site_service: SearchService) -> None:
    assert site_service.info()["documents"] == len(site.pages)
    for doc in site.articles[::5]:
        response = site_service.search(doc.title, per_page=20)
        assert response.results, doc.title
        for hit in response.results:
            assert hit.url in site.pages, hit.url
            assert hit.lang == site.pages[hit.url]
        assert site.article_urls[doc.id] in [hit.url for hit in response.results]


def test_no_menu_or_footer_word_matches_every_page(site: GeneratedSite,
                                                   site_service: SearchService) -> None:
    for lang, words in FURNITURE_WORDS.items():
        pages = sum(1 for page_lang in site.pages.values() if page_lang == lang)
        for word in words:
            response = site_service.search(word, lang=lang, per_page=100)
            assert response.total < pages / 4, (lang, word, response.total)
            for hit in response.results:  # matched through the page's own text, if at all
                assert word.lower() not in hit.snippet.lower() or \
                    word.lower() in site.main_text[hit.url].lower(), (word, hit.url)


def test_translations_by_hreflang_are_linked(site: GeneratedSite,
                                            site_service: SearchService) -> None:
    article = next(d for d in site.articles if d.lang == "pl" and d.translation_key)
    expected = {site.article_urls[d.id] for d in site.articles
                if d.translation_key == article.translation_key and d.id != article.id}
    hit = next(h for h in site_service.search(article.title, lang="pl").results
               if h.url == site.article_urls[article.id])
    assert {t.url for t in hit.translations} == expected
    assert len(expected) == 3


def test_description_and_language_are_kept(site: GeneratedSite,
                                           site_service: SearchService) -> None:
    article = site.articles[0]
    hit = next(h for h in site_service.search(article.title).results
               if h.url == site.article_urls[article.id])
    doc = site_service.document(hit.id)
    assert doc is not None and doc["meta"]["description"]
    assert doc["lang"] == article.lang


def test_parse_page_keeps_only_the_content() -> None:
    page = parse_page(
        '<html lang="pl-PL"><head><title>T | Site</title>'
        '<meta name="description" content="Opis"></head><body>'
        "<header>Nagłówek</header><nav>Menu</nav><main><h1>Tytuł</h1><p>Treść "
        '<span data-polyfind-ignore>Udostępnij</span>strony.</p><aside>Boczne</aside>'
        '<p data-polyfind-meta="autor:Ala">Tekst</p></main><footer>Stopka</footer>'
        "<script>var x = 'kod';</script></body></html>")
    assert page.lang == "pl-PL" and page.title == "T | Site" and page.h1 == "Tytuł"
    assert page.body == "Tytuł\n\nTreść strony.\n\nTekst"
    assert page.meta == {"description": "Opis", "autor": "Ala"}


def test_parse_page_without_main_takes_the_body_without_furniture() -> None:
    page = parse_page("<body><nav>Menu</nav><div><p>Jedno<p>Drugie</div>"
                      "<footer>Stopka</footer></body>")
    assert page.body == "Jedno\n\nDrugie"


def test_page_paths() -> None:
    assert page_path("index.html") == "/"
    assert page_path("a/b/index.html") == "/a/b/"
    assert page_path("a/b.html") == "/a/b.html"


def test_cli_indexes_a_site_incrementally_and_skips_links(site: GeneratedSite,
                                                          tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "public"
    shutil.copytree(site.root, root)
    os.symlink("/etc/passwd", root / "passwd.html")
    command = [sys.executable, "-m", "indexer", "index", "--site", str(root), "--base-url",
               BASE, "--index", str(tmp_path / "ix")]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "skipped passwd.html" in first.stdout
    page = next(root.rglob("part-1.html"))
    page.write_text(page.read_text("utf-8").replace("</h1>", "</h1><p>Nowe zdanie.</p>"),
                    "utf-8")
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0 and "incremental build" in second.stdout, second.stderr
    counts = [line.split() for line in second.stdout.splitlines()
              if line.strip()[:2] in FURNITURE_WORDS]
    assert sum(int(row[2]) for row in counts) == 1  # exactly one page updated
    search = subprocess.run([sys.executable, "-m", "indexer", "search", "Nowe zdanie",
                             "--index", str(tmp_path / "ix"), "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    results = json.loads(search.stdout)["results"]
    assert results and results[0]["url"].startswith(BASE + "/")


@pytest.mark.parametrize(("args", "message"), [
    (["--base-url", BASE], "--base-url goes with --site"),
    (["--site", "nowhere", "--base-url", "ftp://x"], "must be an http(s) address"),
    (["--site", "nowhere"], "does not exist"),
])
def test_cli_site_mistakes_are_one_clear_line(tmp_path: Path, args: list[str],
                                              message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "indexer", "index", *args, "--index",
                             str(tmp_path / "ix")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
