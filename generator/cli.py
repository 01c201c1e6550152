"""The `codat-sdkgen` command: generate, validate, ir. Exit 0 ok, 1 invalid or stale, 2 usage."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.errors import GeneratorError
from generator.load import load_document
from generator.pipeline import checked_api, generate
from generator.validate import validate_document
from generator.write import stale_files, write_tree

DEFAULT_SPEC = Path("spec/codat-accounting.yaml")


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; user errors are printed as located one-line diagnostics, never tracebacks."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except GeneratorError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was", file=sys.stderr)
        return 130


def _generate(args: argparse.Namespace) -> int:
    result = generate(args.spec, _tags(args), args.package, strict=args.strict)
    for warning in result.warnings:
        print(warning.render(), file=sys.stderr)
    if args.check:
        stale = stale_files(args.out, result.files)
        if stale:
            print(f"{args.out} is stale ({len(stale)} files); run `make generate`:", file=sys.stderr)
            for line in stale:
                print(f"  {line}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(result.files)} files)")
        return 0
    write_tree(args.out, result.files)
    operations = sum(len(r.operations) for r in result.api.resources)
    print(
        f"generated {len(result.files)} files into {args.out}: {operations} operations, "
        f"{sum(len(m.schemas) for m in result.api.modules)} models"
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    doc = load_document(args.spec)
    problems = validate_document(doc)
    for problem in problems:
        print(problem.render())
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{errors} errors, {len(problems) - errors} warnings", file=sys.stderr)
    return 1 if errors else 0


def _ir(args: argparse.Namespace) -> int:
    api, _, warnings = checked_api(args.spec, _tags(args), args.package, False)
    for warning in warnings:
        print(warning.render(), file=sys.stderr)
    json.dump(dataclasses.asdict(api), sys.stdout, indent=2)
    print()
    return 0


def _tags(args: argparse.Namespace) -> tuple[str, ...] | None:
    if args.all_tags:
        if args.tag:
            raise SystemExit(_usage_error("--tag and --all-tags exclude each other"))
        return None
    return tuple(args.tag or ["Customers"])


def _usage_error(message: str) -> int:
    print(f"codat-sdkgen: error: {message}", file=sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codat-sdkgen", description="Generate a Python SDK from the Codat Accounting document."
    )
    parser.add_argument("--version", action="version", version=f"codat-sdkgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, run: object) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the OpenAPI document (YAML or JSON)")
        sub.set_defaults(run=run)
        return sub

    gen = command("generate", "write the SDK and docs into --out", _generate)
    gen.add_argument("--tag", action="append", help="tag to generate (repeatable; default Customers)")
    gen.add_argument("--all-tags", action="store_true", help="generate every tag of the document")
    gen.add_argument("--out", type=Path, default=Path("generated"))
    gen.add_argument("--package", default="codat_accounting", help="import name of the SDK")
    gen.add_argument("--check", action="store_true", help="write nothing; exit 1 when --out is stale")
    gen.add_argument("--strict", action="store_true", help="treat problems outside the tags as errors")
    command("validate", "report every problem in the document", _validate)
    ir = command("ir", "print the intermediate model as JSON", _ir)
    ir.add_argument("--tag", action="append", help="tag to model (repeatable; default Customers)")
    ir.add_argument("--all-tags", action="store_true", help="model every tag of the document")
    ir.add_argument("--package", default="codat_accounting")
    return parser
