"""The generator as a CI build step: interrupts, killed runs, determinism, --check diffs, settings, URLs."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator import __version__
from generator.builder.api import BuildOptions, build_api
from generator.cache import output_tree
from generator.cli import main
from generator.config import Options
from generator.document.load import load_document
from generator.document.parsed import Document
from generator.history.changelog import SURFACE_FILE, record
from generator.history.seal import BASE
from generator.output.formatting import format_files
from generator.output.render import MARKER, render_api, stamp_files
from generator.output.write import stale_files, write_tree
from generator.pipeline import generate, recorded_settings
from tests.commands import run_generator as run
from tests.commands import snapshot
from tests.conftest import GENERATED, ROOT, SPEC
from tests.httpserver import serve


@pytest.fixture(scope="module")
def customers() -> dict[str, bytes]:
    return generate(SPEC, ("Customers",), "codat_accounting").files


# --- atomic writes -------------------------------------------------------------------------------


def test_an_interrupt_while_writing_leaves_the_old_tree_and_no_temp_folder(
    tmp_path: Path, customers: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, customers)
    before = snapshot(out)
    written = 0
    real_write = Path.write_bytes

    def interrupting(self: Path, data: Any) -> int:
        nonlocal written
        written += 1
        if written == 20:
            raise KeyboardInterrupt
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupting)
    changed = {**customers, "README.md": b"new"}
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, changed)
    assert written == 20
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.realdoc
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_moment_leaves_a_whole_tree(tmp_path: Path, real_doc: Path, signum: int) -> None:
    """Interrupts at several moments of an all-tags run; every time the folder is the old tree or the new one."""
    out = tmp_path / "out"
    first = {"old.txt": b"old", MARKER: b"generator codat-sdkgen\n"}
    write_tree(out, first)
    old = snapshot(out)
    # old.txt: not the generator's; the base is not in a snapshot (it is the seal's), so it is checked apart
    whole = {*generate(real_doc, None, "codat_accounting").files, "old.txt"}
    args = [sys.executable, "-m", "generator", "generate", "--no-cache", "--all-tags", "--spec", str(real_doc)]
    args += ["--out", str(out)]
    outcomes = []
    for delay in (0.5, 1.5, 2.5, 4.0):  # counted from when the command handles signals
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_until_it_handles(process.pid, signal.SIGTERM)
        time.sleep(delay)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr
        assert process.returncode in (0, 130), stderr
        assert _still_running(str(out)) == []  # black's worker processes ended with it
        now = snapshot(out)
        if process.returncode == 130:
            assert "left as it was" in stderr
        assert now == old or (set(now) == whole and (out / BASE).is_file())
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
        outcomes.append(process.returncode)
        if now != old:
            shutil.rmtree(out)
            write_tree(out, first)
    assert 130 in outcomes


def test_a_signal_from_start_up_to_shutdown_exits_one_way(tmp_path: Path) -> None:
    """A short run signalled at moments spread over its whole life once the command runs (before that,
    in the interpreter's own start-up, Python's defaults apply to any program):
    while it works, during black's pool, as it writes, and once it is done and shutting down. Each
    ends with 130 (interrupted) or 0 (already done), never by the signal, and the folder is whole."""
    out = tmp_path / "out"
    write_tree(out, {"old.txt": b"old", MARKER: b"generator codat-sdkgen\n"})
    old = snapshot(out)
    args = [sys.executable, "-m", "generator", "generate", "--no-cache", "--out", str(out)]
    # The moments are spread over one whole run as long as it takes on this machine now, and past it.
    started = time.monotonic()
    subprocess.run([*args[:-1], str(tmp_path / "timed")], cwd=ROOT, capture_output=True, timeout=300, check=True)
    length = time.monotonic() - started
    new = {*snapshot(tmp_path / "timed"), "old.txt"}  # old.txt: not the generator's, so it stays
    seen = set()
    for step in range(12):
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_until_it_handles(process.pid, signal.SIGTERM)
        time.sleep(length * 1.2 * step / 11)
        process.send_signal(signal.SIGINT if step % 2 else signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
        assert process.returncode in (0, 130), (step, process.returncode, stderr)
        assert "Traceback" not in stderr
        now = snapshot(out)
        assert now == old or set(now) == new, "the old tree or the new one, never a mix"
        seen.add(process.returncode)
        if now != old:
            shutil.rmtree(out)
            write_tree(out, {"old.txt": b"old", MARKER: b"generator codat-sdkgen\n"})
            old = snapshot(out)
    assert 130 in seen


def _wait_until_it_handles(pid: int, signum: int) -> None:
    """Waits (30 s at most) until the process catches `signum`, read from /proc: on a busy machine the
    interpreter's start-up can take seconds, and a signal then meets Python's defaults, not ours."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return  # already gone
        caught = next((line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), "0")
        if int(caught, 16) & (1 << (signum - 1)):
            return
        time.sleep(0.01)


def _still_running(argument: str) -> list[int]:
    """Processes whose command line holds `argument`, waited for a few seconds to end."""
    deadline = time.monotonic() + 5
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and argument.encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_runs_leftovers_are_cleaned_and_a_moved_tree_restored(
    tmp_path: Path, customers: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    write_tree(out, customers)
    pid = _dead_pid()
    staging = tmp_path / f".sdkgen-out.{pid}.abc"
    (staging / "src").mkdir(parents=True)
    (staging / "src" / "half.py").write_text("x =")
    # Killed between its two renames: the previous output sits under the retired name.
    out.rename(tmp_path / f".sdkgen-out.{pid}.abc-old")
    write_tree(out, customers)
    assert snapshot(out) == customers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_live_runs_and_another_folders_leftovers_are_left_alone(tmp_path: Path, customers: dict[str, bytes]) -> None:
    busy = tmp_path / f".sdkgen-out.{os.getppid()}.xyz"
    sibling = tmp_path / f".sdkgen-out-2.{_dead_pid()}.xyz-old"  # the retired tree of a folder named out-2
    busy.mkdir()
    sibling.mkdir()
    write_tree(tmp_path / "out", customers)
    assert busy.is_dir() and sibling.is_dir()


# --- determinism ---------------------------------------------------------------------------------


def test_output_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2", "random"):
        out = tmp_path / f"out-{seed}"
        result = run("generate", "--spec", str(SPEC), "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        trees.append(snapshot(out))
    assert trees[0] == trees[1] == trees[2]


def _reversed(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: mapping[k] for k in reversed(list(mapping))}


def _reordered(data: dict[str, Any]) -> dict[str, Any]:
    """The same document with the order of everything whose order means nothing reversed.

    Properties keep their order: it is the order of the fields in the generated class.
    """
    data = _reversed(data)
    data["components"] = _reversed({k: _reversed(v) for k, v in data["components"].items()})
    data["paths"] = _reversed({path: _reversed(item) for path, item in data["paths"].items()})
    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "responses" in op:
                op["responses"] = _reversed(op["responses"])
    return data


def test_output_does_not_depend_on_mapping_order(customers: dict[str, bytes]) -> None:
    doc = load_document(SPEC)
    shuffled = Document(doc.source, _reordered(copy.deepcopy(doc.data)), doc.sha256, doc.lines)
    assert list(shuffled.data["paths"]) != list(doc.data["paths"])
    api = build_api(shuffled, BuildOptions(tags=("Customers",)))
    settings = recorded_settings(("Customers",), "codat_accounting", Options())
    assert stamp_files(format_files(render_api(api)), api) | {SURFACE_FILE: record(api, settings)} == customers


def test_every_file_says_it_is_generated_and_only_the_record_names_hash_version_and_settings() -> None:
    """The document's hash and the generator's version in every file's first line made a one-word edit
    of the document change every file (issue 26): they are the record's alone."""
    digest = hashlib.sha256(SPEC.read_bytes()).hexdigest()
    stamp = "Generated by codat-sdkgen from codat-accounting.yaml; hand edits are merged into each regeneration."
    today = datetime.date.today()
    stamped = 0
    for path, file in output_tree(GENERATED).items():
        if path == BASE:  # the last generation's files, compressed: each is checked here as itself
            continue
        text = file.read_text(encoding="utf-8")
        if path.endswith((".py", ".md", ".toml")):
            assert text.split("\n", 1)[0] in (f"# {stamp}", f"<!-- {stamp} -->"), path
            stamped += 1
        if path != SURFACE_FILE:
            assert digest not in text and f"codat-sdkgen {__version__}" not in text, path
        assert today.isoformat() not in text and today.strftime("%d %b %Y") not in text, path
    assert stamped > 80
    record = json.loads((GENERATED / SURFACE_FILE).read_text())
    assert (record["document"], record["sha256"], record["generator"]) == (
        "codat-accounting.yaml",
        digest,
        f"codat-sdkgen {__version__}",
    )
    assert record["settings"]["tags"] == ["Customers"] and record["settings"]["package"] == "codat_accounting"


# --- --check -------------------------------------------------------------------------------------


def test_check_prints_a_unified_diff_of_what_is_stale(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out)
    record = json.loads((out / SURFACE_FILE).read_text())
    model = out / "src" / "codat_accounting" / "models" / "customer.py"
    # An old file of the generator's, untouched: this generation no longer makes it, so it is removed.
    (out / "stray.txt").write_text("left over")
    record["files"]["stray.txt"] = hashlib.sha256(b"left over").hexdigest()
    # A file as the generator would not write it, and no hand edit: its record says otherwise.
    model.write_text(model.read_text().replace("class Customer(BaseModel):", "class Customer(BaseModel):  # old"))
    record["files"][model.relative_to(out).as_posix()] = hashlib.sha256(model.read_bytes()).hexdigest()
    (out / SURFACE_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    (out / "README.md").unlink()
    result = run("generate", "--check", "--out", str(out))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:6] == [
        f"{out} is stale: 2 files changed, 1 added, 1 removed; run `codat-sdkgen generate --out {out}`",
        "for callers: none (the SDK's surface is the same): 0 breaking, 0 additions, 0 documentation only",
        f"changed: {SURFACE_FILE} (3 lines differ)",
        "added: README.md",
        "changed: src/codat_accounting/models/customer.py (2 lines differ)",
        "removed: stray.txt",
    ]
    diff = lines[6:]
    assert diff.count("--- generated/src/codat_accounting/models/customer.py") == 1
    assert "-class Customer(BaseModel):  # old" in diff and "+class Customer(BaseModel):" in diff
    assert diff[-4:] == ["--- generated/stray.txt", "+++ /dev/null", "@@ -1 +0,0 @@", "-left over"]
    assert len(diff) > 100  # the whole diff: the new README included
    assert snapshot(out)["stray.txt"] == b"left over"

    cut = run("generate", "--check", "--out", str(out), "--diff-limit", "3").stderr.splitlines()
    assert cut[6:] == [*diff[:3], f"... {len(diff) - 3} more diff lines (--diff-limit 3)"]


def test_check_names_the_command_run_and_make_only_where_a_makefile_has_it(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out)
    (out / "README.md").unlink()
    shutil.copy(SPEC, tmp_path / "api.yaml")
    settings = '[tool.codat-sdkgen]\nspec = "api.yaml"\ntags = ["Customers"]\npackage = "codat_accounting"\n'
    (tmp_path / "pyproject.toml").write_text(settings)
    plain = run("generate", "--check", cwd=tmp_path)
    assert plain.returncode == 1
    assert plain.stderr.splitlines()[0].endswith("removed; run `codat-sdkgen generate`")  # no Makefile here
    (tmp_path / "Makefile").write_text("generate:\n\tcodat-sdkgen generate\n")
    made = run("generate", "--check", cwd=tmp_path)
    assert made.stderr.splitlines()[0].endswith("run `codat-sdkgen generate` or `make generate`")
    flagged = run("generate", "--diff-limit=0", "--check", "--tag", "Customers", cwd=tmp_path)
    assert flagged.stderr.splitlines()[0].endswith("run `codat-sdkgen generate --tag Customers`")
    assert flagged.stderr.splitlines()[-1].startswith("... ")  # --diff-limit=0: no diff line at all


def test_check_gives_the_verdict_for_callers(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    shutil.copytree(GENERATED, out)
    edited = tmp_path / "api.yaml"
    data = load_document(SPEC).data
    data["components"]["schemas"]["PhoneNumber"]["properties"].pop("number")
    data["components"]["schemas"]["PhoneNumber"]["required"] = ["type"]
    edited.write_text(json.dumps(data))
    result = run("generate", "--check", "--spec", str(edited), "--tag", "Customers", "--out", str(out))
    assert result.returncode == 1
    verdict = result.stderr.splitlines()[1]
    assert verdict.startswith("for callers: major (1 breaking change, e.g. models.PhoneNumber.number: ")
    assert verdict.endswith(": 1 breaking, 0 additions, 0 documentation only")


# --- settings in pyproject.toml and user templates ----------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository: its own pyproject settings, a copy of the document and one overridden template."""
    (tmp_path / "api").mkdir()
    shutil.copy(SPEC, tmp_path / "api" / "accounting.yaml")
    (tmp_path / "tpl" / "docs").mkdir(parents=True)
    (tmp_path / "tpl" / "docs" / "model.md.jinja").write_text("# Model {{ schema.class_name }} (our layout)\n")
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'mine'\n\n"
        "[tool.codat-sdkgen]\n"
        'spec = "api/accounting.yaml"\n'
        'tags = ["Suppliers"]\n'
        'out = "sdk"\n'
        'package = "suppliers_sdk"\n'
        'templates = "tpl"\n'
        "[tool.codat-sdkgen.operation-names]\n"
        '"list-suppliers" = "list_every_supplier"\n'
    )
    return tmp_path


def test_settings_come_from_pyproject(project: Path) -> None:
    result = run("generate", cwd=project)
    assert result.returncode == 0, result.stderr
    resource = (project / "sdk" / "src" / "suppliers_sdk" / "resources" / "suppliers.py").read_text()
    assert "def list_every_supplier(" in resource and "def list(" not in resource
    assert "def create(" in resource
    page = (project / "sdk" / "docs" / "models" / "supplier.md").read_text()
    assert page.endswith("# Model Supplier (our layout)\n")
    readme = (project / "sdk" / "docs" / "sdks" / "suppliers" / "README.md").read_text()
    assert "## list_every_supplier" in readme  # only the overridden template changed
    assert run("generate", "--check", cwd=project).returncode == 0


def test_flags_override_settings(project: Path) -> None:
    result = run("generate", "--package", "other_sdk", "--tag", "Customers", "--out", "elsewhere", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "elsewhere" / "src" / "other_sdk" / "resources" / "customers.py").is_file()
    assert not (project / "sdk").exists()


def test_a_user_template_can_replace_a_static_file(project: Path) -> None:
    (project / "tpl" / "sdk" / "static").mkdir(parents=True)
    (project / "tpl" / "sdk" / "static" / "_types.py").write_text('"""Our own types."""\nfrom typing import Any\n')
    assert run("generate", cwd=project).returncode == 0
    types = (project / "sdk" / "src" / "suppliers_sdk" / "_types.py").read_text()
    assert types.splitlines()[1:] == ['"""Our own types."""', "", "from typing import Any"]


def test_bad_settings_are_located(project: Path) -> None:
    settings = project / "pyproject.toml"
    text = settings.read_text().replace('package = "suppliers_sdk"', "package = 3\nbogus = true")
    settings.write_text(text)
    result = run("generate", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{Path('pyproject.toml')}: #/tool/codat-sdkgen/bogus: unknown setting" in result.stderr
    assert "#/tool/codat-sdkgen/package: must be a str" in result.stderr


def test_an_operation_name_for_no_operation_warns(project: Path) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text() + '"list-suplliers" = "typo"\n')
    result = run("generate", cwd=project)
    assert result.returncode == 0
    assert "no operation has the operationId 'list-suplliers'" in result.stderr


# --- documents from URLs and external references -------------------------------------------------


def test_spec_from_a_url_generates_the_same_tree(tmp_path: Path, customers: dict[str, bytes]) -> None:
    with serve() as server:
        server.add("GET", "/specs/codat-accounting.yaml", body=SPEC.read_bytes())
        result = run("generate", "--spec", f"{server.url}/specs/codat-accounting.yaml", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path / "o") == customers


@pytest.mark.parametrize(
    ("route", "flags", "expected"),
    [
        ("/missing.yaml", [], "cannot fetch the document: HTTP 404"),
        ("/slow.yaml", ["--fetch-timeout", "0.5"], "cannot fetch the document: no answer within 0.5 s"),
        ("/big.yaml", ["--max-size", "0.01"], "over the 10,485 bytes limit"),
    ],
)
def test_a_failed_fetch_is_one_clear_line(tmp_path: Path, route: str, flags: list[str], expected: str) -> None:
    with serve() as server:
        server.add("GET", "/missing.yaml", status=404, body=b"no")
        server.add("GET", "/slow.yaml", body=SPEC.read_bytes(), delay=3)
        server.add("GET", "/big.yaml", body=SPEC.read_bytes())
        url = server.url + route
        result = run("generate", "--spec", url, *flags, "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{url}: #: ") and expected in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and not (tmp_path / "o").exists()


def test_a_closed_port_is_one_clear_line(tmp_path: Path) -> None:
    with serve() as server:
        url = server.url + "/spec.yaml"
    result = run("generate", "--spec", url, "--out", str(tmp_path / "o"))
    assert result.returncode == 1 and "cannot fetch the document:" in result.stderr and "Traceback" not in result.stderr


def test_external_references_are_fetched_when_allowed(tmp_path: Path) -> None:
    text = SPEC.read_text().replace(
        "$ref: '#/components/schemas/Metadata'", "$ref: 'shared/common.yaml#/components/schemas/Metadata'"
    )
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "common.yaml").write_text(
        "components:\n  schemas:\n    Metadata:\n      type: object\n      properties:\n"
        "        isDeleted: {type: boolean}\n        parent: {$ref: '#/components/schemas/Metadata'}\n"
        "        tags: {$ref: 'URL/tags.json#/Tags'}\n"
    )
    spec = tmp_path / "api.yaml"
    with serve() as server:
        server.add("GET", "/tags.json", json_body={"Tags": {"type": "array", "items": {"type": "string"}}})
        common = tmp_path / "shared" / "common.yaml"
        common.write_text(common.read_text().replace("URL", server.url))
        spec.write_text(text)
        refused = run("generate", "--spec", str(spec), "--out", str(tmp_path / "o"))
        allowed = run("generate", "--allow-external-refs", "--spec", str(spec), "--out", str(tmp_path / "o"))
    assert refused.returncode == 1 and "pass --allow-external-refs" in refused.stderr
    assert allowed.returncode == 0, allowed.stderr
    # This document has a Metadata of its own, so the fetched one is placed beside it under a new name.
    model = (tmp_path / "o" / "src" / "codat_accounting" / "models" / "metadata_2.py").read_text()
    assert "parent: Metadata2 | None" in model and "tags: list[str] | None" in model


def test_generate_accepts_options_from_python(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md.jinja").write_text("# {{ api.title }}\n")
    files = generate(SPEC, ("Customers",), "codat_accounting", Options(templates=tmp_path)).files
    assert files["README.md"].decode().splitlines()[1:] == ["# Accounting API"]


@pytest.mark.realdoc
def test_a_description_edit_changes_only_the_files_that_show_it(tmp_path: Path, real_doc: Path) -> None:
    """Issue 26: a one-word edit of the real document touched all 86 files of the Customers tag, as
    each file's first line carried the document's hash. Now: the pages that show the description, the
    record (the new hash), and the changelog's documentation entry."""
    out, edited = tmp_path / "sdk", tmp_path / "codat-accounting.json"
    shutil.copy(real_doc, edited)
    flags = ["generate", "--no-cache", "--spec", str(edited), "--tag", "Customers", "--out", str(out)]
    assert main(flags) == 0
    before = snapshot(out)
    data = json.loads(edited.read_text())
    field = data["components"]["schemas"]["Customer"]["allOf"][0]["properties"]["contactName"]
    field["description"] = "Name of the main contact for the identified customer, as reviewers read it."
    edited.write_text(json.dumps(data))
    assert main(flags) == 0
    after = snapshot(out)
    changed = {path for path in after if before.get(path) != after[path]}
    showing = {path for path, content in after.items() if b"as reviewers read it" in content} - {SURFACE_FILE}
    assert sorted(showing) == ["docs/models/customer.md", "src/codat_accounting/models/customer.py"]
    assert changed == showing | {SURFACE_FILE, "CHANGELOG.md"}  # 4 files where there were 86
    assert "### Documentation" in (out / "CHANGELOG.md").read_text()
    assert set(before) - set(after) == set()


def test_the_readmes_check_example_prints_what_it_shows(tmp_path: Path) -> None:
    section = (ROOT / "README.md").read_text().split("### Reviewing a stale output", 1)[1]
    command, *shown = section.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
    (tmp_path / "api").mkdir()
    edit = (
        "description: What kind of line the number is.",
        "description: What kind of line the number is (a landline, a mobile, a fax).",
    )
    (tmp_path / "api" / "codat-accounting.yaml").write_text(SPEC.read_text().replace(*edit))
    shutil.copytree(GENERATED, tmp_path / "sdk")
    result = run(*command.removeprefix("$ codat-sdkgen ").split(), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[: len(shown)] == shown


def test_a_binary_file_is_named_as_git_names_one_whether_changed_added_or_removed(tmp_path: Path) -> None:
    """The merge's base is compressed: a check lists it and says it differs, never a diff of its bytes."""
    out = tmp_path / "sdk"
    out.mkdir()
    (out / "gone.bin").write_bytes(b"\xfd7zXZ old")
    (out / "same.bin").write_bytes(b"\xfd7zXZ same")
    (out / "kept.bin").write_bytes(b"\xfd7zXZ one")
    new = {"kept.bin": b"\xfd7zXZ two", "same.bin": b"\xfd7zXZ same", "new.bin": b"\xfd7zXZ new"}
    stale = stale_files(out, new, gone=("gone.bin",))
    assert stale.files == ("removed: gone.bin", "changed: kept.bin (binary)", "added: new.bin")
    assert stale.diff == (
        "Binary files sdk/gone.bin and /dev/null differ",
        "Binary files sdk/kept.bin and fresh/kept.bin differ",
        "Binary files /dev/null and fresh/new.bin differ",
    )
