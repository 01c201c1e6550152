"""Stage 4b, what one operation answers: its success response, the failures the document describes
(each with its exception and parse target), and the `Accept` header that asks for them.
"""

from __future__ import annotations

from typing import Any, Literal

from generator.builder.schemas import SchemaBuilder
from generator.builder.type_refs import ANY, union
from generator.document.parsed import as_mapping, as_text
from generator.errors import pointer_join
from generator.ir.models import TypeRef
from generator.ir.operations import ErrorResponse, Response
from generator.text import naming
from generator.text.literals import py_literal

_STATUS_ERRORS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "402": "PaymentRequiredError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}


_NONE = TypeRef("primitive", "None", name="None")


# HTTP forbids these a body (RFC 9110 15.3.5, 15.3.6, 15.4.5): whatever content the document gives one
# (Codat's Platform document points a 204 at its 429 response), the server sends none to parse.
_NO_BODY = ("204", "205", "304")


ResponseKind = Literal["model", "adapter", "stream", "text", "none"]


def accept_header(response: Response, errors: tuple[ErrorResponse, ...]) -> str:
    """The Accept header: the success's media type, then each failure's, so a server that chooses by
    Accept answers a download's failure with its documented JSON rather than a file or a 406/500."""
    types = [response.content_type, *(e.content_type for e in errors)]
    return ", ".join(dict.fromkeys(t for t in types if t)) or "*/*"


def response_outcomes(
    schemas: SchemaBuilder, op: dict[str, Any], pointer: str, error_types: list[TypeRef]
) -> tuple[Response, tuple[ErrorResponse, ...]]:
    """The success response (the first 2XX, else `default`) and the failures the document describes."""
    responses = responses_of(schemas, op, pointer)
    success: Response | None = None
    success_status = next((s for s, _, _ in responses if s.startswith("2")), "DEFAULT")
    errors: list[ErrorResponse] = []
    for status, response, response_pointer in responses:
        media = media_of(schemas, response, response_pointer)
        content_type = media[0][1].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if media else ""
        description = as_text(response.get("description"))
        if status == success_status and success is None:
            success = _success(schemas, status.lower(), media, content_type, description)
        if status[:1] in ("4", "5") or (status == "DEFAULT" != success_status):
            error_type = None
            if media and is_json(content_type):
                error_type = schemas.type_of(media[0][0].get("schema", {}), media[0][1] + "/schema")
                error_type = None if error_type.kind == "any" else error_type
            parse_as = None
            if error_type is not None:
                error_types.append(error_type)
                parse_as = naming.qualify(error_type.annotation, error_type.models, "models.")
            errors.append(
                ErrorResponse(
                    status=status.lower() if status == "DEFAULT" else status,
                    exception=_exception_for(status),
                    content_type=content_type,
                    description=description,
                    type=error_type,
                    parse_as=parse_as,
                )
            )
    if success is None:
        success = _response("none", _NONE, "", "", "")
    return success, tuple(errors)


def _success(
    schemas: SchemaBuilder,
    status: str,
    media: list[tuple[dict[str, Any], str]],
    content_type: str,
    description: str,
) -> Response:
    if not media or status in _NO_BODY:
        return _response("none", _NONE, status, "", description)
    schema, media_pointer = media[0][0].get("schema", {}), media[0][1]
    if is_json(content_type):
        result = schemas.type_of(schema, pointer_join(media_pointer, "schema"))
        result = _widened_by_examples(schemas, result, schema, pointer_join(media_pointer, "schema"), media[0][0])
        if result.annotation == "None":
            return _response("none", _NONE, status, content_type, description)
        kind: ResponseKind = "model" if result.kind == "model" and not result.nullable else "adapter"
        return _response(kind, result, status, content_type, description)
    if content_type.startswith("text/"):
        return _response("text", TypeRef("primitive", "str", name="str"), status, content_type, description)
    return _response("stream", TypeRef("primitive", "bytes", name="bytes"), status, content_type, description)


def _widened_by_examples(
    schemas: SchemaBuilder, result: TypeRef, schema: Any, pointer: str, media: dict[str, Any]
) -> TypeRef:
    """A model whose schema gives properties but no `type` also takes what the document's examples show
    of it that is not an object: JSON Schema applies `properties` to objects only, so a bare array (Spend
    Insights' supplier analysis) fits such a schema, and the document's own example says one comes."""
    resolved, _ = schemas.deref(schema, pointer)
    if result.kind != "model" or not isinstance(resolved, dict) or "type" in resolved:
        return result
    shown = [value for node in (media, resolved) for value in _example_values(node) if not isinstance(value, dict)]
    arms = [_JSON_KINDS[type(value)] for value in shown if type(value) in _JSON_KINDS]
    if any(arm.kind == "list" for arm in arms):
        schemas.loosen(pointer, "an example shows an array the schema does not describe: a list of any values")
    return union([result, *arms]) if arms else result


def _example_values(node: dict[str, Any]) -> list[Any]:
    """A media type's or a schema's examples: `example`, and `examples` as a list or as Example objects."""
    values = [node["example"]] if "example" in node else []
    examples = node.get("examples")
    if isinstance(examples, list):
        values += examples
    elif isinstance(examples, dict):
        values += [e["value"] for e in examples.values() if isinstance(e, dict) and "value" in e]
    return values


_JSON_KINDS = {
    list: TypeRef("list", "list[Any]", args=(ANY,), imports=ANY.imports),
    str: TypeRef("primitive", "str", name="str"),
    bool: TypeRef("primitive", "bool", name="bool"),
    int: TypeRef("primitive", "int", name="int"),
    float: TypeRef("primitive", "float", name="float"),
    type(None): _NONE,
}


def _response(kind: ResponseKind, result: TypeRef, status: str, content_type: str, description: str) -> Response:
    """A success response with the return annotation and parse target each client flavour uses.

    A class or a generic alias (`list[X]`) is a `type[T]` to a type checker; a union or an
    `Annotated` type is not, and is handed to the client through `cast`, which tells the checker what
    the expression stands for at run time.
    """
    if kind == "stream":
        sync, async_ = "BinaryResponse", "AsyncBinaryResponse"
        parse_sync, parse_async = sync, async_
    else:
        sync = async_ = naming.qualify(result.annotation, result.models, "models.")
        parse_sync = {"none": "NoneType", "text": "str"}.get(kind, sync)
        if kind == "adapter" and _is_special_form(sync):
            parse_sync = f"cast({py_literal('type[' + sync + ']')}, {sync})"
        parse_async = parse_sync
    return Response(kind, result, status, content_type, description, sync, async_, parse_sync, parse_async)


def _is_special_form(annotation: str) -> bool:
    """True for a union at the top level (`A | B`, `X | None`) or an `Annotated[...]` type."""
    if annotation.startswith("Annotated["):
        return True
    depth = 0
    for char in annotation:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            return True
    return False


def responses_of(schemas: SchemaBuilder, op: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any], str]]:
    result = []
    responses = as_mapping(op.get("responses"))
    for status in sorted(responses, key=str):
        response, response_pointer = schemas.deref(responses[status], pointer_join(pointer, "responses", str(status)))
        if isinstance(response, dict):
            result.append((str(status).upper(), response, response_pointer))
    return result


def media_of(schemas: SchemaBuilder, owner: Any, pointer: str) -> list[tuple[dict[str, Any], str]]:
    """The media types of a response or request body, JSON first."""
    owner, pointer = schemas.deref(owner, pointer)
    if not isinstance(owner, dict) or not isinstance(owner.get("content"), dict):
        return []
    entries = [
        (media, pointer_join(pointer, "content", content_type))
        for content_type, media in owner["content"].items()
        if isinstance(media, dict)
    ]
    return sorted(entries, key=lambda e: not is_json(e[1].rsplit("/", 1)[-1].replace("~1", "/")))


def _exception_for(status: str) -> str:
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if status.startswith("5"):
        return "InternalServerError"
    return "APIStatusError"


def is_json(content_type: str) -> bool:
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"
