"""Stage 4b, one operation: its parameters, body and paging, with its responses (`responses`).

Everything the resources module spells is settled here: annotations with their `models.` prefix,
parse targets, defaults and example values.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

from generator.builder.examples import operation_example
from generator.builder.responses import (
    accept_header,
    is_json,
    media_of,
    response_outcomes,
    responses_of,
)
from generator.builder.schemas import SchemaBuilder
from generator.builder.sdk_tests import operation_test
from generator.builder.security import requirements
from generator.builder.type_refs import optional
from generator.builder.typed_dicts import accepted
from generator.document.parsed import Document, as_mapping, as_text
from generator.errors import Diagnostic, GeneratorError, pointer_join
from generator.ir.api import SecurityScheme
from generator.ir.models import TypeRef
from generator.ir.operations import Body, Operation, Pagination, Param, Response
from generator.text import naming
from generator.text.reserved import reserved

_FORM = "application/x-www-form-urlencoded"


_FORMS = frozenset({_FORM, "multipart/form-data", "multipart/mixed"})


# Header parameters OpenAPI says to ignore: the SDK sets these itself (the media types it sends and
# reads, and the credentials).
_SDK_HEADERS = frozenset({"accept", "content-type", "authorization"})


_DEFAULT_STYLES = {"path": "simple", "header": "simple", "query": "form", "cookie": "form"}


def discover_operation(doc: Document, schemas: SchemaBuilder, pointer: str, op: dict[str, Any]) -> None:
    for param, param_pointer in _params(doc, schemas, pointer, op):
        schema, schema_pointer, _ = _param_schema(param, param_pointer)
        schemas.discover(schema, schema_pointer)
    # Only the media type the SDK sends or reads (the first, JSON first): the others make no classes.
    for media, media_pointer in media_of(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody"))[:1]:
        schemas.discover(media.get("schema", {}), pointer_join(media_pointer, "schema"))
    for _, response, response_pointer in responses_of(schemas, op, pointer):
        for media, media_pointer in media_of(schemas, response, response_pointer)[:1]:
            schemas.discover(media.get("schema", {}), pointer_join(media_pointer, "schema"))


def build_operation(
    doc: Document,
    schemas: SchemaBuilder,
    pointer: str,
    path: str,
    method: str,
    op: dict[str, Any],
    operation_id: str,
    method_name: str,
    error_types: list[TypeRef],
    schemes: tuple[SecurityScheme, ...],
) -> Operation:
    body = _body(schemas, op, pointer)
    taken = {body.py_name} if body else set()
    params: list[Param] = []
    # Each parameter's node in the document and its pointer, where its examples are.
    nodes: dict[str, tuple[dict[str, Any], str]] = {}
    # The body's argument takes its name first: a parameter is never named like it, however both came by it.
    used: set[str] = set(taken)
    page_start = 1
    for param, param_pointer in _params(doc, schemas, pointer, op):
        location = param.get("in")
        if location not in ("path", "query", "header", "cookie"):
            continue
        if location == "header" and param["name"].lower() in _SDK_HEADERS:
            continue
        params.append(_param(schemas, param, param_pointer, cast(Any, location), taken, used))
        nodes[params[-1].py_name] = (param, param_pointer)
        if location == "query" and param["name"] == "page":
            page_start = _first_page(schemas, param, param_pointer)
    order = re.findall(r"{([^}]+)}", path)
    path_params = sorted(
        (p for p in params if p.location == "path"),
        key=lambda p: order.index(p.wire_name) if p.wire_name in order else len(order),
    )
    declared = {p.wire_name for p in path_params}
    for name in order:
        if name not in declared:
            raise GeneratorError(
                [
                    Diagnostic(
                        doc.source,
                        pointer,
                        f"path parameter {name!r} of {path!r} is not declared",
                        line=doc.line_of(pointer),
                    )
                ]
            )
    response, errors = response_outcomes(schemas, op, pointer, error_types)
    query = tuple(p for p in params if p.location == "query")
    headers = tuple(p for p in params if p.location == "header")
    cookies = tuple(p for p in params if p.location == "cookie")
    media = media_of(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody"))[:1]
    arguments = [(p, *nodes[p.py_name]) for p in (*path_params, *query, *headers, *cookies)]
    example = operation_example(schemas, arguments, body, media[0] if media else None, response)
    # The call with its body as a dict, for the README's account of the TypedDicts.
    dict_example = (
        operation_example(schemas, arguments, body, media[0] if media else None, response, dict_body=True)
        if body is not None and body.dicts
        else None
    )
    pagination = _pagination(schemas, method_name, query, response, page_start) if method == "get" else None
    outcomes = {status: media_of(schemas, node, at) for status, node, at in responses_of(schemas, op, pointer)}
    test = operation_test(schemas, outcomes, response, errors, pagination, body)
    return Operation(
        operation_id=operation_id,
        method_name=method_name,
        anchor=anchor(method_name),
        http_method=method.upper(),
        path=path,
        summary=as_text(op.get("summary")),
        description=as_text(op.get("description")) or as_text(op.get("summary")),
        deprecated=op.get("deprecated") is True or bool(as_text(op.get("x-speakeasy-deprecation-message"))),
        deprecation=as_text(op.get("x-speakeasy-deprecation-message")),
        replacement=as_text(op.get("x-speakeasy-deprecation-replacement")),
        path_params=tuple(path_params),
        query_params=query,
        header_params=headers,
        cookie_params=cookies,
        body=body,
        response=response,
        errors=errors,
        example=example,
        dict_example=dict_example,
        pagination=pagination,
        error_parsers=tuple((e.status, e.parse_as) for e in errors if e.parse_as is not None),
        security=requirements(doc, op, schemes),
        idempotent=method in IDEMPOTENT_METHODS or op.get("x-idempotent") is True,
        accept=accept_header(response, errors),
        test=test,
    )


# RFC 9110's idempotent methods. A document may mark others (`x-idempotent: true`); an
# `Idempotency-Key` header sent with the call makes it so too (checked when it is sent).
IDEMPOTENT_METHODS = frozenset({"get", "head", "put", "delete", "options", "trace"})


def _first_page(schemas: SchemaBuilder, param: dict[str, Any], pointer: str) -> int:
    """The number of the first page: the parameter's default or minimum, else 1."""
    schema, _ = schemas.deref(param.get("schema"), pointer_join(pointer, "schema"))
    for key in ("default", "minimum"):
        value = schema.get(key) if isinstance(schema, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return 1


def _params(
    doc: Document, schemas: SchemaBuilder, pointer: str, op: dict[str, Any]
) -> list[tuple[dict[str, Any], str]]:
    """Path-item parameters overridden by the operation's own, keyed by (name, location)."""
    item_pointer = pointer.rsplit("/", 1)[0]
    item = doc.resolve(item_pointer)
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for owner, owner_pointer in ((item, item_pointer), (op, pointer)):
        for index, raw in enumerate(owner.get("parameters") or []):
            param, param_pointer = schemas.deref(raw, pointer_join(owner_pointer, "parameters", index))
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                merged[(param["name"], str(param.get("in")))] = (param, param_pointer)
    return list(merged.values())


def _param(
    schemas: SchemaBuilder,
    param: dict[str, Any],
    pointer: str,
    location: Literal["path", "query", "header", "cookie"],
    taken: set[str],
    used: set[str],
) -> Param:
    schema, schema_pointer, as_json = _param_schema(param, pointer)
    resolved, _ = schemas.deref(schema, schema_pointer)
    param_type = schemas.type_of(schema, schema_pointer)
    if param_type.kind == "primitive" and param_type.name not in ("int", "float", "bool", "Decimal"):
        # Identifiers travel as text: a caller's str is right whatever the declared format.
        text = TypeRef("primitive", "str", name="str")
        param_type = optional(text) if param_type.nullable else text
    required = location == "path" or param.get("required") is True
    default = resolved.get("default") if isinstance(resolved, dict) else None
    default_repr = schemas.default_repr(default, param_type, "models.") if default is not None else None
    if not required or default_repr is None:
        default_repr = None if required else "None"
    if default_repr == "None":
        param_type = optional(param_type)
    name = naming.safe_snake(param["name"], reserved().parameters | reserved().fields | taken, "param")
    while name in used:
        name += "_"
    used.add(name)
    description = as_text(param.get("description")) or as_text(
        resolved.get("description") if isinstance(resolved, dict) else None
    )
    style = param.get("style") if isinstance(param.get("style"), str) else _DEFAULT_STYLES[location]
    explode = param.get("explode") if isinstance(param.get("explode"), bool) else style == "form"
    return Param(
        wire_name=param["name"],
        py_name=name,
        location=location,
        type=param_type,
        annotation=_param_annotation(param_type),
        check_as=naming.qualify(param_type.annotation, param_type.models, "models."),
        required=default_repr is None,
        default_repr=default_repr,
        description=description,
        style=None if style == _DEFAULT_STYLES[location] else style,
        explode=None if explode == (style == "form") else explode,
        allow_reserved=location == "query" and param.get("allowReserved") is True,
        as_json=as_json,
    )


def _param_annotation(t: TypeRef) -> str:
    """A parameter's annotation; an amount (`format: decimal`) takes a float or an int as well as a
    Decimal, as its check does: a number is written with the digits its text has."""
    annotation = naming.qualify(t.annotation, t.models, "models.")
    if t.kind == "primitive" and t.name == "Decimal":
        annotation = annotation.replace("Decimal", "Decimal | float", 1)
    return annotation


def _param_schema(param: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str, bool]:
    """A parameter's schema, its pointer, and whether its value travels as JSON text: a parameter may
    give `content` (one media type and its schema) instead of `schema` and a style."""
    if isinstance(param.get("schema"), dict):
        return param["schema"], pointer_join(pointer, "schema"), False
    for media_type, media in as_mapping(param.get("content")).items():
        if isinstance(media, dict):
            schema = as_mapping(media.get("schema"))
            return schema, pointer_join(pointer, "content", media_type, "schema"), is_json(str(media_type))
    return {}, pointer_join(pointer, "schema"), False


def body_type(schemas: SchemaBuilder, op: dict[str, Any], pointer: str) -> TypeRef | None:
    """The type of the body an operation sends, if any (what its models' TypedDicts are planned from)."""
    body = _body(schemas, op, pointer)
    return body.type if body is not None else None


def _body(schemas: SchemaBuilder, op: dict[str, Any], pointer: str) -> Body | None:
    body_pointer = pointer_join(pointer, "requestBody")
    for media, media_pointer in media_of(schemas, op.get("requestBody"), body_pointer):
        content_type = media_pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        request_body, _ = schemas.deref(op["requestBody"], body_pointer)
        required = request_body.get("required") is True
        description = as_text(request_body.get("description"))
        base = content_type.split(";", 1)[0].strip().lower()
        schema_pointer = pointer_join(media_pointer, "schema")
        body_type = schemas.type_of(media.get("schema", {}), schema_pointer)
        kind: Literal["json", "form", "multipart", "file", "raw"]
        if is_json(content_type) or (base in _FORMS and body_type.kind == "model"):
            kind = "json" if is_json(content_type) else "form" if base == _FORM else "multipart"
            if body_type.kind == "model":
                name = naming.safe_snake(body_type.name, reserved().parameters, "body")
                annotation = accepted(body_type, schemas.shapes, "models.")
            elif kind == "json":
                name = "body"
                annotation = accepted(body_type, schemas.shapes, "models.")
            else:
                kind, name, annotation = "form", "data", "Mapping[str, object]"
                schemas.loosen(schema_pointer, _UNTYPED_FORM)
        elif base == _FORM:
            kind, name, annotation = "form", "data", "Mapping[str, object]"
            body_type = TypeRef("dict", "Mapping[str, object]")
            schemas.loosen(schema_pointer, _UNTYPED_FORM)
        elif base.startswith("multipart/"):
            # A multipart body without declared parts (Codat's uploads) is one file, sent as part `file`.
            kind, name, annotation = "file", "file", "FileContent"
            body_type = TypeRef("primitive", "FileContent", name="FileContent")
        else:
            kind, name, annotation = "raw", "content", "bytes"
            body_type = TypeRef("primitive", "bytes", name="bytes")
        if not required and not annotation.endswith(" | None"):
            annotation += " | None"
        check_as = naming.qualify(body_type.annotation, body_type.models, "models.")
        dicts = tuple((m, schemas.shapes.dicts[m]) for m in body_type.models if m in schemas.shapes.dicts)
        return Body(kind, name, body_type, annotation, content_type, required, description, check_as, dicts)
    return None


_UNTYPED_FORM = "a form whose fields the document does not describe as an object: a mapping of any values"


def _pagination(
    schemas: SchemaBuilder, method_name: str, query: tuple[Param, ...], response: Response, first_page: int
) -> Pagination | None:
    """Paging, when a GET takes a `page` number and returns a model holding one list of items."""
    page = next((p for p in query if p.wire_name == "page" and p.type.name == "int"), None)
    if page is None or response.kind != "model":
        return None
    fields = {f.wire_name: f for f in schemas.schema_named(response.type.name).fields}
    lists = [f for f in fields.values() if f.type.kind == "list" and f.type.args]
    items = fields.get("results") if "results" in fields and fields["results"] in lists else None
    if items is None and len(lists) == 1:
        items = lists[0]
    if items is None:
        return None
    item_type = items.type.args[0]
    size = next((p.py_name for p in query if p.wire_name == "pageSize"), None)

    def named(wire: str) -> str | None:
        return fields[wire].py_name if wire in fields else None

    return Pagination(
        method_name=f"{method_name}_all",
        page_param=page.py_name,
        start=f"{page.py_name} if {page.py_name} is not None else {first_page}" if page.type.nullable else page.py_name,
        page_size_param=size,
        items_field=items.py_name,
        item_type=item_type,
        item_annotation=naming.qualify(item_type.annotation, item_type.models, "models."),
        page_number_field=named("pageNumber"),
        page_size_field=named("pageSize"),
        total_field=named("totalResults"),
    )


def anchor(heading: str) -> str:
    """The anchor GitHub gives a markdown heading: lower case, punctuation but `-` and `_` dropped."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
