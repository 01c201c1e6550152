"""The docs' example calls: the document's examples where they fit, made-up values that fit otherwise,
never None for a required value, and exactly the imports the values need."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.builder.api import BuildOptions, build_api
from generator.ir.operations import Example, Operation
from generator.pipeline import generate
from tests.docexamples import doc_examples
from tests.unit.docs import as_document, minimal


def _post(body: dict[str, Any], operation_id: str = "create-thing", **extra: Any) -> dict[str, Any]:
    return {
        "post": {
            "tags": ["Things"],
            "operationId": operation_id,
            "requestBody": {"required": True, "content": {"application/json": body}},
            "responses": {"204": {"description": "done"}},
            **extra,
        }
    }


def _operation(schemas: dict[str, Any], paths: dict[str, Any], method_name: str) -> Operation:
    api = build_api(as_document(minimal(schemas, paths)), BuildOptions(tags=("Things",)))
    return next(op for op in api.resources[0].operations if op.method_name == method_name)


def _example(schema: dict[str, Any], **media: Any) -> Example:
    body = {"schema": {"$ref": "#/components/schemas/Draft"}, **media}
    return _operation({"Draft": schema}, {"/drafts": _post(body)}, "create").example


def test_the_documents_examples_become_values_of_the_fields_types_with_their_imports() -> None:
    schema = {
        "type": "object",
        "properties": {
            "amount": {"type": "number", "format": "decimal"},
            "issued": {"type": "string", "format": "date"},
            "at": {"type": "string", "format": "date-time"},
            "ref": {"type": "string", "format": "uuid"},
            "note": {"type": "string"},
        },
        "required": ["amount"],
    }
    given = {
        "amount": 99.99,
        "issued": "2023-05-06",
        "at": "2024-08-02T10:30:00-05:00",
        "ref": "4D7C6929-7770-412B-91BB-44D3BC71D111",
    }
    example = _example(schema, examples={"first": {"value": given}, "second": {"value": {"amount": 1}}})
    (arg,) = example.args
    assert arg.source == (
        'models.Draft(amount=Decimal("99.99"), issued=datetime.date(2023, 5, 6), '
        "at=datetime.datetime(2024, 8, 2, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))), "
        'ref=UUID("4d7c6929-7770-412b-91bb-44d3bc71d111"))'
    )
    assert example.imports == ("import datetime", "from decimal import Decimal", "from uuid import UUID")
    assert example.package_names == ("models",)
    assert not example.has_result  # the operation answers 204


def test_required_values_without_examples_are_made_to_fit_the_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "total": {"type": "number", "format": "decimal", "minimum": 5},
            "at": {"type": "string", "format": "date-time"},
            "key": {"type": "string", "pattern": "[a-z]{4}", "minLength": 4, "maxLength": 4},
            "email": {"type": "string", "format": "email"},
            "count": {"type": "integer", "exclusiveMinimum": 0, "maximum": 9},
            "kind": {"type": "string", "enum": ["first", "second"]},
            "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
            "optional": {"type": "string"},
        },
        "required": ["total", "at", "key", "email", "count", "kind", "lines"],
    }
    line = {"type": "object", "properties": {"quantity": {"type": "integer", "minimum": 1}}, "required": ["quantity"]}
    body = {"schema": {"$ref": "#/components/schemas/Draft"}}
    op = _operation({"Draft": schema, "Line": line}, {"/drafts": _post(body)}, "create")
    (arg,) = op.example.args
    assert arg.source == (
        'models.Draft(total=Decimal("5.0"), at=datetime.datetime(2022, 10, 23, tzinfo=datetime.timezone.utc), '
        'key="stri", email="user@example.com", count=1, kind=models.DraftKind.FIRST, '
        "lines=[models.Line(quantity=1)])"
    )
    assert op.example.imports == ("import datetime", "from decimal import Decimal")


def test_examples_the_schema_refuses_are_replaced_and_none_is_never_passed() -> None:
    """`currency` admits nothing (a string and null at once): being optional, it is left out."""
    schema = {
        "type": "object",
        "properties": {
            "source_id": {"type": "string", "format": "uuid", "example": "accounting"},
            "code": {"type": "string", "pattern": "^[0-9]+$", "example": "abc"},
            "amount": {"type": "number", "format": "decimal", "example": "12.5"},
            "due": {"type": "string", "format": "date", "nullable": True},
            "label": {"type": "string", "nullable": True},
            "currency": {"allOf": [{"type": "string"}, {"type": "null"}]},
        },
        "required": ["source_id", "amount", "due"],
    }
    given = {"source_id": "accounting", "amount": "12.5", "due": None, "label": None, "currency": "GBP"}
    example = _example(schema, example=given)
    (arg,) = example.args
    assert arg.source == (
        'models.Draft(source_id=UUID("8a210b68-6988-11ed-a1eb-0242ac120002"), amount=Decimal("1.00"), '
        "due=datetime.date(2022, 10, 23))"
    )


def test_a_discriminated_union_gets_the_tag_of_the_variant_it_shows() -> None:
    pet = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
    mapping = {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
    pet["discriminator"] = {"propertyName": "kind", "mapping": mapping}
    schemas = {
        name: {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "name": {"type": "string"}},
            "required": ["kind", "name"],
        }
        for name in ("Cat", "Dog")
    }
    made = _operation(schemas, {"/pets": _post({"schema": pet})}, "create").example
    assert made.args[0].source == 'models.Cat(kind="cat", name="string")'
    given = _operation(schemas, {"/pets": _post({"schema": pet, "example": {"kind": "dog", "name": "Rex"}})}, "create")
    assert given.example.args[0].source == 'models.Dog(kind="dog", name="Rex")'


def test_a_parameter_union_of_uuid_and_an_enum_gets_a_uuid_and_its_import() -> None:
    report = {
        "name": "reportId",
        "in": "path",
        "required": True,
        "schema": {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "string", "enum": ["latest"]}]},
    }
    paths = {
        "/reports/{reportId}": {
            "get": {
                "tags": ["Things"],
                "operationId": "get-report",
                "parameters": [report],
                "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            }
        }
    }
    example = _operation({}, paths, "get_report").example
    assert [(a.py_name, a.source) for a in example.args] == [
        ("report_id", 'UUID("8a210b68-6988-11ed-a1eb-0242ac120002")')
    ]
    assert example.imports == ("from uuid import UUID",) and example.package_names == ()
    assert example.has_result


def test_readme_sections_import_what_the_borrowed_call_uses_and_none_results_are_not_kept(tmp_path: Path) -> None:
    """The README's sections show the `get` call too (errors, retries, raw responses, options, HTTP
    client); here it sends a model holding a Decimal and returns nothing."""
    draft = {
        "type": "object",
        "properties": {"amount": {"type": "number", "format": "decimal"}},
        "required": ["amount"],
    }
    data = minimal({"Draft": draft})
    data["paths"] = {"/things": _post({"schema": {"$ref": "#/components/schemas/Draft"}}, "get-thing")}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data))
    examples = list(doc_examples("spec.json", generate(spec, ("Things",), "pkg").files))
    calls = [e for e in examples if re.search(r"things\.(with_raw_response\.)?get\(", e.code)]
    assert [e.page for e in calls] == ["README.md"] * 10 + ["docs/sdks/things/README.md"]
    # The section on bodies as dicts sends its body as a dict, which needs no models.
    (as_dict,) = [e for e in calls if "models.Draft(" not in e.code]
    assert "from decimal import Decimal\n" in as_dict.code and "from pkg import Pkg\n" in as_dict.code
    assert 'draft={"amount": Decimal("1.00")}' in as_dict.code and "result" not in as_dict.code
    for example in (e for e in calls if e is not as_dict):
        assert "from decimal import Decimal\n" in example.code, example.code
        assert re.search(r"^from pkg import .*\bmodels$", example.code, re.M), example.code
        assert 'models.Draft(amount=Decimal("1.00"))' in example.code, example.code
        assert "result" not in example.code, example.code
