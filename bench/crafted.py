"""Crafted expensive queries against normal ones (issue 12, finding 5), same run, shipped corpus.

    python bench/crafted.py --rounds 5 --seconds 20

1. In process: each crafted kind (32 near-miss typos, 50 quoted pairs of common words and
   the 8 the cap allows, 120 excluded words and the 16 the cap allows, long random words),
   a fresh variant each round, against the relevance-set queries; medians and the ratio
   crafted/normal. The response cache is off (every search does the whole work).
2. Through a real server (`polyfind serve`, --workers processes, response cache off): a
   normal query's p95 alone, then while three clients send crafted queries one at a time;
   the ratio, and what the crafted queries got (200, 400 refused, 503 busy).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import get, percentiles, relevance_queries, write_json  # noqa: E402
from chaos_builds import free_port, polyfind, wait_until_up, write_config  # noqa: E402

from indexer.build import build_index  # noqa: E402
from indexer.config import load_settings  # noqa: E402
from indexer.search import SearchService  # noqa: E402
from tests.crafted import Crafter, timed  # noqa: E402


def in_process(folder: Path, rounds: int) -> dict:
    settings = load_settings(write_config(folder, 1, None))
    settings = replace(settings, search=replace(settings.search, cache_size=0))
    build_index(settings)
    service = SearchService(settings)
    normal_queries = [q for q, _lang, _kind in relevance_queries()]
    for q in normal_queries:  # a running server's generation caches are warm
        service.search(q)
    crafter = Crafter(service, seed=12)
    kinds = crafter.kinds()
    normal: list[float] = []
    crafted: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(rounds):  # interleaved, so both see the same machine
        normal.extend(timed(service, q) for q in normal_queries)
        for kind, make in kinds.items():
            crafted[kind].append(timed(service, make()))
    base = statistics.median(normal)
    out = {"normal_ms": percentiles(normal)}
    for kind, seconds in crafted.items():
        out[kind] = {"median_ms": round(statistics.median(seconds) * 1000, 1),
                     "max_ms": round(max(seconds) * 1000, 1),
                     "ratio_to_normal_median": round(statistics.median(seconds) / base, 2)}
    return out


def over_http(folder: Path, seconds: float, workers: int) -> dict:
    config = write_config(folder, workers, None)
    text = config.read_text("utf-8").replace("cache_size = 512", "cache_size = 0")
    config.write_text(text, "utf-8")
    port = free_port()
    server = subprocess.Popen(polyfind("serve", "--config", str(config), "--port", str(port)),
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port)
        service = SearchService(load_settings(config))
        crafter = Crafter(service, seed=99)
        normal_queries = [q for q, _lang, _kind in relevance_queries()]
        for q in normal_queries:
            get("127.0.0.1", port, f"/api/search?q={quote(q)}")
        alone = normal_client(port, normal_queries, seconds)
        stop = threading.Event()
        statuses: Counter[str] = Counter()
        lock = threading.Lock()

        def attacker(seed: int) -> None:
            rng = random.Random(seed)
            kinds = list(crafter.kinds().values())
            while not stop.is_set():
                with lock:  # the generators share one random source
                    q = rng.choice(kinds)()
                status, _took = get("127.0.0.1", port, f"/api/search?q={quote(q)}", timeout=60)
                with lock:
                    statuses[str(status)] += 1

        attackers = [threading.Thread(target=attacker, args=(n,)) for n in range(3)]
        for thread in attackers:
            thread.start()
        attacked = normal_client(port, normal_queries, seconds)
        stop.set()
        for thread in attackers:
            thread.join(120)
    finally:
        server.terminate()
        server.wait(30)
    return {"workers": workers, "normal_alone_ms": alone, "normal_attacked_ms": attacked,
            "p95_ratio": round(attacked["p95"] / max(alone["p95"], 0.001), 2),
            "crafted_statuses": dict(statuses)}


def normal_client(port: int, queries: list[str], seconds: float) -> dict:
    latencies = []
    ends = time.monotonic() + seconds
    for q in itertools.cycle(queries):
        if time.monotonic() > ends:
            break
        status, took = get("127.0.0.1", port, f"/api/search?q={quote(q)}")
        if status == 200:
            latencies.append(took)
    return percentiles(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="polyfind-crafted-"))
    try:
        shutil.copytree(ROOT / "corpus", folder / "corpus")
        report = {"in_process": in_process(folder, args.rounds),
                  "http": over_http(folder, args.seconds, args.workers)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(report, indent=2))
    print(f"written to {write_json('crafted', {'args': vars(args), **report})}")


if __name__ == "__main__":
    main()
