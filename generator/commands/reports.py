"""The commands besides `generate`: `validate`, `ir` and `diff` report on documents; `cache` empties or
prunes the cache of earlier runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from generator import cache
from generator.commands.generate import (
    named_from_title,
)
from generator.commands.targets import usage_error
from generator.config import Config
from generator.errors import GeneratorError
from generator.text.naming import counted as _count


def diff_command(args: argparse.Namespace) -> int:
    from generator.history.diff import as_json, diff
    from generator.history.surface import surface
    from generator.output.render import render_report
    from generator.pipeline import checked_api

    if args.tag and args.all_tags:
        return usage_error("--tag and --all-tags exclude each other")
    tags = tuple(args.tag) if args.tag else None
    new = checked_api(args.new, tags, args.package)[0]  # named from the new document, unless named here
    surfaces = [surface(checked_api(args.old, tags, new.package)[0]), surface(new)]
    report = as_json(diff(*surfaces))
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        print(render_report(report, Path(args.old).name, Path(args.new).name), end="")
    return 1 if args.fail_on == "breaking" and report["counts"]["breaking"] else 0


def cache_command(args: argparse.Namespace) -> int:
    if args.action == "clear":
        print(f"removed {cache.clear()} from {cache.cache_dir()}")
    else:
        print(f"removed {cache.prune()} from {cache.cache_dir()}")
    return 0


def validate_command(args: argparse.Namespace, config: Config) -> int:
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


def ir_command(args: argparse.Namespace, config: Config) -> int:
    from generator.pipeline import checked_api

    api, warnings = checked_api(config.spec, config.tags, config.package, config)
    if config.package is None:
        print(named_from_title(api), file=sys.stderr)
    for warning in warnings:
        print(warning.render(), file=sys.stderr)
    json.dump(dataclasses.asdict(api), sys.stdout, indent=2)
    print()
    return 0
