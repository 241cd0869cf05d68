"""The corpus reader on the real page dumps and on one-article files of every format."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.config import CorpusSettings
from indexer.corpus import read_corpus
from indexer.errors import CorpusError
from indexer.langdetect import detect_language

from .conftest import ROOT, settings_for

TITLES = dict(
    line.split("\t", 1)
    for line in (Path(__file__).parent / "data" / "titles.tsv").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
)


@pytest.fixture(scope="module")
def documents():
    return {d.id: d for d in read_corpus(settings_for(Path("/unused")).corpus).documents}


def test_all_fifty_titles(documents) -> None:
    assert {doc_id: doc.title for doc_id, doc in documents.items()} == TITLES


def test_no_article_swallowed_its_neighbour(documents) -> None:
    for doc in documents.values():
        for other_id, title in TITLES.items():
            if other_id != doc.id:
                assert title not in doc.body, f"{doc.id} contains the title of {other_id}"
        assert len(doc.body) > 500


def test_page_junk_is_dropped(documents) -> None:
    for doc in documents.values():
        assert "elfsight" not in doc.body
        assert "Página 509" not in doc.body and "Página 509" not in doc.title


def test_language_of_every_document(documents) -> None:
    for doc in documents.values():
        assert doc.lang == doc.id.split("-")[0]


def test_detection_without_configured_languages(documents) -> None:
    for doc in documents.values():
        assert detect_language(doc.title + "\n" + doc.body) == doc.lang, doc.id


def test_ids_urls_and_translations(documents) -> None:
    pl = documents["pl-07"]
    assert pl.position == 7 and pl.source == "pl.txt" and pl.url == "/doc/pl-07"
    linked = {d.id for d in documents.values() if d.translation_key == pl.translation_key}
    assert linked == {"pl-07", "kk-07", "he-07", "af-07"}
    assert documents["ka-07"].translation_key is None  # the Georgian dump has other articles


def test_ids_are_stable_across_reads(documents) -> None:
    again = read_corpus(settings_for(Path("/unused")).corpus).documents
    assert {d.id: d.content_hash for d in again} == {
        d.id: d.content_hash for d in documents.values()
    }


def one_article_corpus(tmp_path: Path) -> CorpusSettings:
    (tmp_path / "c").mkdir()
    c = tmp_path / "c"
    (c / "note.txt").write_text("Czym jest handel?\n\nHandel to wymiana towarów i usług.\n",
                                "utf-8")
    (c / "page.md").write_text(
        "---\nlang: af\ntranslation_key: t1\n---\n# Wat is handel?\n\nHandel is die "
        "**uitruil** van goedere en [dienste](http://x).\n", "utf-8")
    (c / "page.html").write_text(
        "<html lang='he'><head><title>T</title><script>alert(1)</script></head><body>"
        "<h1>מהו מסחר?</h1><p>מסחר הוא החלפת סחורות.</p><script>evil()</script></body></html>",
        "utf-8")
    records = [
        {"id": "x1", "title": "Сауда дегеніміз не?", "body": "Сауда – тауар алмасу.",
         "lang": "kk", "url": "https://example.org/x1"},
        {"title": "ვაჭრობა", "body": "ვაჭრობა არის საქონლის გაცვლა."},
    ]
    (c / "feed.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                  "utf-8")
    (c / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    (c / "empty.txt").write_text("", "utf-8")
    (c / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    return replace(CorpusSettings(), path=c, url_pattern="/a/{lang}/{id}")


def test_one_article_files_of_every_format(tmp_path: Path) -> None:
    report = read_corpus(one_article_corpus(tmp_path))
    docs = {d.source + ":" + d.id: d for d in report.documents}
    by_source = {d.source: d for d in report.documents}
    assert by_source["note.txt"].title == "Czym jest handel?"
    assert by_source["note.txt"].lang == "pl"
    md = by_source["page.md"]
    assert (md.title, md.lang, md.translation_key) == ("Wat is handel?", "af", "t1")
    assert "uitruil" in md.body and "**" not in md.body and "http" not in md.body
    page = by_source["page.html"]
    assert (page.title, page.lang) == ("מהו מסחר?", "he")
    assert "alert" not in page.body and "evil" not in page.body and "מסחר הוא" in page.body
    jsonl = [d for d in report.documents if d.source == "feed.jsonl"]
    assert [(d.id, d.lang, d.url) for d in jsonl] == [
        ("x1", "kk", "https://example.org/x1"), ("feed-02", "ka", "/a/ka/feed-02")]
    assert len(docs) == 5


def test_bad_files_are_skipped_and_named(tmp_path: Path) -> None:
    report = read_corpus(one_article_corpus(tmp_path))
    skipped = dict(report.skipped)
    assert skipped["latin1.txt"].startswith("not valid UTF-8 text")
    assert "binary" in skipped["blob.txt"]
    assert "no article" in skipped["empty.txt"]


def test_missing_or_empty_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(replace(CorpusSettings(), path=tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no .txt"):
        read_corpus(replace(CorpusSettings(), path=tmp_path / "empty"))


def test_bom_and_crlf(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_bytes("\ufeffCzym jest lejek?\r\n\r\nLejek to model.\r\n"
                                           .encode("utf-8"))
    doc = read_corpus(replace(CorpusSettings(), path=tmp_path / "c")).documents[0]
    assert doc.title == "Czym jest lejek?" and doc.body == "Lejek to model."


def test_kazakh_is_told_from_other_cyrillic() -> None:
    assert detect_language("Сату шұңқыры дегеніміз не?") == "kk"
    assert detect_language("Что такое воронка продаж?") == "ru"
    assert detect_language("Wat is 'n verkoopstregter?") == "af"
    assert detect_language("Czym jest lejek sprzedażowy?") == "pl"
    assert detect_language("מהו משפך מכירות?") == "he"
    assert detect_language("რა არის გაყიდვების ძაბრი?") == "ka"
    assert detect_language("12345 !!!") == "und"


def test_shipped_corpus_is_where_config_says() -> None:
    assert (ROOT / "corpus" / "pl.txt").is_file()


def test_duplicates_and_unsafe_urls(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    c = tmp_path / "c"
    text = "Czym jest lejek?\n\nLejek to model sprzedaży.\n"
    (c / "a.txt").write_text(text, "utf-8")
    (c / "b.txt").write_text(text, "utf-8")
    rows = [{"id": "x", "title": "T", "body": "Tekst po polsku i nie tylko", "lang": "pl",
             "url": "javascript:alert(1)"},
            {"id": "y", "title": "U", "body": "Inny tekst", "url": "https://example.org/u"}]
    (c / "f.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    report = read_corpus(replace(CorpusSettings(), path=c))
    assert [d.source for d in report.documents if d.title == "Czym jest lejek?"] == ["a.txt"]
    assert ("b.txt (article 1)", "duplicate of a-01") in report.skipped
    urls = {d.id: d.url for d in report.documents}
    assert urls["x"] == "/doc/x" and urls["y"] == "https://example.org/u"
