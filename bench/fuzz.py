"""Fire generated hostile queries at a running polyfind server; count 5xx answers (must be 0).

    python bench/fuzz.py http://127.0.0.1:8080 [--count 10000] [--threads 4] [--seed 1]

Queries mix every script we serve with query syntax, control characters, NUL, lone
surrogates, bidi marks, emoji, invalid percent-encoding and invalid UTF-8, and strings of
10 kB and 1 MB. Loopback only; bounded by --count.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
from collections import Counter
from urllib.parse import quote

from _common import get, loopback_target, write_json

PIECES = [
    "lejek", "sprzedaży", "łódź", "шұңқыр", "қазақ", "מסחר", 'דוא"ל', "צ'אטבוט", "ובמסחר",
    "ელექტრონული", "kompania", "verkoopstregter", "sê", "'n", "ERP", "B2B-платформа",
    '"', "'", "(", ")", "*", "?", "~", "^", "AND", "OR", "NOT", "-", "+", ":", "title:",
    "lang:xx", "lang:pl", "\\", "/", "%", "&", "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "\u202e", "\u200f", "\u200d",
    "\x00", "\x07", "\t", "\n", "🔍", "👩‍💻", "ﬁ", "İ", "ß", "\ud800", "\udfff", "*a*", "a~2",
    "[a TO z]", "{!}", "${jndi:x}", "../../etc/passwd", "0" * 50, "​",
]
RAW_BAD = ["%", "%Z", "%ZZ", "%FF%FE", "%C3%28", "%ED%A0%80", "%00", "%E2%82", "%F0%9F%98"]
PATHS = ["/api/search?q=", "/api/suggest?q=", "/?q=", "/api/doc/"]


def make_query(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.002:
        return "a" * (1024 * 1024)
    if roll < 0.01:
        return rng.choice(PIECES) * (10_240 // 8)
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))


def make_path(rng: random.Random) -> str:
    base = rng.choice(PATHS)
    query = quote(make_query(rng).encode("utf-8", "surrogatepass"), safe="")
    if rng.random() < 0.15:
        query += rng.choice(RAW_BAD)
    extra = ""
    if base.startswith("/api/search") and rng.random() < 0.3:
        extra = rng.choice(["&page=0", "&page=x", "&per_page=1000", "&lang=zz", "&lang=he",
                            "&page=99999999999999999999"])
    return base + query + extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    host, port = loopback_target(args.url)
    rng = random.Random(args.seed)
    paths = [make_path(rng) for _ in range(args.count)]
    statuses: Counter[int] = Counter()
    slowest: list[tuple[float, str]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def worker(chunk: list[str]) -> None:
        for path in chunk:
            try:
                status, seconds = get(host, port, path)
            except Exception as exc:  # noqa: BLE001 - a dropped connection is a failure
                with lock:
                    failures.append(f"{path[:80]}: {exc!r}")
                continue
            with lock:
                statuses[status] += 1
                slowest.append((seconds, path))
                if status >= 500:
                    failures.append(f"{status} {path[:120]}")

    threads = [threading.Thread(target=worker, args=(paths[i::args.threads],))
               for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slowest.sort(reverse=True)
    five_xx = sum(n for s, n in statuses.items() if s >= 500)
    print(f"{sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    print(f"5xx: {five_xx}, connection failures: {len(failures) - five_xx}")
    for seconds, path in slowest[:3]:
        print(f"slow: {seconds * 1000:.0f} ms  {path[:100]}")
    out = write_json("fuzz", {"statuses": statuses, "five_xx": five_xx, "failures": failures[:50],
                              "slowest": [(s, p[:200]) for s, p in slowest[:10]]})
    print(f"written {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
