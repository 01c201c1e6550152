"""Stage 3b: document + tags → `ir.Api`. Every reference, name, annotation and import is settled here."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import naming
from generator.distribution import PackageSettings, distribution
from generator.document import Document, as_mapping, as_text
from generator.errors import Diagnostic, GeneratorError, UsageError, pointer_join
from generator.ir import (
    Api,
    Operation,
    Param,
    Resource,
    RetryPolicy,
    SecurityScheme,
    TypeRef,
)
from generator.literals import py_literal
from generator.model_modules import merged_imports
from generator.operations import build_operation, discover_operation, media_of
from generator.schemas import ANY, SchemaBuilder
from generator.security import security_schemes

# Builtins the resources' signatures name: a method called so would hide them in its class's annotations.
_SIGNATURE_BUILTINS = ("bool", "bytes", "dict", "float", "int", "list", "object", "str")
# What the client classes have themselves: a resource attribute may not take their names.
_CLIENT_ATTRIBUTES = frozenset({"request", "close", "base_url", "timeout", "retry_config"})
# Modules the signatures name: a method may not take their names.
_SIGNATURE_MODULES = frozenset({"builtins", "datetime", "models"})
# Used when the document states no retry policy: the one Codat publishes.
_DEFAULT_RETRIES = RetryPolicy(500, 60_000, 3_600_000, 1.5, ("408", "429", "5XX"), True)


@dataclass(frozen=True)
class BuildOptions:
    tags: tuple[str, ...]
    package: str = "codat_accounting"
    # operationId -> method name, from the user's configuration; wins over x-speakeasy-name-override.
    operation_names: Mapping[str, str] = field(default_factory=dict)
    settings: PackageSettings = field(default_factory=PackageSettings)


def build_api(doc: Document, options: BuildOptions) -> Api:
    """The IR for the operations of `options.tags` and every schema they reach."""
    known = doc.tags()
    missing = [t for t in options.tags if t not in known]
    if missing:
        raise UsageError(
            Diagnostic(doc.source, "#/tags", f"unknown tag {t!r}", hint=_tag_hint(t, known)) for t in missing
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
            discover_operation(doc, schemas, pointer, op)
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
    info = as_mapping(doc.data.get("info"))
    title = as_text(info.get("title")) or "API"
    everywhere = {op.security for r in resources for op in r.operations}
    required = everywhere.pop()[0] if len(everywhere) == 1 and len(next(iter(everywhere), ())) == 1 else ()
    dist = distribution(doc, options.package, options.settings)
    return Api(
        title=title,
        version=as_text(info.get("version")) or "0.0.0",
        description=as_text(info.get("description")),
        source_name=_source_name(doc.source),
        source_sha256=doc.sha256,
        package=options.package,
        dist_name=dist.name,
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
        distribution=dist,
        payloads=tuple(
            (name, t.name) for name, pointer in payloads if (t := schemas.type_of(*pointer)).kind == "model"
        ),
    )


def _tag_hint(tag: str, known: list[str]) -> str:
    """`did you mean` for a tag spelt in another case or slightly off; every tag only when none is close."""
    if not known:
        return "the document has no tags"
    same = [t for t in known if t.casefold() == tag.casefold()]
    close = same or difflib.get_close_matches(tag, known, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(t) for t in close) + "?"
    return "known tags: " + ", ".join(known)


def _models_only(doc: Document, schemas: SchemaBuilder) -> list[tuple[str, tuple[Any, str]]]:
    """A document without operations is its models: those its webhooks send (each webhook's name and
    its body's schema), else every schema of its components."""
    payloads = []
    for pointer, name, _, op in doc.webhook_operations():
        discover_operation(doc, schemas, pointer, op)
        body = media_of(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody"))[:1]
        payloads += [(name, (media.get("schema", {}), pointer_join(at, "schema"))) for media, at in body]
    if not payloads:
        components = as_mapping(as_mapping(doc.data.get("components")).get("schemas"))
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
        operation_id = as_text(op.get("operationId")) or f"{method} {path}"
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
        built.append(build_operation(doc, schemas, pointer, path, method, op, operation_id, name, error_types, schemes))
    built.sort(key=lambda o: o.method_name)
    built = _pager_names_apart(built)
    method_names = {op.method_name for op in built} | {op.pagination.method_name for op in built if op.pagination}
    shadowed = tuple(b for b in _SIGNATURE_BUILTINS if b in method_names)
    if shadowed:
        built = [_unshadowed(op, shadowed) for op in built]
    retries_annotation = _builtins_qualified("RetryConfig | int | NotGiven | None", shadowed)
    headers_annotation = _builtins_qualified("Mapping[str, str] | None", shadowed)
    imports = {
        "from collections.abc import Mapping",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING",
    }
    imports.update(line for op in built for t in _operation_types(op) for line in t.imports)
    signatures = [retries_annotation, headers_annotation, *(a for op in built for a in _annotations(op))]
    if any("builtins." in annotation for annotation in signatures):
        imports.add("import builtins")
    # A body takes each of its models as a dict of the same shape too, in read-only containers.
    if any(re.search(r"\bAny\b", annotation) for annotation in signatures):
        imports.add("from typing import Any")
    if any("Sequence[" in annotation for annotation in signatures):
        imports.add("from collections.abc import Sequence")
    if any(op.response.parse_as.startswith("cast(") for op in built):
        imports.add("from typing import cast")
    if any(op.response.parse_as == "NoneType" for op in built):
        imports.add("from types import NoneType")
    tag_node = next((t for t in doc.data.get("tags") or [] if isinstance(t, dict) and t.get("name") == tag), {})
    class_name = naming.safe_pascal(tag)
    if {class_name, "Async" + class_name} & _SDK_NAMES:
        class_name += "Resource"  # the client's module imports both beside the SDK's own classes
    return Resource(
        tag=tag,
        attr_name=naming.safe_snake(tag, _CLIENT_ATTRIBUTES, fallback="resource"),
        class_name=class_name,
        async_class_name="Async" + class_name,
        module_name=naming.file_safe(naming.safe_snake(tag, fallback="resource")),
        description=as_text(tag_node.get("description")),
        operations=tuple(built),
        uses_models=any(_operation_models(op) for op in built),
        std_imports=merged_imports({line for line in imports if not line.startswith(("from pydantic ", "from .."))}),
        third_party_imports=merged_imports({line for line in imports if line.startswith("from pydantic ")}),
        local_imports=merged_imports({line for line in imports if line.startswith("from ..")}),
        retries_annotation=retries_annotation,
        extra_headers_annotation=headers_annotation,
    )


# Names the client and resources modules import from the SDK's own modules or the standard library:
# a resource class (or its Async twin) named so would shadow one of them (telnyx.com's `Credentials` tag).
_SDK_NAMES = frozenset(
    {
        "Any",
        "APIResponse",
        "AsyncAPIClient",
        "AsyncAPIResponse",
        "AsyncBinaryResponse",
        "AsyncPager",
        "BinaryResponse",
        "CodatError",
        "Credentials",
        "FileContent",
        "Mapping",
        "NoneType",
        "NotGiven",
        "PageInfo",
        "RequestOptions",
        "RetryConfig",
        "SyncAPIClient",
        "SyncPager",
        "Timeout",
    }
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


def _server_url(doc: Document) -> str:
    """The first server's URL, its variables set to their defaults."""
    for server in doc.data.get("servers") or []:
        url = as_mapping(server).get("url")
        if isinstance(url, str):
            return _with_defaults(url, as_mapping(as_mapping(server).get("variables"))).rstrip("/")
    return ""


def _with_defaults(url: str, variables: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        default = as_mapping(variables.get(match.group(1))).get("default")
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


__all__ = ["ANY", "BuildOptions", "build_api"]
