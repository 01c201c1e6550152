"""The command as users run it: exit codes, located one-line errors, and an output folder left intact."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.commands.arguments import parser
from generator.errors import GeneratorError
from tests.commands import run_generator as run
from tests.commands import snapshot
from tests.conftest import METHODS, ROOT, SPEC


@pytest.fixture
def existing_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(SPEC), "--out", str(out)]) == 0
    return out


def test_validate_our_document_is_clean() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr


def test_validate_the_real_document_reports_the_item_error(real_doc: Path) -> None:
    result = run("validate", "--spec", str(real_doc))
    assert result.returncode == 1
    error, warning = sorted(result.stdout.splitlines())
    assert error.startswith(f"{real_doc}: #/components/schemas/Item/definitions/itemType/type: ")
    assert warning.startswith(f"warning: {real_doc}: #/components/schemas/Transfer/definitions/transferAccount/")
    assert "unknown format 'ISO4217'" in warning
    assert result.stderr.strip() == "1 error, 1 warning"


def test_the_real_document_generates_customers_with_a_warning_and_imports(real_doc: Path, tmp_path: Path) -> None:
    out = tmp_path / "real"
    result = run("generate", "--spec", str(real_doc), "--out", str(out))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2 and len(result.stderr.splitlines()) == 2  # as the README says, in figures
    assert "#/components/schemas/Item/definitions/itemType/type" in warnings[0]
    assert "unknown format 'ISO4217'" in warnings[1]
    assert f"generates its Customers tag with {len(warnings)} warnings: the `Item`" in _readme_text()
    assert "8 operations" in result.stdout
    probe = (
        "import codat_accounting as sdk, inspect;"
        "from codat_accounting.resources.customers import Customers;"
        "names = sorted(n for n in vars(Customers) if not n.startswith(('_', 'with_')));"
        "print(names);"
        "print(inspect.signature(Customers.create).return_annotation);"
        "print(sdk.models.Customer.model_validate({'status': 'Active'}).status)"
    )
    imported = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe],
        cwd=out / "src",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    names, created, status = imported.stdout.splitlines()
    assert names == str(sorted([*METHODS, "list_all"]))
    assert created == "models.CreateCustomerResponse"
    assert status == "CustomerStatus.ACTIVE"
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(out / "src")], capture_output=True, timeout=60
    )
    assert compiled.returncode == 0


def _readme_text() -> str:
    return " ".join((ROOT / "README.md").read_text().split())


def test_the_readme_says_what_help_says_of_strict() -> None:
    """They disagreed: --help said problems outside the tags, the README every problem (issue 26)."""
    strict = next(a for a in _parser_of("generate")._actions if "--strict" in a.option_strings)
    assert strict.help and f'`--strict`: "{strict.help}" (as `--help` says)' in _readme_text()


def _parser_of(command: str) -> argparse.ArgumentParser:
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices[command]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.yaml", "openapi: 3.1.0\ninfo: {title: T\n", "bad.yaml:3: #: invalid YAML: "),
        ("bad.json", '{"openapi": ', "bad.json:1: #: invalid JSON: "),
    ],
)
def test_validate_counts_a_syntax_error_like_any_other(tmp_path: Path, name: str, content: str, problem: str) -> None:
    (tmp_path / name).write_text(content)
    result = run("validate", "--spec", name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(problem) and len(result.stdout.splitlines()) == 1
    assert result.stderr == "1 error, 0 warnings\n"  # the line every other validate run ends with


def test_strict_makes_problems_outside_the_tag_fatal(real_doc: Path, tmp_path: Path) -> None:
    result = run("generate", "--strict", "--spec", str(real_doc), "--out", str(tmp_path / "x"))
    assert result.returncode == 1
    assert not (tmp_path / "x").exists()


def test_ir_prints_the_model_as_json() -> None:
    result = run("ir", "--tag", "Customers")
    assert result.returncode == 0, result.stderr
    api = json.loads(result.stdout)
    assert sorted(o["method_name"] for o in api["resources"][0]["operations"]) == METHODS


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("openapi: 3.1.0\ninfo: {title: T\n", "invalid YAML"),
        ("[1, 2, 3]", "not a mapping"),
    ],
)
def test_unreadable_documents_fail_in_one_line_and_leave_the_output(
    tmp_path: Path, existing_output: Path, content: str, expected: str
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(content)
    before = snapshot(existing_output)
    result = run("generate", "--spec", str(spec), "--out", str(existing_output))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and expected in result.stderr and str(spec) in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(existing_output) == before


def test_missing_reference_target_is_located_with_its_line(tmp_path: Path, existing_output: Path) -> None:
    text = SPEC.read_text().replace(
        "$ref: '#/components/schemas/Metadata'", "$ref: '#/components/schemas/Metadatum'", 1
    )
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if "Metadatum" in text_line)
    spec = tmp_path / "broken.yaml"
    spec.write_text(text)
    before = snapshot(existing_output)
    result = run("generate", "--spec", str(spec), "--out", str(existing_output))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{spec}:{line}: #/components/schemas/Customer/allOf/0/properties/metadata/$ref: ")
    assert result.stderr.count("\n") == 1
    assert "points at nothing" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(existing_output) == before


def test_unknown_tag_fails_with_the_known_tags(existing_output: Path) -> None:
    before = snapshot(existing_output)
    result = run("generate", "--tag", "Invoices", "--out", str(existing_output))
    assert result.returncode == 2
    assert "#/tags: unknown tag 'Invoices' (known tags: Customers, Suppliers)" in result.stderr
    assert snapshot(existing_output) == before


@pytest.mark.parametrize(("given", "meant"), [("customers", "'Customers'"), ("Supplier", "'Suppliers'")])
def test_a_tag_spelt_otherwise_offers_the_one_meant(existing_output: Path, given: str, meant: str) -> None:
    result = run("generate", "--tag", given, "--out", str(existing_output))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(f"#/tags: unknown tag {given!r} (did you mean {meant}?)")
    assert "known tags" not in result.stderr


def test_a_package_that_is_no_import_name_is_a_usage_error(tmp_path: Path) -> None:
    result = run("generate", "--package", "my-sdk", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "codat-sdkgen: error: --package 'my-sdk' is not a Python import name; did you mean 'my_sdk'?"
    )
    assert "template" not in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("package", ["httpx", "pydantic", "anyio", "json", "typing"])
def test_a_package_that_would_shadow_what_the_sdk_imports_is_a_usage_error(tmp_path: Path, package: str) -> None:
    result = run("generate", "--package", package, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"codat-sdkgen: error: --package {package!r} would shadow a module the SDK imports (Python's own, or a"
        f" dependency's); did you mean '{package}_sdk'?"
    )
    assert not (tmp_path / "out").exists()


def test_out_naming_a_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    result = run("generate", "--out", str(target))
    assert result.returncode == 2
    assert (
        result.stderr.strip() == f"codat-sdkgen: error: --out {str(target)!r} is a file; name a folder to generate into"
    )
    assert target.read_text(encoding="utf-8") == "mine"


def test_the_generated_readme_installs_from_where_it_was_generated(tmp_path: Path) -> None:
    result = run("generate", "--spec", str(SPEC), "--out", "my sdk", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    readme = (tmp_path / "my sdk" / "README.md").read_text(encoding="utf-8")
    assert "pip install .\n" in readme and "./generated" not in readme


def test_validate_gives_the_specifications_hint(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200': {description: ok}\n      colour: red\n",
        encoding="utf-8",
    )
    result = run("validate", "--spec", str(bad))
    assert result.returncode == 1
    assert result.stdout.strip() == (
        f"{bad}:8: #/paths/~1a/get/colour: unexpected keyword 'colour' (an OpenAPI object takes only the fields"
        " the specification lists, and x- extensions)"
    )
    assert result.stderr.strip() == "1 error, 0 warnings"


def test_usage_errors_exit_2() -> None:
    assert run("generate", "--bogus").returncode == 2
    assert run().returncode == 2
    negative = run("generate", "--max-size", "-1")
    assert negative.returncode == 2 and "expected a positive number" in negative.stderr
    both = run("generate", "--tag", "Customers", "--all-tags")
    assert both.returncode == 2 and "exclude each other" in both.stderr


def test_refuses_to_replace_a_folder_it_did_not_create(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = run("generate", "--out", str(precious))
    assert result.returncode == 1 and "refusing to replace" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["precious"]


def test_a_failure_while_writing_leaves_the_old_tree_and_no_temp_folder(
    existing_output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.output.write as write

    before = snapshot(existing_output)
    calls = {"n": 0}
    real_write_bytes = Path.write_bytes

    def failing_write_bytes(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 10:
            raise OSError(28, "No space left on device")
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write_bytes)
    files = {"a.txt": b"a", **{f"f{i}.txt": b"x" for i in range(20)}}
    with pytest.raises(GeneratorError, match="No space left on device"):
        write.write_tree(existing_output, {".codat-sdkgen": b"m", **files})
    assert snapshot(existing_output) == before
    assert [p.name for p in existing_output.parent.iterdir()] == ["out"]
