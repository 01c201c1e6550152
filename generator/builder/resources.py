"""Operations grouped into resources: each resource's operations built and named apart, resources nested
under their parents, their module names made distinct, and names that would shadow a builtin qualified."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from generator.builder.model_modules import merged_imports
from generator.builder.operation_names import (
    Entry,
    NameRule,
    group_of,
    ignored,
    method_names,
    operation_id_of,
)
from generator.builder.operations import build_operation
from generator.builder.schemas import SchemaBuilder
from generator.builder.typed_dicts import vocabulary
from generator.document.parsed import Document, as_text
from generator.errors import Diagnostic
from generator.ir.api import ChildResource, Resource, SecurityScheme
from generator.ir.models import TypeRef
from generator.ir.operations import Operation, Param
from generator.text import naming
from generator.text.reserved import BUILTIN_ANNOTATIONS, RESOURCE_IMPORTS, reserved


def grouped_operations(selected: Mapping[str, list[Entry]]) -> dict[tuple[str, ...], list[Entry]]:
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


def build_resource(
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


def with_parents(resources: dict[tuple[str, ...], Resource]) -> dict[tuple[str, ...], Resource]:
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


def nested(resources: dict[tuple[str, ...], Resource]) -> tuple[Resource, ...]:
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


def distinct(resources: list[Resource]) -> tuple[Resource, ...]:
    """Tags whose names spell the same words (`Managed Clusters`, `ManagedClusters`) get one each, and so
    do tags whose classes meet (`BinaryResponse`'s async twin is the class tag `AsyncBinaryResponse` gets).
    A nested resource's attribute is its parent's business (`nested`); its module and class are everyone's."""
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


def with_replacements(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
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


def with_fallback_error(resource: Resource, model: str) -> Resource:
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
