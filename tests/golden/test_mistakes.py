"""A user's mistakes and a hostile system, each met with one located line, never a traceback.

Broken override templates, folders that cannot be written, a full disk, a file where a folder should
be, a closed pipe: the run says where and why on one line, exits non-zero (a closed pipe quietly), and
leaves the output folder exactly as it was, with nothing of ours beside it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.history.changelog import SURFACE_FILE
from tests.commands import run_generator as run
from tests.commands import snapshot
from tests.conftest import GENERATED, ROOT, SPEC


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An up-to-date output of the Customers tag, as `make generate` leaves it."""
    folder = tmp_path / "sdk"
    shutil.copytree(GENERATED, folder)
    return folder


def _generate(out: Path, *flags: str) -> list[str]:
    return ["generate", "--no-cache", "--spec", str(SPEC), "--tag", "Customers", "--out", str(out), *flags]


def _make_stale(out: Path) -> None:
    """An output the next run must write dozens of files into: its models removed. (An edited file would
    not do: the edit is the maintainer's, and the run keeps it.)"""
    shutil.rmtree(out / "src" / "codat_accounting" / "models")
    (out / "README.md").unlink()


def _ours_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".sdkgen-"))


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# --- override templates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("# {{ schema.class_name }}\n{% if schema %}\n", 2, "Unexpected end of template"),
        ("# {{ schema.class_name }}\n\n{{ no_such_name }}\n", 3, "'no_such_name' is undefined"),
        ("# {{ schema.no_such_member }}\n", 1, "has no attribute 'no_such_member'"),
    ],
)
def test_a_broken_override_template_is_named_with_its_line(
    out: Path, tmp_path: Path, template: str, line: int, message: str
) -> None:
    before = snapshot(out)
    (tmp_path / "tpl" / "docs").mkdir(parents=True)
    (tmp_path / "tpl" / "docs" / "model.md.jinja").write_text(template)
    result = run(*_generate(out, "--templates", str(tmp_path / "tpl")))
    assert result.returncode == 1
    reported = _one_line(result.stderr)
    assert reported.startswith(f"{tmp_path / 'tpl' / 'docs' / 'model.md.jinja'}:{line}: #: template error: ")
    assert message in reported and reported.endswith("(a template of --templates)")
    assert snapshot(out) == before and _ours_left(tmp_path) == []


# --- folders that cannot be written --------------------------------------------------------------


def test_a_read_only_parent_folder_is_one_line(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As root (CI containers) permissions do not bind, so the refusal the system would give is made."""
    _make_stale(out)
    before = snapshot(out)

    def refused(*args: Any, **kwargs: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(kwargs["dir"]))

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    assert main(_generate(out)) == 1
    reported = _one_line(capsys.readouterr().err)
    assert reported == f"{tmp_path}: #: cannot write the output: Permission denied (the output folder is as it was)"
    assert snapshot(out) == before and _ours_left(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_parent_folder_for_real(out: Path, tmp_path: Path) -> None:
    _make_stale(out)
    before = snapshot(out)
    tmp_path.chmod(0o555)
    try:
        result = run(*_generate(out))
    finally:
        tmp_path.chmod(0o755)
    assert result.returncode == 1
    assert _one_line(result.stderr).startswith(f"{tmp_path}: #: cannot write the output: Permission denied")
    assert snapshot(out) == before and _ours_left(tmp_path) == []


def test_a_full_disk_is_one_line_and_leaves_the_output(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _make_stale(out)
    before = snapshot(out)
    real_write = Path.write_bytes
    written = 0

    def filling(self: Path, data: Any) -> int:
        nonlocal written
        written += 1
        if written == 30:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", filling)
    assert main(_generate(out)) == 1
    reported = _one_line(capsys.readouterr().err)
    assert ": #: cannot write the output: No space left on device (free some space and run again;" in reported
    assert reported.startswith(str(tmp_path / ".sdkgen-sdk."))  # the file it was writing
    assert snapshot(out) == before and _ours_left(tmp_path) == []


def test_out_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("mine\n")
    result = run(*_generate(tmp_path / "afile" / "sub"))
    assert result.returncode == 1
    assert _one_line(result.stderr) == (
        f"{tmp_path / 'afile'}: #: cannot write the output: is a file, where --out needs a folder"
        " (the output folder is as it was)"
    )
    assert (tmp_path / "afile").read_text() == "mine\n" and _ours_left(tmp_path) == []


def test_a_read_only_old_output_is_refused_before_anything_moves(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Swapped out, a tree whose folders cannot be emptied would stay behind as `.sdkgen-sdk.*-old`."""
    _make_stale(out)
    before = snapshot(out)
    locked = out / "docs" / "models"
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked and real_access(path, mode))
    assert main(_generate(out)) == 1
    reported = _one_line(capsys.readouterr().err)
    assert reported == (
        f"{locked}: #: cannot write the output: a folder of the previous output is read-only"
        " (the output folder is as it was)"
    )
    assert snapshot(out) == before and _ours_left(tmp_path) == []


def test_an_old_output_that_resists_removal_is_reported(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Made read-only after the check (or not ours to remove): the new tree is in, and the run says what
    is left and fails, where it used to leave it silently with rc 0."""
    _make_stale(out)
    real_rmtree = shutil.rmtree

    def stubborn(path: Any, *args: Any, **kwargs: Any) -> None:
        if str(path).endswith("-old") and not kwargs.get("ignore_errors"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", stubborn)
    assert main(_generate(out)) == 1
    reported = _one_line(capsys.readouterr().err)
    assert "the new output is in place, but the previous one could not be removed: Permission denied" in reported
    assert snapshot(out) == snapshot(GENERATED)


# --- a closed pipe ---------------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly() -> None:
    """`codat-sdkgen ir | head -1`: the reader leaves; the command ends without a word, as `cat` would."""
    command = [sys.executable, "-m", "generator", "ir", "--spec", str(SPEC), "--tag", "Customers"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == b"{\n"
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=60) == 141
    assert stderr == b""


# --- wrong paths and names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--config", "nope.toml"], "--config 'nope.toml': no such file or folder"),
        (["--templates", "nodir"], "--templates 'nodir': no such file or folder"),
        (["--templates", "afile"], "--templates 'afile': is not a folder"),
        (["--spec", "nope.yaml"], "--spec 'nope.yaml': no such file or folder"),
        (["--spec", "."], "--spec '.': is a folder, not a file"),
    ],
)
def test_a_missing_path_is_a_usage_error(tmp_path: Path, flags: list[str], expected: str) -> None:
    """They used to run with the defaults, rc 0 (--config, --templates), or fail as a bad document."""
    (tmp_path / "afile").write_text("")
    shutil.copy(SPEC, tmp_path / "api.yaml")
    given = ["--spec", "api.yaml", *flags] if "--spec" not in flags else flags
    commands = [["generate", "--out", "sdk"], ["ir"]] + ([["validate"]] if "--templates" not in flags else [])
    for command in commands:
        result = run(*command, *given, cwd=tmp_path)
        assert result.returncode == 2
        assert _one_line(result.stderr) == f"codat-sdkgen: error: {expected}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "api.yaml"]


def test_a_missing_path_in_the_settings_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.codat-sdkgen]\nspec = "api/missing.yaml"\n')
    result = run("generate", cwd=tmp_path)
    assert result.returncode == 2
    expected = f"the spec of pyproject.toml '{Path('api') / 'missing.yaml'}': no such file or folder"
    assert _one_line(result.stderr) == f"codat-sdkgen: error: {expected}"


def test_a_misspelt_override_template_warns_naming_the_closest(out: Path, tmp_path: Path) -> None:
    (tmp_path / "tpl" / "docs").mkdir(parents=True)
    (tmp_path / "tpl" / "docs" / "modle.md.jinja").write_text("# {{ schema.class_name }}\n")
    (tmp_path / "tpl" / "notes.txt").write_text("ours\n")
    result = run(*_generate(out, "--templates", str(tmp_path / "tpl")))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {tmp_path / 'tpl' / 'docs' / 'modle.md.jinja'}: #: replaces none of codat-sdkgen's templates"
        " (did you mean 'docs/model.md.jinja'?)",
        f"warning: {tmp_path / 'tpl' / 'notes.txt'}: #: replaces none of codat-sdkgen's templates"
        " (files here replace ours of the same relative name)",
    ]
    written, ours = snapshot(out), snapshot(GENERATED)
    record = json.loads(written.pop(SURFACE_FILE))
    assert record["settings"]["templates"] == ["docs/modle.md.jinja", "notes.txt"]
    assert written == {path: content for path, content in ours.items() if path != SURFACE_FILE}  # ours were used


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("packge", "did you mean 'package'?"),
        ("all_tags", "did you mean 'all-tags'?"),
        ("Tags", "did you mean 'tags'?"),
        ("target", "did you mean 'targets'?"),
        ("colour", "known: spec, tags, all-tags, out, package"),
    ],
)
def test_an_unknown_setting_gets_a_did_you_mean(tmp_path: Path, key: str, hint: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.codat-sdkgen]\n{key} = "x"\n')
    result = run("generate", cwd=tmp_path)
    assert result.returncode == 1
    reported = _one_line(result.stderr)
    assert reported.startswith(f"pyproject.toml: #/tool/codat-sdkgen/{key}: unknown setting ({hint}")
