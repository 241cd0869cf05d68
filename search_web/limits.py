"""Per-client request limits: a token bucket per IP address (off for loopback by default),
and a cap on request size. Keeps one client from eating the server's two cores."""

from __future__ import annotations

import threading
import time

from flask import Flask, Response, jsonify, request

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class RateLimiter:
    """`per_minute` requests per client, refilled continuously; 0 turns the limit off."""

    def __init__(self, per_minute: int, limit_loopback: bool, max_clients: int = 50_000):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.limit_loopback = limit_loopback
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        if self.capacity <= 0 or (client in LOOPBACK and not self.limit_loopback):
            return True
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) > self.max_clients:
                self._buckets.clear()  # a flood of addresses must not grow memory forever
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            return allowed


def install_limits(app: Flask, per_minute: int, limit_loopback: bool) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024  # GET-only API: nothing big ever comes in
    limiter = RateLimiter(per_minute, limit_loopback)

    @app.before_request
    def rate_limit() -> Response | None:
        if request.path.startswith("/static/") or request.path == "/healthz":
            return None
        if limiter.allow(request.remote_addr or "unknown"):
            return None
        response = jsonify({"error": {"code": "rate_limited",
                                      "message": "too many requests; slow down and retry"}})
        response.status_code = 429
        response.headers["Retry-After"] = "10"
        return response
