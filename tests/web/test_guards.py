"""Request guards in the app itself: client keys and eviction of the rate limiter, Host
checks, absolute URLs, Vary, an error handler that cannot fail, corpus URLs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from indexer.corpus import _safe_url
from search_web import create_app
from search_web.limits import RateLimiter, client_key


def test_ipv6_is_limited_per_64() -> None:
    limiter = RateLimiter(per_minute=3, limit_loopback=False)
    answers = [limiter.allow(f"2001:db8:1:2::{n:x}") for n in range(1, 6)]
    assert answers == [True, True, True, False, False]  # one /64 shares one bucket
    assert limiter.allow("2001:db8:1:3::1")  # the next /64 is another subscriber
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key("192.0.2.7") == "192.0.2.7"
    assert limiter.allow("::1") and limiter.allow("127.0.0.1")  # loopback stays exempt


def test_a_flood_of_addresses_evicts_least_recent_buckets(tmp_path: Path) -> None:
    limiter = RateLimiter(per_minute=1, limit_loopback=False, folder=tmp_path, max_clients=300)
    assert limiter.allow("198.51.100.1")
    for n in range(1, 1024):
        assert limiter.allow(f"10.{n // 256}.{n % 256}.1")
        assert not limiter.allow("198.51.100.1")  # kept fresh: never evicted, still empty
    (count,) = limiter._db().execute("SELECT count(*) FROM buckets").fetchone()
    assert count <= 300 + 256
    assert not limiter.allow("10.0.1.1") or not limiter.allow("10.3.255.1")


def test_language_negotiated_pages_say_what_they_vary_on(built_settings, service) -> None:
    client = create_app(built_settings, service).test_client()
    for path in ("/?q=lejek", "/doc/pl-01", "/no-such-page"):
        vary = client.get(path, headers={"Accept-Language": "pl"}).headers.get("Vary", "")
        assert "Accept-Language" in vary and "Cookie" in vary, path


def test_absolute_urls_come_from_public_url_or_a_checked_host(built_settings, service) -> None:
    public = replace(built_settings, serve=replace(built_settings.serve,
                                                   public_url="https://search.example.org/"))
    xml = create_app(public, service).test_client().get(
        "/opensearch.xml", headers={"Host": "evil.example"}).text
    assert "https://search.example.org/api/suggest" in xml and "evil" not in xml
    trusted = replace(built_settings, serve=replace(built_settings.serve,
                                                    trusted_hosts=("search.example.org",)))
    client = create_app(trusted, service).test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "search.example.org:8080"}).status_code == 200
    bad = client.get("/api/search?q=x", headers={"Host": "a" * 64})
    assert bad.status_code == 400 and bad.mimetype == "text/plain" and len(bad.data) < 200


def test_the_last_error_handler_cannot_fail(built_settings, service) -> None:
    app = create_app(built_settings, service)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.jinja_env.get_template = None  # any page rendering now fails too
    answer = app.test_client().get("/boom")
    assert answer.status_code == 500 and b"Traceback" not in answer.data


def test_backslash_and_protocol_relative_urls_are_not_site_relative() -> None:
    assert _safe_url("/\\evil.example") is None
    assert _safe_url("//evil.example") is None
    assert _safe_url("/doc/pl-01") == "/doc/pl-01"
