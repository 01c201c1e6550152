"""Stage 4: document + tags → `Api`. Every reference, name, annotation and import is settled here."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.builder.distribution import client_subject, distribution
from generator.builder.ledger import entries
from generator.builder.operation_names import (
    ignored,
    name_rules,
)
from generator.builder.operations import anchor, body_type, discover_operation
from generator.builder.package_settings import PackageSettings
from generator.builder.readme import readme_calls, shown_credentials
from generator.builder.resources import (
    build_resource,
    distinct,
    grouped_operations,
    nested,
    with_fallback_error,
    with_parents,
    with_replacements,
)
from generator.builder.responses import media_of
from generator.builder.schemas import SchemaBuilder
from generator.builder.security import security_schemes
from generator.document.parsed import Document, as_mapping, as_text
from generator.errors import Diagnostic, GeneratorError, UsageError, pointer_join
from generator.ir.api import Api, Resource, RetryPolicy, SecurityScheme, Webhook
from generator.ir.models import TypeRef
from generator.progress import QUIET, Progress
from generator.text import naming
from generator.text.literals import py_literal

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
    grouped = grouped_operations(selected)
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
            built[group] = build_resource(
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
    placed = with_parents(built)
    order = sorted(placed, key=lambda path: naming.module_order(placed[path].module_name))
    resources = with_replacements(nested(dict(zip(order, distinct([placed[path] for path in order]), strict=True))))
    shared_error = {t.name for t in error_types}
    error_model = (
        error_types[0].name if len(shared_error) == 1 and all(t.kind == "model" for t in error_types) else None
    )
    if error_model is not None:
        resources = tuple(with_fallback_error(r, error_model) for r in resources)
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
