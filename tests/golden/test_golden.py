"""The committed generated/ is exactly what spec/ + templates/ produce, byte for byte, on every run."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.history.seal import RECORD, sealed
from generator.pipeline import generate
from tests.conftest import GENERATED, METHODS, ROOT, SPEC

FIX = "run `make generate` and commit generated/"


def _tree(root: Path) -> dict[str, bytes]:
    """An output's files; but its CHANGELOG.md, which is the history of the folder it was generated into,
    not a function of spec/ and templates/ (generator/history/changelog.py), and its record's digest of the
    inputs, which names the library versions of the machine that made it (generator/history/seal.py)."""
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and "__pycache__" not in p.parts
        and ".egg-info" not in str(p)
        and "_cache" not in str(p)
        and p.relative_to(root).as_posix() != "CHANGELOG.md"
    }
    record = json.loads(files[RECORD])
    record.pop("inputs", None)
    return {**files, RECORD: (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()}


def test_committed_output_matches_a_fresh_generation(tmp_path: Path) -> None:
    assert main(["generate", "--spec", str(SPEC), "--out", str(tmp_path / "out")]) == 0
    fresh, committed = _tree(tmp_path / "out"), _tree(GENERATED)
    assert sorted(fresh) == sorted(committed), FIX
    for path, content in fresh.items():
        if content != committed[path]:
            diff = difflib.unified_diff(
                committed[path].decode().splitlines(),
                content.decode().splitlines(),
                f"generated/{path}",
                "fresh",
                lineterm="",
            )
            pytest.fail(f"{path} is stale ({FIX}):\n" + "\n".join(list(diff)[:40]))


def test_check_passes_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--check", "--spec", str(SPEC), "--out", str(GENERATED)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_reports_stale_files_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(SPEC), "--out", str(out)]) == 0
    (out / "README.md").write_text("edited by hand\n")
    (out / "src" / "codat_accounting" / "_version.py").unlink()
    (out / "stray.txt").write_text("x")
    before = _tree(out)
    assert main(["generate", "--check", "--spec", str(SPEC), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "added: src/codat_accounting/_version.py" in printed.err
    # A hand edit is merged, not stale, and named; a file the maintainer added is theirs.
    assert "README.md" not in printed.err and f"{out / 'README.md'}: holds hand edits" in printed.out
    assert "stray.txt" not in printed.err + printed.out
    assert _tree(out) == before


def test_two_generations_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--spec", str(SPEC), "--out", str(out)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        outs.append(_tree(out))
    assert outs[0] == outs[1]


def test_in_memory_generation_matches_the_written_tree() -> None:
    result = generate(SPEC, ("Customers",), "codat_accounting")
    assert sealed(result.files, None) == _tree(GENERATED)
    assert result.warnings == ()


def test_choosing_a_tag_matters(tmp_path: Path) -> None:
    result = generate(SPEC, ("Suppliers",), "codat_accounting")
    resources = [(r.attr_name, [o.method_name for o in r.operations]) for r in result.api.resources]
    assert resources == [
        (
            "suppliers",
            METHODS,
        )
    ]
    assert "src/codat_accounting/resources/suppliers.py" in result.files
    assert not any("customers" in path for path in result.files)


def test_stamped_python_files_are_as_black_leaves_them() -> None:
    """Files are stamped after black formats them; the stamp line must not be something black would move."""
    import black

    mode = black.Mode(line_length=120, target_versions={black.mode.TargetVersion.PY310})
    python = {path: text.decode() for path, text in _tree(GENERATED).items() if path.endswith(".py")}
    assert len(python) > 40
    assert [path for path, text in python.items() if black.format_str(text, mode=mode) != text] == []


def test_the_templates_lay_python_out_as_black_does() -> None:
    """black is most of a cold run, and re-laying lines (quotes, splits, blank lines) is most of black's time."""
    import black

    from generator.output.render import render_api

    mode = black.Mode(line_length=120, target_versions={black.mode.TargetVersion.PY310})
    rendered = render_api(generate(SPEC, ("Customers",), "codat_accounting").api)
    # The tests' modules hold the examples' values, which black lays out as it does the docs' examples.
    python = {p: text for p, text in rendered.items() if p.endswith(".py") and not p.startswith("tests/test_")}
    assert len(python) > 40
    assert [path for path, text in python.items() if black.format_str(text, mode=mode) != text] == []


def test_the_record_ledgers_every_method_and_class_of_its_surface() -> None:
    """Each method and class the committed record's surface lists has one ledger entry, and no other."""
    record = json.loads((GENERATED / RECORD).read_text())
    surface, ledger = record["surface"], record["ledger"]

    def names(kind: str) -> list[str]:
        section = ledger[kind]
        return sorted([*section["typed"], *section["loosened"], *section["left out"]])

    assert names("operations") == sorted(surface["methods"]) == sorted(f"customers.{m}" for m in METHODS)
    assert names("schemas") == sorted([*surface["models"], *surface["enums"]])
    assert not ledger["operations"]["loosened"] and not ledger["operations"]["left out"]
    assert list(ledger["schemas"]["loosened"]) == ["SupplementalData"]  # its content's values the document leaves open
