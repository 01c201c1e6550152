"""The stages wired in order: load → validate → triage → build IR → render → format. No I/O beyond reading."""

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

from generator.builder.api import BuildOptions, build_api
from generator.builder.distribution import version_warnings
from generator.builder.ledger import failures
from generator.cache import Store, tool_digest
from generator.config import FAIL_ON, Options
from generator.document.load import load_document
from generator.document.parsed import Document, as_mapping, as_text
from generator.document.revalidate import LastValidation
from generator.document.triage import reach, triage
from generator.document.validate import validate_document
from generator.errors import Diagnostic, GeneratorError
from generator.history.changelog import SURFACE_FILE, bumped, record, recorded
from generator.ir.api import Api, LedgerStatus
from generator.output.formatting import format_files
from generator.output.render import render_api, stamp_files, unused_overrides
from generator.progress import QUIET, Progress
from generator.text.naming import package_from_title
from generator.text.reserved import PACKAGES_TAKEN


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
        from generator.document.bundle import bundle_external_refs  # only when asked: most runs read one file

        doc = bundle_external_refs(doc, options.max_bytes, options.fetch_timeout)
    if tags is None:  # every tag that has operations: a declared tag may have none
        tags = tuple(t for t in doc.tags() if doc.tag_operations(t))
    with _recursion_limit(_RECURSION_LIMIT):
        with progress.stage("validating the document", "document", 1) as tick:
            problems = _validated(doc)
            tick(1)
        fatal, problem_warnings = triage(doc, problems, reach(doc, tags), options.strict)
        if fatal:
            raise GeneratorError(fatal)
        warnings = [*_unknown_operation_names(doc, options.operation_names), *version_warnings(doc, options.settings)]
        warnings += problem_warnings
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
    files = stamp_files(format_files(rendered, progress, ours=options.templates is None), api)
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
