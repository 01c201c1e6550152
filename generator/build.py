"""Stage 3b: document + tags → `ir.Api`. Every reference, name, annotation and import is settled here."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from generator import naming
from generator.document import Document
from generator.errors import Diagnostic, GeneratorError, pointer_join
from generator.examples import example_args, param_example
from generator.ir import (
    Api,
    Body,
    ErrorResponse,
    Operation,
    Pagination,
    Param,
    Resource,
    Response,
    RetryPolicy,
    Security,
    TypeRef,
)
from generator.literals import py_literal
from generator.schemas import ANY, SchemaBuilder, merged_imports, optional

_PER_CALL = frozenset({"timeout", "retries", "extra_headers", "self"})
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
ResponseKind = Literal["model", "adapter", "stream", "text", "none"]
# Used when the document states no retry policy: the one Codat publishes.
_DEFAULT_RETRIES = RetryPolicy(500, 60_000, 3_600_000, 1.5, ("408", "429", "5XX"), True)


@dataclass(frozen=True)
class BuildOptions:
    tags: tuple[str, ...]
    package: str = "codat_accounting"
    # operationId -> method name, from the user's configuration; wins over x-speakeasy-name-override.
    operation_names: Mapping[str, str] = field(default_factory=dict)


def build_api(doc: Document, options: BuildOptions) -> Api:
    """The IR for the operations of `options.tags` and every schema they reach."""
    known = doc.tags()
    missing = [t for t in options.tags if t not in known]
    if missing:
        raise GeneratorError(
            [
                Diagnostic(
                    doc.source,
                    "#/tags",
                    f"unknown tag {t!r}",
                    hint="known tags: " + ", ".join(known) if known else "the document has no tags",
                )
                for t in missing
            ]
        )
    schemas = SchemaBuilder(doc)
    selected = {tag: doc.tag_operations(tag) for tag in options.tags}
    for operations in selected.values():
        for pointer, _, _, op in operations:
            _discover_operation(doc, schemas, pointer, op)
    schemas.assign_names()
    error_types: list[str] = []
    built = (
        _resource(doc, schemas, tag, operations, error_types, options.operation_names)
        for tag, operations in selected.items()
    )
    resources = tuple(sorted(built, key=lambda r: r.module_name))
    error_model = max(set(error_types), key=lambda n: (error_types.count(n), n)) if error_types else None
    info = _mapping(doc.data.get("info"))
    title = _text(info.get("title")) or "API"
    client_class = naming.safe_pascal(options.package)
    return Api(
        title=title,
        version=_text(info.get("version")) or "0.0.0",
        description=_text(info.get("description")),
        source_name=_source_name(doc.source),
        source_sha256=doc.sha256,
        package=options.package,
        dist_name=options.package.replace("_", "-"),
        client_class=client_class,
        async_client_class="Async" + client_class,
        server_url=_server_url(doc),
        server_env_var=options.package.upper() + "_SERVER_URL",
        security=_security(doc, options.package),
        retries=_retry_policy(doc),
        error_model=error_model,
        resources=resources,
        modules=schemas.modules(),
    )


def _source_name(source: str) -> str:
    """The document's file name, reduced to characters that are plain in a comment of any kind."""
    name = source.replace("\\", "/").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"-{2,}", "-", re.sub(r"[^\w.-]+", "_", name, flags=re.A)) or "document"


def _discover_operation(doc: Document, schemas: SchemaBuilder, pointer: str, op: dict[str, Any]) -> None:
    for param, param_pointer in _params(doc, schemas, pointer, op):
        if isinstance(param.get("schema"), dict):
            schemas.discover(param["schema"], pointer_join(param_pointer, "schema"))
    for media, media_pointer in _media(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody")):
        schemas.discover(media.get("schema", {}), pointer_join(media_pointer, "schema"))
    for _, response, response_pointer in _responses(schemas, op, pointer):
        for media, media_pointer in _media(schemas, response, response_pointer):
            schemas.discover(media.get("schema", {}), pointer_join(media_pointer, "schema"))


def _resource(
    doc: Document,
    schemas: SchemaBuilder,
    tag: str,
    operations: list[tuple[str, str, str, dict[str, Any]]],
    error_types: list[str],
    operation_names: Mapping[str, str],
) -> Resource:
    built: list[Operation] = []
    names: dict[str, str] = {}
    for pointer, path, method, op in sorted(operations, key=lambda e: (e[1], e[2])):
        operation_id = _text(op.get("operationId")) or f"{method} {path}"
        configured = operation_names.get(operation_id)
        override = configured or op.get("x-speakeasy-name-override")
        name = (
            naming.safe_snake(override)
            if isinstance(override, str) and naming.snake(override)
            else naming.method_name(operation_id, tag, method, path)
        )
        if name in names or name == "with_raw_response":
            if configured:
                hint = "choose another name under [tool.codat-sdkgen.operation-names]"
                raise _name_taken(doc, pointer, f"configured method name {name!r}", names.get(name, name), hint)
            # Deterministic: operations are sorted, so the same one keeps the short name every run.
            name = naming.safe_snake(operation_id, fallback="call")
            if name in names:
                hint = "set x-speakeasy-name-override on one of them"
                raise _name_taken(doc, pointer, f"method name {name!r}", names[name], hint)
        names[name] = operation_id
        built.append(_operation(doc, schemas, pointer, path, method, op, operation_id, name, error_types))
    built.sort(key=lambda o: o.method_name)
    built = _pager_names_apart(doc, built)
    imports = {"from collections.abc import Mapping", "from typing import TYPE_CHECKING"}
    imports.update(line for op in built for t in _operation_types(op) for line in t.imports)
    if any(op.deprecated for op in built):
        imports.add("import warnings")
    if any(op.body is not None and op.body.type.kind == "model" for op in built):
        imports.add("from typing import Any")  # a model body also takes a plain dict[str, Any]
    tag_node = next((t for t in doc.data.get("tags") or [] if isinstance(t, dict) and t.get("name") == tag), {})
    class_name = naming.safe_pascal(tag)
    return Resource(
        tag=tag,
        attr_name=naming.safe_snake(tag, fallback="resource"),
        class_name=class_name,
        async_class_name="Async" + class_name,
        module_name=naming.safe_snake(tag, fallback="resource"),
        description=_text(tag_node.get("description")),
        operations=tuple(built),
        uses_models=any(_operation_models(op) for op in built),
        std_imports=merged_imports({line for line in imports if not line.startswith("from pydantic ")}),
        third_party_imports=merged_imports({line for line in imports if line.startswith("from pydantic ")}),
    )


def _operation(
    doc: Document,
    schemas: SchemaBuilder,
    pointer: str,
    path: str,
    method: str,
    op: dict[str, Any],
    operation_id: str,
    method_name: str,
    error_types: list[str],
) -> Operation:
    body = _body(schemas, op, pointer)
    reserved = _PER_CALL | ({body.py_name} if body else set())
    params: list[Param] = []
    used: set[str] = set()
    for param, param_pointer in _params(doc, schemas, pointer, op):
        location = param.get("in")
        if location not in ("path", "query", "header"):
            continue
        params.append(_param(schemas, param, param_pointer, cast(Any, location), reserved, used))
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
    response, errors = _outcomes(schemas, op, pointer, error_types)
    query = tuple(p for p in params if p.location == "query")
    headers = tuple(p for p in params if p.location == "header")
    example = example_args(schemas, (*path_params, *query, *headers), body)
    pagination = _pagination(schemas, method_name, query, response) if method == "get" else None
    return Operation(
        operation_id=operation_id,
        method_name=method_name,
        anchor=_slug(method_name),
        http_method=method.upper(),
        path=path,
        summary=_text(op.get("summary")),
        description=_text(op.get("description")) or _text(op.get("summary")),
        deprecated=op.get("deprecated") is True,
        path_params=tuple(path_params),
        query_params=query,
        header_params=headers,
        body=body,
        response=response,
        errors=errors,
        example=example,
        example_uses_models=any("models." in arg.source for arg in example),
        pagination=pagination,
    )


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
    location: Literal["path", "query", "header"],
    reserved: frozenset[str] | set[str],
    used: set[str],
) -> Param:
    schema = param.get("schema") if isinstance(param.get("schema"), dict) else {}
    resolved, _ = schemas.deref(schema, pointer_join(pointer, "schema"))
    param_type = schemas.type_of(schema, pointer_join(pointer, "schema"))
    if param_type.kind == "primitive" and param_type.name not in ("int", "float", "bool"):
        # Identifiers travel as text: a caller's str is right whatever the declared format.
        param_type = TypeRef("primitive", "str", name="str")
    required = location == "path" or param.get("required") is True
    default = resolved.get("default") if isinstance(resolved, dict) else None
    default_repr = py_literal(default) if isinstance(default, str | int | float | bool) else None
    if not required or default_repr is None:
        default_repr = None if required else "None"
    if default_repr == "None":
        param_type = optional(param_type)
    name = naming.safe_snake(param["name"], frozenset(reserved) | naming.MODEL_RESERVED, "param")
    while name in used:
        name += "_"
    used.add(name)
    description = _text(param.get("description")) or _text(
        resolved.get("description") if isinstance(resolved, dict) else None
    )
    return Param(
        wire_name=param["name"],
        py_name=name,
        location=location,
        type=param_type,
        required=default_repr is None,
        default_repr=default_repr,
        description=description,
        example_repr=param_example(param, resolved, param_type),
    )


def _body(schemas: SchemaBuilder, op: dict[str, Any], pointer: str) -> Body | None:
    body_pointer = pointer_join(pointer, "requestBody")
    for media, media_pointer in _media(schemas, op.get("requestBody"), body_pointer):
        content_type = media_pointer.rsplit("/", 1)[-1].replace("~1", "/")
        request_body, _ = schemas.deref(op["requestBody"], body_pointer)
        required = request_body.get("required") is True
        description = _text(request_body.get("description"))
        kind: Literal["json", "raw", "multipart"]
        if _is_json(content_type):
            kind = "json"
            body_type = schemas.type_of(media.get("schema", {}), pointer_join(media_pointer, "schema"))
            if body_type.kind == "model":
                name = naming.safe_snake(body_type.name, _PER_CALL, "body")
                annotation = f"models.{body_type.name} | dict[str, Any]"
            else:
                name = "body"
                annotation = naming.qualify(body_type.annotation, body_type.models, "models.")
        elif content_type.startswith("multipart/"):
            # Codat's uploads declare no parts (`schema: {}`): the body is one file, sent as part `file`.
            kind, name, annotation = "multipart", "file", "FileContent"
            body_type = TypeRef("primitive", "FileContent", name="FileContent")
        else:
            kind, name, annotation = "raw", "content", "bytes"
            body_type = TypeRef("primitive", "bytes", name="bytes")
        if not required:
            annotation += " | None"
        return Body(kind, name, body_type, annotation, content_type, required, description)
    return None


def _outcomes(
    schemas: SchemaBuilder, op: dict[str, Any], pointer: str, error_types: list[str]
) -> tuple[Response, tuple[ErrorResponse, ...]]:
    success: Response | None = None
    errors: list[ErrorResponse] = []
    for status, response, response_pointer in _responses(schemas, op, pointer):
        media = _media(schemas, response, response_pointer)
        content_type = media[0][1].rsplit("/", 1)[-1].replace("~1", "/") if media else ""
        description = _text(response.get("description"))
        if status.startswith("2") and success is None:
            success = _success(schemas, status, media, content_type, description)
        elif status[:1] in ("4", "5") or status == "default":
            errors.append(ErrorResponse(status, _exception_for(status), content_type, description))
            if media and _is_json(content_type):
                error_type = schemas.type_of(media[0][0].get("schema", {}), media[0][1] + "/schema")
                if error_type.kind == "model":
                    error_types.append(error_type.name)
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
    if not media:
        return _response("none", _NONE, status, "", description)
    schema, media_pointer = media[0][0].get("schema", {}), media[0][1]
    if _is_json(content_type):
        result = schemas.type_of(schema, pointer_join(media_pointer, "schema"))
        return _response("model" if result.kind == "model" else "adapter", result, status, content_type, description)
    if content_type.startswith("text/"):
        return _response("text", TypeRef("primitive", "str", name="str"), status, content_type, description)
    return _response("stream", TypeRef("primitive", "bytes", name="bytes"), status, content_type, description)


def _response(kind: ResponseKind, result: TypeRef, status: str, content_type: str, description: str) -> Response:
    """A success response with the return annotation and parse target each client flavour uses."""
    if kind == "stream":
        sync, async_ = "BinaryResponse", "AsyncBinaryResponse"
        parse_sync, parse_async = sync, async_
    else:
        sync = async_ = naming.qualify(result.annotation, result.models, "models.")
        parse_sync = parse_async = {"none": "type(None)", "text": "str"}.get(kind, sync)
    return Response(kind, result, status, content_type, description, sync, async_, parse_sync, parse_async)


def _pagination(
    schemas: SchemaBuilder, method_name: str, query: tuple[Param, ...], response: Response
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
        page_size_param=size,
        items_field=items.py_name,
        item_type=item_type,
        item_annotation=naming.qualify(item_type.annotation, item_type.models, "models."),
        page_number_field=named("pageNumber"),
        page_size_field=named("pageSize"),
        total_field=named("totalResults"),
    )


def _responses(schemas: SchemaBuilder, op: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any], str]]:
    result = []
    responses = _mapping(op.get("responses"))
    for status in sorted(responses, key=str):
        response, response_pointer = schemas.deref(responses[status], pointer_join(pointer, "responses", str(status)))
        if isinstance(response, dict):
            result.append((str(status).upper(), response, response_pointer))
    return result


def _media(schemas: SchemaBuilder, owner: Any, pointer: str) -> list[tuple[dict[str, Any], str]]:
    """The media types of a response or request body, JSON first."""
    owner, pointer = schemas.deref(owner, pointer)
    if not isinstance(owner, dict) or not isinstance(owner.get("content"), dict):
        return []
    entries = [
        (media, pointer_join(pointer, "content", content_type))
        for content_type, media in owner["content"].items()
        if isinstance(media, dict)
    ]
    return sorted(entries, key=lambda e: not _is_json(e[1].rsplit("/", 1)[-1].replace("~1", "/")))


def _exception_for(status: str) -> str:
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if status.startswith("5"):
        return "InternalServerError"
    return "APIStatusError"


def _is_json(content_type: str) -> bool:
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _server_url(doc: Document) -> str:
    for server in doc.data.get("servers") or []:
        url = _mapping(server).get("url")
        if isinstance(url, str):
            return url.rstrip("/")
    return ""


def _security(doc: Document, package: str) -> Security:
    schemes = _mapping(_mapping(doc.data.get("components")).get("securitySchemes"))
    for name, scheme in schemes.items():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            return Security(
                scheme_name=name,
                header_name=str(scheme.get("name") or "Authorization"),
                env_var=(package + "_" + naming.snake(name)).upper(),
                description=_text(scheme.get("description")),
            )
    raise GeneratorError(
        [
            Diagnostic(
                doc.source,
                "#/components/securitySchemes",
                "no apiKey security scheme sent in a header",
                hint="declare one, e.g. `auth_header: {type: apiKey, in: header, name: Authorization}`",
            )
        ]
    )


def _retry_policy(doc: Document) -> RetryPolicy:
    raw = doc.data.get("x-speakeasy-retries")
    if not isinstance(raw, dict) or not isinstance(raw.get("backoff"), dict):
        return _DEFAULT_RETRIES
    backoff = raw["backoff"]
    default = _DEFAULT_RETRIES
    return RetryPolicy(
        initial_interval_ms=int(backoff.get("initialInterval", default.initial_interval_ms)),
        max_interval_ms=int(backoff.get("maxInterval", default.max_interval_ms)),
        max_elapsed_ms=int(backoff.get("maxElapsedTime", default.max_elapsed_ms)),
        exponent=float(backoff.get("exponent", default.exponent)),
        status_codes=tuple(str(s).upper() for s in raw.get("statusCodes") or default.status_codes),
        retry_connection_errors=bool(raw.get("retryConnectionErrors", True)),
    )


def _name_taken(doc: Document, pointer: str, what: str, owner: str, hint: str) -> GeneratorError:
    message = f"{what} is taken by {owner!r}"
    return GeneratorError([Diagnostic(doc.source, pointer, message, line=doc.line_of(pointer), hint=hint)])


def _pager_names_apart(doc: Document, built: list[Operation]) -> list[Operation]:
    """A paged `list` also gets `list_all`; when an operation already has that name, the pager steps aside."""
    taken = {op.method_name for op in built}
    result = []
    for op in built:
        if op.pagination is not None and op.pagination.method_name in taken:
            helper = f"{op.method_name}_all_pages"
            if helper in taken:
                message = f"method names {op.pagination.method_name!r} and {helper!r} are both taken"
                hint = "set x-speakeasy-name-override on one of the operations"
                raise GeneratorError([Diagnostic(doc.source, "#/paths", message, hint=hint)])
            op = dataclasses.replace(op, pagination=dataclasses.replace(op.pagination, method_name=helper))
        result.append(op)
    return result


def _operation_types(op: Operation) -> list[TypeRef]:
    """The types an operation's signature, body handling and response parsing name."""
    types = [p.type for p in (*op.path_params, *op.query_params, *op.header_params)] + [op.response.type]
    if op.body is not None:
        types.append(op.body.type)
    return types


def _operation_models(op: Operation) -> tuple[str, ...]:
    """The model classes an operation's signature or body handling names."""
    return tuple(m for t in _operation_types(op) for m in t.models)


def _slug(heading: str) -> str:
    """The anchor GitHub gives a markdown heading: lower case, punctuation but `-` and `_` dropped."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


__all__ = ["ANY", "BuildOptions", "build_api"]
