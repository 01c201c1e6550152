"""Hand-written hostile documents: every string in them tries to become code or markup in the output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.hostile.checks import (
    broken_tables,
    compile_tree,
    fences_paired,
    python_constants,
    python_examples,
    raw_controls,
    strings_at,
)

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.yaml"))
EXERCISE = Path(__file__).parent / "exercise.py"


@pytest.fixture(params=CORPUS, ids=lambda p: p.stem)
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, dict[str, object]]:
    """A corpus document, generated (every tag) into a folder beside the place the canaries would land."""
    spec: Path = request.param
    out = tmp_path / "sdk"
    write_tree(out, generate(spec, None, "hostile").files)
    return spec, out, yaml.safe_load(spec.read_text(encoding="utf-8"))


def test_the_corpus_is_there() -> None:
    assert {p.stem for p in CORPUS} >= {"python-strings", "identifiers", "templates", "markdown", "controls", "bidi"}


def test_generated_code_compiles_imports_and_runs_no_canary(hostile: tuple[Path, Path, dict[str, object]]) -> None:
    _, out, _ = hostile
    assert compile_tree(out) > 10
    env = {**os.environ, "PYTHONPATH": str(out / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-W", "error::SyntaxWarning", str(EXERCISE), "hostile", "Hostile"],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["calls"] >= 1 and report["foreign"] == []
    assert not list(out.parent.rglob("CANARY*")), "a string from the document ran as code"


def test_enum_values_and_wire_names_survive_as_data(hostile: tuple[Path, Path, dict[str, object]]) -> None:
    _, out, data = hostile
    values, aliases = python_constants(out / "src" / "hostile")
    assert set(strings_at(data, "enum")) <= values
    properties = {name for schema in _object_schemas(data) for name in schema["properties"]}  # type: ignore[attr-defined]
    assert properties - _unreached_properties(data) <= aliases


def test_no_control_or_bidirectional_character_stands_raw_in_any_file(
    hostile: tuple[Path, Path, dict[str, object]],
) -> None:
    _, out, _ = hostile
    assert raw_controls(out) == []


def test_markdown_tables_keep_their_shape(hostile: tuple[Path, Path, dict[str, object]]) -> None:
    _, out, _ = hostile
    pages = sorted(out.rglob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert list(broken_tables(text)) == [], page
        assert fences_paired(text), page
        for example in python_examples(text):
            compile(example, str(page), "exec")
        assert "<script>" not in text and "</details>" not in text and "<!--" not in text.split("\n", 1)[1]


def test_jinja_syntax_is_printed_never_evaluated(tmp_path: Path) -> None:
    spec = next(p for p in CORPUS if p.stem == "templates")
    out = tmp_path / "sdk"
    write_tree(out, generate(spec, None, "hostile").files)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "{{ 7 * 7 }} API" in readme and "49 API" not in readme
    page = next((out / "docs" / "sdks").glob("*/README.md")).read_text(encoding="utf-8")
    assert "{% set x = 1 %}{{ x }}" in page
    assert "root:" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))


def test_very_long_strings_stay_data(tmp_path: Path) -> None:
    data = yaml.safe_load(next(p for p in CORPUS if p.stem == "python-strings").read_text(encoding="utf-8"))
    data["components"]["schemas"]["Customer"]["description"] = ('"""\\' * 50_000) + "\n" * 1000 + "end"
    data["components"]["schemas"]["Customer"]["properties"]["kind"]["enum"].append("'" * 100_000)
    spec = tmp_path / "long.json"
    spec.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "sdk"
    write_tree(out, generate(spec, None, "hostile").files)
    compile_tree(out)
    values, _ = python_constants(out / "src" / "hostile")
    assert "'" * 100_000 in values


def _object_schemas(data: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _unreached_properties(data: dict[str, object]) -> set[str]:
    """Properties of component schemas that no operation uses (the generator rightly leaves them out)."""
    schemas = data.get("components", {}).get("schemas", {})  # type: ignore[union-attr]
    text = json.dumps(data.get("paths"))
    unreached: set[str] = set()
    for name, schema in schemas.items():
        used = f'"#/components/schemas/{name}"' in text or any(
            f"#/components/schemas/{name}" in json.dumps(other) for key, other in schemas.items() if key != name
        )
        if not used:
            unreached.update(schema.get("properties", {}))
    return unreached
