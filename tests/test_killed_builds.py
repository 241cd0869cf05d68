"""Builds killed with SIGKILL at random moments, the multi-process writer phase included,
leave no process and no lock behind, and the next build finishes them (bench/chaos.py, fewer
trials than its default 20)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_killed_builds_leave_no_orphan_and_the_next_build_succeeds() -> None:
    done = subprocess.run(
        [sys.executable, "bench/chaos.py", "--trials", "3", "--seed", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout)
    assert report["killed_in_writer_phase"] >= 1, report  # the forked writers were running
    assert report["orphans"] == 0 and report["lock_held_after_kill"] == 0, report
    assert report["refused"] == 0 and report["last_build_ok"], report
    assert done.returncode == 0


def test_builds_killed_in_batches_are_continued_whole() -> None:
    """A build killed at a random moment, before, between or during its committed batches,
    is finished by the next `polyfind index` with every document once."""
    done = subprocess.run(
        [sys.executable, "bench/chaos.py", "--trials", "3", "--seed", "4", "--continue"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout)
    assert report["orphans"] == 0 and report["lock_held_after_kill"] == 0, report
    assert report["not_whole"] == 0 and report["continued"] >= 2, report
    assert done.returncode == 0
