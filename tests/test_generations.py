"""Index generations with a lifetime: no-op builds switch nothing, retired generations stay
while searches may read them, the searcher pool follows generations forward only, and quick
builds under concurrent search load fail no request and never wedge the server."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from itertools import islice
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from whoosh import index as whoosh_index

from indexer import integrity
from indexer.build import build_index
from indexer.config import Settings
from indexer.errors import IndexDamagedError, IndexMissingError
from indexer.expansion import beginning_words, commonest_beginning_with
from indexer.layout import current_dir
from indexer.scoring.postings import GenerationCache
from indexer.search import OlderGeneration, SearchService
from indexer.search.service import _lease
from search_web import create_app

from .conftest import settings_for
from .test_budget import same_typo_candidates_as_whoosh

QUERIES = ["lejek", "lejek sprzedaży", "sklep internetowy", "ERP", "сату шұңқыры",
           "kunsmatige intelligensie", "khmovani dzieba", '"lejek sprzedażowy" -marketing',
           "markteing automatyzacja"]


def touch_corpus(corpus: Path, n: int) -> None:
    """Change one article (a new word at the end of the Afrikaans dump)."""
    path = corpus / "af.txt"
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(text.rsplit(" merker", 1)[0] + f" merker{n}\n", "utf-8")


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith("gen-"))


def test_nothing_changed_keeps_generation_and_caches(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    service = SearchService(settings)
    first = service.search("lejek sprzedaży", lang="pl")
    with service.searcher() as lease:
        cache = lease.postings.cache
    summary = build_index(settings)
    assert not summary.changed and summary.generation == 1
    assert current_dir(settings.index.path).name == "gen-000001"
    assert generations(settings.index.path) == ["gen-000001"]
    assert service.search("lejek sprzedaży", lang="pl") is not first  # a copy...
    with service.searcher() as lease:
        assert lease.postings.cache is cache  # ...from the same generation's caches
    touch_corpus(corpus_copy, 1)
    changed = build_index(settings)
    assert changed.changed and changed.generation == 2


def test_nothing_changed_summary_in_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli import cli

    index = tmp_path / "index"
    runner = CliRunner()
    assert runner.invoke(cli, ["index", "--index", str(index)]).exit_code == 0
    again = runner.invoke(cli, ["index", "--index", str(index)])
    assert again.exit_code == 0 and "nothing changed: generation 1 stays live" in again.output


def test_retired_generations_stay_for_the_grace_period(tmp_path: Path, corpus_copy: Path
                                                        ) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    index = settings.index.path
    build_index(settings)
    for n in range(1, 4):
        touch_corpus(corpus_copy, n)
        build_index(settings)
    assert generations(index) == [f"gen-00000{n}" for n in range(1, 5)]  # all within 60 s
    record = json.loads((index / "retired.json").read_text("utf-8"))
    assert set(record) == {"gen-000001", "gen-000002", "gen-000003"}
    brief = replace(settings, index=replace(settings.index, keep_retired_seconds=0.0))
    touch_corpus(corpus_copy, 5)
    build_index(brief)
    # the live one and the one just retired stay; the older ones were retired long enough
    assert generations(index) == ["gen-000004", "gen-000005"]
    assert current_dir(index).name == "gen-000005"
    service = SearchService(settings)
    with service.searcher() as lease:
        segments = len(lease.postings.segments)
    if segments > 1:  # incremental builds leave several segments: a MultiReader's cursor
        assert same_typo_candidates_as_whoosh(service) >= 200
        assert same_beginnings_as_whoosh(service) >= 50


def same_beginnings_as_whoosh(service: SearchService) -> int:
    """The segment-by-segment prefix walk finds a MultiReader's own walk's words and counts."""
    compared = 0
    with service.searcher() as lease:
        reader = lease.searcher.reader()
        for field in (f for f in reader.indexed_field_names() if f.startswith("body_")):
            for beginning, scan in (("s", 4000), ("pr", 50), ("ka", 3), ("ма", 40)):
                whole = [(text.decode("utf-8"), info.doc_frequency())
                         for text, info in islice(reader.iter_prefix(field, beginning), scan)]
                assert beginning_words(reader, field, beginning, scan) == whole
                for keep in (1, 3, 12):
                    cutoff = sorted((df for _w, df in whole), reverse=True)[:keep][-1:]
                    assert commonest_beginning_with(reader, field, beginning, scan, keep) \
                        == [(w, df) for w, df in whole if df >= (cutoff or [0])[0]]
                compared += 1
    return compared


def test_pool_never_goes_back_to_an_older_generation(tmp_path: Path, corpus_copy: Path
                                                      ) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    old = current_dir(settings.index.path)
    touch_corpus(corpus_copy, 1)
    build_index(settings)
    service = SearchService(settings)
    assert service.info()["generation"] == 2
    pool = service._pool
    ix_old = whoosh_index.open_dir(str(old))
    with pytest.raises(OlderGeneration):
        pool.borrow(old, lambda: pytest.fail("must not open a searcher on the old one"))
    # `current` put back on purpose (an operator's rollback) is followed
    lease = pool.borrow(old, lambda: _lease(ix_old, old, GenerationCache(), {}), older_ok=True)
    pool.give_back(old, lease)
    assert pool.lent() == 0


def test_a_vanished_generation_is_dropped_and_the_request_retried(tmp_path: Path,
                                                                   corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    service = SearchService(settings)
    old = current_dir(settings.index.path)
    attempts: list[str] = []

    def work() -> int:
        with service.searcher() as lease:
            attempts.append(lease.meta["generation"])
            if len(attempts) == 1:  # a build switches and the old folder is pruned under us
                touch_corpus(corpus_copy, 1)
                build_index(settings)
                shutil.rmtree(old)
                lease.searcher.reader().stored_fields(0)  # whoosh opens this file lazily
                raise FileNotFoundError(old / "_MAIN_1.seg")  # (if it had opened it before)
            return lease.searcher.doc_count()

    assert service._retried(work) == 50 and attempts == [1, 2]
    assert service._pool.lent() == 0

    def live_gone() -> None:  # the live generation deleted by hand: a clear error, once
        with service.searcher():
            shutil.rmtree(current_dir(settings.index.path))
            raise FileNotFoundError("gone")

    with pytest.raises(IndexMissingError, match="polyfind index"):
        service._retried(live_gone)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chaos(settings, corpus: Path, seconds: float, clients: int) -> dict:
    """Builds in a loop (every other one changes an article, the rest change nothing) while
    `clients` threads search through a real server; what every client saw."""
    server = make_server("127.0.0.1", free_port(), create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    stop = threading.Event()
    failures: list[str] = []
    seen: list[list[int]] = [[] for _ in range(clients)]
    answered = [0] * clients

    def client(n: int) -> None:
        k = n
        while not stop.is_set():
            q = urllib.request.quote(QUERIES[k % len(QUERIES)])
            k += 1
            try:
                with urllib.request.urlopen(f"{base}/api/search?q={q}", timeout=30) as r:
                    json.loads(r.read())
                with urllib.request.urlopen(f"{base}/api/info", timeout=30) as r:
                    seen[n].append(json.loads(r.read())["generation"])
                answered[n] += 1
            except (urllib.error.URLError, OSError, ValueError) as exc:
                failures.append(repr(exc))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    builds = 0
    ends = time.monotonic() + seconds
    try:
        while time.monotonic() < ends:
            if builds % 2:
                touch_corpus(corpus, builds)
            build_index(settings)
            builds += 1
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    wedged = any(t.is_alive() for t in threads)
    with urllib.request.urlopen(f"{base}/api/search?q=lejek", timeout=10) as r:
        still_answers = r.status == 200
    server.shutdown()
    server.server_close()
    return {"failures": failures, "seen": seen, "answered": answered, "builds": builds,
            "wedged": wedged, "still_answers": still_answers,
            "generations": generations(settings.index.path)}


def test_quick_builds_under_search_load_fail_nothing(tmp_path: Path, corpus_copy: Path) -> None:
    settings = settings_for(tmp_path / "index", corpus_copy)
    # retired generations are pruned during the run (requests here last well under 3 s)
    settings = replace(settings, index=replace(settings.index, keep_retired_seconds=3.0))
    build_index(settings)
    report = chaos(settings, corpus_copy, seconds=15, clients=6)
    assert not report["failures"], report["failures"][:5]
    assert not report["wedged"] and report["still_answers"]
    assert report["builds"] >= 3 and min(report["answered"]) > 0
    for seen in report["seen"]:  # once a client saw a generation, never an older one
        assert seen == sorted(seen)
    assert max(max(s) for s in report["seen"] if s) > 1


def open_then_updated(tmp_path: Path, corpus_copy: Path) -> tuple[Settings, SearchService]:
    """A service that has generation 1 open, and a build's generation 2 live since."""
    settings = settings_for(tmp_path / "index", corpus_copy)
    build_index(settings)
    service = SearchService(settings)
    assert service.info()["generation"] == 1
    touch_corpus(corpus_copy, 1)
    build_index(settings)
    return settings, service


def test_a_new_generation_is_checked_while_the_open_one_answers(
        tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashing a big index's files takes seconds: a server process goes on answering from
    the generation it has open while a build's new one is checked in a thread, then
    switches; a small index's check ends within the wait and switches at once."""
    settings, service = open_then_updated(tmp_path, corpus_copy)
    assert service.info()["generation"] == 2  # a small index: checked within the wait
    touch_corpus(corpus_copy, 2)
    build_index(settings)
    checking, release = threading.Event(), threading.Event()
    verify = integrity.verify

    def slow_verify(root: Path, generation: Path) -> None:
        if generation.name.endswith("000003"):  # as if the index were big
            checking.set()
            assert release.wait(30)
        verify(root, generation)

    monkeypatch.setattr(integrity, "verify", slow_verify)
    started = time.monotonic()
    assert service.info()["generation"] == 2
    assert checking.wait(5)
    # the open one answers: it does not have the new word (only the old, as a correction)
    assert service.search("merker2", lang="af").suggestion == "merker1"
    assert service.info()["generation"] == 2
    assert time.monotonic() - started < 5
    release.set()
    deadline = time.monotonic() + 10
    while service.info()["generation"] != 3:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert service.search("merker2", lang="af").suggestion is None


def test_a_damaged_new_generation_is_reported_and_not_hashed_again_by_every_request(
        tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, service = open_then_updated(tmp_path, corpus_copy)
    new = current_dir(settings.index.path)
    with open(next(new.glob("*.pst")), "ab") as damaged:
        damaged.write(b"x")
    checked: list[Path] = []
    verify = integrity.verify

    def counted(root: Path, generation: Path) -> None:
        checked.append(generation)
        verify(root, generation)

    monkeypatch.setattr(integrity, "verify", counted)
    for _ in range(4):
        with pytest.raises(IndexDamagedError, match="damaged"):
            service.search("merker1", lang="af")
    assert checked == [new]
