"""Faults: a build killed with SIGKILL at any moment, and rebuilds under a real server's load."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from indexer.build import build_index
from indexer.layout import current_dir
from indexer.search import SearchService
from search_web import create_app

from .conftest import ROOT, settings_for


def bigger_corpus(folder: Path, copies: int) -> Path:
    """The shipped dumps `copies` times over, each copy's paragraphs marked so none is a
    duplicate (duplicates are skipped)."""
    folder.mkdir()
    for n in range(copies):
        for dump in (ROOT / "corpus").glob("*.txt"):
            lines = dump.read_text("utf-8").split("\n")
            text = "\n".join(f"{line} ({n})" if len(line) > 200 else line for line in lines)
            (folder / f"{dump.stem}-{n}.txt").write_text(text, "utf-8")
    return folder


def test_kill_9_during_builds_never_damages_the_live_index(tmp_path: Path) -> None:
    corpus = bigger_corpus(tmp_path / "corpus", copies=2)
    index = tmp_path / "index"
    settings = settings_for(index, corpus)
    build_index(settings)
    live = current_dir(index)
    for delay in (0.2, 1.0, 2.0, 3.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "indexer", "index", "--rebuild", "--index", str(index),
             "--corpus", str(corpus)], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = current_dir(index)  # either the old generation or a finished new one
        response = SearchService(settings).search("lejek sprzedaży", lang="pl")
        assert response.total > 0
        assert now == live or now.name > live.name
        live = now
    summary = build_index(settings)
    assert summary.documents == 100
    assert not [p for p in index.iterdir() if p.name.startswith("building-")]
    assert SearchService(settings).info()["documents"] == 100


def test_rebuilds_under_load_fail_no_request(tmp_path: Path) -> None:
    import socket

    from werkzeug.serving import make_server

    settings = settings_for(tmp_path / "index")
    build_index(settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/api/search?q=lejek&lang=pl"
    failures: list[str] = []
    seen: list[list[int]] = [[] for _ in range(4)]
    stop = threading.Event()

    def client(generations: list[int]) -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    data = json.loads(response.read())
                    assert data["total"] > 0
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/info",
                                            timeout=30) as response:
                    generations.append(json.loads(response.read())["generation"])
            except Exception as exc:  # noqa: BLE001 - every failure counts
                failures.append(repr(exc))
            time.sleep(0.05)  # steady load; the build shares the process (and its GIL)

    clients = [threading.Thread(target=client, args=(mine,)) for mine in seen]
    for thread in clients:
        thread.start()
    try:
        for _ in range(2):
            build_index(settings, rebuild=True)
            time.sleep(0.3)
    finally:
        stop.set()
        for thread in clients:
            thread.join()
        server.shutdown()
    assert not failures
    assert max(max(g) for g in seen) == 3
    for generations in seen:  # the switch is atomic: once new, never old again
        assert generations == sorted(generations)
