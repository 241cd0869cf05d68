"""Kill -9 builds at random moments and check that nothing is left behind.

    python bench/chaos.py [--trials 20] [--documents 600] [--seed 1] [--continue]

Each trial starts `polyfind index --rebuild` (in its own session) on a synthetic corpus big
enough for the multi-process writer phase, kills it with SIGKILL after a random delay within
one build's duration, then checks that no process of that build is still alive a few seconds
later and that the build lock is free. The next trial's build must get the lock (a "being
built by" refusal fails it); a last build runs to the end and must index every document.

With --continue, builds commit in batches of a few documents (as a big build does), each
trial kills a first build of an empty index, and `polyfind index` must then finish it, from
its committed batches when there are some, with every document once (`polyfind info`).

Prints one JSON line of figures; exit status 1 when any trial left an orphan, a held lock,
a refused build or (--continue) an index that is not whole.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_doc, sources  # noqa: E402
from indexer.layout import BUILDING_PREFIX, PROGRESS  # noqa: E402

ORPHAN_GRACE = 5.0  # seconds the kernel may take to deliver the parent-death signals


def write_corpus(folder: Path, documents: int, seed: int) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    src = sources()
    langs = sorted(src)
    with (folder / "docs.jsonl").open("w", encoding="utf-8") as out:
        for n in range(documents):
            lang = langs[n % len(langs)]
            out.write(json.dumps(make_doc(rng, lang, src[lang], n), ensure_ascii=False) + "\n")


def session_members(sid: int) -> list[int]:
    """Live processes whose process group is `sid` (a build and the children it forked)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == sid:  # state, ppid, pgrp
            members.append(int(entry))
    return members


# `polyfind index`, its batches cut at this much sort memory (some 20 documents), each
# written by forked writer processes.
IN_BATCHES = ("from indexer import build, cli; "
              "build._batch_bytes = lambda parallel: 1_500_000; build.PARALLEL_BUILD_MIN = 10; "
              "cli.main()")


def start_build(config: Path, in_batches: bool = False) -> subprocess.Popen:
    command = ["-c", IN_BATCHES, "index"] if in_batches else ["-m", "indexer", "index",
                                                             "--rebuild"]
    return subprocess.Popen(
        [sys.executable, *command, "--config", str(config)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def lock_is_free(lock: Path) -> bool:
    if not lock.exists():  # killed before it made the index folder
        return True
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def run_trial(config: Path, delay: float, in_batches: bool = False) -> dict:
    build = start_build(config, in_batches)
    time.sleep(delay)
    children = [pid for pid in session_members(build.pid) if pid != build.pid]
    build.send_signal(signal.SIGKILL)
    build.wait()  # not communicate(): orphans would keep its pipes open
    deadline = time.monotonic() + ORPHAN_GRACE
    while (left := session_members(build.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    locked = not lock_is_free(config.parent / "index" / ".lock")
    for pid in left:  # clean up after a failed trial: these are this script's own processes
        os.kill(pid, signal.SIGKILL)
    _out, err = build.communicate()
    return {"delay": round(delay, 2), "writers_alive_at_kill": len(children),
            "returncode": build.returncode, "orphans": len(left), "lock_held": locked,
            "refused": "being built" in err}


def continue_trial(config: Path, delay: float, documents: int) -> dict:
    """Kill a first build of an empty index; the next must finish with every document."""
    index = config.parent / "index"
    shutil.rmtree(index, ignore_errors=True)
    result = run_trial(config, delay, in_batches=True)
    kept = [json.loads(p.read_text("utf-8"))["documents"]
            for p in index.glob(f"{BUILDING_PREFIX}*/{PROGRESS}")]
    build = start_build(config, in_batches=True)
    out, err = build.communicate()
    info = subprocess.run([sys.executable, "-m", "indexer", "info", "--config", str(config)],
                          cwd=ROOT, capture_output=True, text=True)
    return {**result, "kept": kept[0] if kept else 0,
            "continued": "continued a killed build" in out,
            "started_over": next((line[-200:] for line in err.splitlines()
                                  if "cannot be continued" in line), ""),
            "whole": build.returncode == 0 and f"documents  {documents}\n" in info.stdout
            and not list(index.glob(f"{BUILDING_PREFIX}*")),
            "error": err.strip()[-300:] if build.returncode else ""}


def uninterrupted_build(config: Path, in_batches: bool) -> float:
    """Seconds a whole build takes: the trials kill builds within that."""
    started = time.monotonic()
    first = start_build(config, in_batches)
    _out, err = first.communicate()
    if first.returncode != 0:
        raise SystemExit(f"the uninterrupted build failed: {err.strip()}")
    return time.monotonic() - started


def chaos(trials: int, documents: int, seed: int, resume: bool = False) -> dict:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="polyfind-chaos-") as tmp:
        base = Path(tmp)
        write_corpus(base / "corpus", documents, seed)
        config = base / "config.toml"
        config.write_text('[index]\npath = "index"\n[corpus]\npath = "corpus"\n', "utf-8")
        duration = uninterrupted_build(config, in_batches=resume)
        delays = [rng.uniform(0.2, duration) for _ in range(trials)]
        if resume:
            results = [continue_trial(config, delay, documents) for delay in delays]
            outcome = {"continued": sum(r["continued"] for r in results),
                       "not_whole": sum(not r["whole"] for r in results),
                       "last_build_ok": all(r["whole"] for r in results)}
        else:
            results = [run_trial(config, delay) for delay in delays]
            last = start_build(config)
            out, err = last.communicate()
            outcome = {"last_build_ok": last.returncode == 0
                       and f"{documents} documents" in out + err}
    return {"trials": trials, "documents": documents, "build_seconds": round(duration, 1),
            "killed_in_writer_phase": sum(r["writers_alive_at_kill"] > 0 for r in results),
            "orphans": sum(r["orphans"] for r in results),
            "lock_held_after_kill": sum(r["lock_held"] for r in results),
            "refused": sum(r["refused"] for r in results),
            **outcome, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--continue", dest="resume", action="store_true",
                        help="kill builds in batches; the next build must finish them")
    args = parser.parse_args()
    report = chaos(args.trials, args.documents, args.seed, args.resume)
    print(json.dumps(report))
    failed = (report["orphans"] or report["lock_held_after_kill"] or report["refused"]
              or not report["last_build_ok"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
