"""Nothing is unpickled that polyfind did not write, and damage is found when an index is
opened: real indexes with real pickle payloads planted in them (each would run if Whoosh
were asked to read it, which each test shows last), through the CLI, the search service,
the web app (/healthz, the API, the page) and an incremental build."""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.structfile import StructFile

from indexer import integrity
from indexer.build import build_index
from indexer.errors import IndexDamagedError, IndexUntrustedError
from indexer.search import SearchService
from search_web import create_app

from .conftest import ROOT, settings_for

OTHER_UID = 65534  # nobody
POLISH_UNAVAILABLE = "Wyszukiwarka jest teraz niedostępna"


class Payload:
    """Unpickled, creates the marker file: what an attacker's code would do instead."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').close()",))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("template") / "index"
    build_index(settings_for(index))
    return index


@pytest.fixture
def index(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(template, target, symlinks=True)
    return target


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "payload-ran"


def live(index: Path) -> Path:
    return (index / "current").resolve()


def payload_toc(toc: bytes, marker: Path, same_size: bool = False) -> bytes:
    """The table of contents with its pickled schema replaced by the payload (padded to the
    same length when `same_size`: pickle stops reading at its STOP opcode)."""
    stream = StructFile(io.BytesIO(toc))
    for _ in range(3):
        stream.read_varint()  # int, long and float sizes
    stream.read_int(), stream.read_int()  # byte order check, version
    for _ in range(3):
        stream.read_varint()  # release
    length_at = stream.tell()
    length = stream.read_varint()
    start = stream.tell()
    evil = pickle.dumps(Payload(marker), 2)
    if same_size:
        evil = evil.ljust(length, b"\0")
        assert len(evil) == length
        return toc[:start] + evil + toc[start + length:]
    out = StructFile(io.BytesIO())
    out.write_varint(len(evil))
    return toc[:length_at] + out.file.getvalue() + evil + toc[start + length:]


def plant_stored_payload(generation: Path, marker: Path) -> None:
    """The stored-fields column with document 0's value replaced by the payload, compressed
    to exactly the length it replaces: the file keeps its size."""
    (path,) = generation.glob("*._stored.col")
    data = path.read_bytes()
    first = zlib.compress(pickle.dumps(_first_stored(generation), 2), 3)
    assert data.startswith(first)
    evil = pickle.dumps(Payload(marker), 2)
    evil += b"\0" * (len(first) - 11 - len(evil))  # level 0: the data plus 11 bytes
    replacement = zlib.compress(evil, 0)
    assert len(replacement) == len(first)
    path.write_bytes(replacement + data[len(first):])
    assert path.stat().st_size == len(data)


def _first_stored(generation: Path) -> dict:
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        return searcher.stored_fields(0)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def assert_refused_everywhere(index: Path, fragment: str, code: str, marker: Path,
                              build: bool = True) -> None:
    """Every way in gives one clear error naming the problem, and the payload never runs."""
    settings = settings_for(index)
    searched = run_cli("search", "lejek", "--index", str(index))
    assert searched.returncode == 2, searched.stdout
    assert searched.stderr.count("\n") == 1 and "Traceback" not in searched.stderr
    assert searched.stderr.startswith("polyfind: error: ") and fragment in searched.stderr
    error = IndexDamagedError if code == "index_damaged" else IndexUntrustedError
    with pytest.raises(error, match=re.escape(fragment)):
        SearchService(settings).search("lejek")
    client = create_app(settings).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and fragment in health.get_json()["reason"]
    api = client.get("/api/search?q=lejek")
    assert api.status_code == 503 and api.get_json()["error"]["code"] == code
    assert fragment in api.get_json()["error"]["message"]
    page = client.get("/?q=lejek&ui=pl")
    assert page.status_code == 503
    assert POLISH_UNAVAILABLE in page.get_data(as_text=True)
    if build:
        built = run_cli("index", "--index", str(index))
        assert built.returncode == 2 and fragment in built.stderr, built.stderr
        assert "Traceback" not in built.stderr
    assert not marker.exists()


def assert_payload_is_live(generation: Path, marker: Path) -> None:
    """Whoosh itself runs what was planted: the refusals above were not luck."""
    try:
        with whoosh_index.open_dir(str(generation)).searcher() as searcher:
            searcher.stored_fields(0)
    except Exception:  # noqa: BLE001, S110 - the index is garbage once the payload ran
        pass
    assert marker.exists()


# -- nothing unpickled that polyfind did not write ------------------------------------------

def test_new_toc_in_a_world_writable_sticky_generation(index: Path, marker: Path) -> None:
    generation = live(index)
    generation.chmod(0o1777)
    planted = generation / "_MAIN_2.toc"
    planted.write_bytes(payload_toc((generation / "_MAIN_1.toc").read_bytes(), marker))
    os.chown(planted, OTHER_UID, OTHER_UID)
    assert_refused_everywhere(index, "can be written by other users (mode 1777)",
                              "index_untrusted", marker)
    generation.chmod(0o755)  # the folder fixed, the planted file is still refused
    with pytest.raises(IndexUntrustedError, match="_MAIN_2.toc belongs to user id 65534"):
        SearchService(settings_for(index)).search("lejek")
    os.chown(planted, 0, 0)
    with pytest.raises(IndexUntrustedError, match="_MAIN_2.toc is not a file polyfind wrote"):
        SearchService(settings_for(index)).search("lejek")
    assert_payload_is_live(generation, marker)


def test_world_writable_toc(index: Path, marker: Path) -> None:
    toc = live(index) / "_MAIN_1.toc"
    toc.write_bytes(payload_toc(toc.read_bytes(), marker))
    toc.chmod(0o666)
    assert_refused_everywhere(index, "_MAIN_1.toc can be written by other users (mode 666)",
                              "index_untrusted", marker)
    assert_payload_is_live(live(index), marker)


def test_files_of_another_user_in_a_group_writable_generation(index: Path, marker: Path) -> None:
    generation = live(index)
    toc = generation / "_MAIN_1.toc"
    toc.write_bytes(payload_toc(toc.read_bytes(), marker))
    for path in generation.iterdir():
        os.chown(path, OTHER_UID, OTHER_UID)
    generation.chmod(0o775)
    assert_refused_everywhere(index, "gen-000001 can be written by other users (mode 775)",
                              "index_untrusted", marker, build=False)
    generation.chmod(0o755)
    assert_refused_everywhere(index, "belongs to user id 65534", "index_untrusted", marker)
    assert_payload_is_live(generation, marker)


def test_stored_fields_replaced_with_the_same_size(index: Path, marker: Path) -> None:
    plant_stored_payload(live(index), marker)
    assert_refused_everywhere(index, "_stored.col changed since polyfind wrote it",
                              "index_damaged", marker)
    assert_payload_is_live(live(index), marker)


def test_toc_replaced_with_the_same_size(index: Path, marker: Path) -> None:
    toc = live(index) / "_MAIN_1.toc"
    toc.write_bytes(payload_toc(toc.read_bytes(), marker, same_size=True))
    assert_refused_everywhere(index, "_MAIN_1.toc changed since polyfind wrote it",
                              "index_damaged", marker, build=False)
    assert_payload_is_live(live(index), marker)


def test_current_pointing_outside_the_index_folder(index: Path, tmp_path: Path,
                                                   marker: Path) -> None:
    """A generation made elsewhere, consistent with its own manifest, is still refused."""
    elsewhere = tmp_path / "elsewhere" / "gen-000001"
    shutil.copytree(live(index), elsewhere)
    toc = elsewhere / "_MAIN_1.toc"
    toc.write_bytes(payload_toc(toc.read_bytes(), marker))
    meta = json.loads((elsewhere / "polyfind.json").read_text("utf-8"))
    meta["files"] = integrity.record(elsewhere)
    (elsewhere / "polyfind.json").write_text(json.dumps(meta), "utf-8")
    (index / "current").unlink()
    (index / "current").symlink_to(elsewhere)
    assert_refused_everywhere(index, "points outside the index folder", "index_untrusted",
                              marker)
    assert_payload_is_live(elsewhere, marker)


def test_world_writable_index_folder(index: Path, marker: Path) -> None:
    index.chmod(0o777)
    assert_refused_everywhere(index, f"index folder {index} can be written by other users",
                              "index_untrusted", marker, build=False)
    index.chmod(0o755)
    assert SearchService(settings_for(index)).search("lejek", lang="pl").total > 0


def test_index_without_a_manifest_is_refused_then_rebuilt_in_full(index: Path) -> None:
    """An index built before manifests: never opened; the next build is a full one."""
    meta_path = live(index) / "polyfind.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    del meta["files"]
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(IndexDamagedError, match="no list of its files"):
        SearchService(settings_for(index)).search("lejek")
    assert build_index(settings_for(index)).mode == "full"
    assert SearchService(settings_for(index)).search("lejek", lang="pl").total > 0


def test_builds_leave_no_file_others_can_write(tmp_path: Path) -> None:
    """Under umask 002 (user private groups) a build still gives an index polyfind reads."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = settings_for(tmp_path / "index", corpus)
    old = os.umask(0o002)
    try:
        build_index(settings)
        (corpus / "extra.md").write_text("# Nowy artykuł\n\nLejek sprzedaży raz jeszcze.\n",
                                         "utf-8")
        build_index(settings, rebuild=False)  # incremental: copies, verifies, re-records
    finally:
        os.umask(old)
    generation = live(tmp_path / "index")
    assert generation.name == "gen-000002"
    for path in (generation, *generation.iterdir()):
        assert not path.stat().st_mode & 0o022, path
    meta = json.loads((generation / "polyfind.json").read_text("utf-8"))
    assert set(meta["files"]) == {p.name for p in generation.iterdir()} - {"polyfind.json"}
    assert SearchService(settings).search("lejek", lang="pl").total > 0


# -- damage found at open --------------------------------------------------------------------

DAMAGE = {
    "postings": ("*.pst", lambda data: data[: len(data) // 2]),
    "terms": ("*.trm", lambda data: data[: len(data) // 2]),
    "stored fields": ("*._stored.col", lambda data: data[:-100]),
    "lang column": ("*.lang.col", lambda data: data[:-3]),
    "length column emptied": ("*._body_exact_pl_len.col", lambda data: b""),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_files_are_found_at_open(index: Path, marker: Path, damage: str) -> None:
    pattern, cut = DAMAGE[damage]
    (path,) = live(index).glob(pattern)
    path.write_bytes(cut(path.read_bytes()))
    assert_refused_everywhere(index, f"{path.name} is damaged", "index_damaged", marker,
                              build=False)


def test_damage_after_open_is_a_503_and_fails_healthz(index: Path) -> None:
    """Files damaged under a running server: the first read that fails is a 503 naming the
    file (not a 500), and /healthz fails from then on."""
    service = SearchService(settings_for(index))
    client = create_app(settings_for(index), service).test_client()
    assert client.get("/api/search?q=lejek").status_code == 200
    assert client.get("/healthz").status_code == 200
    (path,) = live(index).glob("*._stored.col")
    with open(path, "r+b") as handle:  # in place: the open searchers read the new bytes
        handle.write(b"\0" * (path.stat().st_size - 512))  # all but the lengths at the end
    response = client.get("/api/search?q=sklep%20internetowy")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "index_damaged"
    assert "_stored.col changed since polyfind wrote it" in response.get_json()["error"]["message"]
    health = client.get("/healthz")
    assert health.status_code == 503 and "_stored.col" in health.get_json()["reason"]
    page = client.get("/doc/pl-01?ui=pl")
    assert page.status_code == 503 and POLISH_UNAVAILABLE in page.get_data(as_text=True)



def test_a_workers_trust_in_its_masters_check_ends_when_a_file_changes(index: Path,
                                                                     marker: Path) -> None:
    """A server's master checks the live generation once before forking its workers, which
    trust that check while no file's stat changed: a file written since is hashed again by
    the first worker check, and found; a master that finds damage records no verdict."""
    integrity.check_before_fork(index, live(index))
    integrity.GenerationCheck(index, live(index)).check()  # the master's verdict, a stat
    plant_stored_payload(live(index), marker)
    with pytest.raises(IndexDamagedError, match="_stored.col changed since polyfind wrote it"):
        integrity.GenerationCheck(index, live(index)).check()
    with pytest.raises(IndexDamagedError, match="_stored.col changed since polyfind wrote it"):
        integrity.check_before_fork(index, live(index))
    with pytest.raises(IndexDamagedError, match="_stored.col changed since polyfind wrote it"):
        integrity.GenerationCheck(index, live(index)).check()
    assert not marker.exists()


def test_a_switch_hashes_only_the_files_the_build_wrote(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An incremental build links the unchanged segments of the live generation into the
    next: a process that verified the live one hashes only the new generation's other
    files when it switches, and a linked file changed in place since is hashed, and found."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = settings_for(tmp_path / "index", corpus)
    build_index(settings)
    root = settings.index.path
    first = live(root)
    integrity.GenerationCheck(root, first).check()
    dump = corpus / "af.txt"
    dump.write_text(dump.read_text("utf-8").rstrip("\n") + " nuwewoord\n", "utf-8")
    build_index(settings)
    second = live(root)
    assert second != first
    hashed: list[str] = []
    digest = integrity._digest
    monkeypatch.setattr(integrity, "_digest", lambda path: hashed.append(path.name) or digest(path))
    integrity.GenerationCheck(root, second).check()
    names = set(integrity._manifest(second))
    linked = {name for name in names if (first / name).exists()
              and os.path.samefile(first / name, second / name)}
    assert linked and any(name.endswith(".pst") for name in linked)
    assert set(hashed) == names - linked
    changed = next(second / name for name in sorted(linked) if name.endswith(".pst"))
    with changed.open("r+b") as handle:  # one byte changed in place: same size and inode
        first_byte = handle.read(1)
        handle.seek(0)
        handle.write(bytes([first_byte[0] ^ 0xFF]))
    with pytest.raises(IndexDamagedError, match=f"{changed.name} changed since polyfind"):
        integrity.GenerationCheck(root, second).check()
