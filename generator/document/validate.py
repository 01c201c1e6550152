"""Stage 2: our own checks of the document, then openapi-spec-validator's (spec_validator.py).

Every problem is located by a full JSON pointer from the root, and by line for YAML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote

from generator.document.located import diag
from generator.document.parsed import Document
from generator.errors import Diagnostic, pointer_join, pointer_parts


def validate_document(doc: Document) -> list[Diagnostic]:
    """Every problem in the document, each as a located error; nothing is raised."""
    problems = list(_check_refs(doc))
    version = doc.data.get("openapi")
    if "swagger" in doc.data and version is None:
        hint = "convert it to OpenAPI 3 first (e.g. with swagger2openapi); codat-sdkgen reads 3.0 and 3.1"
        return [*problems, diag(doc, "#/swagger", "an OpenAPI 2.0 (Swagger) document", hint=hint)]
    if not isinstance(version, str) or not version.startswith(("3.0.", "3.1.")):
        found = f"`openapi: {version}`" if version is not None else "no `openapi` field"
        problems.append(
            diag(
                doc,
                "#/openapi" if version is not None else "#",
                f"unsupported document version ({found})",
                hint="codat-sdkgen reads OpenAPI 3.0 and 3.1 documents",
            )
        )
        return problems
    models_only = version.startswith("3.1.") and ("webhooks" in doc.data or "components" in doc.data)
    if not isinstance(doc.data.get("paths"), dict) and not ("paths" not in doc.data and models_only):
        hint = "an SDK is made of the operations under `paths`"
        return [*problems, diag(doc, "#/paths", "the document has no `paths`", hint=hint)]
    cycles = list(_composition_cycles(doc))
    if cycles:  # the validator would follow them forever, so the rest of the document goes unchecked
        return problems + cycles
    # The validator stops at a dangling reference; ours already says where it is, so its crash is dropped.
    from generator.document.spec_validator import spec_errors  # imported only when a document is validated: it is slow

    return problems + list(spec_errors(doc, version, report_crash=not problems)) + list(_format_warnings(doc))


def reached_pointers(doc: Document, operation_pointers: Iterable[str]) -> set[str]:
    """Every place the given operations use: their nodes, path items and all they reference."""
    reached: set[str] = set()
    stack: list[str] = []
    for pointer in operation_pointers:
        stack.append(pointer)
        stack.append(pointer.rsplit("/", 1)[0] + "/parameters")
    while stack:
        pointer = stack.pop()
        if pointer in reached:
            continue
        reached.add(pointer)
        try:
            node = doc.resolve(pointer)
        except KeyError:
            continue
        for ref in _refs_in(node):
            stack.append(ref)
    return reached


def is_within(pointer: str, reached: set[str]) -> bool:
    """True when `pointer` is one of `reached` or lies inside one of them."""
    candidate = pointer
    while True:
        if candidate in reached:
            return True
        if "/" not in candidate:
            return False
        candidate = candidate.rsplit("/", 1)[0]


def _refs_in(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


# Formats the generator maps to a type of their own, or knows to be text or numbers as they are.
KNOWN_FORMATS = frozenset(
    {
        "date-time",
        "date",
        "time",
        "duration",
        "uuid",
        "decimal",
        "binary",
        "byte",
        "password",
        "uri",
        "uri-reference",
        "uri-template",
        "url",
        "iri",
        "iri-reference",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "regex",
        "json-pointer",
        "relative-json-pointer",
        "int32",
        "int64",
        "float",
        "double",
    }
)


# Keywords no generated code depends on: what they say is documentation (descriptions, examples), a
# constraint the SDK leaves to the server, or package metadata taken only where well-formed. Malformed,
# they are warnings unless --strict. A default is written into the code only when it is a value of its
# schema's type, so one that is not is inert.
ANNOTATIONS = frozenset(
    {
        "$comment",
        "contact",
        "default",
        "deprecated",
        "description",
        "example",
        "examples",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "externalDocs",
        "license",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "pattern",
        "summary",
        "termsOfService",
        "title",
        "uniqueItems",
        "xml",
    }
)
# Keywords whose members are named by the document: `properties/example` is a property, not a keyword.
_NAMED_MEMBERS = frozenset(
    {
        "$defs",
        "callbacks",
        "content",
        "definitions",
        "dependentSchemas",
        "encoding",
        "examples",
        "headers",
        "links",
        "mapping",
        "parameters",
        "pathItems",
        "paths",
        "patternProperties",
        "properties",
        "requestBodies",
        "responses",
        "schemas",
        "scopes",
        "securitySchemes",
        "variables",
    }
)


def annotation_at(pointer: str) -> str | None:
    """The annotation keyword a problem lies in (`examples`, `pattern`, ...), or None if it lies in none."""
    parts = pointer_parts(pointer)
    for index, part in enumerate(parts):
        if part in ANNOTATIONS and (index == 0 or parts[index - 1] not in _NAMED_MEMBERS):
            return part
    return None


def _format_warnings(doc: Document) -> Iterator[Diagnostic]:
    """An unknown `format` is tolerated (the value keeps its plain type) but worth a word."""
    stack: list[tuple[Any, str]] = [(doc.data, "#")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            fmt = node.get("format")
            if isinstance(fmt, str) and fmt not in KNOWN_FORMATS and "type" in node:
                where = pointer_join(pointer, "format")
                yield Diagnostic(
                    doc.source,
                    where,
                    f"unknown format {fmt!r}",
                    "warning",
                    doc.line_of(where),
                    "generated as its plain type",
                )
            stack.extend(
                (v, pointer_join(pointer, k))
                for k, v in node.items()
                if isinstance(v, dict | list) and k not in ("example", "examples", "default")
            )
        elif isinstance(node, list):
            stack.extend((v, pointer_join(pointer, i)) for i, v in enumerate(node) if isinstance(v, dict | list))


def _check_refs(doc: Document) -> Iterator[Diagnostic]:
    stack: list[tuple[Any, str]] = [(doc.data, "#")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                where = pointer_join(pointer, "$ref")
                if not ref.startswith("#"):
                    yield diag(
                        doc,
                        where,
                        f"external reference {ref!r} is not fetched",
                        hint="pass --allow-external-refs to fetch it, or inline it into this document",
                    )
                else:
                    try:
                        doc.resolve(ref)
                    except KeyError:
                        yield diag(doc, where, f"reference {ref!r} points at nothing")
            stack.extend((v, pointer_join(pointer, k)) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, pointer_join(pointer, i)) for i, v in enumerate(node) if isinstance(v, dict | list))


_COMPOSITION = ("allOf", "oneOf", "anyOf")


def _composition_cycles(doc: Document) -> Iterator[Diagnostic]:
    """Schemas that are themselves through `$ref`/allOf/oneOf/anyOf alone: no type can be made of them.

    A cycle through a property or an array item is fine (a tree); one through composition only never ends.
    """

    def successors(pointer: str) -> list[str]:
        try:
            node = doc.resolve(pointer)
        except KeyError:
            return []
        if not isinstance(node, dict):
            return []
        found = []
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            found.append(pointer_join("#", *pointer_parts(unquote(ref))))
        for key in _COMPOSITION:
            arms = node.get(key)
            if isinstance(arms, list):
                found.extend(pointer_join(pointer, key, i) for i in range(len(arms)))
        return found

    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in sorted({pointer_join("#", *pointer_parts(unquote(r))) for r in _local_refs(doc.data)}):
        if start in state:
            continue
        path: list[str] = [start]
        stack: list[Iterator[str]] = [iter(successors(start))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                loop = [*path[path.index(nxt) :], nxt]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    shown = " -> ".join(p.removeprefix("#/components/schemas/") for p in loop)
                    message = f"schema is made of itself through $ref/allOf/oneOf/anyOf alone: {shown}"
                    hint = "put an object property or an array item between them; nothing else was checked"
                    yield dataclasses.replace(diag(doc, loop[0], message, hint), blocking=True)
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(successors(nxt)))


def _local_refs(data: Any) -> Iterator[str]:
    return (r for r in _refs_in(data) if r.startswith("#"))
