"""Serving with gunicorn: one master process supervising `workers` processes of `threads`
threads each (gthread workers).

Python runs one thread at a time per process, so each worker searches on one core. The master
restarts a worker that dies or stays silent longer than serve.timeout, replaces its workers
gracefully on SIGHUP (new workers open the newest index generation, old ones finish their
requests) and stops on SIGTERM or Ctrl+C. Workers die with the master even when it is killed
with SIGKILL (a parent-death signal), so a port is never left served by orphans.
"""

from __future__ import annotations

import errno
import gc
import logging
import os
import resource
import select
import selectors
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from functools import partial
from itertools import islice

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import TConn, ThreadWorker

from indexer import integrity, procs
from indexer.analysis import analysis_codes
from indexer.config import Settings
from indexer.errors import PolyfindError
from indexer.layout import current_dir
from indexer.limits import MIN_PREFIX
from indexer.schema import field_name
from indexer.search import SearchService

from .collector import COLLECTOR
from .limits import MAX_BODY_BYTES

log = logging.getLogger(__name__)

# Request line and header limits: a search URL is at most search.max_query_length characters,
# nine bytes each once UTF-8 is percent-encoded, well under gunicorn's ceiling of 8190.
REQUEST_LINE_MAX = 8190
HEADER_FIELDS_MAX = 50
HEADER_FIELD_MAX = 8190
# Seconds old workers get to finish their requests on SIGHUP or SIGTERM.
GRACEFUL_SECONDS = 10
# Seconds a client may pause in the middle of sending a request before it is dropped.
STALL_SECONDS = 10
BODYLESS_METHODS = ("GET", "HEAD", "OPTIONS")
INSTANTSEARCH_PREFIX = "/instantsearch/"
# Terms of a language's exact view a new worker looks through for a word to warm up with.
WARM_TERMS = 500


def serve(settings: Settings, listener: socket.socket, workers: int,
          on_ready: Callable[[], None]) -> None:
    """Serve on `listener` (from bind) until stopped; `on_ready` is called once gunicorn
    listens on it."""
    _raise_open_file_limit()
    _check_for_workers(settings)
    runtime = tempfile.mkdtemp(prefix="polyfind-serve-")  # the workers' shared rate limits
    master = os.getpid()
    try:
        PolyfindServer(settings, listener, workers, runtime, on_ready).run()
    finally:
        # A worker leaves through here too (gunicorn ends it with SystemExit): only the
        # master removes what all workers share.
        if os.getpid() == master:
            shutil.rmtree(runtime, ignore_errors=True)


def _check_for_workers(settings: Settings) -> None:
    """Check the live generation's files here, once, rather than in every worker at once
    (which, for an index bigger than the page cache, reads it from disk once per worker).
    Nothing is opened here; a missing or failing index is left for the workers to report."""
    try:
        root = settings.index.path
        integrity.check_before_fork(root, current_dir(root))
    except PolyfindError as exc:
        log.info("index not checked before the workers start: %s", exc)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or one clear PolyfindError (a busy port names --port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=1024)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PolyfindError(
                f"port {port} on {host} is already in use: stop the program using it or "
                "choose another port with --port"
            ) from None
        raise PolyfindError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


class PolyfindServer(BaseApplication):
    """gunicorn run from inside `polyfind serve`, configured from polyfind's settings only
    (no gunicorn command line, config file or GUNICORN_CMD_ARGS)."""

    def __init__(self, settings: Settings, listener: socket.socket, workers: int,
                 runtime: str, on_ready: Callable[[], None]):
        self.settings = settings
        self.listener = listener
        self.workers = workers
        self.runtime = runtime
        self.on_ready = on_ready
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings, self.listener, self.workers).items():
            self.cfg.set(key, value)
        self.cfg.set("when_ready", lambda _arbiter: self.on_ready())

    def load(self):
        from . import create_app
        from .limits import share_rate_limits

        app = create_app(self.settings)
        share_rate_limits(app, self.runtime)
        prepare_worker(app.config["POLYFIND_SERVICE"])
        return app


def prepare_worker(service: SearchService) -> None:
    """Leave what a new worker has loaded (modules, the app, the analyzers' tables: kept for
    its life) out of the garbage collector's full passes, which otherwise walk all of it
    at every pass. Then warm the worker up. The index is opened after the freeze: a
    generation switched away from must stay collectable (its searchers hold reference
    cycles and mapped files). From then on, full collections wait for a moment without
    requests (collector.py)."""
    gc.freeze()
    warm(service)
    COLLECTOR.install()


def warm(service: SearchService) -> None:
    """In a new worker, before it takes traffic: open the live generation and search each
    indexed language once for one of its commonest words, whole and half-typed, so field
    lengths, columns, term arrays, the table of common words that completes half-typed
    words, and the language's analyzer (Morfeusz for Polish) are loaded by then, not by a
    user's first query. A missing or damaged index is left for the requests to report."""
    started = time.perf_counter()
    try:
        for lang in service.info()["languages"]:
            word = _common_word(service, lang)
            if word:
                service.search(word, lang=lang)
                service.search(word[:max(MIN_PREFIX, len(word) - 2)], lang=lang,
                               prefix="auto")
    except PolyfindError as exc:
        log.warning("worker not warmed up: %s", exc)
        return
    log.info("worker warmed up in %.2f s", time.perf_counter() - started)


def _common_word(service: SearchService, lang: str) -> str | None:
    """The word in most bodies among the first WARM_TERMS of the language's exact view."""
    code = lang if lang in analysis_codes() else "und"
    with service.searcher() as lease:
        reader = lease.searcher.reader()
        fieldname = field_name("body", "exact", code)
        if fieldname not in reader.schema:
            return None
        words = list(islice(reader.lexicon(fieldname), WARM_TERMS))
        if not words:
            return None
        best = max(words, key=lambda word: reader.doc_frequency(fieldname, word))
        return best.decode("utf-8") if isinstance(best, bytes) else best


def gunicorn_options(settings: Settings, listener: socket.socket, workers: int) -> dict:
    serve = settings.serve
    return {
        "bind": [f"fd://{listener.fileno()}"],
        "workers": max(workers, 1),
        "worker_class": PollingThreadWorker,
        "threads": max(serve.threads, 1),
        "worker_connections": max(serve.max_connections, serve.threads + 1),
        "timeout": max(serve.timeout, 1),
        "graceful_timeout": GRACEFUL_SECONDS,
        "keepalive": serve.keepalive,
        "limit_request_line": REQUEST_LINE_MAX,
        "limit_request_fields": HEADER_FIELDS_MAX,
        "limit_request_field_size": HEADER_FIELD_MAX,
        "proc_name": "polyfind",
        "errorlog": "-",
        "loglevel": "warning",
        "accesslog": None,
        "control_socket_disable": True,
        # X-Forwarded-Proto (https behind a TLS proxy) is believed from loopback only.
        "forwarded_allow_ips": "127.0.0.1,::1",
        "post_fork": _post_fork,
        # SIGHUP: the workers about to be forked trust a check of the generation live now
        "on_reload": lambda _arbiter: _check_for_workers(settings),
        "pre_request": _pre_request,
        "post_request": _post_request,
        "child_exit": _child_exit,
    }


class PollingThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, except that a new connection waits in the worker's poller
    until its request starts arriving, not in a thread: an idle connection costs a descriptor
    (and is closed after serve.keepalive seconds), never one of the `threads`. (gthread hands
    each new connection to a thread that waits up to 5 s for data: 150 idle connections
    delayed the next request by 30 s.)"""

    def accept(self, listener: socket.socket) -> None:
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.ECONNABORTED):
                return
            raise
        self.nr_conns += 1
        client = StallGuardSocket(client.family, client.type, client.proto,
                                  fileno=client.detach())
        conn = TConn(self.cfg, client, address, listener.getsockname())  # non-blocking now
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(client, selectors.EVENT_READ,
                             partial(self.on_pending_socket_readable, conn))


class StallGuardSocket(socket.socket):
    """A client connection whose blocking reads give up after STALL_SECONDS of silence, so
    a client that stops halfway through a request frees its thread (gunicorn's threads
    otherwise wait for it forever). gunicorn logs the reset at debug level only."""

    def recv(self, size: int, flags: int = 0) -> bytes:
        if self.gettimeout() is None:
            poller = select.poll()
            poller.register(self, select.POLLIN)
            if not poller.poll(STALL_SECONDS * 1000):
                raise ConnectionResetError(errno.ECONNRESET,
                                           f"client silent for {STALL_SECONDS} s")
        return super().recv(size, flags)


def _post_fork(arbiter, _worker) -> None:
    """In a new worker: die with the master, whatever kills it."""
    procs.die_with_parent(arbiter.pid)


def _child_exit(_arbiter, worker) -> None:
    """A worker process ended (restarted after a timeout or a crash, or at shutdown)."""
    log.info("worker %s exited", worker.pid)


def _pre_request(_worker, req) -> None:
    """A request with a body (the API is GET-only) is answered and its connection closed:
    gunicorn then neither reads nor drains the body (beyond 64 KB when closing). A small
    POST to the InstantSearch endpoint, whose protocol is POST, keeps its connection. The
    request is counted in flight until _post_request (collector.py)."""
    COLLECTOR.request_started()
    chunked = any(name == "TRANSFER-ENCODING" for name, _value in req.headers)
    length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), "0")
    if _small_instantsearch_post(req, chunked, length):
        return
    if chunked or length.strip() not in ("", "0") or req.method not in BODYLESS_METHODS:
        req.must_close = True


def _post_request(_worker, _req, _environ, _resp) -> None:
    """After the response is sent: a full collection, if due and no request is in flight."""
    COLLECTOR.request_ended()


def _small_instantsearch_post(req, chunked: bool, length: str) -> bool:
    if chunked or req.method != "POST" or not req.path.startswith(INSTANTSEARCH_PREFIX):
        return False
    return length.strip().isdigit() and int(length) <= MAX_BODY_BYTES


def _raise_open_file_limit() -> None:
    """An index segment is a few dozen files (one per field's length column), each searcher
    opens them, and connections need descriptors too: lift the soft limit (often 1024) to
    the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            log.debug("open file limit stays at %s", soft)
