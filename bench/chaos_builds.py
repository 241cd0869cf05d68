"""Quick builds against a real server under search load (issue 12, finding 2).

    python bench/chaos_builds.py --seconds 60 --clients 6 --workers 2

Starts `polyfind serve` on a copy of the shipped corpus, then runs `polyfind index` in a loop
(every other build changes one article, the others change nothing) while `--clients` threads
search and read /api/info. Reports every request that did not answer 200, latency
percentiles, builds (switched / nothing changed), the generations left on disk, and whether
the server still answers at the end (a wedged server does not).
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import get, percentiles, write_json  # noqa: E402

QUERIES = ["lejek", "lejek sprzedaży", "sklep internetowy", "ERP", "сату шұңқыры",
           "kunsmatige intelligensie", "khmovani dzieba", '"lejek sprzedażowy" -marketing',
           "markteing automatyzacja", "ובמסחר אלקטרוני"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(folder: Path, workers: int, keep_seconds: float | None) -> Path:
    """The shipped config.toml with this run's corpus and index folders."""
    text = (ROOT / "config.toml").read_text("utf-8")
    text = text.replace('path = "index"', f'path = "{folder / "index"}"', 1)
    text = text.replace('path = "corpus"', f'path = "{folder / "corpus"}"', 1)
    text = text.replace("workers = 0", f"workers = {workers}", 1)
    if keep_seconds is not None:
        text = text.replace("lock_timeout = 0.0",
                            f"lock_timeout = 0.0\nkeep_retired_seconds = {keep_seconds}", 1)
    config = folder / "config.toml"
    config.write_text(text, "utf-8")
    return config


def touch(corpus: Path, n: int) -> None:
    path = corpus / "af.txt"
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(text.rsplit(" merker", 1)[0] + f" merker{n}\n", "utf-8")


def polyfind(*args: str) -> list[str]:
    return [sys.executable, "-m", "indexer", *args]


def run(seconds: float, clients: int, workers: int, keep_seconds: float | None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="polyfind-chaos-"))
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    config = write_config(folder, workers, keep_seconds)
    subprocess.run(polyfind("index", "--config", str(config)), cwd=ROOT, check=True,
                   capture_output=True)
    port = free_port()
    server = subprocess.Popen(polyfind("serve", "--config", str(config), "--port", str(port)),
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port)
        return load(folder, config, port, seconds, clients)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_up(port: int) -> None:
    ends = time.monotonic() + 60
    while time.monotonic() < ends:
        try:
            if get("127.0.0.1", port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def load(folder: Path, config: Path, port: int, seconds: float, clients: int) -> dict:
    stop = threading.Event()
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        k = n
        while not stop.is_set():
            path = f"/api/search?q={quote(QUERIES[k % len(QUERIES)])}"
            k += 1
            try:
                status, took = get("127.0.0.1", port, path, timeout=30)
            except OSError as exc:
                status, took = exc.__class__.__name__, 30.0
            with lock:
                statuses[str(status)] += 1
                latencies.append(took)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    builds: Counter[str] = Counter()
    build_seconds: list[float] = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if sum(builds.values()) % 2:
            touch(folder / "corpus", sum(builds.values()))
        started = time.monotonic()
        out = subprocess.run(polyfind("index", "--config", str(config)), cwd=ROOT,
                             capture_output=True, text=True)
        build_seconds.append(time.monotonic() - started)
        builds["nothing changed" if "nothing changed" in out.stdout else
               "switched" if out.returncode == 0 else f"failed: {out.stderr.strip()}"] += 1
    stop.set()
    for thread in threads:
        thread.join(60)
    try:
        still = get("127.0.0.1", port, "/api/search?q=lejek", timeout=10)[0] == 200
    except OSError:
        still = False
    return {
        "requests": sum(statuses.values()), "statuses": dict(statuses),
        "errors": sum(v for k, v in statuses.items() if k != "200"),
        "latency_ms": percentiles(latencies), "builds": dict(builds),
        "build_seconds": percentiles(build_seconds),
        "generations_on_disk": sorted(p.name for p in (folder / "index").iterdir()
                                      if p.name.startswith("gen-")),
        "wedged": any(t.is_alive() for t in threads), "still_answers": still,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-seconds", type=float, default=None,
                        help="index.keep_retired_seconds (default: the shipped 60 s)")
    args = parser.parse_args()
    report = run(args.seconds, args.clients, args.workers, args.keep_seconds)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"written to {write_json('chaos_builds', {'args': vars(args), **report})}")
    if report["errors"] or report["wedged"] or not report["still_answers"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
