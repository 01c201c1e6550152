"""Many SDKs from one configuration: the README's example as it stands, a failing target among good
ones, settings errors located per target, and all 20 of Codat's current documents in one run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"
FAMILY = SHARED / "specs" / "codat"
BIN = Path(sys.executable).parent


def _readme_example() -> str:
    """The TOML block of the README's section on targets, its `../shared` paths made absolute."""
    section = (ROOT / "README.md").read_text().split("### Many SDKs from one configuration", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    return block.replace('"../shared/', f'"{SHARED}/')


def _readme_console(command: str) -> list[str]:
    """What the README's console block on targets shows `command` printing."""
    section = (ROOT / "README.md").read_text().split("### Many SDKs from one configuration", 1)[1]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    return block.split(command + "\n", 1)[1].split("$ ", 1)[0].splitlines()


def _generate(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "codat-sdkgen"), "generate", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=os.environ | {"PYTHONWARNINGS": "error"},
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_readme_example_generates_checks_and_picks_targets(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(_readme_example())
    first = _generate(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == _readme_console("$ codat-sdkgen generate")  # its figures exact
    assert all(line.split(": ", 1)[0] in {"bank-feeds", "expenses"} for line in first.stderr.splitlines())
    versions = {
        name: (tmp_path / "sdks" / name / "pyproject.toml").read_text().split('version = "', 1)[1].split('"')[0]
        for name in ("platform", "bank-feeds", "expenses")
    }
    assert versions == {"platform": "6.0.0", "bank-feeds": "3.0.0", "expenses": "0.4.0"}

    assert _generate(tmp_path, "--check").returncode == 0
    (tmp_path / "sdks" / "bank-feeds" / "README.md").unlink()  # an edit would be the maintainer's, and kept
    platform_before = _tree(tmp_path / "sdks" / "platform")
    checked = _generate(tmp_path, "--check")
    assert checked.returncode == 1
    assert (
        "bank-feeds: sdks/bank-feeds is stale: 0 files changed, 1 added, 0 removed;"
        " run `codat-sdkgen generate --target bank-feeds`\n"
        "bank-feeds: for callers: none (the SDK's surface is the same): 0 breaking, 0 additions, 0 documentation only\n"
        "bank-feeds: added: README.md\n"
    ) in checked.stderr
    assert "platform: sdks/platform is up to date" in checked.stdout
    assert _generate(tmp_path, "--check", "--target", "platform").stdout.splitlines() == _readme_console(
        "$ codat-sdkgen generate --check --target platform"
    )
    only = _generate(tmp_path, "--check", "--target", "platform", "--target", "expenses")
    assert only.returncode == 0 and "bank-feeds" not in only.stdout + only.stderr
    assert _tree(tmp_path / "sdks" / "platform") == platform_before


def test_a_failing_target_is_named_and_the_others_are_written(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": 3}}}')
    config = _readme_example() + f'\n[tool.codat-sdkgen.targets.broken]\nspec = "{broken}"\nout = "sdks/broken"\n'
    (tmp_path / "pyproject.toml").write_text(config)
    kept = tmp_path / "sdks" / "broken"
    assert (
        _generate(
            tmp_path, "--target", "platform", "--spec", str(FAMILY / "Codat-Platform.json"), "--out", str(kept)
        ).returncode
        == 0
    )
    before = _tree(kept)
    ran = _generate(tmp_path)
    assert ran.returncode == 1
    assert [line for line in ran.stderr.splitlines() if line.startswith("broken: ")], ran.stderr
    assert all(
        (tmp_path / "sdks" / name / "pyproject.toml").is_file() for name in ("platform", "bank-feeds", "expenses")
    )
    assert _tree(kept) == before


def test_settings_errors_are_located_per_target(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.codat-sdkgen.targets.a]\nout = 'same'\nspce = 'x.json'\n"
        "[tool.codat-sdkgen.targets.b]\nout = 'same'\nversion = 'banana'\n"
    )
    ran = _generate(tmp_path)
    assert ran.returncode == 1
    assert [line.split(": ")[1] for line in ran.stderr.splitlines()] == [
        "#/tool/codat-sdkgen/targets/a/spce",
        "#/tool/codat-sdkgen/targets/b/version",
    ]
    (tmp_path / "pyproject.toml").write_text(
        "[tool.codat-sdkgen.targets.a]\nout = 'same'\n[tool.codat-sdkgen.targets.b]\nout = 'same'\n"
    )
    assert main(["generate", "--config", str(tmp_path / "pyproject.toml")]) == 1


@pytest.mark.realdoc
def test_one_run_writes_every_one_of_codats_twenty_documents(tmp_path: Path) -> None:
    documents = sorted(p for p in FAMILY.iterdir() if p.suffix in (".json", ".yaml"))
    assert len(documents) == 20
    lines = ["[tool.codat-sdkgen]", "all-tags = true", 'version = "1.0.0"']
    for spec in documents:
        name = spec.stem.removeprefix("Codat-").lower()
        package = "codat_" + name.replace("-", "_")
        lines += [
            f"[tool.codat-sdkgen.targets.{name}]",
            f"spec = {json.dumps(str(spec))}",
            f'out = "sdks/{name}"',
            f'package = "{package}"',
        ]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    ran = _generate(tmp_path)
    assert ran.returncode == 0, ran.stderr[-3000:]
    written = sorted(p.parent.name for p in (tmp_path / "sdks").glob("*/pyproject.toml"))
    assert written == sorted(spec.stem.removeprefix("Codat-").lower() for spec in documents)
    assert len([line for line in ran.stdout.splitlines() if ": generated " in line]) == 20
