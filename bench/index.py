"""Index the synthetic corpus with polyfind's full analysis and, in the same run, with plain
Whoosh (StandardAnalyzer, same fields stored); print docs/s, seconds, peak memory, index size
and the ratio; then an incremental rebuild with 1% of the documents changed.

    python bench/index.py 10000        (makes bench/out/corpus-10000 first if missing)
    python bench/index.py 50000 --vocab real   (bench/out/corpus-real-50000, growing vocabulary)

Each build runs in its own process, so peak memory (max RSS) is that build's alone.
polyfind's build writes with one process per core (from 500 documents on); plain Whoosh's
default writer uses one. `--plain-procs 2` also builds plain Whoosh with two writer
processes; the processor-time ratio compares the work whatever the processes.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_polyfind(corpus: Path, index: Path) -> dict:
    from indexer.build import build_index
    from indexer.config import load_settings

    settings = load_settings(ROOT / "config.toml")
    settings = replace(settings, index=replace(settings.index, path=index),
                       corpus=replace(settings.corpus, path=corpus, languages={}))
    started = time.perf_counter()
    summary = build_index(settings)
    return {"seconds": time.perf_counter() - started, "documents": summary.documents,
            "mode": summary.mode}


def build_whoosh(corpus: Path, index: Path, limitmb: int = 128, procs: int = 1) -> dict:
    from whoosh import index as whoosh_index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    started = time.perf_counter()
    index.mkdir(parents=True, exist_ok=True)
    schema = Schema(id=ID(stored=True, unique=True), lang=ID(stored=True),
                    title=TEXT(analyzer=StandardAnalyzer(), stored=True),
                    body=TEXT(analyzer=StandardAnalyzer(), stored=True))
    ix = whoosh_index.create_in(str(index), schema)
    # with procs > 1: one writer process per core, each its own segment, as polyfind builds
    writer = ix.writer(limitmb=limitmb, **({"procs": procs, "multisegment": True}
                                          if procs > 1 else {}))
    count = 0
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            doc = json.loads(line)
            writer.add_document(id=doc["id"], lang=doc["lang"], title=doc["title"],
                                body=doc["body"])
            count += 1
    writer.commit()
    return {"seconds": time.perf_counter() - started, "documents": count, "mode": "full"}


def worker(kind: str, corpus: Path, index: Path) -> None:
    if kind == "polyfind":
        result = build_polyfind(corpus, index)
    else:  # "whoosh" (its default limitmb, 128), "whoosh-<limitmb>" or "whoosh-<limitmb>-<procs>"
        limitmb, _sep, procs = kind.partition("-")[2].partition("-")
        result = build_whoosh(corpus, index, int(limitmb or 128), int(procs or 1))
    # the largest process: this one, or one of the writer processes of a parallel build
    result["peak_mb"] = max(resource.getrusage(who).ru_maxrss for who in (
        resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    live = index / "current"
    result["size_mb"] = folder_size(live.resolve() if live.exists() else index) / 1e6
    # processor time of the build and its writer processes: on a shared machine the wall
    # clock counts other people's work too
    result["cpu_seconds"] = sum(u.ru_utime + u.ru_stime for u in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))
    print(json.dumps(result))


def run(kind: str, corpus: Path, index: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind, str(corpus), str(index)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def change_one_percent(corpus: Path, target: Path, seed: int = 3) -> int:
    """A copy of the corpus with 1% of documents edited."""
    shutil.copytree(corpus, target)
    rng = random.Random(seed)
    changed = 0
    for path in sorted(target.glob("*.jsonl")):
        lines = path.read_text("utf-8").splitlines()
        for i in range(len(lines)):
            if rng.random() < 0.01:
                doc = json.loads(lines[i])
                doc["body"] += " (zmiana)"
                lines[i] = json.dumps(doc, ensure_ascii=False)
                changed += 1
        path.write_text("\n".join(lines) + "\n", "utf-8")
    return changed


def _made_as_now(corpus: Path, vocab: str) -> bool:
    """Whether the corpus folder was made with the generator's present parameters."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generator_params, params_path

    try:
        made = json.loads(params_path(corpus).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return made == json.loads(json.dumps(generator_params(vocab, 7)))


def _last_plain(label: str) -> dict | None:
    """Plain Whoosh's figures from the last run's JSON, if its index is still there."""
    try:
        last = json.loads((OUT / f"index-{label}.json").read_text("utf-8"))["plain"]
    except (OSError, ValueError, KeyError):
        return None
    return last if (OUT / f"index-{label}" / "whoosh").is_dir() else None


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--plain-limitmb", type=int, default=0,
                        help="also build plain Whoosh with this sort memory (default 128 MB)")
    parser.add_argument("--plain-procs", type=int, default=0,
                        help="also build plain Whoosh with this many writer processes, "
                             "as polyfind's build uses (one per core)")
    parser.add_argument("--vocab", choices=("articles", "real"), default="articles",
                        help="which corpus (bench/corpus.py --vocab)")
    parser.add_argument("--plain-from-last-run", action="store_true",
                        help="reuse plain Whoosh's figures and index from the last run on the "
                             "same corpus (its size is the same; its time was measured then)")
    parser.add_argument("--no-plain", action="store_true",
                        help="build polyfind alone (sizes past where a plain build fits the "
                             "session; no ratios)")
    args = parser.parse_args()
    label = f"{args.n}" if args.vocab == "articles" else f"real-{args.n}"
    corpus = OUT / f"corpus-{label}"
    if not corpus.is_dir() or not _made_as_now(corpus, args.vocab):
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(args.n),
                        "--vocab", args.vocab], check=True)
    work = OUT / f"index-{label}"
    last = _last_plain(label) if args.plain_from_last_run else None
    if args.no_plain:
        shutil.rmtree(work, ignore_errors=True)
        plain = None
    elif last is None:
        shutil.rmtree(work, ignore_errors=True)
        plain = run("whoosh", corpus, work / "whoosh")
    else:
        shutil.rmtree(work / "polyfind", ignore_errors=True)
        shutil.rmtree(work / "corpus-changed", ignore_errors=True)
        plain = last
        print("plain whoosh: figures of the last run on this corpus (not built again)")
    tuned = (run(f"whoosh-{args.plain_limitmb}", corpus, work / "whoosh-tuned")
             if args.plain_limitmb else None)
    parallel = (run(f"whoosh-128-{args.plain_procs}", corpus, work / "whoosh-parallel")
                if args.plain_procs else None)
    ours = run("polyfind", corpus, work / "polyfind")
    changed_corpus = work / "corpus-changed"
    changed = change_one_percent(corpus, changed_corpus)
    incremental = run("polyfind", changed_corpus, work / "polyfind")
    print(f"{'build':<22} {'docs':>7} {'seconds':>8} {'docs/s':>8} {'cpu s':>8} {'peak MB':>8} "
          f"{'size MB':>8}")
    rows = [("plain whoosh", plain), ("polyfind full", ours),
            (f"polyfind incr ({changed} changed)", incremental)]
    rows = [(name, r) for name, r in rows if r is not None]
    if tuned:
        rows.insert(1, (f"plain, limitmb {args.plain_limitmb}", tuned))
    if parallel:
        rows.insert(1, (f"plain, {args.plain_procs} procs", parallel))
    for name, r in rows:
        print(f"{name:<22} {r['documents']:>7} {r['seconds']:>8.1f} "
              f"{r['documents'] / r['seconds']:>8.0f} {r['cpu_seconds']:>8.1f} "
              f"{r['peak_mb']:>8.0f} {r['size_mb']:>8.1f}")
    print(f"incremental/full time: {incremental['seconds'] / ours['seconds']:.1%}")
    speed_ratio = plain["seconds"] / ours["seconds"] if plain else None
    if plain:
        print(f"speed ratio polyfind/plain: {speed_ratio:.2f} (>= 1.0 means no slower); "
              f"processor time ratio plain/polyfind: "
              f"{plain['cpu_seconds'] / ours['cpu_seconds']:.2f}; "
              f"size ratio polyfind/plain: {ours['size_mb'] / plain['size_mb']:.2f}")
    if parallel:
        print(f"speed ratio polyfind/plain with {args.plain_procs} procs: "
              f"{parallel['seconds'] / ours['seconds']:.2f}")
    if tuned:
        print(f"speed ratio polyfind/plain with limitmb {args.plain_limitmb}: "
              f"{tuned['seconds'] / ours['seconds']:.2f}")
    OUT.mkdir(exist_ok=True)
    (OUT / f"index-{label}.json").write_text(json.dumps(
        {"n": args.n, "vocab": args.vocab, "plain": plain, "plain_tuned": tuned,
         "plain_parallel": parallel, "polyfind": ours,
         "incremental": incremental,
         "changed": changed, "speed_ratio": speed_ratio}, indent=2), "utf-8")


if __name__ == "__main__":
    main()
