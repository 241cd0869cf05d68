"""Shared helpers for the benchmark scripts: loopback-only HTTP, percentiles, JSON output."""

from __future__ import annotations

import http.client
import json
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

OUT = Path(__file__).parent / "out"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def loopback_target(url: str) -> tuple[str, int]:
    """Host and port of `url`; only this machine's loopback is ever a target."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host not in LOOPBACK and not host.startswith("127."):
        raise SystemExit(f"refusing {host}: benchmarks only send traffic to loopback")
    return host, parts.port or 80


def get(host: str, port: int, path: str, timeout: float = 30.0) -> tuple[int, float]:
    """(status, seconds) of one GET of a raw path (sent as is, so bad encodings get through)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ms = sorted(s * 1000 for s in seconds)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {"p50": round(q[49], 2), "p95": round(q[94], 2), "p99": round(q[98], 2),
            "max": round(ms[-1], 2)}


def write_json(name: str, data: dict) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
    return path


def relevance_queries() -> list[tuple[str, str, str]]:
    """(query, lang, kind) of every relevance-set query: the real query mix."""
    rows = []
    for path in sorted((Path(__file__).parent.parent / "tests" / "relevance").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["query"], path.stem, row["kind"]))
    return rows


def server_rss_mb(pid: int) -> dict[int, dict[str, float]]:
    """Resident MB of the server process and of its children (the workers): all of it,
    and the anonymous (private) part; the rest is mapped files (the index's term arrays),
    pages the processes share through the page cache."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(p) for p in task.read_text().split()]
    sizes = {}
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        kb = {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines()
              if line.startswith(("VmRSS:", "RssAnon:"))}
        sizes[p] = {"rss": round(kb["VmRSS"] / 1024, 1), "anon": round(kb["RssAnon"] / 1024, 1)}
    return sizes
