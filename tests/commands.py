"""The generator as a user runs it: a fresh process from the project root, and the files it leaves."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT


def run_generator(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS`; `env` adds to (or overrides) this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec_fn,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, to show a folder was left exactly as it was."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
