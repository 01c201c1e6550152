"""A package's version never goes backwards: after `generate --bump`, a plain `generate` keeps it.

The document's own version (3.0.0 in spec/) is what a plain run would write; once an output records a
higher one, a run without --bump keeps that one and warns, or refuses under --strict, and the
changelog never lists a lower version above a higher one. `bump = true` in the settings makes every
run bump, the pre-commit hooks' included (they run `codat-sdkgen generate` with the settings).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.version import Version

from generator.cli import main
from generator.history.changelog import SURFACE_FILE
from tests.commands import run_generator as run
from tests.commands import snapshot
from tests.conftest import ROOT, SPEC


def _document(path: Path, *fields: str) -> Path:
    """spec/ with optional fields added to PhoneNumber: each an addition for callers (a minor step)."""
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    for name in fields:
        data["components"]["schemas"]["PhoneNumber"]["properties"][name] = {"type": "string", "description": name}
    path.write_text(json.dumps(data))
    return path


def _version(out: Path) -> str:
    return re.search(r'^version = "([^"]+)"', (out / "pyproject.toml").read_text(), re.M).group(1)  # type: ignore[union-attr]


def _headings(out: Path) -> list[str]:
    return re.findall(r"^## (\S+)", (out / "CHANGELOG.md").read_text(), re.M)


def _generate(spec: Path, out: Path, *flags: str) -> list[str]:
    return ["generate", "--no-cache", "--spec", str(spec), "--tag", "Customers", "--out", str(out), *flags]


def test_a_plain_run_after_bump_keeps_the_higher_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, spec = tmp_path / "sdk", tmp_path / "api.json"
    assert main(_generate(_document(spec), out)) == 0
    assert _version(out) == "3.0.0"
    assert main(_generate(_document(spec, "extension"), out, "--bump")) == 0
    assert _version(out) == "3.1.0"
    capsys.readouterr()

    assert main(_generate(_document(spec, "extension", "areaCode"), out)) == 0  # the one-field edit
    assert _version(out) == "3.1.0"  # not the document's 3.0.0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {out / SURFACE_FILE}: #/version: the output is version 3.1.0; this run would write 3.0.0,"
        " a lower one (kept 3.1.0; --bump versions it by what changed for callers)"
    ]
    assert 'version = "3.1.0"' in (out / "pyproject.toml").read_text()
    assert '__version__ = "3.1.0"' in (out / "src" / "codat_accounting" / "_version.py").read_text()
    headings = _headings(out)
    assert headings == sorted(headings, key=Version, reverse=True)  # newest first, never lower above higher
    assert main(_generate(spec, out, "--check")) == 0  # and --check proposes no downgrade
    assert "a lower one" in capsys.readouterr().err


def test_under_strict_a_lower_version_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, spec = tmp_path / "sdk", tmp_path / "api.json"
    assert main(_generate(_document(spec), out)) == 0
    assert main(_generate(_document(spec, "extension"), out, "--bump")) == 0
    before = snapshot(out)
    capsys.readouterr()
    assert main(_generate(_document(spec, "extension", "areaCode"), out, "--strict")) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out / SURFACE_FILE}: #/version: the output is version 3.1.0; this run would write 3.0.0, a lower one"
        " (a version never goes backwards: run with --bump, or set `version` to one above it)"
    ]
    assert snapshot(out) == before


def test_bump_in_the_settings_makes_every_run_bump(tmp_path: Path) -> None:
    _document(tmp_path / "api.json")
    settings = '[tool.codat-sdkgen]\nspec = "api.json"\ntags = ["Customers"]\nout = "sdk"\npackage = "p"\nbump = true\n'
    (tmp_path / "pyproject.toml").write_text(settings)
    assert run("generate", cwd=tmp_path).returncode == 0
    assert _version(tmp_path / "sdk") == "3.0.0"  # nothing to bump from yet: the document's
    for fields, expected in [(("extension",), "3.1.0"), (("extension", "areaCode"), "3.2.0")]:
        _document(tmp_path / "api.json", *fields)
        result = run("generate", cwd=tmp_path)  # what the codat-sdkgen-generate hook runs
        assert result.returncode == 0 and result.stderr == ""
        assert _version(tmp_path / "sdk") == expected
        assert run("generate", "--check", cwd=tmp_path).returncode == 0  # the check hook agrees
    assert _headings(tmp_path / "sdk") == ["3.2.0", "3.1.0"]


def test_the_pre_commit_hooks_run_the_command_as_the_settings_have_it() -> None:
    """No flag of the hooks' own overrides the settings' version policy."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"]: hook["entry"] for hook in hooks} == {
        "codat-sdkgen-check": "codat-sdkgen generate --check",
        "codat-sdkgen-generate": "codat-sdkgen generate",
    }
