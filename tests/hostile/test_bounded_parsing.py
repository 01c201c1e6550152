"""Documents that are odd rather than broken: each generates, in bounded time, what it means."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.hostile.test_bad_documents import run_capped

KEYS = """\
openapi: 3.1.0
info: {title: Keys, version: '1'}
paths:
  /2020-01-01:
    get:
      operationId: get-day
      parameters:
        - {name: day, in: query, required: true, schema: {type: string}, example: 2020-01-01}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  1: {type: string}
                  2020-01-01: {type: string, example: 2020-01-01}
                  true: {type: integer}
"""


def test_yaml_keys_that_read_as_numbers_dates_or_booleans_are_the_text_written(tmp_path: Path) -> None:
    spec = tmp_path / "keys.yaml"
    spec.write_text(KEYS)
    result = generate(spec, None, "keys")
    op = result.api.resources[0].operations[0]
    assert op.path == "/2020-01-01"
    model = next(s for m in result.api.modules for s in m.schemas if s.kind == "object")
    assert [f.wire_name for f in model.fields] == ["1", "2020-01-01", "true"]
    day = next(a for a in op.example.args if a.py_name == "day")
    assert day.source == '"2020-01-01"'  # the date example stays the text it is


def test_a_chain_of_two_thousand_refs_generates(tmp_path: Path) -> None:
    """Each schema only a `$ref` to the next: the validator's resolver once walked the whole chain,
    recursively, for each link."""
    count = 2000
    schemas: dict[str, object] = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(count)}
    schemas[f"S{count}"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    media = {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Chain", "version": "1"},
        "paths": {
            "/x": {"get": {"operationId": "get-x", "responses": {"200": {"description": "ok", "content": media}}}}
        },
        "components": {"schemas": schemas},
    }
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(doc))
    ran = run_capped(
        "generate", "--spec", str(spec), "--all-tags", "--out", str(tmp_path / "out"), "--package", "chain"
    )
    assert ran.returncode == 0, ran.stderr
    assert "1 operations, 1 models" in ran.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_an_external_ref_to_an_endless_file_stops_at_the_size_cap(tmp_path: Path) -> None:
    media = {"application/json": {"schema": {"$ref": "/dev/zero#/Thing"}}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Zero", "version": "1"},
        "paths": {
            "/x": {"get": {"operationId": "get-x", "responses": {"200": {"description": "ok", "content": media}}}}
        },
    }
    spec = tmp_path / "zero.json"
    spec.write_text(json.dumps(doc))
    out = tmp_path / "out"
    ran = run_capped("generate", "--spec", str(spec), "--all-tags", "--out", str(out), "--allow-external-refs")
    assert ran.returncode == 1
    assert ran.stderr.startswith("/dev/zero: #: the document is larger than the 32 MiB limit"), ran.stderr
    assert len(ran.stderr.splitlines()) == 1 and not out.exists()


def test_names_longer_than_a_file_system_allows_get_files_that_fit(tmp_path: Path) -> None:
    long_schema, long_tag = "Account" + "Detail" * 50, "Tag" * 100
    media = {"application/json": {"schema": {"$ref": f"#/components/schemas/{long_schema}"}}}
    operation = {
        "operationId": "get-x",
        "tags": [long_tag],
        "responses": {"200": {"description": "ok", "content": media}},
    }
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Long", "version": "1"},
        "paths": {"/x": {"get": operation}},
        "components": {"schemas": {long_schema: {"type": "object", "properties": {"a": {"type": "string"}}}}},
    }
    spec = tmp_path / "long.json"
    spec.write_text(json.dumps(doc))
    out = tmp_path / "sdk"
    write_tree(out, generate(spec, None, "long").files)
    names = [part for path in out.rglob("*") for part in path.relative_to(out).parts]
    assert max(len(name.encode()) for name in names) <= 110
    classes = {
        n.name
        for p in (out / "src" / "long" / "models").glob("*.py")
        for n in ast.walk(ast.parse(p.read_text()))
        if isinstance(n, ast.ClassDef)
    }
    assert long_schema in classes  # the class keeps its whole name; only its file is shortened
    assert os.path.isfile(out / "README.md")
