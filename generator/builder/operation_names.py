"""The method name of each operation of one resource, as the document asks for it.

Codat's documents carry their SDKs' naming rules: a root `x-speakeasy-name-override` list of operationId
patterns and the names they give (`^list-.*?` → `list`, `^list-.*?-attachments` → `list-attachments`),
and an operation's own `x-speakeasy-name-override`. Our settings' `operation-names` win over both. An
operation no rule covers is named by its operationId as written, in a document that gives rules, and by
its operationId without the resource's noun otherwise (`create-customer` → `create`).

Rules run from the general to the particular in a document's list, so of those that match, the last
wins (`list-customer-attachments` matches both rules above and is `list_attachments`, as Codat's SDKs
and the seed name it). Where two operations of a resource would take one name, a current operation
takes it before a deprecated one, then the first by path and HTTP method; each other operation takes
its whole operationId instead (then with its HTTP method, then numbered), and a warning says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.document.parsed import Document, as_text
from generator.errors import Diagnostic, GeneratorError
from generator.text import naming
from generator.text.reserved import reserved

Entry = tuple[str, str, str, dict[str, Any]]


@dataclass(frozen=True)
class NameRule:
    """One rule of the document's root `x-speakeasy-name-override` list."""

    pattern: re.Pattern[str]
    name: str


def name_rules(doc: Document) -> tuple[NameRule, ...]:
    """The document's rules, in its order; a rule whose pattern is no regular expression is skipped."""
    rules = []
    for entry in doc.data.get("x-speakeasy-name-override") or []:
        if not isinstance(entry, dict):
            continue
        pattern, name = entry.get("operationId"), entry.get("methodNameOverride")
        if isinstance(pattern, str) and isinstance(name, str) and naming.snake(name):
            try:
                rules.append(NameRule(re.compile(pattern), name))
            except re.error:
                continue
    return tuple(rules)


def method_names(
    doc: Document,
    operations: list[Entry],
    noun: str,
    rules: tuple[NameRule, ...],
    configured: Mapping[str, str],
    warnings: list[Diagnostic],
) -> list[tuple[Entry, str]]:
    """Each operation with its method name, current operations first (so they keep the names they ask
    for), then by path and HTTP method."""
    named: list[tuple[Entry, str]] = []
    taken: dict[str, str] = {}
    for entry in sorted(operations, key=lambda e: (e[3].get("deprecated") is True, e[1], e[2])):
        pointer, path, method, op = entry
        operation_id = operation_id_of(entry)
        wanted = _wanted(operation_id, op, noun, method, path, rules, configured)
        name = wanted
        if name in taken:
            if operation_id in configured:
                hint = "choose another name under [tool.codat-sdkgen.operation-names]"
                message = f"configured method name {name!r} is taken by {taken[name]!r}"
                raise GeneratorError([Diagnostic(doc.source, pointer, message, line=doc.line_of(pointer), hint=hint)])
            whole = naming.safe_snake(operation_id, reserved().methods, fallback="call")
            name = next(
                candidate
                for candidate in (whole, f"{whole}_{method}", *(f"{whole}_{i}" for i in range(2, len(taken) + 3)))
                if candidate not in taken
            )
            message = f"method name {wanted!r} is taken by {taken[wanted]!r}; named {name!r} instead"
            warnings.append(Diagnostic(doc.source, pointer, message, line=doc.line_of(pointer), severity="warning"))
        taken[name] = operation_id
        named.append((entry, name))
    return named


def operation_id_of(entry: Entry) -> str:
    _, path, method, op = entry
    return as_text(op.get("operationId")) or f"{method} {path}"


def _wanted(
    operation_id: str,
    op: dict[str, Any],
    noun: str,
    method: str,
    path: str,
    rules: tuple[NameRule, ...],
    configured: Mapping[str, str],
) -> str:
    """The name the settings, the operation or the document's rules ask for, else ours."""
    matching = [rule.name for rule in rules if rule.pattern.search(operation_id)]
    # A document that gives naming rules names what none of them covers by its operationId as written.
    written = operation_id if rules and naming.snake(operation_id) else None
    for given in (configured.get(operation_id), op.get("x-speakeasy-name-override"), *matching[-1:], written):
        if isinstance(given, str) and naming.snake(given):
            return naming.safe_snake(given, reserved().methods)
    return naming.safe_snake(naming.method_name(operation_id, noun, method, path), reserved().methods)


def ignored(op: dict[str, Any]) -> bool:
    """`x-speakeasy-ignore: true`: the document keeps the operation out of its SDKs."""
    return op.get("x-speakeasy-ignore") is True


def group_of(op: dict[str, Any], tag: str) -> tuple[str, ...]:
    """The resource an operation belongs to, as the path a caller takes to it: its `x-speakeasy-group`
    (dotted where groups nest: `accounts-receivable.invoices`), else the tag it was chosen by."""
    group = op.get("x-speakeasy-group")
    parts = tuple(part for part in group.split(".") if naming.snake(part)) if isinstance(group, str) else ()
    return parts or (tag,)
