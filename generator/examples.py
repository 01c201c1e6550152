"""Example call arguments for the docs, as Python source, built from the IR so they use the SDK's names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.ir import Body, ExampleArg, Param, Schema, TypeRef

if TYPE_CHECKING:
    from generator.schemas import SchemaBuilder

_PLACEHOLDERS = {
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "str": '"string"',
    "bytes": 'b"..."',
    "FileContent": '("statement.pdf", b"%PDF-1.7", "application/pdf")',
}
_FORMAT_EXAMPLES = {
    "uuid": "8a210b68-6988-11ed-a1eb-0242ac120002",
    "date-time": "2022-10-23T00:00:00Z",
}
_MAX_DEPTH = 3


def param_example(schemas: SchemaBuilder, param: dict[str, Any], schema: Any, param_type: TypeRef) -> str:
    """The first example the document gives for a parameter that fits its type, else one made up."""
    candidates: list[Any] = []
    for node in (param, schema):
        if not isinstance(node, dict):
            continue
        examples = node.get("examples")
        if isinstance(examples, list) and examples:
            candidates.append(examples[0])
        if isinstance(examples, dict):
            candidates += [e.get("value") for e in examples.values() if isinstance(e, dict)]
        if "example" in node:
            candidates.append(node["example"])
    if isinstance(schema, dict):
        candidates.append(schema.get("default"))
        if isinstance(schema.get("format"), str) and schema["format"] in _FORMAT_EXAMPLES:
            candidates.append(_FORMAT_EXAMPLES[schema["format"]])
    for value in candidates:
        if _scalar(value):
            literal = schemas.default_repr(value, param_type, "models.")
            if literal is not None:
                return literal
    return _value(schemas, param_type, 0)


def example_args(schemas: SchemaBuilder, params: tuple[Param, ...], body: Body | None) -> tuple[ExampleArg, ...]:
    """Every required argument, plus optional ones the document gives an example for."""
    args = [
        ExampleArg(p.py_name, p.example_repr)
        for p in params
        if p.required or p.default_repr not in (None, "None") or p.location == "path"
    ]
    if body is not None:
        args.append(ExampleArg(body.py_name, _value(schemas, body.type, 0)))
    return tuple(args)


def _value(schemas: SchemaBuilder, t: TypeRef, depth: int) -> str:
    if t.kind == "model":
        schema = schemas.schema_named(t.name)
        return f"models.{t.name}({_fields(schemas, schema, depth + 1)})"
    if t.kind == "enum":
        schema = schemas.schema_named(t.name)
        return f"models.{t.name}.{schema.members[0].name}"
    if t.kind == "list" and t.args:
        return f"[{_value(schemas, t.args[0], depth + 1)}]"
    if t.kind == "dict":
        return "{}"
    if t.kind == "union" and t.args:
        return _value(schemas, t.args[0], depth)
    return _PLACEHOLDERS.get(t.name, "None")


def _fields(schemas: SchemaBuilder, schema: Schema, depth: int) -> str:
    parts = []
    for field in schema.fields:
        if field.example_repr is not None and field.type.kind == "primitive":
            parts.append(f"{field.py_name}={field.example_repr}")
        elif field.required or (depth < _MAX_DEPTH and field.type.kind in ("enum",)):
            parts.append(f"{field.py_name}={_value(schemas, field.type, depth)}")
    return ", ".join(parts)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
