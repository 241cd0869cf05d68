"""Serving with waitress, one process per core.

Python runs one thread at a time per process, so a single waitress process uses one of the
machine's cores for searching. The parent binds the port once and forks `workers` processes
that accept on that same socket; each builds its own app and searchers after the fork.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import sys

import waitress

from indexer.config import Settings


def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    _raise_open_file_limit()
    if workers <= 1:
        waitress.serve(_app(settings), host=host, port=port, threads=settings.serve.threads,
                       ident="polyfind")
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=1024)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            waitress.serve(_app(settings), sockets=[listener], threads=settings.serve.threads,
                           ident="polyfind")
            os._exit(0)
        children.append(pid)
    _supervise(children)


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
            pass  # keep the limit we have


def _supervise(children: list[int]) -> None:
    """Wait for the workers; on Ctrl+C or SIGTERM stop them all."""
    def stop(*_args: object) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, lambda *_: stop())
    try:
        for pid in children:
            os.waitpid(pid, 0)
    except KeyboardInterrupt:
        stop()
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _app(settings: Settings):
    from . import create_app

    return create_app(settings)
