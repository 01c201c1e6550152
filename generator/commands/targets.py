"""The targets a run covers (all, or those `--target` names), each setting overridden by its flag, and
refused with a usage error (exit 2) when it cannot be right: a package name Python cannot import, a
document or folder that is not there.
"""

from __future__ import annotations

import argparse
import dataclasses
import keyword
import re
import sys
from pathlib import Path

from generator.config import SECTION, Config, load_targets
from generator.document.fetch import is_url
from generator.text.reserved import PACKAGES_TAKEN


def targets_of(args: argparse.Namespace) -> list[Config]:
    """The targets the run covers (all, or those `--target` names), each setting overridden by its flag."""
    if args.config is None:
        args.config = Path("pyproject.toml")  # the folder's own settings, when it has them
    elif not args.config.is_file():
        raise SystemExit(usage_error(f"--config {str(args.config)!r}: {missing(args.config)}"))
    targets = load_targets(args.config)
    picked: list[str] = getattr(args, "target", None) or []
    unknown = [name for name in picked if name not in {t.name for t in targets}]
    if unknown:
        known = ", ".join(t.name for t in targets if t.name) or "none: the settings have no `targets`"
        raise SystemExit(usage_error(f"no target {unknown[0]!r} in {args.config} (targets: {known})"))
    selected = [t for t in targets if not picked or t.name in picked]
    single = ("spec", "out", "package")
    if len(selected) > 1 and any(getattr(args, flag, None) for flag in single):
        raise SystemExit(usage_error("--spec, --out and --package name one target's: pick it with --target"))
    return [overridden(args, config) for config in selected]


def overridden(args: argparse.Namespace, config: Config) -> Config:
    """One target's settings, each overridden by the flag given for it."""
    tags: list[str] = getattr(args, "tag", None) or []
    all_tags = getattr(args, "all_tags", False)
    if tags and all_tags:
        raise SystemExit(usage_error("--tag and --all-tags exclude each other"))
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
        check_package(settled.package)
    if not settled.spec:
        raise SystemExit(
            usage_error(f"no document: give --spec PATH|URL, or `spec` in [tool.{SECTION}] of {args.config}")
        )
    if not is_url(settled.spec) and not Path(settled.spec).is_file():
        flag = "--spec" if args.spec else f"the spec of {args.config}"
        raise SystemExit(usage_error(f"{flag} {settled.spec!r}: {missing(Path(settled.spec))}"))
    if settled.templates is not None and not settled.templates.is_dir():
        flag = "--templates" if getattr(args, "templates", None) else f"the templates of {args.config}"
        raise SystemExit(usage_error(f"{flag} {str(settled.templates)!r}: {missing(settled.templates)}"))
    if settled.out.exists() and not settled.out.is_dir():
        raise SystemExit(usage_error(f"--out {str(settled.out)!r} is a file; name a folder to generate into"))
    return settled


def check_package(package: str) -> None:
    """Refuses a --package (or `package` setting) that cannot be imported, or would shadow a module."""
    if not package.isidentifier() or keyword.iskeyword(package):
        suggestion = re.sub(r"\W", "_", package).strip("_").lower() or "my_sdk"
        suggestion = suggestion if suggestion[0].isalpha() else "sdk_" + suggestion
        raise SystemExit(
            usage_error(f"--package {package!r} is not a Python import name; did you mean {suggestion!r}?")
        )
    if package.split(".")[0] in PACKAGES_TAKEN:
        raise SystemExit(
            usage_error(
                f"--package {package!r} would shadow a module the SDK imports (Python's own, or a"
                f" dependency's); did you mean '{package}_sdk'?"
            )
        )


def missing(path: Path) -> str:
    """Why a path the run needs is not there, in a few words."""
    if path.is_dir():
        return "is a folder, not a file"
    if path.exists():
        return "is not a folder" if path.is_file() else "cannot be read"
    return "no such file or folder"


def usage_error(message: str) -> int:
    print(f"codat-sdkgen: error: {message}", file=sys.stderr)
    return 2
