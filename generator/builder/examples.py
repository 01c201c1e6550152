"""Each operation's example call for the docs, built from the IR so it uses the SDK's names.

The arguments are every required one, plus optional parameters with a default or an example; the
values come from `example_values`, and the example says which imports they need, so each page that
shows the call (the operation's own, and README sections that borrow it) imports exactly that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from generator.builder.example_scalars import Source
from generator.builder.example_values import ValueWriter, examples_of
from generator.errors import pointer_join
from generator.ir.operations import Body, Example, ExampleArg, Param, Response

if TYPE_CHECKING:
    from generator.builder.schemas import SchemaBuilder


def operation_example(
    schemas: SchemaBuilder,
    params: Sequence[tuple[Param, dict[str, Any], str]],
    body: Body | None,
    media: tuple[dict[str, Any], str] | None,
    response: Response,
    dict_body: bool = False,
) -> Example:
    """The call with its arguments: `params` pairs each parameter with its node in the document and
    that node's pointer; `media` is the request body's media type object the SDK sends, when any.
    With `dict_body`, the body's models are written as dicts keyed by wire names (their TypedDicts)."""
    writer = ValueWriter(schemas)
    body_writer = ValueWriter(schemas, as_dicts=dict_body)
    values: list[tuple[str, Source]] = []
    for param, node, pointer in params:
        if param.required or param.default_repr not in (None, "None") or param.location == "path":
            facets = schemas.facets(node.get("schema"), pointer_join(pointer, "schema"))
            values.append((param.py_name, writer.value(param.type, facets, _param_examples(schemas, node, pointer))))
    if body is not None:
        if media is None or body.kind in ("file", "raw"):
            values.append((body.py_name, body_writer.value(body.type, {})))
        else:
            schema_pointer = pointer_join(media[1], "schema")
            facets = schemas.facets(media[0].get("schema"), schema_pointer)
            values.append((body.py_name, body_writer.value(body.type, facets, media_examples(schemas, *media))))
    imports = frozenset().union(*(source.imports for _, source in values))
    return Example(
        args=tuple(ExampleArg(name, source.text) for name, source in values),
        imports=tuple(sorted(imports, key=lambda line: (line.startswith("from "), line.split()[1]))),
        package_names=("models",) if any(source.models for _, source in values) else (),
        has_result=response.kind != "none",
    )


def _param_examples(schemas: SchemaBuilder, param: dict[str, Any], pointer: str) -> list[Any]:
    """The parameter's own examples (its `examples` map, then `example`), its schema's, then its default."""
    found = _examples_map(schemas, param.get("examples"), pointer_join(pointer, "examples"))
    if "example" in param:
        found.append(param["example"])
    schema = schemas.facets(param.get("schema"), pointer_join(pointer, "schema"))
    found += examples_of(schema)
    if "default" in schema:
        found.append(schema["default"])
    return found


def media_examples(schemas: SchemaBuilder, media: dict[str, Any], pointer: str) -> list[Any]:
    """A request body's examples as the media type gives them: `example`, then each of `examples`."""
    found = [media["example"]] if "example" in media else []
    return found + _examples_map(schemas, media.get("examples"), pointer_join(pointer, "examples"))


def _examples_map(schemas: SchemaBuilder, examples: Any, pointer: str) -> list[Any]:
    """The values of an `examples` map of Example Objects (each maybe a `$ref`), in order."""
    if not isinstance(examples, dict):
        return []
    values = []
    for key, entry in examples.items():
        resolved, _ = schemas.deref(entry, pointer_join(pointer, str(key)))
        if isinstance(resolved, dict) and "value" in resolved:
            values.append(resolved["value"])
    return values
