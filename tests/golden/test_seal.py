"""The fresh clone's check: an output whose record's hashes all hold is up to date without a full run, and
any edit of an input or of the output turns the answer into a full one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cache import output_tree
from generator.cli import main
from generator.history.seal import RECORD
from tests.conftest import GENERATED, ROOT, SPEC

SEALED = "the document, settings, templates, generator and every file hash as its record says"
PROBE = """
import sys
from generator.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("jinja2", "black", "openapi_spec_validator", "yaml", "pydantic") if m in sys.modules)
print("imported:", ",".join(heavy) or "-")
raise SystemExit(code)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the generator, its templates, the document and generated/, as a fresh clone has them."""
    root = tmp_path / "clone"
    for name in ("generator", "templates", "spec", "generated"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # The committed record's digest names the library versions of the machine that made it: sealed here
    # with this machine's, as a maintainer's `make generate` does before committing.
    made = check(root, "--full", mode="generate")
    assert made.returncode == 0, made.stdout + made.stderr
    return root


def check(root: Path, *extra: str, mode: str = "--check") -> subprocess.CompletedProcess[str]:
    """`generate --check` of the copy (or a plain generate), with the copy's generator and an empty cache."""
    args = ["--spec", "spec/codat-accounting.yaml", "--tag", "Customers", "--package", "codat_accounting"]
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "XDG_CACHE_HOME": str(root.parent / f"cache-{len(list(root.parent.iterdir()))}"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            "generate",
            *([mode] if mode == "--check" else []),
            "--out",
            "generated",
            *args,
            *extra,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_committed_output_is_proven_up_to_date_by_hashes_alone(project: Path) -> None:
    sealed = check(project)
    assert sealed.returncode == 0, sealed.stderr
    assert SEALED in sealed.stdout and "imported: -" in sealed.stdout  # no validator, Jinja, black, PyYAML
    full = check(project, "--full")
    assert full.returncode == 0, full.stderr
    files = len(output_tree(GENERATED))
    assert SEALED not in full.stdout and f"generated is up to date ({files} files)" in full.stdout
    assert "jinja2" in full.stdout and "black" in full.stdout


def _edit_document(root: Path) -> None:
    spec = root / "spec" / "codat-accounting.yaml"
    spec.write_text(spec.read_text().replace("description:", "description: Edited.", 1))


def _edit_template(root: Path) -> None:
    page = root / "templates" / "docs" / "README.md.jinja"
    page.write_text(page.read_text() + "{# edited, and the page it writes the same #}")


def _edit_module(root: Path) -> None:
    module = root / "generator" / "text" / "naming.py"
    module.write_text(module.read_text() + "\n# edited\n")


def _edit_output(root: Path) -> None:
    resource = root / "generated" / "src" / "codat_accounting" / "resources" / "customers.py"
    resource.write_text(resource.read_text() + "\n# edited\n")


def _add_output(root: Path) -> None:
    (root / "generated" / "notes.txt").write_text("mine\n")


def _remove_output(root: Path) -> None:
    (root / "generated" / "docs" / "models" / "customer.md").unlink()


EDITS: dict[str, Callable[[Path], None]] = {
    "the document": _edit_document,
    "a template": _edit_template,
    "a generator module": _edit_module,
    "a file removed from the output": _remove_output,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_any_edit_turns_the_answer_into_a_full_check(project: Path, edit: str) -> None:
    EDITS[edit](project)
    result = check(project)
    assert SEALED not in result.stdout
    assert "jinja2" in result.stdout.splitlines()[-1]  # the full run: regenerated and compared
    stale = edit in ("the document", "a file removed from the output")
    assert result.returncode == (1 if stale else 0), result.stdout + result.stderr


def test_hand_edits_and_added_files_keep_the_answer_by_hashes_and_are_named(project: Path) -> None:
    """With the inputs unchanged, the new generation is the base, and merging edits into it gives them back."""
    _edit_output(project)
    _add_output(project)
    result = check(project)
    assert result.returncode == 0, result.stderr
    assert SEALED in result.stdout and "imported: -" in result.stdout
    resource = Path("generated", "src", "codat_accounting", "resources", "customers.py")
    assert result.stdout.splitlines()[0] == f"{resource}: holds hand edits, merged into the generated code"
    assert "1 edited by hand" in result.stdout and "notes.txt" not in result.stdout


def test_a_conflict_left_in_a_file_turns_the_answer_into_a_full_check(project: Path) -> None:
    resource = project / "generated" / "src" / "codat_accounting" / "resources" / "customers.py"
    resource.write_text(resource.read_text() + "<<<<<<< yours\nx = 1\n=======\nx = 2\n>>>>>>> this generation\n")
    result = check(project)
    assert SEALED not in result.stdout and result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"{Path('generated') / resource.relative_to(project / 'generated')}:"
    )


def test_other_settings_are_a_full_check(project: Path) -> None:
    result = check(project, "--tag", "Suppliers")
    assert SEALED not in result.stdout and result.returncode == 1


def test_the_record_seals_every_other_file_and_the_inputs() -> None:
    record = json.loads((GENERATED / ".codat-sdkgen-surface.json").read_text())
    files = set(output_tree(GENERATED))  # what other tools leave there (caches) aside
    assert set(record["files"]) == files - {".codat-sdkgen-surface.json", ".codat-sdkgen-base.json.xz"}
    assert len(record["inputs"]) == 64 and record["document"] == SPEC.name


def test_a_check_that_takes_a_record_made_elsewhere_leaves_the_next_run_to_seal_its_own(tmp_path: Path) -> None:
    """A record made with other library versions passes `--check`, but it is not this run's output: the
    next `generate` writes the record this machine makes, rather than taking the old one from the cache."""
    out = tmp_path / "sdk"
    args = ["generate", "--spec", str(SPEC), "--tag", "Customers", "--package", "codat_accounting", "--out", str(out)]
    assert main(args) == 0
    record = out / RECORD
    made = json.loads(record.read_bytes())
    record.write_text(json.dumps({**made, "inputs": "0" * 64}, indent=1, sort_keys=True) + "\n")
    assert main([*args, "--check"]) == 0
    assert main(args) == 0
    assert json.loads(record.read_bytes())["inputs"] == made["inputs"]
