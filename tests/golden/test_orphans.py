"""No orphans: black's worker processes end with the run they work for, however it ends.

After `kill -KILL` of a running `generate`, its two workers lived on under PID 1, about 160 MB each,
ignoring SIGINT and SIGTERM (issue 26). Each test starts a real run cold enough to need the pool
(every tag of the real document, no cache), waits for its workers, and acts on real processes; every
wait is bounded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.commands import snapshot
from tests.conftest import ROOT

pytestmark = [
    pytest.mark.realdoc,
    pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads processes from /proc"),
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: black runs without a pool"),
]


def _parent_of(pid: int) -> int | None:
    """The parent's pid, or None for a process that is gone (or a zombie, which is gone but unreaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if fields.get("State", "").strip().startswith(("Z", "X")):
        return None
    return int(fields["PPid"])


def _children(pid: int) -> list[int]:
    return [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit() and _parent_of(int(e.name)) == pid]


def _until(found: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found():
            return True
        time.sleep(0.05)
    return found()


@contextmanager
def _run_with_workers(real_doc: Path, out: Path) -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    """A cold all-tags run, once black's pool has forked its workers (and they are past their set-up)."""
    args = [sys.executable, "-m", "generator", "generate", "--no-cache", "--all-tags", "--spec", str(real_doc)]
    process = subprocess.Popen(
        [*args, "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    workers: list[int] = []
    try:
        assert _until(lambda: len(_children(process.pid)) >= 2 or process.poll() is not None, 120)
        workers = _children(process.pid)
        assert len(workers) >= 2, "the run ended before its pool started"
        time.sleep(1)  # past the workers' set-up: each is formatting
        yield process, workers
    finally:
        for pid in [process.pid, *workers]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.communicate(timeout=60)


def test_workers_end_when_the_run_is_killed_outright(tmp_path: Path, real_doc: Path) -> None:
    """SIGKILL gives the run no chance to shut its pool down: the workers must see to it themselves."""
    with _run_with_workers(real_doc, tmp_path / "out") as (process, workers):
        process.kill()
        process.wait(timeout=10)
        assert _until(lambda: all(_parent_of(pid) is None for pid in workers), 5), [
            (pid, _parent_of(pid)) for pid in workers
        ]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_worker_ends_on_sigterm_and_sigint_and_the_run_still_finishes(
    tmp_path: Path, real_doc: Path, signum: int
) -> None:
    """A worker told to end ends (they ignored both); the run formats the rest itself and finishes."""
    out = tmp_path / "out"
    with _run_with_workers(real_doc, out) as (process, workers):
        os.kill(workers[0], signum)
        assert _until(lambda: _parent_of(workers[0]) is None, 5)
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and stdout.startswith("generated ")
        assert _until(lambda: not _children(process.pid), 5)
    assert (out / ".codat-sdkgen-surface.json").is_file() and len(snapshot(out)) > 100
