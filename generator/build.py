"""Stage 3b: document + tags → `ir.Api`. Every reference, name, annotation and import is settled here."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import naming
from generator.distribution import client_subject, distribution
from generator.document import Document, as_mapping, as_text
from generator.errors import Diagnostic, GeneratorError, UsageError, pointer_join
from generator.ir import (
    Api,
    ChildResource,
    Operation,
    Param,
    Resource,
    RetryPolicy,
    SecurityScheme,
    TypeRef,
    Webhook,
)
from generator.ledger import entries
from generator.literals import py_literal
from generator.model_modules import merged_imports
from generator.operation_names import Entry, NameRule, group_of, ignored, method_names, name_rules, operation_id_of
from generator.operations import anchor, body_type, build_operation, discover_operation, media_of
from generator.package_settings import PackageSettings
from generator.progress import QUIET, Progress
from generator.readme import readme_calls, shown_credentials
from generator.reserved import BUILTIN_ANNOTATIONS, RESOURCE_IMPORTS, reserved
from generator.schemas import ANY, SchemaBuilder
from generator.security import security_schemes
from generator.typed_dicts import vocabulary

# Used when the document states no retry policy: the one Codat publishes.
_DEFAULT_RETRIES = RetryPolicy(500, 60_000, 3_600_000, 1.5, ("408", "429", "5XX"), True)


@dataclass(frozen=True)
class BuildOptions:
    tags: tuple[str, ...]
    package: str = "codat_accounting"
    # operationId -> method name, from the user's configuration; wins over x-speakeasy-name-override.
    operation_names: Mapping[str, str] = field(default_factory=dict)
    settings: PackageSettings = field(default_factory=PackageSettings)


def build_api(
    doc: Document, options: BuildOptions, warnings: list[Diagnostic] | None = None, progress: Progress = QUIET
) -> Api:
    """The IR for the operations of `options.tags` and every schema they reach; what the naming had to
    decide against the document's wishes is added to `warnings`."""
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
    every_tag = set(options.tags) >= {t for t in known if doc.tag_operations(t)}  # a declared tag may have none
    hooks = _webhook_bodies(doc, schemas) if every_tag else []
    if not options.tags and not hooks:  # a document of nothing but schemas is its models
        components = as_mapping(as_mapping(doc.data.get("components")).get("schemas"))
        for key, schema in components.items():
            schemas.discover(schema, pointer_join("#/components/schemas", key))
    schemas.assign_names()
    if not options.tags:
        schemas.build_all()
    error_types: list[TypeRef] = []
    schemes = security_schemes(doc, options.package)
    rules = name_rules(doc)
    naming_notes = warnings if warnings is not None else []
    grouped = _grouped(selected)
    # The bodies' models, with every model they reach, have their TypedDicts before any signature names them.
    schemas.plan_typed_dicts(
        t
        for operations in grouped.values()
        for pointer, _, _, op in operations
        if (t := body_type(schemas, op, pointer))
    )
    # Each operation's loosened places, by its pointer (the ledger names it once its resource is placed).
    loosened: dict[str, set[tuple[str, str]]] = {}
    built: dict[tuple[str, ...], Resource] = {}
    with progress.stage("building operations", "operation", sum(map(len, grouped.values()))) as tick:
        for group, operations in grouped.items():
            built[group] = _resource(
                doc,
                schemas,
                group,
                operations,
                error_types,
                options.operation_names,
                schemes,
                rules,
                naming_notes,
                loosened,
            )
            tick(len(operations))
    placed = _with_parents(built)
    order = sorted(placed, key=lambda path: naming.module_order(placed[path].module_name))
    resources = _with_replacements(_nested(dict(zip(order, _distinct([placed[path] for path in order]), strict=True))))
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
    webhooks = _webhooks(doc, schemas, hooks)  # builds the webhooks' models: before the modules are listed
    modules = schemas.modules()
    left_out = {
        (p, f"{method.upper()} {path}") for ops in selected.values() for p, path, method, op in ops if ignored(op)
    }
    ledger = entries(doc, resources, modules, loosened, sorted(left_out), schemas.loosened, schemas.left_out())
    return Api(
        title=title,
        subject=client_subject(title),
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
        modules=modules,
        distribution=dist,
        ledger=ledger,
        **webhooks,
        **readme_calls(resources, schemas, schemes, required),
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


def _webhook_bodies(doc: Document, schemas: SchemaBuilder) -> list[tuple[str, dict[str, Any], Any, str]]:
    """Each webhook the document declares (when every tag is chosen: the webhooks belong to none), with
    its operation and its body's schema and pointer, discovered for the models."""
    found = []
    for pointer, name, _, op in doc.webhook_operations():
        discover_operation(doc, schemas, pointer, op)
        body = media_of(schemas, op.get("requestBody"), pointer_join(pointer, "requestBody"))[:1]
        found += [(name, op, media.get("schema", {}), pointer_join(at, "schema")) for media, at in body]
    return found


# Body properties a webhook tells its event type by, most telling first.
_EVENT_TYPE_FIELDS = ("event_type", "event", "type", "event_name")


def _webhooks(
    doc: Document, schemas: SchemaBuilder, hooks: list[tuple[str, dict[str, Any], Any, str]]
) -> dict[str, Any]:
    """The webhooks whose body is a model, and the property all those models tell their event type by."""
    webhooks, models = [], []
    for name, op, schema, pointer in hooks:
        body = schemas.type_of(schema, pointer)
        if body.kind != "model" or body.nullable:
            continue
        pattern = "".join(".+?" if part.startswith("{") else re.escape(part) for part in re.split(r"({[^{}]*})", name))
        summary, description = as_text(op.get("summary")), as_text(op.get("description"))
        webhooks.append(Webhook(name, pattern, body.name, anchor(name), summary, description or summary))
        models.append(schemas.schema_named(body.name))
    shared = [
        {naming.snake(f.wire_name): f for f in model.fields if f.type.name == "str" or f.type.kind == "enum"}
        for model in models
    ]
    field_of = next((key for key in _EVENT_TYPE_FIELDS if shared and all(key in fields for fields in shared)), None)
    chosen = shared[0][field_of] if field_of is not None else None
    return {
        "webhooks": tuple(webhooks),
        "webhook_type_field": chosen.wire_name if chosen else "",
        "webhook_type_attr": chosen.py_name if chosen else "",
    }


def _example_credentials(schemes: tuple[SecurityScheme, ...], required: tuple[str, ...]) -> str:
    """The arguments the docs' examples construct the client with, as Python source."""
    return ", ".join(f"{c.arg_name}={py_literal(c.placeholder)}" for c in shown_credentials(schemes, required))


def _source_name(source: str) -> str:
    """The document's file name, reduced to characters that are plain in a comment of any kind."""
    name = source.replace("\\", "/").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"-{2,}", "-", re.sub(r"[^\w.-]+", "_", name, flags=re.A)) or "document"


def _grouped(selected: Mapping[str, list[Entry]]) -> dict[tuple[str, ...], list[Entry]]:
    """The chosen operations by resource: each in its `x-speakeasy-group`, else its tag; those the
    document marks `x-speakeasy-ignore` left out. A group spelt as a tag is (`accounting-bank-data.
    accounts` sits under the tag `Accounting bank data`, whose own operations it joins)."""
    tags = {naming.snake(tag): tag for tag in selected}
    grouped: dict[tuple[str, ...], list[Entry]] = {}
    for tag, operations in selected.items():
        for entry in operations:
            if not ignored(entry[3]):
                path = group_of(entry[3], tag)
                if path != (tag,):
                    path = (tags.get(naming.snake(path[0]), path[0]), *path[1:])
                members = grouped.setdefault(path, [])
                if entry not in members:
                    members.append(entry)
    return grouped


def _resource(
    doc: Document,
    schemas: SchemaBuilder,
    path: tuple[str, ...],
    operations: list[Entry],
    error_types: list[TypeRef],
    operation_names: Mapping[str, str],
    schemes: tuple[SecurityScheme, ...],
    rules: tuple[NameRule, ...],
    warnings: list[Diagnostic],
    loosened: dict[str, set[tuple[str, str]]],
) -> Resource:
    built: list[Operation] = []
    for entry, name in method_names(doc, operations, path[-1], rules, operation_names, warnings):
        pointer, http_path, method, op = entry
        operation_id = operation_id_of(entry)
        with schemas.scope() as places:
            built.append(
                build_operation(doc, schemas, pointer, http_path, method, op, operation_id, name, error_types, schemes)
            )
        loosened.setdefault(pointer, set()).update(places)
    built.sort(key=lambda o: o.method_name)
    built = _pager_names_apart(built)
    taken = {op.method_name for op in built} | {op.pagination.method_name for op in built if op.pagination}
    shadowed = tuple(sorted(BUILTIN_ANNOTATIONS & taken))
    if shadowed:
        built = [_unshadowed(op, shadowed) for op in built]
    retries_annotation = _builtins_qualified("RetryConfig | int | NotGiven | None", shadowed)
    headers_annotation = _builtins_qualified("Mapping[str, str] | None", shadowed)
    values_annotation = _builtins_qualified("Mapping[str, object] | None", shadowed)
    imports = set(RESOURCE_IMPORTS)
    imports.update(line for op in built for t in _operation_types(op) for line in t.imports)
    signatures = [
        retries_annotation,
        headers_annotation,
        values_annotation,
        *(a for op in built for a in _annotations(op)),
    ]
    if any("builtins." in annotation for annotation in signatures):
        imports.add("import builtins")
    # A body takes each of its models as its TypedDict too (and an enum as its values), in read-only containers.
    imports.update(line for annotation in signatures for line in vocabulary(annotation))
    if any(op.response.parse_as.startswith("cast(") for op in built):
        imports.add("from typing import cast")
    if any(op.response.parse_as == "NoneType" for op in built):
        imports.add("from types import NoneType")
    tag = ".".join(path)
    tag_node = next((t for t in doc.data.get("tags") or [] if isinstance(t, dict) and t.get("name") == tag), {})
    return _named_resource(
        path,
        as_text(tag_node.get("description")),
        operations=tuple(built),
        uses_models=any(_operation_models(op) for op in built),
        std_imports=merged_imports({line for line in imports if not line.startswith(("from pydantic ", "from .."))}),
        third_party_imports=merged_imports({line for line in imports if line.startswith("from pydantic ")}),
        local_imports=merged_imports({line for line in imports if line.startswith("from ..")}),
        retries_annotation=retries_annotation,
        extra_headers_annotation=headers_annotation,
        extra_values_annotation=values_annotation,
    )


def _named_resource(path: tuple[str, ...], description: str, **parts: Any) -> Resource:
    """A resource named after its place: the attribute its last part, the module and class all of it
    (`accounts-receivable.invoices` is `invoices` of `accounts_receivable`, class AccountsReceivableInvoices)."""
    class_name = naming.safe_pascal(" ".join(path))
    if {class_name, "Async" + class_name} & reserved().resource_classes:
        class_name += "Resource"  # the client's module imports both beside the SDK's own classes
    reserved_here = reserved().client_attributes if len(path) == 1 else reserved().methods
    attr = naming.safe_snake(path[-1], reserved_here, fallback="resource")
    return Resource(
        tag=".".join(path),
        attr_name=attr,
        class_name=class_name,
        async_class_name="Async" + class_name,
        module_name=naming.file_safe(naming.safe_snake("_".join(path), fallback="resource")),
        description=description,
        access=".".join(naming.safe_snake(part, fallback="resource") for part in path),
        **parts,
    )


def _with_parents(resources: dict[tuple[str, ...], Resource]) -> dict[tuple[str, ...], Resource]:
    """Every resource by its path, and one for each group that only holds others (Lending's
    `accounts-payable`)."""
    parents = {path[:i] for path in resources for i in range(1, len(path))} - resources.keys()
    empty = {
        "operations": (),
        "uses_models": False,
        "std_imports": merged_imports({"from functools import cached_property", "from typing import TYPE_CHECKING"}),
        "third_party_imports": (),
        "local_imports": (),
        "retries_annotation": "",
        "extra_headers_annotation": "",
        "extra_values_annotation": "",
    }
    return {**resources, **{path: _named_resource(path, "", **empty) for path in sorted(parents)}}


def _nested(resources: dict[tuple[str, ...], Resource]) -> tuple[Resource, ...]:
    """Each resource with the groups it holds, the attributes of siblings apart from each other and from
    their parent's methods, and the path a caller takes to each (`client.accounts_receivable.invoices`)."""
    placed: dict[tuple[str, ...], Resource] = {}
    for path in sorted(resources, key=lambda p: (len(p), p)):
        resource, parent = resources[path], placed.get(path[:-1])
        siblings = {r.attr_name for p, r in placed.items() if p[:-1] == path[:-1]}
        pagers = {op.pagination.method_name for op in parent.operations if op.pagination} if parent else set()
        taken = siblings | ({op.method_name for op in parent.operations} | pagers if parent else set())
        attr = resource.attr_name
        while attr in taken:
            attr += "_"
        access = f"{parent.access}.{attr}" if parent else attr
        placed[path] = dataclasses.replace(resource, attr_name=attr, access=access)
    return tuple(
        dataclasses.replace(
            placed[path],
            children=tuple(
                ChildResource(c.attr_name, c.class_name, c.async_class_name, c.module_name, c.description or c.tag)
                for p, c in placed.items()
                if p[:-1] == path and len(p) == len(path) + 1
            ),
        )
        for path in resources
    )


def _distinct(resources: list[Resource]) -> tuple[Resource, ...]:
    """Tags whose names spell the same words (`Managed Clusters`, `ManagedClusters`) get one each, and so
    do tags whose classes meet (`BinaryResponse`'s async twin is the class tag `AsyncBinaryResponse` gets).
    A nested resource's attribute is its parent's business (`_nested`); its module and class are everyone's."""
    taken: set[str] = set()
    result = []
    for original in resources:
        resource, number = original, 1
        while _names(resource) & taken:
            number += 1
            resource = dataclasses.replace(
                original,
                module_name=f"{original.module_name}_{number}",
                class_name=f"{original.class_name}{number}",
                async_class_name=f"{original.async_class_name}{number}",
            )
            if original.top_level:
                resource = dataclasses.replace(
                    resource, attr_name=f"{original.attr_name}_{number}", access=f"{original.access}_{number}"
                )
        taken |= _names(resource)
        result.append(resource)
    return tuple(result)


def _names(resource: Resource) -> set[str]:
    names = {resource.module_name, resource.class_name, resource.async_class_name}
    return names | {resource.attr_name} if resource.top_level else names


def _with_replacements(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """Each deprecated operation with the call that replaces it (its document's
    `x-speakeasy-deprecation-replacement`, an operationId) and the one-line warning a call gives."""
    calls = {op.operation_id: f"{r.access}.{op.method_name}" for r in resources for op in r.operations}

    def settled(resource: Resource, op: Operation) -> Operation:
        if not op.deprecated:
            return op
        replacement = calls.get(op.replacement, f"the operation {op.replacement}" if op.replacement else "")
        warning = f"{resource.access}.{op.method_name} is deprecated by the API document"
        warning += f"; use {replacement} instead" if replacement else ""
        said = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(op.deprecation.split()))
        warning += f": {said}" if said else ""
        return dataclasses.replace(op, replacement=replacement, deprecation_warning=warning)

    return tuple(dataclasses.replace(r, operations=tuple(settled(r, op) for op in r.operations)) for r in resources)


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
    return dataclasses.replace(resource, operations=operations, uses_models=bool(operations))


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
