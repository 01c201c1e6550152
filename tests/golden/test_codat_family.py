"""Every current Codat document (`../shared/specs/codat/`, all tags) generates a clean, strictly typed SDK.

These are Codat's own documents as published, quirks included: what next month's document will look
like. Each generates with every tag into a temporary folder; the package imports with warnings as
errors, `mypy --strict` and `ruff check` report nothing, every operation is generated, and the docs'
relative links resolve.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.document.parsed import HTTP_METHODS
from generator.output.write import write_tree
from tests.conftest import ROOT
from tests.docexamples import family, generated
from tests.doclinks import broken_links

FAMILY = ROOT.parent / "shared" / "specs" / "codat"
DOCUMENTS = sorted(p.name for p in FAMILY.iterdir() if p.suffix in (".json", ".yaml")) if FAMILY.is_dir() else []
BIN = Path(sys.executable).parent


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=900, check=False)


def test_the_family_is_there() -> None:
    assert len(DOCUMENTS) == 20, f"expected Codat's 20 documents in {FAMILY}"


@pytest.mark.realdoc
@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_generates_a_clean_sdk(name: str, tmp_path: Path) -> None:
    spec, package = family()[name]
    result = generated(name)  # shared with the examples' type checks (tests/golden/test_examples.py)
    out = tmp_path / "sdk"
    write_tree(out, result.files)

    data = json.loads(spec.read_text()) if name.endswith(".json") else yaml.safe_load(spec.read_text())
    # An operation marked x-speakeasy-ignore is left out of the SDK, as Codat's own SDKs leave it out.
    documented = sum(
        1
        for item in data["paths"].values()
        for key, op in item.items()
        if key in HTTP_METHODS and op.get("x-speakeasy-ignore") is not True
    )
    assert sum(len(r.operations) for r in result.api.resources) == documented

    probe = (
        f"import importlib, pkgutil, {package}\n"
        f"for m in pkgutil.walk_packages({package}.__path__, '{package}.'): importlib.import_module(m.name)\n"
        f"import {package}.models as m; [getattr(m, n) for n in m.__all__]"
    )
    imported = _run(sys.executable, "-W", "error", "-c", probe, cwd=out / "src")
    assert imported.returncode == 0, imported.stderr[-3000:]
    typed = _run(str(BIN / "mypy"), "--strict", "--no-incremental", f"src/{package}", cwd=out)
    assert typed.returncode == 0, typed.stdout[-3000:]
    linted = _run(str(BIN / "ruff"), "check", "--no-cache", "src", cwd=out)
    assert linted.returncode == 0, linted.stdout[-3000:]
    docs = [out / "README.md", *sorted((out / "docs").rglob("*.md"))]
    assert [link for doc in docs for link in broken_links(doc)] == []
