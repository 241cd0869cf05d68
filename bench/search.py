"""Search latency with snippets at N documents: polyfind against plain Whoosh's OR query
(the same relevance-set queries, same index size), in process and through the HTTP API.

    python bench/search.py 10000     (after bench/index.py 10000 built both indexes)
    python bench/search.py 50000 --vocab real   (after bench/index.py 50000 --vocab real)

Prints p50/p95/p99 per kind of query and the ratio polyfind/plain at p95, over three
rounds of every query ("all") and over the first round alone ("first"). polyfind's response
cache is off (every round does the whole search, as plain Whoosh does); its term cache is
on, as deployed. The HTTP figures are given without and with the response cache. The
"typing" row: the queries with the last word cut in half, searched with prefix=auto
(plain Whoosh: the same half words, whole-word OR query).

    python bench/search.py 50000 --vocab real --no-plain --profile first.prof

also writes cProfile statistics of polyfind's first round in process (read them with
`python -m pstats first.prof`); the profiler slows that round, so its figures are not
comparable with a run without it. `--workers N` serves the HTTP rounds with N worker
processes instead of config.toml's (each warms its own caches).
"""

from __future__ import annotations

import argparse
import cProfile
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import regex  # noqa: E402
from _common import (  # noqa: E402
    get,
    percentiles,
    relevance_queries,
    server_rss_mb,
    write_json,
)

from indexer.config import load_settings  # noqa: E402
from indexer.evaluate import load_relevance, truncated  # noqa: E402
from indexer.search import SearchService  # noqa: E402

ROUNDS = 3
# Half words, searched with prefix=auto (search as you type); not "prefix", the Hebrew
# set's kind of queries with prefix letters.
PREFIX_KIND = "typing"


def plain_searcher(index: Path):
    from whoosh import index as whoosh_index
    from whoosh import scoring
    from whoosh.highlight import ContextFragmenter, HtmlFormatter
    from whoosh.qparser import MultifieldParser, OrGroup

    ix = whoosh_index.open_dir(str(index))
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
    searcher = ix.searcher(weighting=scoring.BM25F())

    def search(query: str, lang: str, kind: str = "") -> None:
        try:
            q = parser.parse(query)
        except Exception:  # noqa: BLE001 - plain Whoosh cannot parse some user queries
            return
        results = searcher.search(q, limit=10)
        results.fragmenter = ContextFragmenter(charlimit=None)
        results.formatter = HtmlFormatter(tagname="mark")
        for hit in results:
            hit.highlights("body")
    return search


def prefix_queries() -> list[tuple[str, str, str]]:
    """The relevance sets' queries with the last word cut in half, as `polyfind eval`'s
    truncated kind: what a search box sends while a word is being typed."""
    judged = [truncated(item) for item in load_relevance(ROOT / "tests" / "relevance")]
    return [(item.query, item.lang, PREFIX_KIND) for item in judged if item is not None]


def timed(search, queries, profile: cProfile.Profile | None = None
          ) -> dict[str, list[float]]:
    """Seconds per kind of query over all rounds; "first" is round one alone, each query
    seen for the first time (caches hold only what earlier queries left). Prefix queries
    (half words as typed) are a kind of their own, outside "all" and "first". With a
    `profile`, round one runs under it."""
    times: dict[str, list[float]] = defaultdict(list)
    for round_number in range(ROUNDS):
        profiling = profile if round_number == 0 else None
        if profiling is not None:
            profiling.enable()
        for query, lang, kind in queries:
            started = time.perf_counter()
            search(query, lang, kind)
            took = time.perf_counter() - started
            times[kind].append(took)
            if kind == PREFIX_KIND:
                continue
            times["all"].append(took)
            if round_number == 0:
                times["first"].append(took)
        if profiling is not None:
            profiling.disable()
    return times


def http_times(index: Path, queries, cache_size: int, workers: int | None = None
               ) -> tuple[list[list[float]], dict[int, dict[str, float]], float]:
    """Seconds per request, round by round, against a server started for this run (its
    processes start with empty caches: round one is each query's first sight); the
    resident memory of the server's processes after the rounds; seconds until it answered
    /healthz. `workers` overrides config.toml's serve.workers."""
    config = ROOT / "bench" / "out" / f"config-cache-{cache_size}.toml"
    text = regex.sub(r"(?m)^cache_size = \d+", f"cache_size = {cache_size}",
                     (ROOT / "config.toml").read_text("utf-8"))
    if workers is not None:
        text = regex.sub(r"(?m)^workers = \d+", f"workers = {workers}", text)
    config.write_text(text, "utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "indexer", "serve", "--index", str(index),
                               "--port", str(port), "--config", str(config)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    try:
        for _ in range(600):
            try:
                if get("127.0.0.1", port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        ready = time.perf_counter() - started
        rounds = []
        for _ in range(ROUNDS):
            rounds.append([get("127.0.0.1", port, f"/api/search?q={quote(query)}&lang={lang}"
                               + ("&prefix=auto" if kind == PREFIX_KIND else ""))[1]
                           for query, lang, kind in queries])
        return rounds, server_rss_mb(server.pid), ready
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--vocab", choices=("articles", "real"), default="articles",
                        help="which corpus's indexes (bench/index.py --vocab)")
    parser.add_argument("--no-plain", action="store_true",
                        help="polyfind alone (after bench/index.py --no-plain; no ratios)")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="write cProfile statistics of polyfind's first round here")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="the HTTP server's worker processes (default: config.toml's; "
                             "each warms its own caches)")
    args = parser.parse_args()
    name = f"{args.n}" if args.vocab == "articles" else f"real-{args.n}"
    work = ROOT / "bench" / "out" / f"index-{name}"
    settings = load_settings(ROOT / "config.toml")
    settings = replace(settings, index=replace(settings.index, path=work / "polyfind"),
                       search=replace(settings.search, cache_size=0))
    service = SearchService(settings)
    queries = relevance_queries() + prefix_queries()
    profile = cProfile.Profile() if args.profile else None
    ours = timed(lambda q, lang, kind: service.search(
        q, lang=lang, prefix="auto" if kind == PREFIX_KIND else "off"), queries, profile)
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"profile of the first round written to {args.profile}")
    base = (defaultdict(list) if args.no_plain
            else timed(plain_searcher(work / "whoosh"), queries))
    print(f"{'kind':<13} {'polyfind p50/p95/p99 ms':<26} {'plain p50/p95/p99 ms':<26} p95 ratio")
    report = {}
    for kind in sorted(ours, key=lambda k: (k not in ("all", "first"), k)):
        a, b = percentiles(ours[kind]), percentiles(base[kind])
        ratio = a["p95"] / b["p95"] if b["p95"] else 0.0
        report[kind] = {"polyfind": a, "plain": b, "p95_ratio": round(ratio, 2)}
        print(f"{kind:<13} {a['p50']:>6} {a['p95']:>7} {a['p99']:>7}      "
              f"{b['p50']:>6} {b['p95']:>7} {b['p99']:>7}      {ratio:.2f}")
    for cache_size, key in ((0, "http"), (512, "http_cached")):
        rounds, memory, ready = http_times(work / "polyfind", queries, cache_size,
                                           args.workers)
        http = percentiles([t for times in rounds for t in times])
        http["rounds_p95"] = [percentiles(times)["p95"] for times in rounds]
        http["memory_mb"], http["ready_seconds"] = memory, round(ready, 1)
        print(f"HTTP /api/search, response cache {cache_size}: p50 {http['p50']} ms, "
              f"p95 {http['p95']} ms, p99 {http['p99']} ms; p95 by round "
              f"{' / '.join(str(p) for p in http['rounds_p95'])} ms; ready after "
              f"{ready:.1f} s")
        print("  memory MB per process (resident / private): " + ", ".join(
            f"{m['rss']:.0f}/{m['anon']:.0f}" for m in memory.values()))
        http["workers"] = args.workers
        report[key] = http
    print(f"written {write_json(f'search-{name}', report)}")


if __name__ == "__main__":
    main()
