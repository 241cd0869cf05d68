"""Per-client request limits: a token bucket per client (off for loopback by default), kept
in one SQLite database that all of the server's worker processes share, and no request
bodies (the API is GET-only). Keeps one client from eating the server's two cores."""

from __future__ import annotations

import ipaddress
import logging
import sqlite3
import threading
import time
from pathlib import Path

from flask import Flask, Response, current_app, jsonify, request

log = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
LIMITER = "POLYFIND_RATE_LIMITER"
DATABASE = "rate-limits.sqlite3"
# How often (in new clients seen by a process) the store is trimmed to max_clients.
EVICT_EVERY = 256
SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    client TEXT PRIMARY KEY, tokens REAL NOT NULL, last REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS buckets_by_last ON buckets(last);
"""


def client_key(address: str) -> str:
    """The unit a limit applies to: an IPv4 address, or an IPv6 /64 (one subscriber's
    network: anyone holding one has 2^64 addresses to rotate through)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class RateLimiter:
    """`per_minute` requests per client, refilled continuously; 0 turns the limit off.
    Buckets live in SQLite (`folder`/rate-limits.sqlite3, WAL mode) so that every worker
    process counts against the same bucket; without a folder, in this process's memory. Past
    `max_clients` buckets, the least recently used ones are dropped."""

    def __init__(self, per_minute: int, limit_loopback: bool, folder: str | Path | None = None,
                 max_clients: int = 50_000):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.limit_loopback = limit_loopback
        self.max_clients = max_clients
        self.path = (f"file:{Path(folder) / DATABASE}" if folder else
                     f"file:polyfind-limits-{id(self)}?mode=memory&cache=shared")
        self._local = threading.local()
        self._new_clients = 0
        self._keepalive = self._connect() if folder is None else None  # keeps memory alive

    def allow(self, client: str) -> bool:
        if self.capacity <= 0 or (client in LOOPBACK and not self.limit_loopback):
            return True
        try:
            return self._take(client_key(client), time.monotonic())
        except sqlite3.Error as exc:  # a limiter that fails must not take the site down
            log.warning("rate limit store unavailable, request let through: %s", exc)
            return True

    def _take(self, key: str, now: float) -> bool:
        db = self._db()
        with db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT tokens, last FROM buckets WHERE client = ?",
                             (key,)).fetchone()
            tokens, last = row if row else (self.capacity, now)
            tokens = min(self.capacity, tokens + max(now - last, 0.0) * self.rate)
            allowed = tokens >= 1.0
            db.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)",
                       (key, tokens - 1.0 if allowed else tokens, now))
            if row is None:
                self._new_clients += 1
                if self._new_clients % EVICT_EVERY == 0:
                    self._evict(db)
        return allowed

    def _evict(self, db: sqlite3.Connection) -> None:
        """Drop the least recently used buckets beyond max_clients (a flood of addresses
        must not grow the store forever, nor reset everyone's bucket)."""
        (count,) = db.execute("SELECT count(*) FROM buckets").fetchone()
        if count > self.max_clients:
            db.execute("DELETE FROM buckets WHERE client IN "
                       "(SELECT client FROM buckets ORDER BY last LIMIT ?)",
                       (count - self.max_clients,))

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None, uri=True,
                             check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # buckets need not survive a crash
        db.executescript(SCHEMA)
        return db


# The one endpoint whose protocol sends a body (Algolia's multi-search, POST).
BODY_ENDPOINT = "instantsearch.queries"


def install_limits(app: Flask, per_minute: int, limit_loopback: bool) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024  # GET-only API: nothing big ever comes in
    app.config[LIMITER] = RateLimiter(per_minute, limit_loopback)

    @app.before_request
    def refuse_body() -> Response | None:
        """A body is refused from its headers alone, before a byte of it is read (but for
        the InstantSearch endpoint, whose protocol POSTs one, within MAX_CONTENT_LENGTH)."""
        if request.endpoint == BODY_ENDPOINT or (
                not request.content_length and "chunked" not in request.headers.get(
                    "Transfer-Encoding", "").lower()):
            return None
        return _error(413, "body_not_accepted", "requests must not have a body; use GET")

    @app.before_request
    def rate_limit() -> Response | None:
        if request.path.startswith("/static/") or request.path == "/healthz":
            return None
        if current_app.config[LIMITER].allow(request.remote_addr or "unknown"):
            return None
        response = _error(429, "rate_limited", "too many requests; slow down and retry")
        response.headers["Retry-After"] = "10"
        return response


def share_rate_limits(app: Flask, folder: str | Path) -> None:
    """Count this app's requests in the store in `folder`, shared with the other workers."""
    old: RateLimiter = app.config[LIMITER]
    app.config[LIMITER] = RateLimiter(int(old.capacity), old.limit_loopback, folder,
                                      old.max_clients)


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response
