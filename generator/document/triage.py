"""Stage 3: which of the document's problems stop the run, which only warn, and which go unsaid.

The policy in one place, between validating and building: a problem inside what the chosen tags use is
fatal, unless the builder repairs it by a documented rule (each a function below, each skipped under
`strict`); a problem elsewhere in `paths` or `components` only warns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from generator.document.parsed import Document
from generator.document.validate import annotation_at, is_within, reached_pointers
from generator.errors import Diagnostic

# A repair rule's verdict on a problem: None when the rule does not apply, else the warnings it becomes
# (none: the problem is no problem).
Rule = Callable[[Document, Diagnostic], list[Diagnostic] | None]

# openapi-spec-validator's message for a `required` name that is not a key of the same schema's `properties`.
REQUIRED_UNDEFINED = "Required list has not defined properties"


def reach(doc: Document, tags: tuple[str, ...]) -> set[str]:
    """The pointers the chosen tags' operations use (every tag: the webhooks' too); with no operation
    chosen and no tag asked for, the components' schemas."""
    known = set(doc.tags())
    selected = [p for t in tags if t in known for p, *_ in doc.tag_operations(t)]
    if set(tags) >= {t for t in known if doc.tag_operations(t)}:
        selected += [p for p, *_ in doc.webhook_operations()]
    return reached_pointers(doc, selected) if selected or tags else {"#/components/schemas"}


def triage(
    doc: Document, problems: Iterable[Diagnostic], reached: set[str], strict: bool
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The fatal problems and the warnings, in the problems' order; a document with nothing to generate
    from is fatal when nothing else is."""
    fatal: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for problem in problems:
        if problem.severity == "warning":
            warnings += warning_within_reach(problem, reached)
            continue
        verdict = None if strict else repair(doc, problem)
        if verdict is not None:
            warnings += verdict
        elif strict or problem.blocking or is_fatal(problem, reached):
            fatal.append(problem)
        else:
            warnings.append(as_warning(problem, "not used by the chosen tags"))
    return fatal or nothing_to_generate(doc), warnings


def repair(doc: Document, problem: Diagnostic) -> list[Diagnostic] | None:
    """The verdict of the first repair rule that applies, or None."""
    for rule in REPAIRS:
        verdict = rule(doc, problem)
        if verdict is not None:
            return verdict
    return None


def warning_within_reach(problem: Diagnostic, reached: set[str]) -> list[Diagnostic]:
    """A warning is said where the tags reach, and only there."""
    return [problem] if is_within(problem.pointer, reached) else []


def nested_type(doc: Document, problem: Diagnostic) -> list[Diagnostic] | None:
    """A `type` that holds a schema is read as that schema (`unnested`)."""
    if not problem.pointer.endswith("/type"):
        return None
    try:
        node = doc.resolve(problem.pointer.removesuffix("/type"))
    except KeyError:
        return None
    if not nested_type_schema(node):
        return None
    return [as_warning(problem, "its `type` holds a schema; generated as that schema")]


def repeated_value(doc: Document, problem: Diagnostic) -> list[Diagnostic] | None:
    """An `enum`, `required` or `type` list naming a value twice: the builder reads each value once."""
    if problem.message.startswith("has non-unique elements") and problem.pointer.endswith(
        ("/enum", "/required", "/type")
    ):
        return [as_warning(problem, "a value listed twice is read once")]
    return None


def undefined_required(doc: Document, problem: Diagnostic) -> list[Diagnostic] | None:
    """A `required` name no property defines is an optional field of any type. The validator also says so
    of a name only a composed part defines: that one is no problem."""
    if not problem.message.startswith(REQUIRED_UNDEFINED):
        return None
    undefined = undefined_names(doc, problem.pointer)
    if not undefined:
        return []
    message = "required names properties the schema does not define: " + ", ".join(map(repr, undefined))
    return [as_warning(dataclasses.replace(problem, message=message), "each is an optional field of any type")]


def unknown_member(doc: Document, problem: Diagnostic) -> list[Diagnostic] | None:
    """A member OpenAPI does not define is never read."""
    if problem.blocking or not problem.message.startswith("unexpected keyword"):
        return None
    return [as_warning(problem, "a member OpenAPI does not define is never read; generated without it")]


def unused_annotation(doc: Document, problem: Diagnostic) -> list[Diagnostic] | None:
    """A malformed annotation (`example`, `deprecated`, ...) the generated code never uses."""
    keyword = annotation_at(problem.pointer)
    if problem.blocking or not keyword:
        return None
    return [as_warning(problem, f"`{keyword}` is not used by the generated code; generated without it")]


# In the order they are tried: the first that applies decides.
REPAIRS: tuple[Rule, ...] = (nested_type, repeated_value, undefined_required, unknown_member, unused_annotation)


def is_fatal(problem: Diagnostic, reached: set[str]) -> bool:
    """Fatal inside what the tags use, and anywhere outside paths and components (the whole document)."""
    pointer = problem.pointer
    if not pointer.startswith(("#/paths/", "#/components/")):
        return True
    return is_within(pointer, reached)


def nothing_to_generate(doc: Document) -> list[Diagnostic]:
    """A document without operations, webhooks or schemas, as the one fatal problem (else none)."""
    components = doc.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if next(doc.operations(), None) is not None or next(doc.webhook_operations(), None) is not None or schemas:
        return []
    hint = "an SDK is made of the operations under `paths` (or the models of `webhooks` or `components`)"
    return [Diagnostic(doc.source, "#/paths", "the document has no operations, webhooks or schemas", hint=hint)]


def as_warning(problem: Diagnostic, hint: str) -> Diagnostic:
    return Diagnostic(problem.source, problem.pointer, problem.message, "warning", problem.line, hint)


def undefined_names(doc: Document, pointer: str) -> list[str]:
    """The names of a schema's `required` that no property defines, its composed parts' included."""
    node = _resolved(doc, pointer)
    required = node.get("required") if isinstance(node, dict) else None
    if not isinstance(required, list):
        return []
    defined: set[str] = set()
    stack, seen = [node], set()
    while stack:
        part = stack.pop()
        if not isinstance(part, dict) or id(part) in seen:
            continue
        seen.add(id(part))
        ref = part.get("$ref")
        if isinstance(ref, str):
            stack.append(_resolved(doc, ref))
        defined |= set(part.get("properties") or {}) if isinstance(part.get("properties"), dict) else set()
        for key in ("allOf", "oneOf", "anyOf"):
            stack.extend(part[key] if isinstance(part.get(key), list) else [])
    return [name for name in required if isinstance(name, str) and name not in defined]


def nested_type_schema(node: Any) -> bool:
    """A schema whose `type` holds a whole schema: an authoring slip we read as that schema."""
    return isinstance(node, dict) and isinstance(node.get("type"), dict)


def unnested(node: Any) -> Any:
    """The schema a nested `type` holds, merged into the rest of its node (the builder's repair)."""
    if nested_type_schema(node):
        return {**{k: v for k, v in node.items() if k != "type"}, **node["type"]}
    return node


def _resolved(doc: Document, ref: str) -> Any:
    """The node a local reference names, or None (a dangling one is diagnosed on its own)."""
    try:
        return doc.resolve(ref)
    except KeyError:
        return None
