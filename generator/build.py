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
    SecurityScheme,
    TypeRef,
)
from generator.literals import py_literal
from generator.schemas import ANY, SchemaBuilder, merged_imports, optional
from generator.security import requirements, security_schemes

_PER_CALL = frozenset({"timeout", "retries", "extra_headers", "self"})
# Names a method's body uses (and the pager's inner functions): a parameter may not hide them.
_BODY_NAMES = frozenset(
    {"builtins", "cast", "fetch", "fields", "files", "models", "number", "options", "read", "result", "warnings"}
)
_FORM = "application/x-www-form-urlencoded"
_FORMS = frozenset({_FORM, "multipart/form-data", "multipart/mixed"})
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
# Builtins the resources' signatures name: a method called so would hide them in its class's annotations.
_SIGNATURE_BUILTINS = ("bool", "bytes", "dict", "float", "int", "list", "object", "str")
# What the client classes have themselves: a resource attribute may not take their names.
_CLIENT_ATTRIBUTES = frozenset({"request", "close", "base_url", "timeout", "retry_config"})
# Modules the signatures name: a method may not take their names.
_SIGNATURE_MODULES = frozenset({"builtins", "datetime", "models"})
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
    selected = {tag: doc.tag_operations(tag) for tag in options.tags}
    empty = [tag for tag, operations in selected.items() if not operations]
    if empty:
        with_operations = [t for t in known if doc.tag_operations(t)]
        hint = "tags with operations: " + ", ".join(with_operations)
        raise GeneratorError(Diagnostic(doc.source, "#/tags", f"tag {t!r} has no operations", hint=hint) for t in empty)
    client_class = naming.safe_pascal(options.package)
    schemas = SchemaBuilder(doc, frozenset({client_class, "Async" + client_class}))
    for operations in selected.values():
        for pointer, _, _, op in operations:
            _discover_operation(doc, schemas, pointer, op)
    payloads = _models_only(doc, schemas) if not options.tags else ()
    schemas.assign_names()
    if not options.tags:
        schemas.build_all()
    error_types: list[TypeRef] = []
    schemes = security_schemes(doc, options.package)
    built = (
        _resource(doc, schemas, tag, operations, error_types, options.operation_names, schemes)
        for tag, operations in selected.items()
    )
    resources = _distinct(sorted(built, key=lambda r: naming.module_order(r.module_name)))
    shared_error = {t.name for t in error_types}
    error_model = (
        error_types[0].name if len(shared_error) == 1 and all(t.kind == "model" for t in error_types) else None
    )
    if error_model is not None:
        resources = tuple(_with_fallback_error(r, error_model) for r in resources)
    info = _mapping(doc.data.get("info"))
    title = _text(info.get("title")) or "API"
    everywhere = {op.security for r in resources for op in r.operations}
    required = everywhere.pop()[0] if len(everywhere) == 1 and len(next(iter(everywhere), ())) == 1 else ()
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
        schemes=schemes,
        required_schemes=required,
        example_credentials=_example_credentials(schemes, required),
        retries=_retry_policy(doc),
        error_model=error_model,
        resources=resources,
        modules=schemas.modules(),
        payloads=tuple(
            (name, t.name) for name, pointer in payloads if (t := schemas.type_of(*pointer)).kind == "model"
        ),
    )


def _models_only(doc: Document, schemas: SchemaBuilder) -> list[tuple[str, tuple[Any, str]]]:
    """A document without operations is its models: those its webhooks send (each webhook's name and
    its body's schema), else every schema of its components."""
    payloads = []
    for pointer, name, _, op in doc.webhook_operations():
        _discover_operation(doc, schemas, pointer, op)
        body = _media(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody"))[:1]
        payloads += [(name, (media.get("schema", {}), pointer_join(at, "schema"))) for media, at in body]
    if not payloads:
        components = _mapping(_mapping(doc.data.get("components")).get("schemas"))
        for key, schema in components.items():
            schemas.discover(schema, pointer_join("#/components/schemas", key))
    return payloads


def _example_credentials(schemes: tuple[SecurityScheme, ...], required: tuple[str, ...]) -> str:
    """The arguments the docs' examples construct the client with: the required scheme's, else the first's."""
    chosen = [s for s in schemes if s.key in required] or [s for s in schemes if s.credentials][:1]
    args = []
    for scheme in chosen:
        # A client-credentials flow is shown with its client's id and secret, not a token fetched by hand.
        shown = [c for c in scheme.credentials if c.role != "value"] or list(scheme.credentials)
        args += [f"{c.arg_name}={py_literal(c.placeholder)}" for c in shown]
    return ", ".join(args)


def _source_name(source: str) -> str:
    """The document's file name, reduced to characters that are plain in a comment of any kind."""
    name = source.replace("\\", "/").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"-{2,}", "-", re.sub(r"[^\w.-]+", "_", name, flags=re.A)) or "document"


def _discover_operation(doc: Document, schemas: SchemaBuilder, pointer: str, op: dict[str, Any]) -> None:
    for param, param_pointer in _params(doc, schemas, pointer, op):
        if isinstance(param.get("schema"), dict):
            schemas.discover(param["schema"], pointer_join(param_pointer, "schema"))
    # Only the media type the SDK sends or reads (the first, JSON first): the others make no classes.
    for media, media_pointer in _media(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody"))[:1]:
        schemas.discover(media.get("schema", {}), pointer_join(media_pointer, "schema"))
    for _, response, response_pointer in _responses(schemas, op, pointer):
        for media, media_pointer in _media(schemas, response, response_pointer)[:1]:
            schemas.discover(media.get("schema", {}), pointer_join(media_pointer, "schema"))


def _resource(
    doc: Document,
    schemas: SchemaBuilder,
    tag: str,
    operations: list[tuple[str, str, str, dict[str, Any]]],
    error_types: list[TypeRef],
    operation_names: Mapping[str, str],
    schemes: tuple[SecurityScheme, ...],
) -> Resource:
    built: list[Operation] = []
    names: dict[str, str] = {}
    for pointer, path, method, op in sorted(operations, key=lambda e: (e[1], e[2])):
        operation_id = _text(op.get("operationId")) or f"{method} {path}"
        configured = operation_names.get(operation_id)
        override = configured or op.get("x-speakeasy-name-override")
        name = (
            naming.safe_snake(override, _SIGNATURE_MODULES)
            if isinstance(override, str) and naming.snake(override)
            else naming.safe_snake(naming.method_name(operation_id, tag, method, path), _SIGNATURE_MODULES)
        )
        if name in names or name == "with_raw_response":
            if configured:
                hint = "choose another name under [tool.codat-sdkgen.operation-names]"
                raise _name_taken(doc, pointer, f"configured method name {name!r}", names.get(name, name), hint)
            # Deterministic: operations are sorted, so the same one keeps the short name every run.
            whole = naming.safe_snake(operation_id, _SIGNATURE_MODULES, fallback="call")
            name = next(
                candidate
                for candidate in (whole, f"{whole}_{method}", *(f"{whole}_{i}" for i in range(2, len(names) + 3)))
                if candidate not in names and candidate != "with_raw_response"
            )
        names[name] = operation_id
        built.append(_operation(doc, schemas, pointer, path, method, op, operation_id, name, error_types, schemes))
    built.sort(key=lambda o: o.method_name)
    built = _pager_names_apart(built)
    method_names = {op.method_name for op in built} | {op.pagination.method_name for op in built if op.pagination}
    shadowed = tuple(b for b in _SIGNATURE_BUILTINS if b in method_names)
    if shadowed:
        built = [_unshadowed(op, shadowed) for op in built]
    retries_annotation = _builtins_qualified("RetryConfig | int | NotGiven | None", shadowed)
    headers_annotation = _builtins_qualified("Mapping[str, str] | None", shadowed)
    imports = {"from collections.abc import Mapping", "from typing import TYPE_CHECKING"}
    imports.update(line for op in built for t in _operation_types(op) for line in t.imports)
    signatures = [retries_annotation, headers_annotation, *(a for op in built for a in _annotations(op))]
    if any("builtins." in annotation for annotation in signatures):
        imports.add("import builtins")
    if any(op.deprecated for op in built):
        imports.add("import warnings")
    if any(op.body is not None and op.body.type.kind == "model" for op in built):
        imports.add("from typing import Any")  # a model body also takes a plain dict[str, Any]
    if any(op.response.parse_as.startswith("cast(") for op in built):
        imports.add("from typing import cast")
    if any(op.response.parse_as == "NoneType" for op in built):
        imports.add("from types import NoneType")
    tag_node = next((t for t in doc.data.get("tags") or [] if isinstance(t, dict) and t.get("name") == tag), {})
    class_name = naming.safe_pascal(tag)
    return Resource(
        tag=tag,
        attr_name=naming.safe_snake(tag, _CLIENT_ATTRIBUTES, fallback="resource"),
        class_name=class_name,
        async_class_name="Async" + class_name,
        module_name=naming.safe_snake(tag, fallback="resource"),
        description=_text(tag_node.get("description")),
        operations=tuple(built),
        uses_models=any(_operation_models(op) for op in built),
        std_imports=merged_imports({line for line in imports if not line.startswith(("from pydantic ", "from .."))}),
        third_party_imports=merged_imports({line for line in imports if line.startswith("from pydantic ")}),
        local_imports=merged_imports({line for line in imports if line.startswith("from ..")}),
        retries_annotation=retries_annotation,
        extra_headers_annotation=headers_annotation,
    )


def _distinct(resources: list[Resource]) -> tuple[Resource, ...]:
    """Tags whose names spell the same words (`Managed Clusters`, `ManagedClusters`) get one each."""
    taken: set[str] = set()
    result = []
    for original in resources:
        resource, number = original, 1
        while {resource.module_name, resource.attr_name} & taken:
            number += 1
            resource = dataclasses.replace(
                original,
                module_name=f"{original.module_name}_{number}",
                attr_name=f"{original.attr_name}_{number}",
                class_name=f"{original.class_name}{number}",
                async_class_name=f"{original.async_class_name}{number}",
            )
        taken |= {resource.module_name, resource.attr_name}
        result.append(resource)
    return tuple(result)


def _with_fallback_error(resource: Resource, model: str) -> Resource:
    """Statuses an operation does not document are parsed by the API's one error model too."""
    fallback = ("default", f"models.{model}")
    operations = tuple(
        (
            op
            if any(key == "default" for key, _ in op.error_parsers)
            else dataclasses.replace(op, error_parsers=(*op.error_parsers, fallback))
        )
        for op in resource.operations
    )
    return dataclasses.replace(resource, operations=operations, uses_models=True)


def _annotations(op: Operation) -> list[str]:
    """Every annotation an operation's methods write in their signatures."""
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    found = [p.annotation for p in params] + [op.response.returns, op.response.async_returns]
    found += [op.body.annotation] if op.body else []
    found += [op.pagination.item_annotation] if op.pagination else []
    return found


def _unshadowed(op: Operation, shadowed: tuple[str, ...]) -> Operation:
    """The operation with every annotation its signature writes spelling shadowed builtins as `builtins.X`."""

    def fix(text: str) -> str:
        return _builtins_qualified(text, shadowed)

    response = dataclasses.replace(
        op.response,
        returns=fix(op.response.returns),
        async_returns=fix(op.response.async_returns),
    )

    def fixed(params: tuple[Param, ...]) -> tuple[Param, ...]:
        return tuple(dataclasses.replace(p, annotation=fix(p.annotation)) for p in params)

    body = dataclasses.replace(op.body, annotation=fix(op.body.annotation)) if op.body else None
    pagination = (
        dataclasses.replace(op.pagination, item_annotation=fix(op.pagination.item_annotation))
        if op.pagination
        else None
    )
    return dataclasses.replace(
        op,
        response=response,
        body=body,
        pagination=pagination,
        path_params=fixed(op.path_params),
        query_params=fixed(op.query_params),
        header_params=fixed(op.header_params),
        cookie_params=fixed(op.cookie_params),
    )


_STRING_OR_NAME = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?<![\w.])([A-Za-z_]\w*)""")


def _builtins_qualified(annotation: str, shadowed: tuple[str, ...]) -> str:
    """`list[X]` → `builtins.list[X]` for each shadowed name, leaving string literals as they are."""
    if not shadowed:
        return annotation

    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"builtins.{name}" if name in shadowed else match.group(0)

    return _STRING_OR_NAME.sub(replace, annotation)


def _operation(
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
    reserved = _PER_CALL | ({body.py_name} if body else set())
    params: list[Param] = []
    used: set[str] = set()
    page_start = 1
    for param, param_pointer in _params(doc, schemas, pointer, op):
        location = param.get("in")
        if location not in ("path", "query", "header", "cookie"):
            continue
        params.append(_param(schemas, param, param_pointer, cast(Any, location), reserved, used))
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
    response, errors = _outcomes(schemas, op, pointer, error_types)
    query = tuple(p for p in params if p.location == "query")
    headers = tuple(p for p in params if p.location == "header")
    cookies = tuple(p for p in params if p.location == "cookie")
    example = example_args(schemas, (*path_params, *query, *headers, *cookies), body)
    pagination = _pagination(schemas, method_name, query, response, page_start) if method == "get" else None
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
        cookie_params=cookies,
        body=body,
        response=response,
        errors=errors,
        example=example,
        example_uses_models=any("models." in arg.source for arg in example),
        pagination=pagination,
        error_parsers=tuple((e.status, e.parse_as) for e in errors if e.parse_as is not None),
        security=requirements(doc, op, schemes),
    )


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
    reserved: frozenset[str] | set[str],
    used: set[str],
) -> Param:
    schema = param.get("schema") if isinstance(param.get("schema"), dict) else {}
    resolved, _ = schemas.deref(schema, pointer_join(pointer, "schema"))
    param_type = schemas.type_of(schema, pointer_join(pointer, "schema"))
    if param_type.kind == "primitive" and param_type.name not in ("int", "float", "bool"):
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
    name = naming.safe_snake(param["name"], frozenset(reserved) | naming.MODEL_RESERVED | _BODY_NAMES, "param")
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
        annotation=naming.qualify(param_type.annotation, param_type.models, "models."),
        required=default_repr is None,
        default_repr=default_repr,
        description=description,
        example_repr=param_example(schemas, param, resolved, param_type),
    )


def _body(schemas: SchemaBuilder, op: dict[str, Any], pointer: str) -> Body | None:
    body_pointer = pointer_join(pointer, "requestBody")
    for media, media_pointer in _media(schemas, op.get("requestBody"), body_pointer):
        content_type = media_pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        request_body, _ = schemas.deref(op["requestBody"], body_pointer)
        required = request_body.get("required") is True
        description = _text(request_body.get("description"))
        base = content_type.split(";", 1)[0].strip().lower()
        schema_pointer = pointer_join(media_pointer, "schema")
        body_type = schemas.type_of(media.get("schema", {}), schema_pointer)
        kind: Literal["json", "form", "multipart", "file", "raw"]
        if _is_json(content_type) or (base in _FORMS and body_type.kind == "model"):
            kind = "json" if _is_json(content_type) else "form" if base == _FORM else "multipart"
            if body_type.kind == "model":
                name = naming.safe_snake(body_type.name, _PER_CALL, "body")
                annotation = f"models.{body_type.name} | dict[str, Any]"
            elif kind == "json":
                name = "body"
                annotation = naming.qualify(body_type.annotation, body_type.models, "models.")
            else:
                kind, name, annotation = "form", "data", "Mapping[str, object]"
        elif base == _FORM:
            kind, name, annotation = "form", "data", "Mapping[str, object]"
            body_type = TypeRef("dict", "Mapping[str, object]")
        elif base.startswith("multipart/"):
            # A multipart body without declared parts (Codat's uploads) is one file, sent as part `file`.
            kind, name, annotation = "file", "file", "FileContent"
            body_type = TypeRef("primitive", "FileContent", name="FileContent")
        else:
            kind, name, annotation = "raw", "content", "bytes"
            body_type = TypeRef("primitive", "bytes", name="bytes")
        if not required:
            annotation += " | None"
        return Body(kind, name, body_type, annotation, content_type, required, description)
    return None


def _outcomes(
    schemas: SchemaBuilder, op: dict[str, Any], pointer: str, error_types: list[TypeRef]
) -> tuple[Response, tuple[ErrorResponse, ...]]:
    """The success response (the first 2XX, else `default`) and the failures the document describes."""
    responses = _responses(schemas, op, pointer)
    success: Response | None = None
    success_status = next((s for s, _, _ in responses if s.startswith("2")), "DEFAULT")
    errors: list[ErrorResponse] = []
    for status, response, response_pointer in responses:
        media = _media(schemas, response, response_pointer)
        content_type = media[0][1].rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if media else ""
        description = _text(response.get("description"))
        if status == success_status and success is None:
            success = _success(schemas, status.lower(), media, content_type, description)
        if status[:1] in ("4", "5") or (status == "DEFAULT" != success_status):
            error_type = None
            if media and _is_json(content_type):
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
    if not media:
        return _response("none", _NONE, status, "", description)
    schema, media_pointer = media[0][0].get("schema", {}), media[0][1]
    if _is_json(content_type):
        result = schemas.type_of(schema, pointer_join(media_pointer, "schema"))
        if result.annotation == "None":
            return _response("none", _NONE, status, content_type, description)
        kind: ResponseKind = "model" if result.kind == "model" and not result.nullable else "adapter"
        return _response(kind, result, status, content_type, description)
    if content_type.startswith("text/"):
        return _response("text", TypeRef("primitive", "str", name="str"), status, content_type, description)
    return _response("stream", TypeRef("primitive", "bytes", name="bytes"), status, content_type, description)


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
    """The first server's URL, its variables set to their defaults."""
    for server in doc.data.get("servers") or []:
        url = _mapping(server).get("url")
        if isinstance(url, str):
            return _with_defaults(url, _mapping(_mapping(server).get("variables"))).rstrip("/")
    return ""


def _with_defaults(url: str, variables: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        default = _mapping(variables.get(match.group(1))).get("default")
        return str(default) if isinstance(default, str | int | float) else match.group(0)

    return re.sub(r"{([^{}]+)}", value, url)


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


def _pager_names_apart(built: list[Operation]) -> list[Operation]:
    """A paged `list` also gets `list_all`; when an operation already has that name, the pager steps aside."""
    taken = {op.method_name for op in built}
    result = []
    for op in built:
        if op.pagination is not None and op.pagination.method_name in taken:
            helper = next(
                candidate
                for candidate in (f"{op.method_name}_all_pages", *(f"{op.method_name}_all_{i}" for i in range(2, 99)))
                if candidate not in taken
            )
            taken.add(helper)
            op = dataclasses.replace(op, pagination=dataclasses.replace(op.pagination, method_name=helper))
        result.append(op)
    return result


def _operation_types(op: Operation) -> list[TypeRef]:
    """The types an operation's signature, body handling and response parsing name."""
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    types = [p.type for p in params] + [op.response.type] + [e.type for e in op.errors if e.type is not None]
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
