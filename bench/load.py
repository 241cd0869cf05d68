"""Drive a running polyfind server with concurrent clients using the real query mix.

    python bench/load.py http://127.0.0.1:8080 [--clients 8] [--seconds 20]
                         [--rebuild-at 10 --config config.toml]

First a baseline phase hits /healthz (no search) for the same time, then the relevance-set
queries; prints QPS, p50/p95/p99 and errors of both and the ratio of search to baseline.
With --rebuild-at, `polyfind index --rebuild` runs in the middle: errors must stay 0 and
the generation seen by clients must switch once. With --server-pid (the `polyfind serve`
process), the resident size of it and its worker processes is sampled every second of the
search phase: it must stay flat under load. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import quote

from _common import get, loopback_target, percentiles, relevance_queries, server_rss_mb, write_json


def run_phase(host: str, port: int, paths: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            path = rng.choice(paths)
            try:
                status, took = get(host, port, path)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                if status != 200:
                    errors.append(f"{status} {path[:80]}")
                latencies.append(took)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "qps": round(len(latencies) / elapsed, 1),
            "errors": len(errors), "error_samples": errors[:10], **percentiles(latencies)}


def sample_rss(pid: int, stop: threading.Event,
               samples: list[dict[int, dict[str, float]]]) -> None:
    while not stop.is_set():
        samples.append(server_rss_mb(pid))
        stop.wait(1.0)
    samples.append(server_rss_mb(pid))


def generation(url: str) -> int:
    with urllib.request.urlopen(f"{url}/api/info", timeout=10) as response:
        return json.loads(response.read())["generation"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rebuild-at", type=float)
    parser.add_argument("--config", default="config.toml")
    parser.add_argument("--server-pid", type=int)
    args = parser.parse_args()
    host, port = loopback_target(args.url)
    url = args.url.rstrip("/")
    searches = [f"/api/search?q={quote(q)}&lang={lang}" for q, lang, _ in relevance_queries()]
    baseline = run_phase(host, port, ["/healthz"], args.clients, args.seconds)
    before = generation(url)
    rebuild = None
    if args.rebuild_at is not None:
        def later() -> None:
            time.sleep(args.rebuild_at)
            subprocess.run([sys.executable, "-m", "indexer", "index", "--rebuild", "--config",
                            args.config], check=True, capture_output=True)
        rebuild = threading.Thread(target=later)
        rebuild.start()
    samples: list[dict[int, dict[str, float]]] = []
    stop = threading.Event()
    if args.server_pid:
        sampler = threading.Thread(target=sample_rss, args=(args.server_pid, stop, samples))
        sampler.start()
    search = run_phase(host, port, searches, args.clients, args.seconds)
    stop.set()
    if rebuild:
        rebuild.join()
    after = generation(url)
    print(f"{'phase':<9} {'requests':>8} {'QPS':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>6}")
    for name, phase in (("baseline", baseline), ("search", search)):
        print(f"{name:<9} {phase['requests']:>8} {phase['qps']:>7} {phase['p50']:>8} "
              f"{phase['p95']:>8} {phase['p99']:>8} {phase['errors']:>6}")
    ratio = search["p95"] / baseline["p95"] if baseline["p95"] else 0.0
    print(f"search p95 / baseline p95: {ratio:.1f}x; QPS ratio "
          f"{search['qps'] / max(baseline['qps'], 0.1):.2f}; generation {before} -> {after}")
    if samples:
        for proc in sorted(samples[-1]):
            for kind in ("rss", "anon"):
                series = [s[proc][kind] for s in samples if proc in s]
                print(f"process {proc}: {'RSS' if kind == 'rss' else 'anonymous'} "
                      f"{series[0]} MB at start, {max(series)} MB max, {series[-1]} MB at end")
    out = write_json("load", {"clients": args.clients, "seconds": args.seconds,
                              "baseline": baseline, "search": search,
                              "generation": [before, after], "rss_mb": samples})
    print(f"written {out}")
    return 1 if search["errors"] or baseline["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
