"""Stage 4b, the README's calls: which operation each of its sections on inputs shows, and with what.

The sections on bodies given as dicts, on what the document does not list (`extra_body`,
`extra_query`), on credentials given as functions and on uploads each borrow one operation's example
call, chosen here from the README's featured resource first, then from the others in order. Each is
None when no operation of the API fits, and the README then leaves its section out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.builder.example_scalars import FILE_BYTES, FILE_NAME, FILE_PLACEHOLDER
from generator.ir.api import (
    Call,
    Credential,
    CredentialCall,
    DictBodyCall,
    ExtraCall,
    Resource,
    SecurityScheme,
    UploadCall,
    UploadForm,
)
from generator.ir.operations import Example, ExampleArg, Operation
from generator.text.literals import py_literal

if TYPE_CHECKING:
    from generator.builder.schemas import SchemaBuilder

_PATH_IMPORT = "from pathlib import Path"


def shown_credentials(schemes: tuple[SecurityScheme, ...], required: tuple[str, ...]) -> list[Credential]:
    """The credentials the docs' examples construct the client with: the required schemes', else the
    first scheme's; a client-credentials flow is shown with its client's id and secret, not a token."""
    chosen = [s for s in schemes if s.key in required] or [s for s in schemes if s.credentials][:1]
    shown: list[Credential] = []
    for scheme in chosen:
        shown += [c for c in scheme.credentials if c.role != "value"] or list(scheme.credentials)
    return shown


def readme_calls(
    resources: tuple[Resource, ...],
    schemas: SchemaBuilder,
    schemes: tuple[SecurityScheme, ...],
    required: tuple[str, ...],
) -> dict[str, Any]:
    """The Api's `dict_call`, `extra_call`, `credential_call` and `upload_call`."""
    calls = list(_calls(resources))
    if not calls:
        return {}
    dict_call = next(filter(None, (_dict_call(method, op) for method, op in calls)), None)
    return {
        "dict_call": dict_call,
        "extra_call": _extra_call(calls, schemas, dict_call),
        "credential_call": _credential_call(calls, shown_credentials(schemes, required)),
        "upload_call": _upload_call(calls),
    }


def _calls(resources: tuple[Resource, ...]) -> Iterator[tuple[str, Operation]]:
    """Every operation with the path a caller takes to it, the featured resource's first."""
    featured = next((r for r in resources if r.operations), None)
    ordered = [featured, *(r for r in resources if r is not featured)] if featured else []
    for resource in ordered:
        for op in resource.operations:
            yield f"{resource.access}.{op.method_name}", op


def _dict_call(method: str, op: Operation) -> DictBodyCall | None:
    """The call with its JSON body written as a dict, when its models have TypedDicts."""
    if op.body is None or op.dict_example is None or op.body.kind != "json":
        return None
    return DictBodyCall(Call(method, op.dict_example), op.body.py_name, op.body.dicts)


def _get_call(calls: list[tuple[str, Operation]]) -> tuple[str, Operation]:
    """The call the README's other sections borrow: the featured resource's `get`, else its first."""
    featured = calls[0][0].rsplit(".", 1)[0]
    return next(((m, op) for m, op in calls if m == f"{featured}.get"), calls[0])


def _extra_call(
    calls: list[tuple[str, Operation]], schemas: SchemaBuilder, dict_call: DictBodyCall | None
) -> ExtraCall:
    """A call with a body object that takes `extra_body` (the dict section's, if it has one), else the
    README's usual call with `extra_query` alone."""
    takes_fields = [
        (m, op)
        for m, op in calls
        if op.body is not None
        and op.body.kind in ("json", "form")
        and op.body.type.kind == "model"
        and not schemas.refuses_more(schemas.schema_named(op.body.type.name))
    ]
    preferred = [c for c in takes_fields if dict_call is not None and c[0] == dict_call.call.method]
    method, op = (preferred or takes_fields or [_get_call(calls)])[0]
    query = {p.wire_name for p in op.query_params}
    body_field = ""
    if op.body is not None and (method, op) in takes_fields:
        fields = {f.wire_name for f in schemas.schema_named(op.body.type.name).fields}
        body_field = _unused("newField", fields)
    return ExtraCall(Call(method, op.example), _unused("newParam", query), body_field)


def _unused(name: str, taken: set[str]) -> str:
    """`name`, or it numbered, so that it is none the document lists: the example shows what it does not."""
    return next(c for c in (name, *(f"{name}{i}" for i in range(2, 1000))) if c not in taken)


def _credential_call(calls: list[tuple[str, Operation]], shown: list[Credential]) -> CredentialCall | None:
    """The README's usual call, with the last credential the examples pass given as a function (a
    password or a client secret rather than the name beside it)."""
    if not shown:
        return None
    method, op = _get_call(calls)
    given = shown[-1]
    others = ", ".join(f"{c.arg_name}={py_literal(c.placeholder)}" for c in shown[:-1])
    return CredentialCall(
        Call(method, op.example), given.arg_name, f"current_{given.arg_name}", given.placeholder, others
    )


def _upload_call(calls: list[tuple[str, Operation]]) -> UploadCall | None:
    """The first call that uploads a file (one file as its body, or a multipart model with a file field),
    shown with the file in each form it takes."""
    found = next(
        (
            (m, op)
            for m, op in calls
            if op.body is not None
            and op.body.kind in ("file", "multipart")
            and any(FILE_PLACEHOLDER in arg.source for arg in op.example.args)
        ),
        None,
    )
    if found is None:
        return None
    method, op = found

    def given(source: str) -> tuple[ExampleArg, ...]:
        return tuple(dataclasses.replace(a, source=a.source.replace(FILE_PLACEHOLDER, source)) for a in op.example.args)

    forms = (
        UploadForm("its bytes", given(FILE_BYTES)),
        UploadForm("a path: opened when the request is sent, closed after the call", given(f'Path("{FILE_NAME}")')),
        UploadForm("an open binary file, read as it is sent", given("handle"), opened=True),
        UploadForm("(file name, content[, media type]): the name and type the server is told", op.example.args),
    )
    imports = sorted({*op.example.imports, _PATH_IMPORT}, key=lambda line: (line.startswith("from "), line.split()[1]))
    example = Example(op.example.args, tuple(imports), op.example.package_names, op.example.has_result)
    return UploadCall(Call(method, example), FILE_NAME, FILE_BYTES, forms)
