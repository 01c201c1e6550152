"""A prose-only edit reuses the last validation, and reports exactly what a full validation reports."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from generator.document.load import load_document
from generator.document.revalidate import LastValidation
from generator.document.validate import validate_document
from tests.conftest import REAL_DOC

YAML = """openapi: 3.1.0
info:
  title: Things
  version: "1"
  description: One line.
paths:
  /things:
    get:
      operationId: list-things
      summary: List things
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  description:
                    type: string
                  when:
                    type: string
                    format: a-format-nobody-knows
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_a_description_edit_reuses_the_last_validation_with_the_same_diagnostics(tmp_path: Path) -> None:
    data = json.loads(REAL_DOC.read_text())
    spec = _write(tmp_path / "doc.json", data)
    last = LastValidation("test")
    last.record(load_document(str(spec)), validate_document(load_document(str(spec))))
    data["components"]["schemas"]["Customer"]["description"] = "Someone who buys from the company, in new words."
    data["info"]["title"] = "Accounting, retitled"
    edited = load_document(str(_write(spec, data)))
    reused = last.reused(edited)
    assert reused is not None and reused == validate_document(edited)
    assert [p.pointer for p in reused if p.severity == "error"] == [
        "#/components/schemas/Item/definitions/itemType/type"
    ]


def test_an_edit_at_or_below_a_problem_or_of_anything_but_prose_is_validated_anew(tmp_path: Path) -> None:
    """The Item problem's message quotes the node it lies in, description included: its words must be the
    new ones. A type, a name or a member's order is structure."""
    data = json.loads(REAL_DOC.read_text())
    spec = _write(tmp_path / "doc.json", data)
    last = LastValidation("test")
    last.record(load_document(str(spec)), validate_document(load_document(str(spec))))
    edits = {
        "prose inside the problem": lambda d: d["components"]["schemas"]["Item"]["definitions"]["itemType"][
            "type"
        ].update(description="Changed."),
        "a type": lambda d: d["components"]["schemas"]["Customer"]["allOf"][0]["properties"]["customerName"].update(
            type="integer"
        ),
        "a schema named like prose": lambda d: d["components"]["schemas"].update(description={"type": "string"}),
        "member order": lambda d: d["components"].update(schemas=dict(reversed(d["components"]["schemas"].items()))),
    }
    for name, edit in edits.items():
        changed = copy.deepcopy(data)
        edit(changed)
        assert last.reused(load_document(str(_write(spec, changed)))) is None, name


def test_reused_yaml_diagnostics_carry_the_new_documents_lines(tmp_path: Path) -> None:
    spec = tmp_path / "doc.yaml"
    spec.write_text(YAML)
    last = LastValidation("test")
    first = validate_document(load_document(str(spec)))
    last.record(load_document(str(spec)), first)
    spec.write_text(YAML.replace("description: One line.", "description: >-\n    Three\n\n    lines."))
    edited = load_document(str(spec))
    reused = last.reused(edited)
    assert reused is not None and reused == validate_document(edited)
    assert [p.line for p in reused] == [p.line + 3 for p in first] and reused[0].line is not None
    # The property called `description` is a schema, not prose: changing it is structure.
    spec.write_text(YAML.replace("type: string\n                  when", "type: integer\n                  when"))
    assert last.reused(load_document(str(spec))) is None
