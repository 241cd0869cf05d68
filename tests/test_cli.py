"""The CLI as a user runs it: exit codes and one clear line on bad input, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def assert_clean_error(result: subprocess.CompletedProcess, fragment: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert fragment in result.stderr


def test_index_search_info_end_to_end(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    built = run("--log-level", "info", "index", "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert "full build, generation 1: 50 documents" in built.stdout
    # logged: the generation switch and the build's summary
    assert "current -> gen-000001" in built.stderr
    assert "INFO indexer.build: full build: generation 1, 50 documents" in built.stderr
    found = run("search", "Czarny Piątek", "--index", str(index), "--limit", "2")
    assert found.returncode == 0
    assert found.stdout.splitlines()[2].startswith("1. [pl] Czym jest [Czarny] [Piątek]?")
    as_json = json.loads(run("search", "lejek", "--index", str(index), "--json").stdout)
    assert as_json["results"][0]["id"] == "pl-01"
    info = run("info", "--index", str(index))
    assert "documents  50" in info.stdout


def test_bad_inputs(tmp_path: Path) -> None:
    assert_clean_error(run("search", "lejek", "--index", str(tmp_path / "none")),
                       "run `polyfind index`")
    assert_clean_error(run("search", "   ", "--index", str(tmp_path)), "no words")
    assert_clean_error(run("index", "--index", str(tmp_path / "i"), "--corpus",
                           str(tmp_path / "missing")), "does not exist")
    bad = tmp_path / "bad.toml"
    bad.write_text("[index]\npaht = 'x'\n")
    assert_clean_error(run("info", "--config", str(bad)), "unknown key 'index.paht'")
    bad.write_text("[search]\nper_page = 'ten'\n")
    assert_clean_error(run("info", "--config", str(bad)), "'search.per_page' must be")
    bad.write_text("[search]\nper_page = 0\n")  # refused at load, not by every search
    assert_clean_error(run("info", "--config", str(bad)),
                       "'search.per_page' must be between 1 and 100, got 0")
    bad.write_text("[search\n")
    assert_clean_error(run("info", "--config", str(bad)), "not valid TOML")
    assert_clean_error(run("info", "--config", str(tmp_path / "nope.toml")), "not found")


def test_analyze_shows_every_view() -> None:
    out = run("analyze", "--lang", "kk", "шұңқырларының").stdout
    assert "шұңқыр" in out and "шункыр" in out


def test_serve_builds_the_missing_index_and_stops_cleanly(tmp_path: Path) -> None:
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(tmp_path / "ix"), "--port",
         str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=lejek",
                                            timeout=5) as response:
                    assert json.loads(response.read())["results"][0]["id"] == "pl-01"
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    assert "building it first" in err and "worker process" in err
    assert "Traceback" not in err
    with pytest.raises(ConnectionRefusedError):  # every worker is gone: nobody listens
        socket.create_connection(("127.0.0.1", port), timeout=5)
