"""validate: every problem located by a full JSON pointer, from the validator and from our own checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.document.load import load_document, parse_document
from generator.document.validate import is_within, reached_pointers, validate_document
from tests.unit.docs import as_document, minimal


def test_a_valid_document_has_no_problems() -> None:
    assert validate_document(as_document(minimal())) == []


def test_schema_errors_carry_the_pointer_of_the_broken_schema() -> None:
    data = minimal({"Broken": {"type": "object", "definitions": {"kind": {"type": {"enum": ["a"]}}}}})
    problems = validate_document(as_document(data))
    assert [p.pointer for p in problems] == ["#/components/schemas/Broken/definitions/kind/type"]


def test_yaml_problems_carry_the_line() -> None:
    text = (
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Broken:\n      type: 12\n"
    )
    (problem,) = validate_document(parse_document(text.encode(), "spec.yaml"))
    assert problem.pointer == "#/components/schemas/Broken/type"
    assert problem.line == 7
    assert problem.render().startswith("spec.yaml:7: #/components/schemas/Broken/type: ")


def test_dangling_and_external_references_are_reported_where_they_are() -> None:
    data = minimal(
        {
            "Uses": {
                "type": "object",
                "properties": {"a": {"$ref": "#/components/schemas/Nope"}, "b": {"$ref": "other.yaml#/X"}},
            }
        }
    )
    problems = {p.pointer: p for p in validate_document(as_document(data))}
    assert "points at nothing" in problems["#/components/schemas/Uses/properties/a/$ref"].message
    external = problems["#/components/schemas/Uses/properties/b/$ref"]
    assert "not fetched" in external.message and external.hint


def test_percent_encoded_references_resolve() -> None:
    data = minimal(
        {"Alias": {"$ref": "#/paths/~1things~1%7BthingId%7D/get/responses/200/content/application~1json/schema"}}
    )
    assert validate_document(as_document(data)) == []


def test_unsupported_versions_are_named() -> None:
    (swagger,) = validate_document(as_document({"swagger": "2.0", "info": {}, "paths": {}}))
    assert swagger.pointer == "#/swagger" and "OpenAPI 2.0" in swagger.message and "swagger2openapi" in swagger.hint
    (future,) = validate_document(as_document({"openapi": "4.0.0", "info": {}, "paths": {}}))
    assert future.pointer == "#/openapi" and "3.0 and 3.1" in future.hint


def test_schemas_made_of_themselves_are_named_not_followed_forever() -> None:
    data = minimal(
        {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
            "B": {"$ref": "#/components/schemas/A"},
            "Tree": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
            },
        }
    )
    problems = validate_document(as_document(data))
    cycles = [p for p in problems if "made of itself" in p.message]
    assert [p.pointer for p in cycles] == ["#/components/schemas/A"]
    assert "A -> A/allOf/0 -> B -> A" in cycles[0].message
    assert cycles[0].blocking and "nothing else was checked" in cycles[0].hint


def test_reach_follows_references_from_the_operations() -> None:
    data = minimal(
        {
            "Other": {"type": "object"},
            "Thing": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Inner"}}},
            "Inner": {"type": "string"},
        }
    )
    doc = as_document(data)
    reached = reached_pointers(doc, ["#/paths/~1things~1{thingId}/get"])
    assert is_within("#/components/schemas/Inner", reached)
    assert is_within("#/components/schemas/Thing/properties/x", reached)
    assert not is_within("#/components/schemas/Other", reached)


def test_the_real_document_fails_only_at_the_item_schema(real_doc: Path) -> None:
    problems = validate_document(load_document(real_doc))
    errors = [p.pointer for p in problems if p.severity == "error"]
    assert errors == ["#/components/schemas/Item/definitions/itemType/type"]
    assert [(p.pointer, p.message) for p in problems if p.severity == "warning"] == [
        (
            "#/components/schemas/Transfer/definitions/transferAccount/properties/currency/format",
            "unknown format 'ISO4217'",
        )
    ]


def test_an_extension_beside_the_paths_is_no_path_item() -> None:
    """openapi-spec-validator reads every member of `paths` as a path item; `x-` ones are not (apicurio's)."""
    data = minimal()
    data["paths"]["x-codegen-contextRoot"] = "/apis/registry/v2"
    assert validate_document(as_document(data)) == []


def test_the_validator_failing_is_a_warning_not_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    def broken(self: object) -> Iterator[object]:
        raise KeyError("some-key")
        yield

    monkeypatch.setattr(OpenAPIV31SpecValidator, "iter_errors", broken)
    (problem,) = validate_document(as_document(minimal()))
    assert (problem.severity, problem.pointer) == ("warning", "#")
    assert (
        problem.message == "openapi-spec-validator stopped: 'some-key'" and problem.hint == "the rest was not validated"
    )
