"""Child processes that die with their parent.

A forked child outlives a parent killed with SIGKILL: it is re-parented to init and keeps
whatever it inherited (a port, a lock). Linux can instead signal the child when its parent
dies (prctl PR_SET_PDEATHSIG); a child asks for that right after the fork.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int, sig: int = signal.SIGKILL) -> None:
    """In a freshly forked child: have the kernel send `sig` when the parent dies, and exit
    at once if the parent already died between the fork and this call."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    except (OSError, AttributeError) as exc:  # not Linux: the child checks its parent itself
        log.debug("no parent-death signal here: %s", exc)
    if os.getppid() != parent_pid:
        os._exit(1)
