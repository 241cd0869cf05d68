"""Reading time of the inputs that made the readers quadratic, at 1x, 2x and 4x size.

    .venv/bin/python bench/parse.py [--against REV] [--timeout 300]

Linear reading keeps t(4x)/t(1x) near 4 (quadratic: 16). Baseline, same run: the shipped
page dumps (395 KB), in milliseconds per 100 KB; each case's cost at 4x is given against it.
With --against, the corpus readers of an older commit (e.g. f7550c2, before the linear
readers) are timed on the same inputs, each run in a child process stopped after --timeout
seconds. CPU seconds, best of 2 runs. Writes bench/out/parse.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import OUT  # noqa: E402
from tests.parse_inputs import CASES, cpu_seconds  # noqa: E402

SCALES = (1, 2, 4)


def baseline_ms_per_100kb() -> float:
    from indexer.corpus import _read_plain

    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    seconds = sum(cpu_seconds(lambda t: list(_read_plain(t)), t) for t in texts)
    return seconds * 1000 / (sum(len(t) for t in texts) / 100_000)


def old_readers(rev: str) -> dict[str, object]:
    """The page-dump, HTML and Markdown readers as they were at `rev` (loaded from git)."""
    def load(path: str, name: str) -> types.ModuleType:
        source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        module = types.ModuleType(name)
        module.__package__ = "indexer"
        sys.modules[name] = module
        exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)
        return module

    segment = load("indexer/segment.py", "indexer._old_segment")
    sys.modules["indexer.segment"] = segment  # the old corpus reader imports split_dump
    corpus = load("indexer/corpus.py", "indexer._old_corpus")
    return {"parse_plain": lambda t: list(corpus._read_plain(t)),
            "parse_html": lambda t: list(corpus._read_html(t)),
            "parse_markdown": lambda t: list(corpus._read_markdown(t))}


def child(rev: str, name: str, scale: int) -> None:
    size, make, read = CASES[name]
    old = old_readers(rev)[read.__name__]
    print(cpu_seconds(old, make(size * scale), runs=1))


def timed_old(rev: str, name: str, scale: int, timeout: float) -> float | None:
    try:
        out = subprocess.run([sys.executable, __file__, "--child", rev, name, str(scale)],
                             capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="also time the readers of this git revision")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    base = baseline_ms_per_100kb()
    print(f"baseline: shipped page dumps, {base:.1f} ms per 100 KB")
    print(f"{'input':<28} {'1x size':>8} " + " ".join(f"{f'{s}x s':>8}" for s in SCALES)
          + f" {'4x/1x':>6} {'4x vs base':>10}")
    results = {"baseline_ms_per_100kb": base, "cases": {}}
    for name, (size, make, read) in CASES.items():
        seconds = [cpu_seconds(read, make(size * s)) for s in SCALES]
        growth = seconds[-1] / max(seconds[0], 1e-3)
        versus = seconds[-1] * 1000 / (size * SCALES[-1] / 100_000) / base
        row = {"size": size, "seconds": dict(zip(SCALES, seconds, strict=True)),
               "growth_4x": growth, "vs_baseline_4x": versus}
        line = (f"{name:<28} {size:>8} " + " ".join(f"{t:>8.3f}" for t in seconds)
                + f" {growth:>6.1f} {versus:>9.1f}x")
        if args.against:
            old = [timed_old(args.against, name, s, args.timeout) for s in SCALES[:2]]
            row["old_seconds"] = dict(zip(SCALES[:2], old, strict=True))
            line += "   old: " + " ".join(f"{t:.2f} s" if t is not None
                                          else f">{args.timeout:.0f} s" for t in old)
        results["cases"][name] = row
        print(line, flush=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "parse.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
