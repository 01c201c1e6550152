"""What the SDK's own tests (the generated package's `tests/`) serve for each operation and expect back.

The values are the document's own examples where they fit, else made to fit, as the docs' examples are
(`example_values`); the tests' templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generator.builder.example_scalars import Source
from generator.builder.example_values import ValueWriter
from generator.builder.examples import media_examples
from generator.errors import pointer_join
from generator.ir.models import TypeRef
from generator.ir.operations import Body, ErrorCase, ErrorResponse, OperationTest, Pagination, Response
from generator.text import naming

if TYPE_CHECKING:
    from generator.builder.schemas import SchemaBuilder

# A value whose source is longer than this (a document's example of a long list) is built afresh instead:
# the tests stay readable, and a response of one record tests the parsing as well.
_MAX_SOURCE = 1200
_NO_BODY = Source("None")


def operation_test(
    schemas: SchemaBuilder,
    media: Mapping[str, Sequence[tuple[dict[str, Any], str]]],
    response: Response,
    errors: Sequence[ErrorResponse],
    pagination: Pagination | None,
    body: Body | None,
) -> OperationTest:
    """The test's values for one operation; `media` holds each documented status's media types (JSON first)."""
    writer = ValueWriter(schemas)
    status = _status(response.status, 200)
    if response.kind in ("model", "adapter"):
        served = _value(writer, response.type, media.get(response.status.upper(), ()))
        returns = "" if "Annotated[" in response.type.annotation else _spelled(response.type)
    elif response.kind == "stream":
        served, returns = Source('b"%PDF-1.7"'), "bytes"
    elif response.kind == "text":
        served, returns = Source('"text"'), "str"
    else:
        served, returns = _NO_BODY, ""
    cases: list[ErrorCase] = []
    values = [served]
    for error in errors:
        code = _status(error.status, 500)
        if any(case.status == code for case in cases):
            continue  # `4XX` beside `400`: one request answers both
        failure = _NO_BODY if error.type is None else _value(writer, error.type, media.get(error.status.upper(), ()))
        values.append(failure)
        cases.append(ErrorCase(code, error.exception, failure.text))
    item = _NO_BODY if pagination is None else writer.value(pagination.item_type, {})
    values.append(item)
    imports = frozenset().union(*(v.imports for v in values))
    return OperationTest(
        status=status,
        response=served.text,
        returns=returns,
        errors=tuple(cases),
        item="" if pagination is None else item.text,
        imports=tuple(sorted(imports, key=lambda line: (line.startswith("from "), line.split()[1]))),
        models=any(v.models for v in values) or "models." in returns,
        body_type=_spelled(body.type) if body and body.kind == "json" and body.type.kind == "model" else "",
    )


def _value(writer: ValueWriter, t: TypeRef, media: Sequence[tuple[dict[str, Any], str]]) -> Source:
    """The media type's first example that fits, else the schema's, else one made to fit."""
    if not media:
        return writer.value(t, {})
    node, pointer = media[0]
    facets = writer.schemas.facets(node.get("schema"), pointer_join(pointer, "schema"))
    found = writer.value(t, facets, media_examples(writer.schemas, node, pointer))
    if len(found.text) > _MAX_SOURCE:
        found = writer.value(t, {k: v for k, v in facets.items() if k not in ("example", "examples")})
    return found


def _status(status: str, default: int) -> int:
    """A status to answer with: the documented one, the first of a range (`4XX`), or `default`'s stand-in."""
    if status.isdigit():
        return int(status)
    if len(status) == 3 and status[0].isdigit():
        return int(status[0]) * 100
    return default


def _spelled(t: TypeRef) -> str:
    return naming.qualify(t.annotation, t.models, "models.")
