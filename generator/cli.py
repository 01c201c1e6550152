"""The `codat-sdkgen` command: generate, validate, ir. Exit 0 ok, 1 invalid or stale, 2 usage.

The stages are imported when a command needs them, so a run that the cache answers stays fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import keyword
import os
import re
import shlex
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn, TextIO

from generator import __version__, cache
from generator.config import SECTION, Config, load_targets
from generator.document.fetch import is_url
from generator.errors import GeneratorError, UsageError
from generator.history import seal
from generator.text.naming import counted as _count
from generator.text.reserved import PACKAGES_TAKEN

if TYPE_CHECKING:
    from generator.history.merge import Conflict
    from generator.ir.api import Api
    from generator.output.write import Staleness

_INTERRUPTED = "interrupted; the output folder was left as it was"


def run() -> NoReturn:
    """The command as a process (the console script, `python -m generator`): one exit status per
    outcome, whatever the moment a SIGINT or SIGTERM comes.

    While the command works either signal interrupts it: 130, and the output folder as it was (or
    whole and new, when the swap had happened). Once it is done either is ignored: its own status, the
    folder whole. Left to Python, a signal during interpreter shutdown (black's pool winding down)
    ends the process by that signal instead of an exit status.
    """
    done = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if not done:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    code: int | None = None
    try:
        code = main()
        done = True
    except BrokenPipeError:  # the reader went away (`codat-sdkgen ir | head`): nothing more to say
        done = True
        code = _closed_pipe()
    except KeyboardInterrupt:  # outside main's own handler: in argument parsing, or as main returned
        done = True
        if code is None:
            print(_INTERRUPTED, file=sys.stderr)
    # Ignored at the OS level from here: interpreter shutdown puts Python-level handlers back to the
    # default, which ends the process by the signal, but leaves an ignored signal ignored.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Everything is finished by now (files swapped in or left, black's pool shut down and joined), so
    # the process ends here: after an interrupt, the interpreter's own shutdown was seen to end it by
    # SIGINT instead of the status (a stress run of the signal tests).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130 if code is None else code)


def _closed_pipe() -> int:
    """What a closed standard output ends with: quietly, as a Unix tool killed by SIGPIPE would (141).
    What is still buffered for it goes nowhere, so flushing it at exit cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command for each target; user errors are printed as located one-line diagnostics, never
    tracebacks. A target that fails is named and the others still run: the worst status is returned."""
    args = _parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for the hint of a stale --check
    if args.command == "cache":
        return _cache(args)
    if args.command == "diff":
        try:
            return _diff(args)
        except GeneratorError as exc:
            _report(exc, "")
            return 2 if isinstance(exc, UsageError) else 1
    try:
        with _interrupt_on_sigterm():
            targets = _settings(args)
            if len(targets) > 1 and args.run is _ir:
                raise SystemExit(_usage_error("ir prints one target's model: pick one with --target"))
            return max(_run_target(args, config) for config in targets)
    except GeneratorError as exc:
        _report(exc, "")
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        print(_INTERRUPTED, file=sys.stderr)
        return 130


def _run_target(args: argparse.Namespace, config: Config) -> int:
    prefix = f"{config.name}: " if config.name else ""
    try:
        with _prefixed(prefix):
            return int(args.run(args, config))
    except GeneratorError as exc:
        _report(exc, prefix)
        return 2 if isinstance(exc, UsageError) else 1
    except BrokenPipeError:
        raise
    except OSError as exc:  # a file of ours or the user's that the system refused: where, and why
        where = exc.filename if exc.filename is not None else config.out
        print(f"{prefix}{where}: #: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _report(exc: GeneratorError, prefix: str) -> None:
    for diagnostic in exc.diagnostics:
        print(prefix + diagnostic.render(), file=sys.stderr)


@contextmanager
def _prefixed(prefix: str) -> Iterator[None]:
    """Every line a named target's run prints starts with its name."""
    if not prefix:
        yield
        return
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Prefixing(sys.stdout, prefix), _Prefixing(sys.stderr, prefix)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


class _Prefixing(io.TextIOBase):
    def __init__(self, stream: TextIO, prefix: str) -> None:
        self._stream, self._prefix, self._at_start = stream, prefix, True

    def write(self, text: str) -> int:
        for line in text.splitlines(keepends=True):
            self._stream.write((self._prefix if self._at_start else "") + line)
            self._at_start = line.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def _settings(args: argparse.Namespace) -> list[Config]:
    """The targets the run covers (all, or those `--target` names), each setting overridden by its flag."""
    if args.config is None:
        args.config = Path("pyproject.toml")  # the folder's own settings, when it has them
    elif not args.config.is_file():
        raise SystemExit(_usage_error(f"--config {str(args.config)!r}: {_missing(args.config)}"))
    targets = load_targets(args.config)
    picked: list[str] = getattr(args, "target", None) or []
    unknown = [name for name in picked if name not in {t.name for t in targets}]
    if unknown:
        known = ", ".join(t.name for t in targets if t.name) or "none: the settings have no `targets`"
        raise SystemExit(_usage_error(f"no target {unknown[0]!r} in {args.config} (targets: {known})"))
    selected = [t for t in targets if not picked or t.name in picked]
    single = ("spec", "out", "package")
    if len(selected) > 1 and any(getattr(args, flag, None) for flag in single):
        raise SystemExit(_usage_error("--spec, --out and --package name one target's: pick it with --target"))
    return [_overridden(args, config) for config in selected]


def _overridden(args: argparse.Namespace, config: Config) -> Config:
    """One target's settings, each overridden by the flag given for it."""
    tags: list[str] = getattr(args, "tag", None) or []
    all_tags = getattr(args, "all_tags", False)
    if tags and all_tags:
        raise SystemExit(_usage_error("--tag and --all-tags exclude each other"))
    flags: dict[str, object] = {
        "spec": args.spec,
        "out": getattr(args, "out", None),
        "package": getattr(args, "package", None),
        "templates": getattr(args, "templates", None),
        "allow_external_refs": args.allow_external_refs or None,
        "max_bytes": int(args.max_size * 2**20) if args.max_size is not None else None,
        "fetch_timeout": args.fetch_timeout,
        "strict": getattr(args, "strict", False) or None,
        "bump": getattr(args, "bump", False) or None,
    }
    given = {k: v for k, v in flags.items() if v is not None}
    if all_tags or tags:
        given["tags"] = None if all_tags else tuple(tags)
    settled = dataclasses.replace(config, **given)  # type: ignore[arg-type]
    if settled.package is not None:
        _check_package(settled.package)
    if not settled.spec:
        raise SystemExit(
            _usage_error(f"no document: give --spec PATH|URL, or `spec` in [tool.{SECTION}] of {args.config}")
        )
    if not is_url(settled.spec) and not Path(settled.spec).is_file():
        flag = "--spec" if args.spec else f"the spec of {args.config}"
        raise SystemExit(_usage_error(f"{flag} {settled.spec!r}: {_missing(Path(settled.spec))}"))
    if settled.templates is not None and not settled.templates.is_dir():
        flag = "--templates" if getattr(args, "templates", None) else f"the templates of {args.config}"
        raise SystemExit(_usage_error(f"{flag} {str(settled.templates)!r}: {_missing(settled.templates)}"))
    if settled.out.exists() and not settled.out.is_dir():
        raise SystemExit(_usage_error(f"--out {str(settled.out)!r} is a file; name a folder to generate into"))
    return settled


def _check_package(package: str) -> None:
    """Refuses a --package (or `package` setting) that cannot be imported, or would shadow a module."""
    if not package.isidentifier() or keyword.iskeyword(package):
        suggestion = re.sub(r"\W", "_", package).strip("_").lower() or "my_sdk"
        suggestion = suggestion if suggestion[0].isalpha() else "sdk_" + suggestion
        raise SystemExit(
            _usage_error(f"--package {package!r} is not a Python import name; did you mean {suggestion!r}?")
        )
    if package.split(".")[0] in PACKAGES_TAKEN:
        raise SystemExit(
            _usage_error(
                f"--package {package!r} would shadow a module the SDK imports (Python's own, or a"
                f" dependency's); did you mean '{package}_sdk'?"
            )
        )


def _generate(args: argparse.Namespace, config: Config) -> int:
    with cache.enabled(not args.no_cache):
        return _generate_once(args, config)


def _generate_once(args: argparse.Namespace, config: Config) -> int:
    # What determines the output, recorded in it (seal.py) whether or not the cache is used.
    inputs = _cache_key(config)
    key = None if args.no_cache else inputs
    remembered = cache.recall(config.out, key) if key else None
    if remembered is not None:
        for warning in remembered.warnings:
            print(warning, file=sys.stderr)
        print(f"{config.out} is up to date ({len(remembered.files)} files; inputs unchanged since the last run)")
        return 0
    proven = seal.unchanged(config.out, inputs) if inputs and not (args.full or args.no_cache) else None
    if proven is not None:  # a fresh clone's answer: no cache, but the record's hashes all hold
        if proven.note and config.package is None:
            print(proven.note, file=sys.stderr)
        _name_edited(config.out, proven.edited)
        edited = f", {len(proven.edited)} edited by hand" if proven.edited else ""
        print(
            f"{config.out} is up to date ({_count(proven.files, 'file')}{edited}; the document, settings, templates,"
            " generator and every file hash as its record says; --full to regenerate and compare)"
        )
        return 0

    from generator.builder.ledger import counts_line
    from generator.history import changelog
    from generator.history.merge import merged, without_kept
    from generator.output.write import stale_files, write_tree
    from generator.pipeline import generate
    from generator.progress import on_terminal

    progress = on_terminal(args.quiet)
    result = generate(config.spec, config.tags, config.package, config, config.out, config.bump, progress)
    note = _named_from_title(result.api) if config.package is None else ""
    generation = without_kept(changelog.with_history(result.files, result.api, config.out), config.keep)
    plan = merged(config.out, seal.sealed(generation, inputs, note), config.keep)
    files = plan.files
    warnings = [warning.render() for warning in result.warnings]
    if note:  # said on every run, the no-op ones included (they repeat what they remember)
        warnings.insert(0, note)
    for warning in warnings:
        print(warning, file=sys.stderr)
    for path in plan.orphans:
        print(
            f"warning: {config.out / path}: left in place: it holds hand edits, and the generator no longer"
            " makes it (remove it once nothing needs it)",
            file=sys.stderr,
        )
    if args.check:
        for name, same in ((seal.RECORD, _same_record), (seal.BASE, seal.same_base)):
            on_disk = config.out / name
            if on_disk.is_file() and same(config.out, files[name]) and on_disk.read_bytes() != files[name]:
                files[name] = on_disk.read_bytes()  # generated elsewhere (other library versions): not stale
                key = None  # not what this run makes: a later run must not take it for its own output
        stale = stale_files(config.out, files, plan.removed)
        _name_edited(config.out, plan.edited)
        if stale:
            _report_stale(args, config, stale, files)
        _report_conflicts(config.out, plan.conflicts, "generate would write conflict markers here: ")
        if stale or plan.conflicts:
            return 1
        edited = f", {len(plan.edited)} edited by hand" if plan.edited else ""
        print(f"{config.out} is up to date ({_count(len(files), 'file')}{edited})")
        print(counts_line(result.api.ledger))
    else:
        written = write_tree(config.out, files, plan.removed)
        _name_edited(config.out, plan.edited)
        operations = sum(len(r.operations) for r in result.api.resources)
        print(
            f"generated {len(files)} files into {config.out}: {operations} operations, "
            f"{sum(len(m.schemas) for m in result.api.modules)} models" + ("" if written else " (unchanged)")
        )
        print(counts_line(result.api.ledger))
        _report_conflicts(config.out, plan.conflicts, "")
        if plan.conflicts:
            return 1
    if key and not plan.edited:  # an answer from the cache names no edited file: the record's does
        cache.remember(config.out, key, files, warnings)
    cache.prune_daily()
    return 0


def _same_record(out: Path, new: bytes) -> bool:
    return seal.same_but_inputs((out / seal.RECORD).read_bytes(), new)


def _name_edited(out: Path, edited: Sequence[str]) -> None:
    """One line for each file that holds hand edits, so that a reviewer sees them."""
    for path in edited:
        print(f"{out / path}: holds hand edits, merged into the generated code")


def _report_conflicts(out: Path, conflicts: Sequence[Conflict], what: str) -> None:
    for conflict in conflicts:
        print(
            f"{out / conflict.path}:{conflict.line}: conflict: {what}a hand edit and the new generation change"
            " the same lines (keep what is right between the markers, remove them, and generate again)",
            file=sys.stderr,
        )


def _named_from_title(api: Api) -> str:
    """The one line that says which names a run took from the document's title, and how to choose."""
    return (
        f"note: named from the document's title {api.title!r}: package {api.package}, distribution"
        f" {api.dist_name}, client {api.client_class}, environment variables {api.package.upper()}_*"
        f" (choose with --package, or `package` in [tool.{SECTION}])"
    )


def _report_stale(args: argparse.Namespace, config: Config, stale: Staleness, files: dict[str, bytes]) -> None:
    """What `--check` found, most useful first: the counts and the command that brings the folder up to
    date, what it means for callers (the change report's verdict and counts), each file, then the
    unified diff of them all (`--diff-limit` lines of it, when given)."""
    print(
        f"{config.out} is stale: {_count(len(stale.changed), 'file')} changed, {len(stale.added)} added,"
        f" {len(stale.removed)} removed; run {_fix_command(args, config)}",
        file=sys.stderr,
    )
    print(f"for callers: {_callers(config.out, files)}", file=sys.stderr)
    for line in (*stale.files, *_limited(stale.diff, args.diff_limit)):
        print(line, file=sys.stderr)


def _callers(out: Path, files: dict[str, bytes]) -> str:
    """The change report's verdict and counts, from the folder's record to what the run would record."""
    from generator.history.changelog import SURFACE_FILE, recorded
    from generator.history.diff import as_json, diff

    previous = recorded(out)
    if previous is None:
        return "no record of the previous output's surface to compare with"
    report = as_json(diff(previous["surface"], json.loads(files[SURFACE_FILE])["surface"]))
    counts = report["counts"]
    return (
        f"{report['verdict']} ({'; '.join(report['reasons'])}): {counts['breaking']} breaking,"
        f" {_count(counts['addition'], 'addition')}, {counts['docs']} documentation only"
    )


def _limited(diff: Sequence[str], limit: int | None) -> list[str]:
    if limit is None or len(diff) <= limit:
        return list(diff)
    return [*diff[:limit], f"... {len(diff) - limit} more diff lines (--diff-limit {limit})"]


def _fix_command(args: argparse.Namespace, config: Config) -> str:
    """The command that was run, as the one that brings the output up to date: its flags but --check
    and --diff-limit, the target named when the run covered several; `make generate` where this
    folder's Makefile has that target and the command is the plain one it would run."""
    given: list[str] = list(args.argv)
    kept: list[str] = []
    skip = False
    for word in given:
        if skip:
            skip = False
        elif word == "--diff-limit":
            skip = True
        elif word != "--check" and not word.startswith("--diff-limit="):
            kept.append(word)
    if config.name and not args.target:
        kept += ["--target", config.name]
    command = "`codat-sdkgen " + shlex.join(kept) + "`"
    makefile = Path("Makefile")
    if kept == ["generate"] and makefile.is_file():
        try:
            if re.search(r"^generate\s*:", makefile.read_text(encoding="utf-8", errors="replace"), re.M):
                command += " or `make generate`"
        except OSError:
            pass
    return command


def _diff(args: argparse.Namespace) -> int:
    from generator.history.diff import as_json, diff
    from generator.history.surface import surface
    from generator.output.render import render_report
    from generator.pipeline import checked_api

    if args.tag and args.all_tags:
        return _usage_error("--tag and --all-tags exclude each other")
    tags = tuple(args.tag) if args.tag else None
    new = checked_api(args.new, tags, args.package)[0]  # named from the new document, unless named here
    surfaces = [surface(checked_api(args.old, tags, new.package)[0]), surface(new)]
    report = as_json(diff(*surfaces))
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        print(render_report(report, Path(args.old).name, Path(args.new).name), end="")
    return 1 if args.fail_on == "breaking" and report["counts"]["breaking"] else 0


def _cache(args: argparse.Namespace) -> int:
    if args.action == "clear":
        print(f"removed {cache.clear()} from {cache.cache_dir()}")
    else:
        print(f"removed {cache.prune()} from {cache.cache_dir()}")
    return 0


def _cache_key(config: Config) -> str | None:
    """The key of everything the output depends on; None where that cannot be known without a full run."""
    if config.allow_external_refs or is_url(config.spec):
        return None
    try:
        document = Path(config.spec).read_bytes()
    except OSError:
        return None  # the full run reports it
    # The document's bytes and name (its name is in the files' headers), not where it lies: a check from
    # another folder, or another clone, is keyed alike.
    settings = dataclasses.asdict(config) | {"out": None, "spec": Path(config.spec).name, "templates": None}
    return cache.inputs_key(document, settings, config.templates)


def _validate(args: argparse.Namespace, config: Config) -> int:
    from generator.document.bundle import bundle_external_refs
    from generator.document.load import load_document
    from generator.document.validate import validate_document

    try:
        doc = load_document(config.spec, config.max_bytes, config.fetch_timeout)
        if config.allow_external_refs:
            doc = bundle_external_refs(doc, config.max_bytes, config.fetch_timeout)
    except GeneratorError as exc:  # a document that does not parse: its problems, counted like any others
        problems = list(exc.diagnostics)
    else:
        problems = validate_document(doc)
    for problem in problems:
        print(problem.render())
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}", file=sys.stderr)
    return 1 if errors else 0


def _ir(args: argparse.Namespace, config: Config) -> int:
    from generator.pipeline import checked_api

    api, warnings = checked_api(config.spec, config.tags, config.package, config)
    if config.package is None:
        print(_named_from_title(api), file=sys.stderr)
    for warning in warnings:
        print(warning.render(), file=sys.stderr)
    json.dump(dataclasses.asdict(api), sys.stdout, indent=2)
    print()
    return 0


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """CI cancels a job with SIGTERM: treat it as Ctrl-C, so the atomic write can clean up after itself."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding program): leave its signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _natural(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not {text!r}")
    return int(text)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, not {text!r}")
    return value


def _missing(path: Path) -> str:
    """Why a path the run needs is not there, in a few words."""
    if path.is_dir():
        return "is a folder, not a file"
    if path.exists():
        return "is not a folder" if path.is_file() else "cannot be read"
    return "no such file or folder"


def _usage_error(message: str) -> int:
    print(f"codat-sdkgen: error: {message}", file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codat-sdkgen",
        description="Generate a typed Python SDK and its docs from an OpenAPI document (Codat's first).",
        epilog="Defaults come from [tool.codat-sdkgen] in pyproject.toml; flags override them.",
    )
    parser.add_argument("--version", action="version", version=f"codat-sdkgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, run: object) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--spec", help="the OpenAPI document (YAML or JSON): a path or an http(s) URL")
        sub.add_argument(
            "--config",
            type=Path,
            help="settings file (default ./pyproject.toml, its [tool.codat-sdkgen] when it has one)",
        )
        sub.add_argument(
            "--target",
            action="append",
            metavar="NAME",
            help="a target of the settings' `targets` (repeatable; default all)",
        )
        sub.add_argument("--allow-external-refs", action="store_true", help="fetch $refs to other files and URLs")
        sub.add_argument("--max-size", type=_positive, metavar="MIB", help="largest document read (default 32 MiB)")
        sub.add_argument("--fetch-timeout", type=_positive, metavar="S", help="seconds to wait for a URL (default 30)")
        sub.set_defaults(run=run)
        return sub

    def selection(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--tag", action="append", help="tag to generate (repeatable; default every tag)")
        sub.add_argument("--all-tags", action="store_true", help="every tag of the document")
        sub.add_argument("--package", help="import name of the SDK (default from the document's title)")
        sub.add_argument("--templates", type=Path, help="folder whose templates replace ours by name")
        sub.add_argument(
            "--strict",
            action="store_true",
            help="make every error fatal, outside the tags and in annotations too, and anything the ledger lists"
            " as loosened or left out; warnings stay warnings",
        )

    gen = command("generate", "write the SDK and docs into --out", _generate)
    selection(gen)
    gen.add_argument("--out", type=Path, help="output folder (default generated)")
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when --out is stale: a summary (files, the verdict for callers), then the diff",
    )
    gen.add_argument(
        "--diff-limit", type=_natural, metavar="N", help="with --check, show N lines of the diff (default all)"
    )
    gen.add_argument("--no-cache", action="store_true", help="run every stage even if no input changed")
    gen.add_argument(
        "--quiet",
        action="store_true",
        help="no progress display (shown on a terminal only, once a run lasts 2 s: the stage and its count)",
    )
    gen.add_argument(
        "--full",
        action="store_true",
        help="regenerate and compare even when the output's record proves it up to date by hashes",
    )
    gen.add_argument(
        "--bump",
        action="store_true",
        help="version the package from the previous output's, by what changed for callers"
        " (every run: bump = true in the settings)",
    )
    command("validate", "report every problem in the document", _validate)
    selection(command("ir", "print the intermediate model as JSON", _ir))
    compare = commands.add_parser("diff", help="what changed for the SDK's callers between two documents")
    compare.add_argument("old", help="the earlier document (YAML or JSON): a path or an http(s) URL")
    compare.add_argument("new", help="the later document")
    compare.add_argument("--tag", action="append", help="tag to compare (repeatable; default every tag)")
    compare.add_argument("--all-tags", action="store_true", help="every tag of each document (the default)")
    compare.add_argument("--package", help="import name the SDK would have (default from NEW's title)")
    compare.add_argument("--format", choices=["markdown", "json"], default="markdown")
    compare.add_argument("--fail-on", choices=["breaking"], help="exit 1 when a change of this class is present")
    kept = commands.add_parser("cache", help="the cache of earlier runs (prunes itself daily)")
    kept.add_argument(
        "action",
        choices=["clear", "prune"],
        help="clear: empty it; prune: remove what no run used for 30 days and the oldest past the size cap",
    )
    return parser
