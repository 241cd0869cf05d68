"""`polyfind serve` as a real gunicorn server on loopback: process lifetime, connection and
request limits, the shared rate limit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if entry.isdigit() and fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry))
    return found


@contextmanager
def serving(tmp_path: Path, index: Path, serve: str = "",
            log_level: str = "warning") -> Iterator[tuple[int, subprocess.Popen]]:
    """A `polyfind serve` process with [serve] settings `serve`, ready to answer; what it
    printed before its serving line is kept as `server.early_log`."""
    config = tmp_path / "serve.toml"
    config.write_text(f"[serve]\nworkers = 2\nthreads = 2\n{serve}\n", "utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--log-level", log_level, "serve", "--config",
         str(config), "--index", str(index), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        early = []
        while "serving" not in (line := server.stderr.readline()):
            assert line, "".join(early)
            early.append(line)
        server.early_log = "".join(early)
        deadline = time.monotonic() + 60
        while len(children(server.pid)) < 2 or status(port, "/healthz") != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        yield port, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server.log = server.stderr.read()  # what the server printed after its first line
        server.stderr.close()


def status(port: int, path: str, headers: dict | None = None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def test_killed_master_leaves_no_worker_and_frees_the_port(tmp_path, built_settings) -> None:
    with serving(tmp_path, built_settings.index.path) as (port, server):
        workers = children(server.pid)
        server.send_signal(signal.SIGKILL)
        server.wait()
        deadline = time.monotonic() + 10
        while [pid for pid in workers if Path(f"/proc/{pid}").exists()
               and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]]:
            assert time.monotonic() < deadline, "workers outlived their master"
            time.sleep(0.1)
    deadline = time.monotonic() + 10
    while True:  # nobody listens any more
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        except ConnectionRefusedError:
            break
        assert time.monotonic() < deadline, f"port {port} still served"
        time.sleep(0.2)


def test_busy_port_is_one_clear_line(built_settings) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "indexer", "serve", "--index", str(built_settings.index.path),
             "--port", str(port)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"port {port}" in done.stderr and "--port" in done.stderr
    assert "serving" not in done.stderr


def test_idle_connections_do_not_block_a_request(tmp_path, built_settings) -> None:
    with serving(tmp_path, built_settings.index.path) as (port, _server):
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(120)]
        try:
            started = time.monotonic()
            assert status(port, "/api/search?q=lejek") == 200
            # stock gthread handed each idle connection a thread for 5 s: 120 idle
            # connections over 4 threads held this request back for a minute
            assert time.monotonic() - started < 15
        finally:
            for conn in idle:
                conn.close()


def test_clients_stalled_mid_request_are_dropped(tmp_path, built_settings) -> None:
    """Each stalled client holds a thread for at most STALL_SECONDS (10 s), then is closed;
    6 of them on 2 x 2 threads are all gone within 30 s, and the server answers again."""
    with serving(tmp_path, built_settings.index.path) as (port, server):
        stalled = []
        for _ in range(6):
            conn = socket.create_connection(("127.0.0.1", port), timeout=45)
            conn.sendall(b"GET /api/search?q=lejek HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            stalled.append(conn)
        try:
            for conn in stalled:
                try:
                    assert conn.recv(100) == b""  # closed by the server, not timed out here
                except ConnectionResetError:
                    pass
            assert status(port, "/api/search?q=lejek") == 200
        finally:
            for conn in stalled:
                conn.close()
    assert "Traceback" not in server.log


def test_big_body_is_refused_without_being_read(tmp_path, built_settings) -> None:
    with serving(tmp_path, built_settings.index.path) as (port, _server):
        size = 200 * 2**20
        sent = 0
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(f"POST /api/search?q=lejek HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Content-Length: {size}\r\n\r\n".encode())
            chunk = b"x" * 65536
            try:
                while sent < size:
                    conn.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the server closed the connection: the refusal
            answer = b""
            try:
                while data := conn.recv(65536):
                    answer += data
            except OSError:
                pass
        assert sent < 32 * 2**20, "the server kept reading the body"
        if answer:  # the kernel may reset before the answer is read
            assert answer.split(b"\r\n", 1)[0].split()[1] in (b"405", b"413")


def test_instantsearch_posts_are_served_and_big_ones_refused(tmp_path, built_settings) -> None:
    """The one endpoint whose protocol is POST takes a small body through the real server,
    on a kept-alive connection; a body over 16 kB is refused there too."""
    import http.client
    import json

    body = json.dumps({"requests": [{"indexName": "articles", "query": "lejek"}]})
    with serving(tmp_path, built_settings.index.path) as (port, _server):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        for _ in range(2):  # the second on the same connection
            conn.request("POST", "/instantsearch/1/indexes/*/queries", body=body,
                         headers={"Content-Type": "text/plain"})
            response = conn.getresponse()
            answer = json.loads(response.read())
            assert response.status == 200 and answer["results"][0]["nbHits"] > 0
        conn.request("POST", "/instantsearch/1/indexes/*/queries", body="x" * 20000)
        response = conn.getresponse()
        response.read()
        assert response.status == 413
        conn.close()


def test_rate_limit_is_shared_by_the_workers(tmp_path, built_settings) -> None:
    settings = "rate_limit = 10\nrate_limit_loopback = true"
    with serving(tmp_path, built_settings.index.path, settings) as (port, _server):
        answers = [status(port, "/api/search?q=lejek", {"Connection": "close"})
                   for _ in range(40)]
    assert answers.count(200) in (10, 11), answers  # per worker it was up to 20
    assert answers.count(429) >= 29


def test_bad_host_is_a_plain_400(tmp_path, built_settings) -> None:
    with serving(tmp_path, built_settings.index.path) as (port, _server):
        for host in ("a" * 64, "..", "a" * 64 + ".example", "x:99999", "ex ample"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(f"GET /opensearch.xml HTTP/1.1\r\nHost: {host}\r\n"
                             "Connection: close\r\n\r\n".encode())
                answer = b""
                while data := conn.recv(65536):
                    answer += data
            assert answer.startswith(b"HTTP/1.1 400"), (host, answer[:200])
            assert len(answer) < 1000 and b"Traceback" not in answer
        assert status(port, "/opensearch.xml", {"Host": "search.example:8443"}) == 200


def test_sighup_restarts_workers_gracefully(tmp_path, built_settings) -> None:
    settings = "rate_limit = 5\nrate_limit_loopback = true"
    with serving(tmp_path, built_settings.index.path, settings) as (port, server):
        assert [status(port, "/api/info") for _ in range(5)] == [200] * 5
        before = set(children(server.pid))
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while not (before.isdisjoint(children(server.pid)) and len(children(server.pid)) == 2):
            assert time.monotonic() < deadline
            assert status(port, "/healthz") == 200  # answered all along
            time.sleep(0.2)
        # new workers, same shared buckets: the old workers' exit left the store in place
        assert status(port, "/api/info") == 429
    assert "Traceback" not in server.log


def test_workers_trust_the_masters_check_of_the_index(tmp_path, built_settings) -> None:
    """The master hashes the index's files once, before it forks: neither its two workers
    nor the two that replace them on SIGHUP hash them again (each would read a big index
    from disk again, all at once)."""
    with serving(tmp_path, built_settings.index.path, log_level="info") as (port, server):
        before = set(children(server.pid))
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while not (before.isdisjoint(children(server.pid)) and len(children(server.pid)) == 2):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert status(port, "/api/search?q=lejek") == 200
    checks = (server.early_log + server.log).count("(hashed every file)")
    assert "(hashed every file)" in server.early_log and checks == 1, server.log


def test_a_prepared_worker_is_warm_and_its_objects_are_left_out_of_full_collections(
        built_settings) -> None:
    """A new worker freezes what it has loaded (the collector's full passes no longer walk
    it), then searches once per language before taking traffic; the index's objects, opened
    after the freeze, stay collectable when a rebuild switches generations."""
    import gc

    from indexer.search import SearchService
    from search_web.collector import NEVER
    from search_web.server import prepare_worker

    service = SearchService(built_settings)
    assert gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    try:
        prepare_worker(service)
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[2] == NEVER  # full collections between requests only
        with service.searcher() as lease:
            assert lease.postings.cache.expansions.total > 0  # half-typed words were searched
            collectable = {id(o) for o in gc.get_objects()}  # (frozen ones are not listed)
            assert id(lease.postings) in collectable and id(lease.searcher) in collectable
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
