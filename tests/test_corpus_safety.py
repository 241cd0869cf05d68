"""Bad corpus entries spoil only themselves: each is skipped and named with a reason, and
the rest is indexed (odd names, links, special files, huge files, bad .jsonl lines)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

from indexer import corpus as corpus_module
from indexer.config import CorpusSettings
from indexer.corpus import read_corpus

from .conftest import ROOT

GOOD = "Czym jest lejek sprzedażowy?\n\nLejek sprzedaży to model drogi klienta do zakupu.\n"


def corpus_with_one_good_file(tmp_path: Path) -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    return folder


def read(folder: Path):
    return read_corpus(replace(CorpusSettings(), path=folder))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_name_that_is_not_utf8_is_skipped_and_shown_with_escapes(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w") as handle:
        handle.write("Kawiarnia\n\nKawa i ciasto w centrum miasta.\n")
    (folder / "sub").mkdir()
    os.mkdir(os.path.join(os.fsencode(folder / "sub"), b"d\xff"))
    report = read(folder)
    assert [d.source for d in report.documents] == ["good.txt"]
    skipped = dict(report.skipped)
    assert skipped["caf\\xe9.txt"].startswith("file name is not valid UTF-8")
    assert skipped["sub/d\\xff"].startswith("file name is not valid UTF-8")


def test_bad_jsonl_lines_are_skipped_one_by_one(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    good = [json.dumps({"id": f"r{i}", "lang": "pl", "title": f"Tytuł {i}",
                        "body": f"Sklep numer {i} i jego klienci."}) for i in range(3)]
    lines = [good[0].encode(), b'{"title": "broken", ', b"[1, 2]", b'{"lang": "pl"}',
             b'{"title": "caf\xe9", "body": "x"}', b"", good[1].encode(),
             json.dumps({"title": "long", "body": "y" * 3000}).encode(), good[2].encode()]
    (folder / "feed.jsonl").write_bytes(b"\n".join(lines))
    original = corpus_module.MAX_FILE_BYTES
    corpus_module.MAX_FILE_BYTES = 2048  # stands in for the 50 MB a line
    try:
        report = read(folder)
    finally:
        corpus_module.MAX_FILE_BYTES = original
    assert {d.id for d in report.documents if d.source == "feed.jsonl"} == {"r0", "r1", "r2"}
    skipped = dict(report.skipped)
    assert skipped["feed.jsonl:2"].startswith("not valid JSON")
    assert skipped["feed.jsonl:3"] == "expected an object with title and body"
    assert skipped["feed.jsonl:4"] == "record has neither title nor body"
    assert skipped["feed.jsonl:5"].startswith("not valid UTF-8")
    assert skipped["feed.jsonl:8"].startswith("line longer than")
    assert len(report.skipped) == 5  # the blank line 6 is not an error


def test_oversized_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    """Sparse files: reading a 5 GB one would take minutes and gigabytes of memory."""
    folder = corpus_with_one_good_file(tmp_path)
    for name, size in (("export.jsonl", 5 * 1024**3), ("dump.txt", 60 * 1024**2)):
        with open(folder / name, "wb") as handle:
            handle.truncate(size)
    report = read(folder)
    assert [d.source for d in report.documents] == ["good.txt"]
    skipped = dict(report.skipped)
    assert skipped["export.jsonl"].startswith("larger than 4096 MB")
    assert skipped["dump.txt"].startswith("larger than 50 MB")


def test_a_jsonl_line_over_50_mb_is_passed_over_not_loaded(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    first = json.dumps({"id": "a", "title": "Pierwszy", "body": "Tekst pierwszy. " * 700})
    last = json.dumps({"id": "c", "title": "Ostatni", "body": "Tekst ostatni."})
    with open(folder / "feed.jsonl", "wb") as handle:
        handle.write(first.encode() + b'\n{"id": "b", "title": "x", "body": "')
        handle.seek(60 * 1024**2, os.SEEK_CUR)  # 60 MB of (sparse) text in one line
        handle.write(b'"}\n' + last.encode() + b"\n")
    report = read(folder)
    assert {d.id for d in report.documents if d.source == "feed.jsonl"} == {"a", "c"}
    assert dict(report.skipped)["feed.jsonl:2"].startswith("line longer than 50 MB")


def test_symbolic_links_are_not_followed(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc")
    (folder / "loop").symlink_to(folder)
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    (folder / "dangling.md").symlink_to(tmp_path / "missing.md")
    report = read(folder)
    assert [d.source for d in report.documents] == ["good.txt"]
    assert all("root:" not in d.body for d in report.documents)
    skipped = dict(report.skipped)
    for name in ("passwd.txt", "etc", "loop", "inside.txt", "dangling.md"):
        assert skipped[name].startswith("symbolic link, not followed"), name


def test_a_corpus_folder_that_is_itself_a_link_is_read(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    (tmp_path / "link").symlink_to(folder)
    assert [d.source for d in read(tmp_path / "link").documents] == ["good.txt"]


def test_a_fifo_does_not_hang_the_build(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    result = {}
    reader = threading.Thread(target=lambda: result.update(report=read(folder)), daemon=True)
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), "reading a corpus with a FIFO in it hung"
    report = result["report"]
    assert [d.source for d in report.documents] == ["good.txt"]
    assert dict(report.skipped)["pipe.txt"].startswith("not a regular file (a FIFO)")


def test_cli_lists_what_was_skipped_and_exits_0(tmp_path: Path) -> None:
    folder = corpus_with_one_good_file(tmp_path)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.md")
    with open(os.path.join(os.fsencode(folder), b"\xff.txt"), "w") as handle:
        handle.write("x")
    (folder / "feed.jsonl").write_text('{"title": "Sklep", "body": "Sklep i klienci."}\n{oops\n',
                                       "utf-8")
    result = run_cli("index", "--corpus", str(folder), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert "2 documents" in result.stdout
    for line in ("skipped passwd.txt: symbolic link", "skipped pipe.md: not a regular file",
                 "skipped \\xff.txt: file name is not valid UTF-8",
                 "skipped feed.jsonl:2: not valid JSON", "4 item(s) skipped"):
        assert line in result.stdout, line


def test_cli_says_in_one_line_when_nothing_could_be_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "feed.jsonl").write_text("{oops\n", "utf-8")
    result = run_cli("index", "--corpus", str(folder), "--index", str(tmp_path / "ix"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("polyfind: error: no article found in ")
    assert "2 item(s) skipped" in line and "passwd.txt (symbolic link" in line
    assert not (tmp_path / "ix" / "current").exists()


def test_failed_build_removes_its_half_written_generation(tmp_path: Path) -> None:
    """A real write failure: the build runs with a file size limit (RLIMIT_FSIZE), so the
    kernel refuses its writes (EFBIG) as a full disk would."""
    index = tmp_path / "ix"
    assert run_cli("index", "--index", str(index)).returncode == 0
    live = (index / "current").resolve()
    limit = 200_000  # bytes a file; the shipped corpus's index has bigger files
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, "
            f"({limit}, {limit})); sys.argv = ['polyfind'] + sys.argv[1:]; "
            "from indexer.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", code, "index", "--rebuild", "--index",
                             str(index)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "cannot write the index" in result.stderr and "Traceback" not in result.stderr
    left = sorted(p.name for p in index.iterdir() if p.name != "retired.json")
    assert left == [".lock", "current", live.name]
    assert (index / "current").resolve() == live
    assert run_cli("search", "lejek", "--index", str(index)).returncode == 0


def test_html_reader_on_awkward_markup() -> None:
    from indexer.html_text import read_html

    page = read_html(
        "<HTML lang='pl-PL'><head><title>Strona &amp; tytuł</title></head><body>"
        "<h1 class=\"a>b\">Pierwszy</h1><p>a < b &lt;c&gt;</p><h1>Drugi</h1>"
        "<script>var s = '</div><p>ukryty</p>';</script><!-- <p>też ukryty</p> -->"
        "<p>Koniec<br/>linia<p>otwarty <a href='x")
    assert (page.title, page.h1, page.lang) == ("Strona & tytuł", "Pierwszy", "pl-PL")
    assert "ukryty" not in page.text
    assert [line for line in page.text.split("\n") if line] == [
        "Pierwszy", "a < b <c>", "Drugi", "Koniec", "linia", "otwarty <a href='x"]
