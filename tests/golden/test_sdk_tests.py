"""The tests every generated package carries pass, inside the package, and catch a call a hand edit broke.

`generated/` and a sample of Codat's documents run here by default; `SDK_TESTS=all` (`make sdk-tests`)
runs every document of the family: the 20 current documents and the real Accounting one, all tags.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load_config
from generator.output.write import write_tree
from generator.pipeline import generate
from tests.conftest import ROOT
from tests.docexamples import family, generated
from tests.prism.server import PRISM, node_tool_or_skip, prism_mock

GENERATED = ROOT / "generated"
# Small documents of different shapes: uploads and downloads (Files), paged lists (Banking), deprecations,
# nested groups and webhooks (Platform).
SAMPLE = ("Codat-Files.json", "Codat-Banking.json", "Codat-Platform.json")
DOCUMENTS = sorted(family()) if os.environ.get("SDK_TESTS") == "all" else [d for d in SAMPLE if d in family()]


def _pytest(folder: Path, *args: str, prism: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PRISM_URL"} | ({"PRISM_URL": prism} if prism else {})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def test_generated_passes_its_own_tests() -> None:
    assert sorted(p.name for p in (GENERATED / "tests").iterdir()) == [
        "__init__.py",
        "conftest.py",
        "test_customers.py",
    ]
    run = _pytest(GENERATED)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "18 passed" in run.stdout  # 8 operations and a pager, each sync and async


def test_generated_passes_its_own_tests_against_prism(tmp_path: Path) -> None:
    """With PRISM_URL the same tests go to a Prism mock of the document: Prism, not our mock, judges each
    request and answers each status; only the download, whose binary body Prism cannot serve, is skipped."""
    node_tool_or_skip(PRISM, "the generated tests' Prism mode")
    with prism_mock(ROOT / "spec" / "codat-accounting.yaml", tmp_path / "prism.log", "sdk-tests") as url:
        run = _pytest(GENERATED, "-rs", prism=url)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "16 passed, 2 skipped" in run.stdout, run.stdout[-2000:]
    assert run.stdout.count("Prism cannot serve this success body") == 1  # -rs folds the two of one reason


@pytest.mark.realdoc
@pytest.mark.parametrize("name", DOCUMENTS)
def test_family_package_passes_its_own_tests(name: str, tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    write_tree(out, generated(name).files)
    run = _pytest(out, "-x")
    assert run.returncode == 0, run.stdout[-6000:]


@pytest.mark.parametrize(
    ("edit", "old", "new"),
    [
        (
            "a wrong path",
            '"/companies/{companyId}/data/customers/{customerId}"',
            '"/companies/{companyId}/customers/{customerId}"',
        ),
        ("a wrong method", 'method="PUT"', 'method="PATCH"'),
        ("a parameter's wire name", '"customerId", "path"', '"customer_id", "path"'),
        ("an error body read as another type", '"404": models.ErrorMessage,', '"404": str,'),
    ],
)
def test_an_edit_that_breaks_a_call_fails_the_tests(edit: str, old: str, new: str, tmp_path: Path) -> None:
    copy = tmp_path / "sdk"
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    resource = copy / "src" / "codat_accounting" / "resources" / "customers.py"
    source = resource.read_text()
    assert old in source, edit
    resource.write_text(source.replace(old, new))
    run = _pytest(copy)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "failed" in run.stdout, edit


def test_the_setting_leaves_the_tests_out(tmp_path: Path) -> None:
    settings = tmp_path / "pyproject.toml"
    settings.write_text("[tool.codat-sdkgen]\ntests = false\n")
    config = load_config(settings)
    assert config.tests is False
    files = generate(ROOT / "spec" / "codat-accounting.yaml", ("Customers",), "codat_accounting", config).files
    assert not [path for path in files if path.startswith("tests/")]
    assert b"pytest" not in files["pyproject.toml"]
