"""The stages wired in order: load → validate → build IR → render → format. No I/O beyond reading."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from generator.build import BuildOptions, build_api
from generator.cache import Store, tool_digest
from generator.changelog import SURFACE_FILE, bumped, record, recorded
from generator.config import FAIL_ON, Options
from generator.distribution import version_warnings
from generator.document import Document, as_mapping, as_text
from generator.errors import Diagnostic, GeneratorError
from generator.ir import Api, LedgerStatus
from generator.ledger import failures
from generator.load import load_document
from generator.naming import package_from_title
from generator.progress import QUIET, Progress
from generator.render import render_api, stamp_files, unused_overrides
from generator.reserved import PACKAGES_TAKEN
from generator.revalidate import LastValidation
from generator.schemas import nested_type_schema
from generator.validate import annotation_at, is_within, reached_pointers, validate_document
from generator.write import format_files


@dataclass(frozen=True)
class Generation:
    api: Api
    files: dict[str, bytes]
    warnings: tuple[Diagnostic, ...]


DEFAULT_OPTIONS = Options()
# Deep enough for MAX_DEPTH levels of nesting through the validator's and builder's recursion.
_RECURSION_LIMIT = 4000


def checked_api(
    spec: str | Path,
    tags: tuple[str, ...] | None,
    package: str | None,
    options: Options = DEFAULT_OPTIONS,
    progress: Progress = QUIET,
) -> tuple[Api, tuple[Diagnostic, ...]]:
    """The IR, once the document is valid where the tags reach (None: every tag); other problems warn.
    The package is named from the document's title when `package` is None."""
    doc = load_document(spec, options.max_bytes, options.fetch_timeout)
    if package is None:
        package = package_from_title(as_text(as_mapping(doc.data.get("info")).get("title")), PACKAGES_TAKEN)
    if options.allow_external_refs:
        from generator.bundle import bundle_external_refs  # only when asked: most runs read one file

        doc = bundle_external_refs(doc, options.max_bytes, options.fetch_timeout)
    if tags is None:  # every tag that has operations: a declared tag may have none
        tags = tuple(t for t in doc.tags() if doc.tag_operations(t))
    with _recursion_limit(_RECURSION_LIMIT):
        with progress.stage("validating the document", "document", 1) as tick:
            problems = _validated(doc)
            tick(1)
        known = set(doc.tags())
        selected = [p for t in tags if t in known for p, *_ in doc.tag_operations(t)]
        if set(tags) >= {t for t in known if doc.tag_operations(t)}:  # every tag: the webhooks' models too
            selected += [p for p, *_ in doc.webhook_operations()]
        reached = reached_pointers(doc, selected) if selected or tags else {"#/components/schemas"}
        fatal: list[Diagnostic] = []
        warnings: list[Diagnostic] = list(_unknown_operation_names(doc, options.operation_names))
        warnings += version_warnings(doc, options.settings)
        for problem in problems:
            if problem.severity == "warning":
                if is_within(problem.pointer, reached):
                    warnings.append(problem)
            elif not options.strict and _repaired(doc, problem):
                warnings.append(_warning(problem, "its `type` holds a schema; generated as that schema"))
            elif not options.strict and _repeated_value(problem):
                warnings.append(_warning(problem, "a value listed twice is read once"))
            elif not options.strict and problem.message.startswith(_REQUIRED_UNDEFINED):
                undefined = _undefined_required(doc, problem.pointer)
                if undefined:  # else every name is a property of a composed part, which the validator misses
                    message = "required names properties the schema does not define: " + ", ".join(map(repr, undefined))
                    replaced = dataclasses.replace(problem, message=message)
                    warnings.append(_warning(replaced, "each is an optional field of any type"))
            elif not options.strict and not problem.blocking and problem.message.startswith("unexpected keyword"):
                warnings.append(
                    _warning(problem, "a member OpenAPI does not define is never read; generated without it")
                )
            elif not options.strict and not problem.blocking and annotation_at(problem.pointer):
                keyword = annotation_at(problem.pointer)
                warnings.append(
                    _warning(problem, f"`{keyword}` is not used by the generated code; generated without it")
                )
            elif options.strict or problem.blocking or _is_fatal(problem, reached):
                fatal.append(problem)
            else:
                warnings.append(_warning(problem, "not used by the chosen tags"))
        if fatal:
            raise GeneratorError(fatal)
        schemas = (
            (doc.data.get("components") or {}).get("schemas") if isinstance(doc.data.get("components"), dict) else None
        )
        if next(doc.operations(), None) is None and next(doc.webhook_operations(), None) is None and not schemas:
            hint = "an SDK is made of the operations under `paths` (or the models of `webhooks` or `components`)"
            message = "the document has no operations, webhooks or schemas"
            raise GeneratorError([Diagnostic(doc.source, "#/paths", message, hint=hint)])
        try:
            names, settings = options.operation_names, options.settings
            built = BuildOptions(tags=tags, package=package, operation_names=names, settings=settings)
            api = build_api(doc, built, warnings, progress)
        except RecursionError:
            raise GeneratorError([Diagnostic(doc.source, "#", "schemas nest too deeply to generate from")]) from None
    return api, tuple(warnings)


def generate(
    spec: str | Path,
    tags: tuple[str, ...] | None,
    package: str | None,
    options: Options = DEFAULT_OPTIONS,
    previous: Path | None = None,
    bump: bool = False,
    progress: Progress = QUIET,
) -> Generation:
    """Everything the output folder should hold, as bytes, plus the warnings met on the way.

    `previous`: the output folder this run replaces. With `bump`, its recorded version raised by what
    changed for callers since it is the package's version (`generate --bump`); without, a version it
    records above the one this run would write is kept, with a warning (an error under `strict`):
    a version never goes backwards.
    """
    api, warnings = checked_api(spec, tags, package, options, progress)
    before = recorded(previous) if previous is not None else None
    version = bumped(before, api) if bump else None
    if before is not None and not bump and _lower(api.distribution.version, before.get("version")):
        assert previous is not None
        kept = str(before["version"])
        where = str(previous / SURFACE_FILE)
        message = f"the output is version {kept}; this run would write {api.distribution.version}, a lower one"
        if options.strict:
            hint = "a version never goes backwards: run with --bump, or set `version` to one above it"
            raise GeneratorError([Diagnostic(where, "#/version", message, hint=hint)])
        hint = f"kept {kept}; --bump versions it by what changed for callers"
        warnings = (*warnings, Diagnostic(where, "#/version", message, "warning", hint=hint))
        version = kept
    if version is not None:
        api = dataclasses.replace(api, distribution=dataclasses.replace(api.distribution, version=version))
    failed = failures(api.ledger, *_failing(options), source=str(spec))
    if failed:
        raise GeneratorError(failed)
    if options.templates is not None:
        warnings = (*warnings, *unused_overrides(options.templates))
    rendered = render_api(api, options.templates, options.tests, progress)
    files = stamp_files(format_files(rendered, progress), api)
    files[SURFACE_FILE] = record(api, recorded_settings(tags, api.package, options))
    return Generation(api, files, warnings)


def _failing(options: Options) -> tuple[tuple[LedgerStatus, ...], str]:
    """The ledger statuses that fail the run, and what says so."""
    if options.strict:
        return ("loosened", "left out"), "--strict fails on what is loosened or left out"
    statuses = tuple(FAIL_ON[word] for word in options.fail_on)
    return statuses, "fail-on = [" + ", ".join(f'"{word}"' for word in options.fail_on) + "]"


def recorded_settings(tags: tuple[str, ...] | None, package: str, options: Options) -> dict[str, Any]:
    """The settings that shaped an output, as its record keeps them. Only those that shape it: a
    `--check --strict` or `--check --bump` of an output made without them finds it up to date. Nothing
    names a place on this machine (a templates folder is kept by the files it holds), so the same
    inputs record the same bytes wherever they run."""
    settings = options.settings
    overrides = options.templates
    return {
        "tags": list(tags) if tags is not None else "all",
        "package": package,
        "operation-names": dict(sorted(options.operation_names.items())),
        "templates": (
            sorted(p.relative_to(overrides).as_posix() for p in overrides.rglob("*") if p.is_file())
            if overrides is not None and overrides.is_dir()
            else None
        ),
        "dist-name": settings.dist_name,
        "version": settings.version,
        "description": settings.description,
        "license": settings.license,
        "urls": dict(sorted(settings.urls.items())),
    }


def _lower(version: str, recorded_version: object) -> bool:
    """Whether `version` is below the one an output recorded (False when either is no PEP 440 version)."""
    try:
        return Version(version) < Version(str(recorded_version))
    except InvalidVersion:
        return False


@contextmanager
def _recursion_limit(limit: int) -> Iterator[None]:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, previous))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _unknown_operation_names(doc: Document, names: Mapping[str, str]) -> Iterator[Diagnostic]:
    """A configured name for an operationId the document lacks is most likely a typo: say so."""
    known = {op.get("operationId") for *_, op in doc.operations()}
    for operation_id in sorted(set(names) - known):
        yield Diagnostic(
            doc.source,
            "#/paths",
            f"no operation has the operationId {operation_id!r} named in [tool.codat-sdkgen.operation-names]",
            "warning",
        )


def _validated(doc: Document) -> list[Diagnostic]:
    """The validation of this exact document by this exact generator, done once (it is most of a run)."""
    store, last = Store("validation", tool_digest()), LastValidation(tool_digest())
    key = hashlib.sha256(f"{doc.sha256} {doc.source}".encode()).hexdigest()  # diagnostics name the file
    known = store.get(key)
    if known is not None:
        return [Diagnostic(**item) for item in json.loads(known)]
    problems = last.reused(doc)
    if problems is None:
        problems = validate_document(doc)
        last.record(doc, problems)
    store.put(key, json.dumps([dataclasses.asdict(p) for p in problems]))
    return problems


def _repaired(doc: Document, problem: Diagnostic) -> bool:
    """True for a problem the builder repairs by a documented rule (see `schemas.nested_type_schema`)."""
    if not problem.pointer.endswith("/type"):
        return False
    try:
        return nested_type_schema(doc.resolve(problem.pointer.removesuffix("/type")))
    except KeyError:
        return False


def _repeated_value(problem: Diagnostic) -> bool:
    """An `enum`, `required` or `type` list naming a value twice: the builder reads each value once."""
    return problem.message.startswith("has non-unique elements") and problem.pointer.endswith(
        ("/enum", "/required", "/type")
    )


# openapi-spec-validator's message for a `required` name that is not a key of the same schema's `properties`.
_REQUIRED_UNDEFINED = "Required list has not defined properties"


def _undefined_required(doc: Document, pointer: str) -> list[str]:
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


def _resolved(doc: Document, ref: str) -> Any:
    """The node a local reference names, or None (a dangling one is diagnosed on its own)."""
    try:
        return doc.resolve(ref)
    except KeyError:
        return None


def _warning(problem: Diagnostic, hint: str) -> Diagnostic:
    return Diagnostic(problem.source, problem.pointer, problem.message, "warning", problem.line, hint)


def _is_fatal(problem: Diagnostic, reached: set[str]) -> bool:
    """Fatal inside what the tags use, and anywhere outside paths and components (the whole document)."""
    pointer = problem.pointer
    if not pointer.startswith(("#/paths/", "#/components/")):
        return True
    return is_within(pointer, reached)
