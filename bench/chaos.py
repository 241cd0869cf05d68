"""Kill -9 builds at random moments and check that nothing is left behind.

    python bench/chaos.py [--trials 20] [--documents 600] [--seed 1]

Each trial starts `polyfind index --rebuild` (in its own session) on a synthetic corpus big
enough for the multi-process writer phase, kills it with SIGKILL after a random delay within
one build's duration, then checks that no process of that build is still alive a few seconds
later and that the build lock is free. The next trial's build must get the lock (a "being
built by" refusal fails it); a last build runs to the end and must index every document.
Prints one JSON line of figures; exit status 1 when any trial left an orphan, a held lock or
a refused build.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_doc, sources  # noqa: E402

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


def start_build(config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "index", "--rebuild", "--config", str(config)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def lock_is_free(lock: Path) -> bool:
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def run_trial(config: Path, delay: float) -> dict:
    build = start_build(config)
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


def chaos(trials: int, documents: int, seed: int) -> dict:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="polyfind-chaos-") as tmp:
        base = Path(tmp)
        write_corpus(base / "corpus", documents, seed)
        config = base / "config.toml"
        config.write_text('[index]\npath = "index"\n[corpus]\npath = "corpus"\n', "utf-8")
        started = time.monotonic()
        first = start_build(config)
        _out, err = first.communicate()
        duration = time.monotonic() - started
        if first.returncode != 0:
            raise SystemExit(f"the uninterrupted build failed: {err.strip()}")
        results = [run_trial(config, rng.uniform(0.2, duration)) for _ in range(trials)]
        last = start_build(config)
        out, err = last.communicate()
    return {"trials": trials, "documents": documents, "build_seconds": round(duration, 1),
            "killed_in_writer_phase": sum(r["writers_alive_at_kill"] > 0 for r in results),
            "orphans": sum(r["orphans"] for r in results),
            "lock_held_after_kill": sum(r["lock_held"] for r in results),
            "refused": sum(r["refused"] for r in results),
            "last_build_ok": last.returncode == 0 and f"{documents} documents" in out + err,
            "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    report = chaos(args.trials, args.documents, args.seed)
    print(json.dumps(report))
    failed = (report["orphans"] or report["lock_held_after_kill"] or report["refused"]
              or not report["last_build_ok"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
