"""Every tag of the real Codat document, and all of them at once, generates a clean, strictly typed SDK.

Each case generates into a temporary folder and checks what a strict reviewer would: the package
imports with warnings as errors, `mypy --strict` and `ruff check` report nothing, and the docs have
the seed's layout with every relative link resolving. The timings are printed at the end of the run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.conftest import REAL_DOC
from tests.doclinks import broken_links

TAGS = [t["name"] for t in json.loads(REAL_DOC.read_text())["tags"]] if REAL_DOC.is_file() else []
BIN = Path(sys.executable).parent
TIMINGS: dict[str, dict[str, float]] = {}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.realdoc
@pytest.mark.parametrize("tag", [*TAGS, None], ids=[*TAGS, "all-tags"])
def test_tag_generates_a_clean_sdk(tag: str | None, tmp_path: Path, real_doc: Path) -> None:
    timing: dict[str, float] = {}
    out = tmp_path / "sdk"
    started = time.perf_counter()
    result = generate(real_doc, (tag,) if tag else None, "codat_accounting")
    write_tree(out, result.files)
    timing["generate"] = time.perf_counter() - started
    operations = sum(len(r.operations) for r in result.api.resources)
    expected = sum(
        1
        for item in json.loads(real_doc.read_text())["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and (tag is None or tag in op.get("tags", []))
    )
    assert operations == expected, "every operation of the tag is generated"

    started = time.perf_counter()
    probe = "import codat_accounting.models as m, codat_accounting as sdk; [getattr(m, n) for n in m.__all__]"
    imported = _run(sys.executable, "-W", "error", "-c", probe, cwd=out / "src")
    timing["import"] = time.perf_counter() - started
    assert imported.returncode == 0, imported.stderr[-3000:]

    started = time.perf_counter()
    typed = _run(str(BIN / "mypy"), "--strict", "--no-incremental", "src/codat_accounting", cwd=out)
    timing["mypy"] = time.perf_counter() - started
    assert typed.returncode == 0, typed.stdout[-3000:]

    started = time.perf_counter()
    linted = _run(str(BIN / "ruff"), "check", "--no-cache", "src", cwd=out)
    timing["ruff"] = time.perf_counter() - started
    assert linted.returncode == 0, linted.stdout[-3000:]

    docs = [out / "README.md", *sorted((out / "docs").rglob("*.md"))]
    assert [link for doc in docs for link in broken_links(doc)] == []
    for resource in result.api.resources:
        page = (out / "docs" / "sdks" / resource.module_name / "README.md").read_text()
        for section in ("## Overview", "### Available Operations"):
            assert section in page
        operations = len(resource.operations)
        helpers = sum(1 for op in resource.operations if op.pagination)  # list_all: a section of its own
        for heading in ("### Example Usage", "### Parameters", "### Response", "### Errors"):
            assert page.count(heading) == operations + helpers, (resource.tag, heading)
    TIMINGS[tag or "all tags"] = timing


def test_the_link_checker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n[ok](#title) [gone](b.md) [anchor](#nope) [empty](../models/.md)\n")
    assert broken_links(tmp_path / "a.md") == [
        "a.md: b.md (no such page)",
        "a.md: #nope (no such anchor)",
        "a.md: ../models/.md (no such page)",
    ]


def pytest_terminal_summary_lines() -> list[str]:
    """The per-tag timings, for the terminal summary (see tests/conftest.py)."""
    lines = []
    for tag, timing in TIMINGS.items():
        parts = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in timing.items())
        lines.append(f"{tag:28} {parts}")
    return lines
