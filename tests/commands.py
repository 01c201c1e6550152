"""The generator as a user runs it: a fresh process from the project root, and the files it leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from generator.history.seal import BASE, RECORD
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
    """Every file under `root` with its bytes, to show a folder was left exactly as it was (its record's
    seal aside: see `unsealed`)."""
    return unsealed({p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()})


def unsealed(files: dict[str, bytes]) -> dict[str, bytes]:
    """An output's files with the seal taken out of its record (generator/history/seal.py: the digest of the
    inputs, which names this machine's library versions, the other files' hashes, the naming note): what
    the pipeline itself makes, and the same on any machine. The base the next merge reads (all the other
    files, compressed) goes too: it is the seal's as well."""
    files = {path: content for path, content in files.items() if path != BASE}
    if RECORD not in files:
        return files
    record = json.loads(files[RECORD])
    for key in ("inputs", "files", "note"):
        record.pop(key, None)
    return {**files, RECORD: (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()}


def run_without_node(test_file: str, name: str, empty: Path) -> subprocess.CompletedProcess[str]:
    """One test of `test_file` run by pytest in a fresh process whose PATH is the empty folder `empty`: as
    on a machine without node (nor npm, nor anything else)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", f"{test_file}::{name}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PATH": str(empty)},
        timeout=300,
        check=False,
    )
