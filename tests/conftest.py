"""Shared fixtures: paths of the project, the shared real document, and a local HTTP server."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract import Contract
from tests.httpserver import TestServer, serve

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "codat-accounting.yaml"
GENERATED = ROOT / "generated"
REAL_DOC = ROOT.parent / "shared" / "specs" / "codat-accounting.json"
# The eight operations of the Customers (and Suppliers) tag, as methods, in the order the SDK lists them.
METHODS = [
    "create",
    "download_attachment",
    "get",
    "get_attachment",
    "get_create_update_model",
    "list",
    "list_attachments",
    "update",
]

# The generator's no-op cache lives in a folder of this session's own (subprocesses inherit it), removed
# when the session's process ends: each run used to leave one behind in /tmp per xdist worker.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sdkgen-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True)

# The SDK tests drive the committed generated package, straight from its source folder.
sys.path.insert(0, str(GENERATED / "src"))


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A server on 127.0.0.1 that checks every exchange against spec/ (see tests/contract.py)."""
    with serve(Contract(SPEC)) as running:
        yield running
    assert not running.violations, "exchanges that break spec/:\n" + "\n".join(running.violations)


@pytest.fixture
def real_doc() -> Path:
    if not REAL_DOC.is_file():
        pytest.fail(f"the shared real document is missing: {REAL_DOC}")
    return REAL_DOC


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.golden import test_every_tag, test_examples
    from tests.prism import test_prism

    prism = test_prism.pytest_terminal_summary_lines()
    if prism:
        terminalreporter.section("Prism contract suite")
        for line in prism:
            terminalreporter.write_line(line)

    examples = test_examples.pytest_terminal_summary_lines()
    if examples:
        terminalreporter.section("docs examples: one mypy and one pyright run over all")
        for line in examples:
            terminalreporter.write_line(line)

    lines = test_every_tag.pytest_terminal_summary_lines()
    if lines:
        terminalreporter.section("real document: timings per tag")
        for line in lines:
            terminalreporter.write_line(line)
