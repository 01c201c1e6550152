"""The stages wired in order: load → validate → build IR → render → format. No I/O beyond reading."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.build import BuildOptions, build_api
from generator.document import Document
from generator.errors import Diagnostic, GeneratorError
from generator.ir import Api
from generator.load import load_document
from generator.render import TEMPLATES_DIR, render_api
from generator.schemas import nested_type_schema
from generator.validate import is_within, reached_pointers, validate_document
from generator.write import format_files


@dataclass(frozen=True)
class Generation:
    api: Api
    files: dict[str, bytes]
    warnings: tuple[Diagnostic, ...]


def checked_api(
    spec: Path, tags: tuple[str, ...] | None, package: str, strict: bool
) -> tuple[Api, Document, tuple[Diagnostic, ...]]:
    """The IR, once the document is valid where the tags reach (None: every tag); other problems warn."""
    doc = load_document(spec)
    if tags is None:
        tags = tuple(doc.tags())
    problems = validate_document(doc)
    known = set(doc.tags())
    selected = [p for t in tags if t in known for p, *_ in doc.tag_operations(t)]
    reached = reached_pointers(doc, selected)
    fatal: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for problem in problems:
        if problem.severity == "warning":
            if is_within(problem.pointer, reached):
                warnings.append(problem)
        elif not strict and _repaired(doc, problem):
            warnings.append(_warning(problem, "its `type` holds a schema; generated as that schema"))
        elif strict or _is_fatal(problem, reached):
            fatal.append(problem)
        else:
            warnings.append(_warning(problem, "not used by the chosen tags"))
    if fatal:
        raise GeneratorError(fatal)
    try:
        api = build_api(doc, BuildOptions(tags=tags, package=package))
    except RecursionError:
        raise GeneratorError([Diagnostic(doc.source, "#", "schemas nest too deeply to generate from")]) from None
    return api, doc, tuple(warnings)


def generate(
    spec: Path,
    tags: tuple[str, ...] | None,
    package: str,
    strict: bool = False,
    templates: Path = TEMPLATES_DIR,
) -> Generation:
    """Everything the output folder should hold, as bytes, plus the warnings met on the way."""
    api, doc, warnings = checked_api(spec, tags, package, strict)
    files = format_files(render_api(api, doc.sha256, templates))
    return Generation(api, files, warnings)


def _repaired(doc: Document, problem: Diagnostic) -> bool:
    """True for a problem the builder repairs by a documented rule (see `schemas.nested_type_schema`)."""
    if not problem.pointer.endswith("/type"):
        return False
    try:
        return nested_type_schema(doc.resolve(problem.pointer.removesuffix("/type")))
    except KeyError:
        return False


def _warning(problem: Diagnostic, hint: str) -> Diagnostic:
    return Diagnostic(problem.source, problem.pointer, problem.message, "warning", problem.line, hint)


def _is_fatal(problem: Diagnostic, reached: set[str]) -> bool:
    """Fatal inside what the tags use, and anywhere outside paths and components (the whole document)."""
    pointer = problem.pointer
    if not pointer.startswith(("#/paths/", "#/components/")):
        return True
    return is_within(pointer, reached)
