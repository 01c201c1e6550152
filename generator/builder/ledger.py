"""The ledger: every operation and schema of the chosen tags, as typed, loosened or left out.

A maintainer cannot see in the generated code what the document said and the SDK does not type, so the
builder notes each such place (schemas.py, operations.py) and this module turns the notes into entries,
the record's compact form, the run's counts line and, under `fail-on` or `--strict`, located failures.

The rule: an operation or a class is *typed* when nothing its own annotations spell is loosened: for an
operation its parameters, body, success and failure responses; for a class its fields. A class those
name has its own entry, so a loosened field makes its class loosened, not every operation that reaches
it. *Loosened* places: an `Any` (a schema with no type, an array without items, an object whose members
are not described, a union with an arm of any type, a type that contains itself with no class between,
a required name no property defines), an unknown format generated as its plain type, a form whose fields
are not described, a response wider than its schema because its example shows an array. *Left out*: an
operation marked `x-speakeasy-ignore`, and a class reached only where no generated code types it (a
non-JSON body, a header the SDK sets, an operation left out).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from generator.document.parsed import Document
from generator.errors import Diagnostic, pointer_join
from generator.ir.api import LedgerEntry, LedgerStatus, Place, Resource
from generator.ir.models import ModelModule
from generator.text.naming import counted

STATUSES: tuple[LedgerStatus, ...] = ("typed", "loosened", "left out")


def entries(
    doc: Document,
    resources: Iterable[Resource],
    modules: Iterable[ModelModule],
    operation_places: Mapping[str, Iterable[tuple[str, str]]],
    ignored_operations: Iterable[tuple[str, str]],
    class_places: Mapping[str, Iterable[tuple[str, str]]],
    left_out_classes: Mapping[str, str],
) -> tuple[LedgerEntry, ...]:
    """The ledger of one generation, sorted by kind, then name.

    `operation_places`: each generated operation's pointer to its loosened places; `ignored_operations`:
    the (pointer, `METHOD /path`) of those left out; `class_places`: each class's pointer to its loosened
    places; `left_out_classes`: the pointer of each class never built to the place it was reached from.
    """

    def placed(found: Iterable[tuple[str, str]]) -> tuple[Place, ...]:
        return tuple(Place(p, reason, doc.line_of(p)) for p, reason in sorted(set(found)))

    found: list[LedgerEntry] = []
    for resource in resources:
        for op in resource.operations:
            pointer = pointer_join("#/paths", op.path, op.http_method.lower())
            places = placed(operation_places.get(pointer, ()))
            status: LedgerStatus = "loosened" if places else "typed"
            found.append(LedgerEntry("operation", f"{resource.access}.{op.method_name}", pointer, status, places))
    for pointer, name in ignored_operations:
        reason = "marked `x-speakeasy-ignore`: the document keeps it out of its SDKs"
        found.append(LedgerEntry("operation", name, pointer, "left out", placed([(pointer, reason)])))
    for module in modules:
        for schema in module.schemas:
            places = placed(class_places.get(schema.pointer, ()))
            status = "loosened" if places else "typed"
            found.append(LedgerEntry("schema", schema.class_name, schema.pointer, status, places))
    ignored = [pointer for pointer, _ in ignored_operations]
    for pointer, root in left_out_classes.items():
        if any(root.startswith(p + "/") for p in ignored):
            reason = f"reached only through an operation left out, at {root}"
        else:
            reason = f"reached only from {root}, which no generated code types"
        found.append(LedgerEntry("schema", pointer, pointer, "left out", placed([(pointer, reason)])))
    unique = {(e.kind, e.name, e.pointer): e for e in found}
    return tuple(unique[key] for key in sorted(unique))


def recorded(ledger: Iterable[LedgerEntry]) -> dict[str, Any]:
    """The record's form: per kind, the typed names as a list and the others' places as `pointer: reason`
    lines, so that the record (JSON, one value a line) shows each change of the ledger as one line."""
    result: dict[str, Any] = {kind: {"typed": [], "loosened": {}, "left out": {}} for kind in ("operations", "schemas")}
    for entry in ledger:
        section = result[f"{entry.kind}s"]
        if entry.status == "typed":
            section["typed"].append(entry.name)
        else:
            section[entry.status][entry.name] = [f"{p.pointer}: {p.reason}" for p in entry.places]
    return result


def counts_line(ledger: Iterable[LedgerEntry]) -> str:
    """`ledger: 8 operations (8 typed, 0 loosened, 0 left out), 32 schemas (...)`."""
    counts = {kind: dict.fromkeys(STATUSES, 0) for kind in ("operation", "schema")}
    for entry in ledger:
        counts[entry.kind][entry.status] += 1
    parts = [
        f"{counted(sum(c.values()), kind)} ({', '.join(f'{n} {status}' for status, n in c.items())})"
        for kind, c in counts.items()
    ]
    return "ledger: " + ", ".join(parts)


def failures(
    ledger: Iterable[LedgerEntry], fail_on: Collection[LedgerStatus], why: str, source: str
) -> list[Diagnostic]:
    """One located line for each place of an entry whose status fails the run; `why` names what made it fail."""
    return [
        Diagnostic(
            source,
            place.pointer,
            f"{entry.kind} {entry.name} {entry.status}: {place.reason}",
            line=place.line,
            hint=why,
        )
        for entry in ledger
        if entry.status in fail_on
        for place in entry.places
    ]
