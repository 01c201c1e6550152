"""progress: the stage and its count on a terminal once a run has lasted a while, nothing elsewhere."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

from generator import cache
from generator.pipeline import generate
from generator.progress import AFTER_S, QUIET, Progress, on_terminal
from tests.conftest import ROOT, SPEC


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_stage_and_its_count_once_the_run_has_lasted() -> None:
    terminal = _Terminal()
    progress = Progress(terminal, started=time.monotonic() - AFTER_S - 1)
    with progress.stage("formatting files", "file", 40) as tick:
        tick(20)
        time.sleep(0.3)  # past the redraw interval
        tick(20)
    shown = terminal.getvalue()
    assert "formatting files:" in shown and "40/40" in shown


def test_a_short_run_shows_nothing_even_on_a_terminal() -> None:
    terminal = _Terminal()
    with Progress(terminal).stage("building operations", "operation", 8) as tick:
        tick(8)
    assert terminal.getvalue().strip("\r\n ") == ""


def test_no_terminal_or_quiet_means_no_progress() -> None:
    assert on_terminal(False, io.StringIO()) is QUIET
    assert on_terminal(True, _Terminal()) is QUIET
    assert on_terminal(False, _Terminal()) is not QUIET
    with QUIET.stage("rendering files", "file") as tick:
        tick(3)  # counts nothing, shows nothing


def test_a_cli_run_on_a_real_terminal_under_two_seconds_prints_what_it_prints_elsewhere(tmp_path: Path) -> None:
    """The Customers tag from the cache takes a fraction of a second: a terminal sees the same lines as a pipe."""
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(SPEC), "--tag", "Customers"]
    command += ["--package", "codat_accounting", "--out"]
    subprocess.run([*command, f"{tmp_path}/first"], cwd=ROOT, check=True, capture_output=True, timeout=300)
    command.append(f"{tmp_path}/second")  # from the cache the first run filled
    primary, secondary = pty.openpty()
    try:
        run = subprocess.run(command, cwd=ROOT, stderr=secondary, stdout=subprocess.PIPE, timeout=300, check=True)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert b"%|" not in seen and b"files" not in seen, seen
    assert run.stdout.startswith(b"generated ")


def test_every_stage_of_a_generation_reports_its_count() -> None:
    terminal = _Terminal()
    progress = Progress(terminal, started=time.monotonic() - AFTER_S - 1)
    with cache.enabled(False):
        result = generate(SPEC, ("Customers",), "codat_accounting", progress=progress)
    shown = terminal.getvalue()
    operations = sum(len(r.operations) for r in result.api.resources)
    assert re.search(rf"building operations: +\d+%\|[^|]*\| \d+/{operations} \[", shown), shown
    for stage in ("validating the document", "rendering files", "formatting files"):
        assert f"{stage}:" in shown, shown


def test_a_stage_that_counts_only_at_its_end_is_shown_while_it_runs() -> None:
    """Validation ticks once, when it is done: the timer puts its line up once the run has lasted."""
    terminal = _Terminal()
    with Progress(terminal, started=time.monotonic() - AFTER_S + 0.2).stage(
        "validating the document", "document", 1
    ) as tick:
        time.sleep(0.6)
        during = terminal.getvalue()
        tick(1)
    assert "validating the document:" in during and "0/1" in during


def test_a_short_run_on_a_terminal_does_not_import_tqdm() -> None:
    code = (
        "import io, sys, time\n"
        "from generator.progress import Progress\n"
        "class T(io.StringIO):\n    def isatty(self): return True\n"
        "with Progress(T()).stage('rendering files', 'file') as tick:\n    tick(5)\n"
        "print('tqdm' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert shown.stdout.strip() == "False"
