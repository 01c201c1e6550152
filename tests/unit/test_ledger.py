"""The ledger: each operation and schema of the chosen tags typed, loosened (where, and why) or left out;
the counts line; `fail-on` and `--strict` failing with one located line per place, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.builder.ledger import counts_line, recorded
from generator.cli import main
from generator.history.seal import RECORD
from generator.ir.api import LedgerEntry
from generator.pipeline import checked_api
from tests.commands import snapshot
from tests.unit.docs import minimal

THING = "#/components/schemas/Thing"
GET_THING = "#/paths/~1things~1{thingId}/get"


def ledger_of(tmp_path: Path, data: dict[str, Any]) -> dict[str, LedgerEntry]:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data))
    api, _ = checked_api(spec, ("Things",), "pkg")
    return {entry.name: entry for entry in api.ledger}


def places(entry: LedgerEntry) -> list[tuple[str, str]]:
    return [(p.pointer, p.reason) for p in entry.places]


def with_thing(**properties: Any) -> dict[str, Any]:
    data = minimal()
    data["components"]["schemas"]["Thing"]["properties"].update(properties)
    return data


def test_a_document_the_sdk_types_fully_is_all_typed(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, minimal())
    assert {name: (e.kind, e.status, e.pointer) for name, e in ledger.items()} == {
        "things.get": ("operation", "typed", GET_THING),
        "Thing": ("schema", "typed", THING),
    }
    assert counts_line(ledger.values()) == (
        "ledger: 1 operation (1 typed, 0 loosened, 0 left out), 1 schema (1 typed, 0 loosened, 0 left out)"
    )


LOOSENED = {
    "a property of no type": (
        {"meta": {"description": "anything"}},
        [(f"{THING}/properties/meta", "the document gives no type: any value")],
    ),
    "an array without items": (
        {"tags": {"type": "array"}},
        [(f"{THING}/properties/tags", "an array whose items the document does not describe: any values")],
    ),
    "an unknown format": (
        {"currency": {"type": "string", "format": "ISO4217"}},
        [(f"{THING}/properties/currency/format", "unknown format 'ISO4217', generated as its plain type str")],
    ),
    "a union given up": (
        {"value": {"oneOf": [{"type": "string"}, {"description": "whatever"}]}},
        [
            (f"{THING}/properties/value/oneOf", "oneOf given up: an arm is of any type"),
            (f"{THING}/properties/value/oneOf/1", "the document gives no type: any value"),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(LOOSENED))
def test_a_loosened_field_makes_its_class_loosened_at_its_place(case: str, tmp_path: Path) -> None:
    properties, expected = LOOSENED[case]
    ledger = ledger_of(tmp_path, with_thing(**properties))
    assert ledger["Thing"].status == "loosened" and places(ledger["Thing"]) == expected
    assert ledger["things.get"].status == "typed"  # the class has its own entry: the operation names it only


def test_a_required_name_no_property_defines_is_loosened(tmp_path: Path) -> None:
    data = minimal()
    data["components"]["schemas"]["Thing"]["required"] = ["id", "date"]
    entry = ledger_of(tmp_path, data)["Thing"]
    assert places(entry) == [
        (f"{THING}/required", "required names 'date', which no property defines: a field of any type")
    ]


def test_an_untyped_response_loosens_its_operation(tmp_path: Path) -> None:
    data = minimal()
    data["paths"]["/things/{thingId}"]["get"]["responses"]["200"]["content"] = {"application/json": {}}
    ledger = ledger_of(tmp_path, data)
    where = f"{GET_THING}/responses/200/content/application~1json/schema"
    assert places(ledger["things.get"]) == [(where, "the document gives no type: any value")]
    assert ledger["things.get"].places[0].line is None  # a JSON document: no lines to give


def _get(operation_id: str, content: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "get": {
            "tags": ["Things"],
            "operationId": operation_id,
            "responses": {"200": {"description": "ok", "content": content}},
            **more,
        }
    }


def test_an_ignored_operation_and_a_class_nothing_types_are_left_out(tmp_path: Path) -> None:
    report = {"type": "object", "properties": {"rows": {"type": "integer"}}}
    hidden = _get(
        "get-secret",
        {"application/json": {"schema": {"$ref": "#/components/schemas/Secret"}}},
        **{"x-speakeasy-ignore": True},
    )
    csv = _get("export-things", {"text/csv": {"schema": {"$ref": "#/components/schemas/Report"}}})
    ledger = ledger_of(tmp_path, minimal({"Report": report, "Secret": report}, {"/secret": hidden, "/export": csv}))
    assert ledger["GET /secret"].status == "left out"
    assert places(ledger["GET /secret"]) == [
        ("#/paths/~1secret/get", "marked `x-speakeasy-ignore`: the document keeps it out of its SDKs")
    ]
    assert ledger["things.export"].status == "typed"  # text comes back as str: nothing loosened
    schema = "/responses/200/content/{}/schema"
    assert places(ledger["#/components/schemas/Report"]) == [
        (
            "#/components/schemas/Report",
            f"reached only from #/paths/~1export/get{schema.format('text~1csv')}, which no generated code types",
        )
    ]
    assert places(ledger["#/components/schemas/Secret"]) == [
        (
            "#/components/schemas/Secret",
            f"reached only through an operation left out, at #/paths/~1secret/get{schema.format('application~1json')}",
        )
    ]
    assert counts_line(ledger.values()) == (
        "ledger: 3 operations (2 typed, 0 loosened, 1 left out), 3 schemas (1 typed, 0 loosened, 2 left out)"
    )


def test_the_record_lists_each_entry_on_a_line_of_its_own(tmp_path: Path) -> None:
    ledger = ledger_of(tmp_path, with_thing(meta={}))
    assert recorded(ledger.values()) == {
        "operations": {"typed": ["things.get"], "loosened": {}, "left out": {}},
        "schemas": {
            "typed": [],
            "loosened": {"Thing": [f"{THING}/properties/meta: the document gives no type: any value"]},
            "left out": {},
        },
    }


def _project(tmp_path: Path, data: dict[str, Any], settings: str = "") -> Path:
    (tmp_path / "spec.json").write_text(json.dumps(data))
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.codat-sdkgen]\nspec = "spec.json"\nout = "sdk"\npackage = "pkg"\n{settings}'
    )
    return tmp_path / "pyproject.toml"


def _generate(config: Path, *flags: str) -> int:
    return main(["generate", "--no-cache", "--config", str(config), "--out", str(config.parent / "sdk"), *flags])


def test_generate_prints_the_counts_and_records_the_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path, with_thing(meta={}))
    assert _generate(config) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "ledger: 1 operation (1 typed, 0 loosened, 0 left out), 1 schema (0 typed, 1 loosened, 0 left out)"
    )
    record = json.loads((tmp_path / "sdk" / RECORD).read_text())
    assert record["ledger"]["schemas"]["loosened"] == {
        "Thing": [f"{THING}/properties/meta: the document gives no type: any value"]
    }


@pytest.mark.parametrize(
    ("settings", "flags", "why"),
    [
        ('fail-on = ["loosened"]\n', (), '(fail-on = ["loosened"])'),
        ("", ("--strict",), "(--strict fails on what is loosened or left out)"),
    ],
)
def test_fail_on_and_strict_fail_with_located_lines_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, flags: tuple[str, ...], why: str
) -> None:
    config = _project(tmp_path, minimal())
    assert _generate(config) == 0  # an output to leave as it was
    before = snapshot(tmp_path / "sdk")
    _project(tmp_path, with_thing(meta={}, tags={"type": "array"}), settings)
    capsys.readouterr()
    assert _generate(config, *flags) == 1
    spec = tmp_path / "spec.json"
    assert capsys.readouterr().err.splitlines() == [
        f"{spec}: {THING}/properties/meta: schema Thing loosened: the document gives no type: any value {why}",
        f"{spec}: {THING}/properties/tags: schema Thing loosened: an array whose items the document does not"
        f" describe: any values {why}",
    ]
    assert snapshot(tmp_path / "sdk") == before


def test_fail_on_left_out_lets_a_loosened_schema_through(tmp_path: Path) -> None:
    config = _project(tmp_path, with_thing(meta={}), 'fail-on = ["left-out"]\n')
    assert _generate(config) == 0


def test_an_unknown_fail_on_word_is_a_located_setting_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path, minimal(), 'fail-on = ["loose"]\n')
    assert _generate(config) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{config}: #/tool/codat-sdkgen/fail-on/0: 'loose' is not one of: loosened, left-out"
    ]
    assert not (tmp_path / "sdk").exists()
