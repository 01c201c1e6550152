"""Code written against generated packages, type-checked as a user's project would check it.

A folder holds the packages' sources under `src/` and the code to check under `examples/`; ONE mypy
run and ONE pyright run check it all (a process per module would take far longer), both strict, for
Python 3.10, and neither with the pydantic mypy plugin that the generated pyproject turns on for the
package itself: a user's project may not have it. Shared by the test of every docs example
(tests/golden/test_examples.py) and the tests of what a type checker makes of the SDK's signatures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.prism.server import PYRIGHT, node_tool_or_skip

BIN = Path(sys.executable).parent
PYRIGHT_CONFIG = {"include": ["examples"], "extraPaths": ["src"], "typeCheckingMode": "strict", "pythonVersion": "3.10"}
MYPY_CONFIG = "[mypy]\nstrict = True\npython_version = 3.10\nmypy_path = src\ncache_dir = .mypy_cache\n"


@dataclass(frozen=True)
class Checked:
    """One checker's run: each error as (module path relative to the folder, line, message), what the
    checker printed, and how many files it analysed (pyright says; None for mypy)."""

    errors: list[tuple[str, int, str]]
    output: str
    returncode: int
    files_analyzed: int | None = None


def configure(root: Path) -> None:
    """Writes both checkers' settings into the folder."""
    (root / "mypy.ini").write_text(MYPY_CONFIG)
    (root / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG))


def pyright_or_skip(needed_by: str) -> Path:
    """The pinned pyright; the test is skipped, saying why, on a machine without node."""
    return node_tool_or_skip(PYRIGHT, needed_by)


def run_mypy(root: Path, targets: list[str], timeout: float = 900) -> Checked:
    """mypy over `targets` (packages or modules under `examples/`)."""
    checked = subprocess.run(
        [str(BIN / "mypy"), "--config-file", "mypy.ini", *targets],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    errors = []
    for line in checked.stdout.splitlines():
        path, _, rest = line.partition(":")
        if ": error: " in rest:
            number, _, message = rest.partition(": error: ")
            if number.isdigit():
                errors.append((path, int(number), message))
    return Checked(errors, checked.stdout + checked.stderr, checked.returncode)


def run_pyright(pyright: Path, root: Path, timeout: float = 900) -> Checked:
    """pyright over what its settings include (`examples/`); AssertionError when it did not run."""
    checked = subprocess.run(
        [str(pyright), "--outputjson", "--pythonpath", sys.executable],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    try:
        output = json.loads(checked.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"pyright did not run:\n{checked.stdout[-3000:]}{checked.stderr[-3000:]}") from None
    errors = [
        (Path(d["file"]).relative_to(root).as_posix(), d["range"]["start"]["line"] + 1, d["message"])
        for d in output["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    if output["summary"]["errorCount"] and not errors:
        errors.append(("", 0, "pyright counted errors it did not list"))
    return Checked(errors, checked.stdout, checked.returncode, output["summary"]["filesAnalyzed"])
