"""Hand edits survive regeneration: each file is merged three ways (the last generation's pristine file kept
in the output, the file as it is, the new generation) with git merge-file; added and kept files are left
alone; `--check` compares with the merge and names the edited files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.config import load_targets
from generator.errors import GeneratorError
from generator.history.seal import BASE
from tests.unit.docs import minimal

RESOURCE = Path("src", "things", "resources", "things.py")
MINE = "        # mine: log the call before it goes out\n"
CALL = "        return self._client.request(options, models.Thing)\n"  # the sync get's last line


def document(get_summary: str = "Get thing", list_summary: str = "List things", widgets: bool = False) -> Any:
    """Two operations in one resource file (things.py), and a tag of their own for widgets when asked."""
    listing = {"$ref": "#/components/schemas/Thing"}
    paths: dict[str, Any] = {
        "/things": {
            "get": {
                "tags": ["Things"],
                "operationId": "list-things",
                "summary": list_summary,
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": listing}}}},
            }
        }
    }
    if widgets:
        paths["/widgets"] = {
            "get": {
                "tags": ["Widgets"],
                "operationId": "list-widgets",
                "summary": "List widgets",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": listing}}}},
            }
        }
    doc = minimal(paths=paths)
    doc["paths"]["/things/{thingId}"]["get"]["summary"] = get_summary
    if widgets:
        doc["tags"].append({"name": "Widgets", "description": "Widgets we make."})
    return doc


class Project:
    """A folder with a document and the SDK generated from it, as a maintainer keeps them."""

    def __init__(self, root: Path, keep: list[str] | None = None) -> None:
        self.root, self.out = root, root / "sdk"
        root.mkdir(parents=True, exist_ok=True)
        settings = '[tool.codat-sdkgen]\nspec = "api.json"\nout = "sdk"\npackage = "things"\nall-tags = true\n'
        if keep is not None:
            settings += f"keep = {json.dumps(keep)}\n"
        (root / "pyproject.toml").write_text(settings)

    def generate(self, doc: Any, *flags: str) -> int:
        (self.root / "api.json").write_text(json.dumps(doc, indent=1))
        return main(["generate", "--config", str(self.root / "pyproject.toml"), *flags])

    def edit(self, path: Path | str, old: str, new: str) -> None:
        file = self.out / path
        text = file.read_text()
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1))

    def text(self, path: Path | str) -> str:
        return (self.out / path).read_text()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    made = Project(tmp_path / "repo")
    assert made.generate(document()) == 0
    return made


def test_an_edit_inside_a_method_survives_a_change_elsewhere_in_the_file(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.edit(RESOURCE, CALL, MINE + CALL)
    capsys.readouterr()
    assert project.generate(document(list_summary="List every thing")) == 0
    merged = project.text(RESOURCE)
    assert merged.count(MINE + CALL) == 1 and '"""List every thing.' in merged and "List things" not in merged
    assert "<<<<<<<" not in merged
    assert (
        capsys.readouterr().out.splitlines()[0]
        == f"{project.out / RESOURCE}: holds hand edits, merged into the generated code"
    )
    assert project.generate(document(list_summary="List every thing")) == 0  # and it stays merged
    assert project.text(RESOURCE) == merged


def test_an_edit_and_a_change_to_the_same_lines_conflict(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.edit(RESOURCE, '"""Get thing.', '"""Get one thing, by its id.')
    capsys.readouterr()
    assert project.generate(document(get_summary="Fetch thing")) == 1
    text = project.text(RESOURCE)
    lines = text.splitlines()
    opening = lines.index("<<<<<<< yours") + 1
    assert lines[opening : opening + 6] == [
        '        """Get one thing, by its id.',
        "||||||| last generation",
        '        """Get thing.',
        "=======",
        '        """Fetch thing.',
        ">>>>>>> this generation",
    ]
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{project.out / RESOURCE}:{opening}: conflict: a hand edit and the new generation change the same lines"
        " (keep what is right between the markers, remove them, and generate again)"
    ]
    assert text.count('"""Fetch thing.') == 2  # the async method, which the edit left alone, merged cleanly
    # Until the markers are resolved, every run says so and fails; resolved, the edit is kept.
    assert project.generate(document(get_summary="Fetch thing")) == 1
    assert project.generate(document(get_summary="Fetch thing"), "--check") == 1
    resolved = text.replace(
        "\n".join(lines[opening - 1 : opening + 6]) + "\n", '        """Fetch one thing, by its id.\n'
    )
    (project.out / RESOURCE).write_text(resolved)
    assert project.generate(document(get_summary="Fetch thing")) == 0
    assert project.text(RESOURCE) == resolved
    assert project.generate(document(get_summary="Fetch thing"), "--check", "--full") == 0


def test_files_the_maintainer_adds_survive(project: Project) -> None:
    helper = project.out / "src" / "things" / "helpers.py"
    helper.write_text("def shout(text: str) -> str:\n    return text.upper()\n")
    (project.out / "notes").mkdir()
    (project.out / "notes" / "todo.md").write_text("- ship\n")
    assert project.generate(document(list_summary="List every thing")) == 0
    assert helper.read_text() == "def shout(text: str) -> str:\n    return text.upper()\n"
    assert (project.out / "notes" / "todo.md").read_text() == "- ship\n"
    assert project.generate(document(list_summary="List every thing"), "--check", "--full") == 0


def test_an_edited_file_the_generator_no_longer_makes_is_kept_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path / "repo")
    assert project.generate(document(widgets=True)) == 0
    widgets = Path("src", "things", "resources", "widgets.py")
    project.edit(widgets, '"""List widgets.', '"""List widgets (the ones we still sell).')
    untouched = project.out / "docs" / "sdks" / "widgets" / "README.md"
    assert untouched.is_file()
    capsys.readouterr()
    assert project.generate(document()) == 0  # a warning: nothing is lost
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {project.out / widgets}: left in place: it holds hand edits, and the generator no longer makes"
        " it (remove it once nothing needs it)"
    ]
    assert "(the ones we still sell)" in project.text(widgets)
    assert not untouched.exists()  # as the last run wrote it: removed with its operation


def test_a_fresh_clone_merges_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The edit is committed with the output, so git never held the pristine file: the base in the output does."""
    project = Project(tmp_path / "repo")
    assert project.generate(document()) == 0
    project.edit(RESOURCE, CALL, MINE + CALL)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "init.defaultBranch=main"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sdk"]):
        subprocess.run([*git, *command], cwd=project.root, check=True, timeout=60)
    subprocess.run([*git, "clone", "-q", str(project.root), str(tmp_path / "clone")], check=True, timeout=60)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    clone = Project(tmp_path / "clone")
    assert clone.generate(document(list_summary="List every thing")) == 0
    assert project.generate(document(list_summary="List every thing")) == 0
    assert MINE + CALL in clone.text(RESOURCE) and '"""List every thing.' in clone.text(RESOURCE)
    assert clone.text(RESOURCE) == project.text(RESOURCE)
    assert (clone.out / BASE).read_bytes() == (project.out / BASE).read_bytes()


def test_a_kept_path_is_never_touched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = Project(tmp_path / "repo", keep=["README.md", "docs/"])
    assert project.generate(document()) == 0
    assert not (project.out / "README.md").exists() and not (project.out / "docs").exists()
    readme = project.out / "README.md"
    readme.write_text("# Things, in our words\n")
    before = readme.stat()
    capsys.readouterr()
    assert project.generate(document(list_summary="List every thing")) == 0
    assert readme.read_text() == "# Things, in our words\n" and readme.stat().st_mtime_ns == before.st_mtime_ns
    assert not (project.out / "docs").exists()
    assert project.generate(document(list_summary="List every thing"), "--check", "--full") == 0
    assert "README.md" not in capsys.readouterr().out


def test_keep_is_a_list_of_relative_paths(tmp_path: Path) -> None:
    settings = tmp_path / "pyproject.toml"
    settings.write_text('[tool.codat-sdkgen]\nkeep = ["README.md", "/etc", "../x", 3]\n')
    with pytest.raises(GeneratorError) as raised:
        load_targets(settings)
    assert [d.pointer for d in raised.value.diagnostics] == [
        "#/tool/codat-sdkgen/keep/1",
        "#/tool/codat-sdkgen/keep/2",
        "#/tool/codat-sdkgen/keep/3",
    ]
    settings.write_text('[tool.codat-sdkgen]\nkeep = ["README.md", "src/things/helpers/*"]\n')
    assert load_targets(settings)[0].keep == ("README.md", "src/things/helpers/*")


def test_check_passes_on_merged_output_names_the_edits_and_fails_when_stale(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.edit(RESOURCE, CALL, MINE + CALL)
    assert project.generate(document(list_summary="List every thing")) == 0
    named = f"{project.out / RESOURCE}: holds hand edits, merged into the generated code"
    for flags in ((), ("--full",)):  # the record's answer by hashes, and the full merge and compare
        capsys.readouterr()
        assert project.generate(document(list_summary="List every thing"), "--check", *flags) == 0
        out = capsys.readouterr().out.splitlines()
        verdict = next(line for line in out if " is up to date (" in line)
        assert out[0] == named and "1 edited by hand" in verdict, flags
    assert project.generate(document(list_summary="List all things"), "--check") == 1
    printed = capsys.readouterr()
    assert named in printed.out.splitlines()
    assert " is stale: " in printed.err and "changed: src/things/resources/things.py (4 lines differ)" in printed.err
    assert MINE + CALL in project.text(RESOURCE) and "List every thing" in project.text(RESOURCE)  # nothing written


def test_no_git_fails_in_one_line_only_when_a_merge_is_needed(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    project.edit(RESOURCE, CALL, MINE + CALL)
    assert project.generate(document()) == 0  # the file did not change: the edit stands, no merge
    before = project.text(RESOURCE)
    capsys.readouterr()
    assert project.generate(document(list_summary="List every thing")) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{project.out / RESOURCE}: #: git is not installed, and merging the edits of this file into the new"
        " generation needs it (the output folder is as it was)"
    ]
    assert project.text(RESOURCE) == before


def test_a_kept_edit_that_breaks_a_call_fails_the_packages_own_tests(project: Project) -> None:
    project.edit(RESOURCE, 'path="/things/{thingId}",', 'path="/thing/{thingId}",')
    assert project.generate(document(list_summary="List every thing")) == 0
    assert 'path="/thing/{thingId}",' in project.text(RESOURCE)  # the edit survived the regeneration
    env = {k: v for k, v in os.environ.items() if k != "PRISM_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project.out,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 1, run.stdout[-3000:]
    assert "FAILED tests/test_things.py::test_get[sync] - " in run.stdout and "1 failed, 3 passed" in run.stdout
