"""The command line: each command's arguments and the function that runs it."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import __version__
from generator.commands.generate import (
    generate_command,
)
from generator.commands.reports import ir_command, validate_command


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


def parser() -> argparse.ArgumentParser:
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

    gen = command("generate", "write the SDK and docs into --out", generate_command)
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
    command("validate", "report every problem in the document", validate_command)
    selection(command("ir", "print the intermediate model as JSON", ir_command))
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
