"""typed_dicts: which models get a TypedDict, under what name, with which keys, and what bodies accept."""

from __future__ import annotations

from typing import Any

from generator.builder.api import BuildOptions, build_api
from generator.ir.api import Api
from generator.ir.models import DictKey, Schema
from generator.ir.operations import Operation
from tests.unit.docs import as_document, minimal


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _post(path: str, operation_id: str, schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {
        path: {
            "post": {
                "tags": ["Things"],
                "operationId": operation_id,
                "requestBody": {"required": True, "content": {media: {"schema": schema}}},
                "responses": {"204": {"description": "done"}},
            }
        }
    }


def build(schemas: dict[str, Any], paths: dict[str, Any]) -> Api:
    return build_api(as_document(minimal(schemas, paths)), BuildOptions(tags=("Things",)))


def by_class(api: Api) -> dict[str, Schema]:
    return {s.class_name: s for m in api.modules for s in m.schemas}


def operation(api: Api, method: str) -> Operation:
    return next(op for r in api.resources for op in r.operations if op.method_name == method)


AUDIT = {"type": "object", "properties": {"by": {"type": "string"}}}
ORDER = {
    "type": "object",
    "required": ["lines", "kind"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "ref": {"type": "string", "readOnly": True},
        "lines": {"type": "array", "items": _ref("Line")},
        "kind": {"type": "string", "enum": ["sale", "refund"]},
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "note": {"type": ["string", "null"]},
        "audit": {"readOnly": True, "allOf": [_ref("Audit")]},
    },
}


def test_only_what_a_request_body_reaches_has_one() -> None:
    """The body's model and those its keys reach; not a model only responses use, nor one only a
    read-only field reaches (no request sends it)."""
    schemas = {
        "Order": ORDER,
        "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
        "Audit": AUDIT,
    }
    api = build(schemas, _post("/orders", "create-order", _ref("Order")))
    dicts = {name: s.dict_name for name, s in by_class(api).items()}
    assert dicts == {"Audit": None, "Line": "LineDict", "Order": "OrderDict", "OrderKind": None, "Thing": None}


def test_keys_are_wire_names_required_as_the_model_requires_them() -> None:
    schemas = {"Order": ORDER, "Line": {"type": "object", "properties": {"sku": {"type": "string"}}}, "Audit": AUDIT}
    api = build(schemas, _post("/orders", "create-order", _ref("Order")))
    order = by_class(api)["Order"]
    assert order.dict_keys == (
        DictKey("lines", "Sequence[Line | LineDict]", True, ("from collections.abc import Sequence",), ("Line",)),
        DictKey("kind", 'OrderKind | Literal["sale", "refund"]', True, ("from typing import Literal",)),
        DictKey("tags", "Mapping[str, str] | None", False, ("from collections.abc import Mapping",)),
        DictKey("note", "str | None", False),
    )
    assert not order.dict_functional
    module = next(m for m in api.modules if m.module_name == "order")
    assert module.third_party_imports == ("from typing_extensions import Required, TypedDict",)
    assert "from .line import Line, LineDict" in module.local_imports
    assert module.names == ("Order", "OrderDict")


def test_a_key_no_class_body_can_hold_makes_it_functional() -> None:
    for wire in ("from", "line-items", "__secret", "caf\u00e9", "1st", "l"):
        schemas = {"Order": {"type": "object", "properties": {wire: {"type": "string"}, "plain": {"type": "string"}}}}
        api = build(schemas, _post("/orders", "create-order", _ref("Order")))
        order = by_class(api)["Order"]
        assert order.dict_functional, wire
        # Names all, but one a class body would change or ruff refuses: ruff's UP013 is waived for it.
        assert order.dict_names_only == (wire in ("caf\u00e9", "l")), wire
    schemas = {
        "Order": {"type": "object", "properties": {"__dunder__": {"type": "string"}, "type": {"type": "string"}}}
    }
    api = build(schemas, _post("/orders", "create-order", _ref("Order")))
    assert not by_class(api)["Order"].dict_functional


def test_names_keep_apart_from_classes_and_the_sdk_own_names() -> None:
    """`{Model}Dict`, numbered where a schema or an SDK name (typing_extensions' TypedDict) has it;
    the classes keep their names."""
    schemas = {
        "Order": {"type": "object", "properties": {"typed": _ref("Typed"), "dict": _ref("OrderDict")}},
        "OrderDict": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Typed": {"type": "object", "properties": {"b": {"type": "string"}}},
    }
    # The class that has the name only in a response, built after the TypedDicts are named.
    paths = {
        **_post("/orders", "create-order", _ref("Order")),
        **_post("/lines", "create-line", _ref("Line")),
        "/lines/{id}": {
            "get": {
                "tags": ["Things"],
                "operationId": "get-line",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": _ref("LineDict")}}}
                },
            }
        },
    }
    schemas["Line"] = {"type": "object", "properties": {"sku": {"type": "string"}}}
    schemas["LineDict"] = {"type": "object", "properties": {"sku": {"type": "string"}}}
    api = build(schemas, paths)
    dicts = {name: s.dict_name for name, s in by_class(api).items()}
    assert dicts == {
        "Line": "LineDict2",
        "LineDict": None,
        "Order": "OrderDict2",
        "OrderDict": "OrderDictDict",
        "Thing": None,
        "Typed": "TypedDict2",
    }


def test_body_annotations_name_the_typed_dicts() -> None:
    schemas = {
        "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
        "Note": {"type": "object", "properties": {"text": {"type": "string"}}, "additionalProperties": True},
        "Kind": {"type": "string", "enum": ["a", "b"]},
    }
    paths = {
        **_post("/lines", "create-lines", {"type": "array", "items": _ref("Line")}),
        **_post("/map", "create-map", {"type": "object", "additionalProperties": _ref("Line")}),
        **_post("/either", "create-either", {"oneOf": [_ref("Line"), _ref("Note")]}),
        **_post("/note", "create-note", _ref("Note")),
        **_post("/kind", "create-kind", _ref("Kind")),
        **_post("/form", "create-form", _ref("Line"), "application/x-www-form-urlencoded"),
    }
    api = build(schemas, paths)
    annotations = {op.method_name: op.body.annotation for r in api.resources for op in r.operations if op.body}
    assert annotations == {
        "create_lines": "Sequence[models.Line | models.LineDict]",
        "create_map": "Mapping[str, models.Line | models.LineDict]",
        # A model the document lets take more fields also takes any dict, as it does at run time.
        "create_either": "models.Line | models.LineDict | models.Note | models.NoteDict | dict[str, Any]",
        "create_note": "models.Note | models.NoteDict | dict[str, Any]",
        "create_kind": 'models.Kind | Literal["a", "b"]',
        "create_form": "models.Line | models.LineDict",
    }
    resource = api.resources[0]
    assert "from typing import TYPE_CHECKING, Any, Literal" in resource.std_imports
    either = operation(api, "create_either")
    assert either.body is not None and either.body.dicts == (("Line", "LineDict"), ("Note", "NoteDict"))


def test_the_readme_example_writes_the_body_as_a_dict() -> None:
    line = {"type": "object", "properties": {"sku": {"type": "string", "example": "A1"}}}
    schemas = {"Order": ORDER, "Line": line, "Audit": AUDIT}
    api = build(schemas, _post("/orders", "create-order", _ref("Order")))
    create = operation(api, "create_order")
    assert create.dict_example is not None
    (arg,) = create.dict_example.args
    assert arg.source == '{"lines": [{"sku": "A1"}], "kind": "sale"}'
    assert create.dict_example.package_names == ()
    assert api.dict_call is not None and api.dict_call.call.method == "things.create_order"
    assert api.extra_call is not None and api.extra_call.body_field == "newField"


def test_the_extra_body_example_picks_a_body_the_document_leaves_open() -> None:
    """A server checking the document refuses a field a closed object does not list: the example of
    `extra_body` is shown on a body that takes it, or not at all."""
    closed = {"type": "object", "additionalProperties": False, "properties": {"a": {"type": "string"}}}
    closed_by_part = {"allOf": [_ref("Closed"), {"type": "object", "properties": {"b": {"type": "string"}}}]}
    schemas = {"Closed": closed, "ClosedByPart": closed_by_part, "Open": AUDIT}
    api = build(schemas, {**_post("/a", "create-a", _ref("Closed")), **_post("/b", "create-b", _ref("ClosedByPart"))})
    assert api.extra_call is not None and api.extra_call.body_field == ""
    paths = {**_post("/a", "create-a", _ref("Closed")), **_post("/c", "create-c", _ref("Open"))}
    api = build(schemas, paths)
    assert api.extra_call is not None
    assert (api.extra_call.call.method, api.extra_call.body_field) == ("things.create_c", "newField")
