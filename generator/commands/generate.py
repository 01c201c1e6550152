"""`generate`: the output folder made, checked (--check) or found up to date, hand edits merged in."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator import cache
from generator.config import SECTION, Config
from generator.document.fetch import is_url
from generator.history import seal
from generator.text.naming import counted as _count

if TYPE_CHECKING:
    from generator.history.merge import Conflict
    from generator.ir.api import Api
    from generator.output.write import Staleness


def generate_command(args: argparse.Namespace, config: Config) -> int:
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
    note = named_from_title(result.api) if config.package is None else ""
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


def named_from_title(api: Api) -> str:
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
