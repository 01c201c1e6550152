"""Composition means what it says: each allOf/oneOf/anyOf shape, and the real document's fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.builder.api import BuildOptions, build_api
from generator.document.load import load_document
from generator.document.parsed import Document
from generator.ir.api import Api
from generator.ir.models import Field
from tests.unit.docs import as_document, minimal


def field(schema: dict[str, Any], extra: dict[str, Any] | None = None) -> Field:
    """The `value` field of `Thing` when it is declared as `schema`."""
    thing = {"type": "object", "properties": {"value": schema}}
    api = build_api(as_document(minimal({"Thing": thing, **(extra or {})})), BuildOptions(tags=("Things",)))
    by_name = {s.class_name: s for m in api.modules for s in m.schemas}
    return next(f for f in by_name["Thing"].fields if f.wire_name == "value")


DATE = {"DateTime": {"type": "string", "examples": ["2024-01-02"]}}
PARTS = {
    "Base": {"type": "object", "properties": {"a": {"type": "string"}}},
    "Extra": {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]},
}


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ({"allOf": [{"description": "when"}, {"$ref": "#/components/schemas/DateTime"}]}, "str | None"),
        ({"allOf": [{"$ref": "#/components/schemas/DateTime"}, {"title": "T", "deprecated": True}]}, "str | None"),
        ({"allOf": [{"$ref": "#/components/schemas/DateTime"}, {"examples": ["x"], "nullable": True}]}, "str | None"),
        ({"allOf": [{"$ref": "#/components/schemas/DateTime"}, {"type": "null"}]}, "str | None"),
        ({"allOf": [{"type": "array", "items": {"type": "integer"}}, {"maxItems": 3}]}, "list[int] | None"),
        ({"allOf": [{"type": "number"}, {"minimum": 0}, {"description": "cm"}]}, "float | None"),
        ({"allOf": [{"type": "string"}, {"type": "string", "format": "date"}]}, "str | None"),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}, "str | int | None"),
        ({"oneOf": [{"$ref": "#/components/schemas/DateTime"}, {"type": "number"}]}, "str | float | None"),
        ({"type": ["string", "null"]}, "str | None"),
    ],
)
def test_allof_with_one_type_and_annotations_is_that_type(schema: dict[str, Any], annotation: str) -> None:
    assert field(schema, DATE).type.annotation == annotation


def test_annotation_parts_lend_their_description() -> None:
    value = field({"allOf": [{"description": "when it was made"}, {"$ref": "#/components/schemas/DateTime"}]}, DATE)
    assert value.description == "when it was made"


def test_allof_of_objects_is_one_model_with_every_property() -> None:
    schema = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"$ref": "#/components/schemas/Extra"}]}
    api = build_api(
        as_document(minimal({"Thing": {"type": "object", "properties": {"value": schema}}, **PARTS})),
        BuildOptions(tags=("Things",)),
    )
    by_name = {s.class_name: s for m in api.modules for s in m.schemas}
    value = next(f for f in by_name["Thing"].fields if f.wire_name == "value")
    assert value.type.kind == "model"
    merged = by_name[value.type.name]
    assert [(f.wire_name, f.required) for f in merged.fields] == [("a", False), ("b", True)]


def test_allof_of_one_object_and_annotations_is_that_object() -> None:
    schema = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"description": "the base", "nullable": True}]}
    assert field(schema, PARTS).type.annotation == "Base | None"


def declared_kind(doc: Document, node: Any, seen: frozenset[int] = frozenset()) -> str | None:
    """What the document says a schema's values are (string, number, array...), following $ref and allOf."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = doc.resolve(node["$ref"])
    if not isinstance(node, dict) or id(node) in seen:
        return None
    declared = node.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        kinds = [t for t in declared if t != "null"]
        return kinds[0] if len(kinds) == 1 else None
    if "properties" in node:
        return "object"
    kinds = {declared_kind(doc, part, seen | {id(node)}) for part in node.get("allOf") or []} - {None}
    return kinds.pop() if len(kinds) == 1 else None


@pytest.mark.realdoc
def test_no_field_of_the_real_document_is_an_empty_model_where_it_says_otherwise(real_doc: Path) -> None:
    doc = load_document(real_doc, 2**26, 30)
    api: Api = build_api(doc, BuildOptions(tags=tuple(t["name"] for t in json.loads(real_doc.read_text())["tags"])))
    schemas = {s.class_name: s for m in api.modules for s in m.schemas}
    checked, wrong = 0, []
    for schema in schemas.values():
        node = doc.resolve(schema.pointer)
        properties = _properties(doc, node)
        for f in schema.fields:
            kind = declared_kind(doc, properties.get(f.wire_name))
            if kind in ("string", "number", "integer", "boolean", "array"):
                checked += 1
                named = [schemas[m] for m in f.type.models if m in schemas and schemas[m].kind == "object"]
                if f.type.kind == "model" or any(not s.fields for s in named):
                    wrong.append(f"{schema.class_name}.{f.py_name}: {f.type.annotation} where the document says {kind}")
    assert checked > 1000
    assert wrong == []


def _properties(doc: Document, node: Any) -> dict[str, Any]:
    """Every property of an object schema, allOf parts included."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = doc.resolve(node["$ref"])
    if not isinstance(node, dict):
        return {}
    found: dict[str, Any] = {}
    for part in node.get("allOf") or []:
        found.update(_properties(doc, part))
    found.update(node.get("properties") or {})
    return found
