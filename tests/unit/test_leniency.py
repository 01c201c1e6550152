"""Strict on structure, lenient on annotations; every diagnostic gives its reason first, at its cause."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.config import Options
from generator.document.validate import annotation_at, validate_document
from generator.errors import GeneratorError
from generator.pipeline import checked_api
from tests.unit.docs import as_document, minimal

THING_PROPERTY = "#/components/schemas/Thing/properties"


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data))
    return spec


def with_thing(**properties: Any) -> dict[str, Any]:
    data = minimal()
    data["components"]["schemas"]["Thing"]["properties"].update(properties)
    return data


ANNOTATION_SLIPS = {
    "examples written as an object": (
        with_thing(a={"type": "string", "examples": {"first": "x"}}),
        f"{THING_PROPERTY}/a/examples",
    ),
    "a pattern Python's re rejects": (
        with_thing(a={"type": "string", "pattern": r"^\p{L}+$"}),
        f"{THING_PROPERTY}/a/pattern",
    ),
    "a description that is not text": (
        with_thing(a={"type": "string", "description": 12}),
        f"{THING_PROPERTY}/a/description",
    ),
    "a bound that is not a number": (
        with_thing(a={"type": "string", "maxLength": "10"}),
        f"{THING_PROPERTY}/a/maxLength",
    ),
}


@pytest.mark.parametrize("case", sorted(ANNOTATION_SLIPS))
def test_a_malformed_annotation_the_tags_reach_is_a_located_warning(case: str, tmp_path: Path) -> None:
    data, pointer = ANNOTATION_SLIPS[case]
    api, warnings = checked_api(write(tmp_path, data), ("Things",), "pkg")
    assert [w.pointer for w in warnings] == [pointer]
    assert warnings[0].severity == "warning" and "not used by the generated code" in warnings[0].hint
    assert api.resources[0].operations[0].method_name == "get"


@pytest.mark.parametrize("case", sorted(ANNOTATION_SLIPS))
def test_strict_keeps_them_fatal(case: str, tmp_path: Path) -> None:
    data, pointer = ANNOTATION_SLIPS[case]
    with pytest.raises(GeneratorError) as caught:
        checked_api(write(tmp_path, data), ("Things",), "pkg", Options(strict=True))
    assert [d.pointer for d in caught.value.diagnostics] == [pointer]


def test_an_example_of_the_wrong_type_and_an_unknown_format_generate(tmp_path: Path) -> None:
    data = with_thing(n={"type": "integer", "example": "many"}, c={"type": "string", "format": "ISO4217"})
    data["components"]["schemas"]["Thing"]["required"] = ["n"]
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    data["paths"]["/things"] = {
        "post": {
            "tags": ["Things"],
            "operationId": "create-thing",
            "requestBody": body,
            "responses": {"204": {"description": "ok"}},
        }
    }
    api, warnings = checked_api(write(tmp_path, data), ("Things",), "pkg")
    assert [w.pointer for w in warnings] == [f"{THING_PROPERTY}/c/format"]
    create = next(op for op in api.resources[0].operations if op.method_name == "create")
    assert [(a.py_name, a.source) for a in create.example.args] == [("thing", "models.Thing(n=1)")]  # never "many"


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"type": "strnig"}, f"{THING_PROPERTY}/a/type"),
        ({"type": "array", "items": 5}, f"{THING_PROPERTY}/a/items"),
        ({"properties": []}, f"{THING_PROPERTY}/a/properties"),
    ],
)
def test_structural_errors_stay_fatal(schema: dict[str, Any], pointer: str, tmp_path: Path) -> None:
    with pytest.raises(GeneratorError) as caught:
        checked_api(write(tmp_path, with_thing(a=schema)), ("Things",), "pkg")
    assert [d.pointer for d in caught.value.diagnostics] == [pointer]


@pytest.mark.parametrize(
    ("pointer", "keyword"),
    [
        ("#/components/schemas/A/examples", "examples"),
        ("#/components/schemas/A/properties/b/pattern", "pattern"),
        ("#/paths/~1x/get/parameters/0/example", "example"),
        ("#/components/schemas/A/properties/example/type", None),
        ("#/components/schemas/examples/type", None),
        ("#/components/schemas/A/properties/description", None),
        ("#/components/schemas/A/type", None),
    ],
)
def test_an_annotation_is_a_keyword_not_a_name(pointer: str, keyword: str | None) -> None:
    assert annotation_at(pointer) == keyword


def test_the_reason_comes_first_and_only_the_value_is_shortened() -> None:
    big = {f"example {i}": {"value": "x" * 50} for i in range(20)}
    (problem,) = validate_document(as_document(with_thing(a={"type": "string", "examples": big})))
    assert problem.message.startswith("not of type 'array' (found {'example 0': ")
    assert problem.message.endswith("…)") and len(problem.message) < 200


def test_a_failure_under_oneof_points_at_its_deepest_cause() -> None:
    data = minimal(
        {"Broken": {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": 7}}}}}}
    )
    (problem,) = validate_document(as_document(data))
    assert problem.pointer == "#/components/schemas/Broken/properties/a/properties/b/type"


def test_alternatives_failing_at_the_value_are_each_explained() -> None:
    data = minimal({"Broken": {"type": "object", "definitions": {"kind": {"type": {"enum": ["a"]}}}}})
    (problem,) = validate_document(as_document(data))
    assert problem.message.startswith("matches none of the 2 allowed forms: not one of ['array', 'boolean'")
    assert "not of type 'array'" in problem.message


def test_an_unknown_keyword_of_openapi_30_is_pointed_at() -> None:
    data = {**minimal({"Old": {"type": "string", "examples": ["a"]}}), "openapi": "3.0.3"}
    problems = validate_document(as_document(data))
    assert [(p.pointer, p.message) for p in problems] == [
        ("#/components/schemas/Old/examples", "unexpected keyword 'examples'")
    ]


def test_a_value_listed_twice_is_a_warning_and_read_once(tmp_path: Path) -> None:
    enum = {**with_thing(a={"type": "string", "enum": ["true", "true", "false"]}), "openapi": "3.0.3"}
    required = with_thing(a={"type": "string"})
    required["components"]["schemas"]["Thing"]["required"] = ["a", "a"]
    api, warnings = checked_api(write(tmp_path, enum), ("Things",), "pkg")
    assert [w.pointer for w in warnings] == ["#/components/schemas/Thing/properties/a/enum"]
    enums = {s.class_name: s for m in api.modules for s in m.schemas if s.kind == "enum"}
    assert [m.value for m in enums["ThingA"].members] == ["true", "false"]
    api, warnings = checked_api(write(tmp_path, required), ("Things",), "pkg")
    assert [w.pointer for w in warnings] == ["#/components/schemas/Thing/required"]
    for data in (enum, required):
        with pytest.raises(GeneratorError):
            checked_api(write(tmp_path, data), ("Things",), "pkg", Options(strict=True))


def test_a_required_name_no_property_defines_is_a_warning_unless_strict(tmp_path: Path) -> None:
    """openapi-spec-validator (3.0) flags every required name missing from the schema's own properties;
    one an allOf part defines is fine, one nothing defines (figshare.com, Codat's bank transaction `date`) is
    an optional field of any type, which the caller can send and a response may carry."""
    data = minimal()
    data["openapi"] = "3.0.3"
    schemas = data["components"]["schemas"]
    schemas["Base"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    schemas["Thing"] = {
        "allOf": [{"$ref": "#/components/schemas/Base"}],
        "type": "object",
        "required": ["id", "array[integer](optional)"],
        "properties": {"name": {"type": "string"}},
    }
    spec = write(tmp_path, data)
    api, warnings = checked_api(spec, ("Things",), "pkg")
    assert [(w.pointer, w.message) for w in warnings] == [
        (
            "#/components/schemas/Thing",
            "required names properties the schema does not define: 'array[integer](optional)'",
        )
    ]
    fields = api.modules[-1].schemas[0].fields
    assert [(f.py_name, f.wire_name, f.type.annotation, f.required) for f in fields] == [
        ("id", "id", "str", True),
        ("name", "name", "str | None", False),
        ("array_integer_optional", "array[integer](optional)", "Any", False),
    ]
    with pytest.raises(GeneratorError) as refused:
        checked_api(spec, ("Things",), "pkg", Options(strict=True))
    assert refused.value.diagnostics[0].pointer == "#/components/schemas/Thing"
