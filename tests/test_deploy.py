"""The deployment recipe in deploy/: systemd units that systemd accepts, an nginx configuration
that nginx accepts, and that nginx configuration really proxying a running polyfind server."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.config import Settings, load_settings

from .conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = ("polyfind.service", "polyfind-index.service", "polyfind-index.timer")
# systemd-analyze reports most mistakes as warnings and still exits 0.
SYSTEMD_COMPLAINT = re.compile(r"Failed|Unknown|ignoring|not executable|Invalid|[Ee]rror")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("name", ["config.toml", "container-config.toml"])
def test_deploy_configs_are_valid_settings(name: str) -> None:
    settings = load_settings(DEPLOY / name)
    assert settings.index.path.is_absolute() and settings.corpus.path.is_absolute()


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    polyfind = Path(sys.executable).with_name("polyfind")
    for name in UNITS:  # the units name the installed command; point them at this venv's
        text = (DEPLOY / name).read_text("utf-8")
        (tmp_path / name).write_text(text.replace("/opt/polyfind/.venv/bin/polyfind",
                                                  str(polyfind)), "utf-8")
    result = subprocess.run([analyze, "verify", *(str(tmp_path / n) for n in UNITS)],
                            capture_output=True, text=True, timeout=60)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if SYSTEMD_COMPLAINT.search(line)]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr


def nginx_prefix(tmp_path: Path, https_port: int, http_port: int, upstream_port: int) -> Path:
    """A throwaway nginx prefix whose http block includes deploy/nginx.conf, with its ports
    and certificate paths pointed at this test's own."""
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(prefix / "key.pem"),
                    "-out", str(prefix / "cert.pem")], check=True, capture_output=True)
    site = (DEPLOY / "nginx.conf").read_text("utf-8")
    for old, new in (("/etc/ssl/certs/polyfind.pem", prefix / "cert.pem"),
                     ("/etc/ssl/private/polyfind.key", prefix / "key.pem"),
                     ("127.0.0.1:8080", f"127.0.0.1:{upstream_port}"),
                     ("listen 443 ", f"listen 127.0.0.1:{https_port} "),
                     ("listen [::]:443 ", f"listen [::1]:{https_port} "),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("listen [::]:80;", f"listen [::1]:{http_port};")):
        assert str(old) in site, old
        site = site.replace(str(old), str(new))
    (prefix / "site.conf").write_text(site, "utf-8")
    (prefix / "nginx.conf").write_text(
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\ndaemon off;\n"
        f"events {{}}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" include {prefix}/site.conf;\n}}\n", "utf-8")
    return prefix


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, "the process exited before listening"
            assert time.monotonic() < deadline, f"nothing listens on port {port}"
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def proxied(tmp_path: Path, built_settings: Settings) -> Iterator[tuple[int, int]]:
    """polyfind serving the shipped corpus's index, with deploy/nginx.conf in front of it:
    (https port, http port)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        pytest.skip("nginx is not installed (Debian package nginx)")
    upstream, https_port, http_port = free_port(), free_port(), free_port()
    prefix = nginx_prefix(tmp_path, https_port, http_port, upstream)
    test = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                          capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "serve", "--index", str(built_settings.index.path),
         "--port", str(upstream)], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(upstream, server)
        wait_for_port(https_port, proxy)
        yield https_port, http_port
    finally:
        stop(proxy)
        stop(server)


def connection(port: int, tls: bool = True) -> http.client.HTTPConnection:
    if not tls:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)


def request(port: int, method: str, path: str, body: bytes | None = None,
            tls: bool = True) -> http.client.HTTPResponse:
    conn = connection(port, tls)
    conn.request(method, path, body=body)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_nginx_recipe_proxies_searches_and_refuses_the_rest(proxied: tuple[int, int]) -> None:
    https_port, http_port = proxied
    assert request(https_port, "GET", "/api/search?q=lejek").status == 200
    assert request(https_port, "GET", "/").status == 200
    assert request(https_port, "POST", "/api/search?q=lejek", body=b"x").status == 403
    assert request(https_port, "GET", "/api/search?q=" + "a" * 9000).status in (400, 414)
    redirect = request(http_port, "GET", "/api/search?q=lejek", tls=False)
    assert redirect.status == 301
    assert redirect.getheader("Location", "").startswith("https://")


def test_nginx_recipe_rate_limits_one_client(proxied: tuple[int, int]) -> None:
    """More requests at once than the recipe's burst allows, over kept-alive connections:
    some are refused with 429."""
    from concurrent.futures import ThreadPoolExecutor

    https_port, _ = proxied

    def burst(_: int) -> list[int]:
        conn = connection(https_port)
        statuses = []
        for _ in range(15):
            conn.request("GET", "/static/style.css")
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        return statuses

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = [s for batch in pool.map(burst, range(4)) for s in batch]
    seconds = time.monotonic() - started
    assert statuses.count(200) >= 20 and 429 in statuses, (seconds, statuses)
