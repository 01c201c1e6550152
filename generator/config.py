"""Settings from `[tool.codat-sdkgen]` in pyproject.toml; command-line flags override them one by one.

Paths in the file are relative to the file, so the same settings work from any working directory.
The section is one target, or holds several under `targets` (a table per target, named by its key):
each target's settings override the section's own, which the targets share.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.builder.package_settings import PackageSettings, pypi_version, spdx, valid_name, valid_url
from generator.document.fetch import DEFAULT_MAX_BYTES, FETCH_TIMEOUT, is_url
from generator.errors import Diagnostic, GeneratorError, pointer_join

SECTION = "codat-sdkgen"
# The `fail-on` setting's words, and the ledger's statuses they fail a run on.
FAIL_ON: dict[str, Literal["loosened", "left out"]] = {"loosened": "loosened", "left-out": "left out"}


@dataclass(frozen=True)
class Options:
    """How to generate, beyond which document, tags and package: what the pipeline takes."""

    strict: bool = False
    templates: Path | None = None
    operation_names: Mapping[str, str] = field(default_factory=dict)
    allow_external_refs: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    fetch_timeout: float = FETCH_TIMEOUT
    settings: PackageSettings = field(default_factory=PackageSettings)
    # The package's own tests (`tests/`, one module per resource); `tests = false` leaves them out.
    tests: bool = True
    # What fails the run when the ledger holds it (`fail-on`): "loosened", "left-out"; --strict is both.
    fail_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config(Options):
    """Every setting of a run: the options, plus what to read and where to write."""

    # Nothing is fitted to one document: no document until a flag or setting names one (""), every tag,
    # and the package named from the document's title (None) unless a flag or setting names it.
    spec: str = ""
    tags: tuple[str, ...] | None = None  # None: every tag
    out: Path = Path("generated")
    package: str | None = None
    # Every run versions the package by what changed for callers, as `--bump` does.
    bump: bool = False
    # The target's name under `targets`; "" for a section that is one target itself.
    name: str = ""
    # Paths of the output (globs relative to it) the generator never writes, removes or calls stale.
    keep: tuple[str, ...] = ()


def load_config(path: Path) -> Config:
    """The one target `path` (a pyproject.toml) describes; defaults when the file or its section is absent."""
    targets = load_targets(path)
    if len(targets) != 1:
        names = ", ".join(t.name for t in targets)
        raise GeneratorError(
            [
                Diagnostic(
                    str(path),
                    pointer_join("#/tool", SECTION, "targets"),
                    f"{len(targets)} targets ({names}); expected one",
                )
            ]
        )
    return targets[0]


def load_targets(path: Path) -> list[Config]:
    """Every target `path` describes, in the file's order: the section itself, or each of its `targets`."""
    if not path.is_file():
        return [Config()]
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GeneratorError([Diagnostic(source, "#", f"cannot read the settings: {exc}")]) from None
    section = data.get("tool", {}).get(SECTION)
    if section is None:
        return [Config()]
    where = pointer_join("#/tool", SECTION)
    if not isinstance(section, dict):
        raise GeneratorError([Diagnostic(source, where, "must be a table")])
    shared = {k: v for k, v in section.items() if k != "targets"}
    problems = _problems(shared, source, where)
    if "targets" not in section:
        if problems:
            raise GeneratorError(problems)
        return [_config(shared, path.parent)]
    targets, where_targets = section["targets"], pointer_join(where, "targets")
    if not isinstance(targets, dict) or not targets:
        raise GeneratorError([Diagnostic(source, where_targets, "must be a table of targets, one table each")])
    for name, target in targets.items():
        if not isinstance(target, dict):
            problems.append(Diagnostic(source, pointer_join(where_targets, name), "must be a table"))
        else:
            problems += _problems(target, source, pointer_join(where_targets, name))
    if problems:
        raise GeneratorError(problems)
    configs = [
        dataclasses.replace(_config(shared | target, path.parent), name=name) for name, target in targets.items()
    ]
    outs: dict[Path, str] = {}
    for config in configs:
        if config.out.resolve() in outs:
            message = f"writes into {str(config.out)!r}, as target {outs[config.out.resolve()]!r} does"
            problems.append(Diagnostic(source, pointer_join(where_targets, config.name, "out"), message))
        outs.setdefault(config.out.resolve(), config.name)
    if problems:
        raise GeneratorError(problems)
    return configs


_KNOWN: dict[str, type | tuple[type, ...]] = {
    "spec": str,
    "tags": list,
    "all-tags": bool,
    "out": str,
    "package": str,
    "templates": str,
    "operation-names": dict,
    "allow-external-refs": bool,
    "max-size-mib": int,
    "fetch-timeout": (int, float),
    "strict": bool,
    "bump": bool,
    "tests": bool,
    "fail-on": list,
    "keep": list,
    "dist-name": str,
    "version": str,
    "description": str,
    "license": str,
    "urls": dict,
}


def _problems(section: dict[str, Any], source: str, where: str) -> list[Diagnostic]:
    """Every setting of one table that is unknown, of the wrong type, or a value PyPI would refuse."""
    problems = [
        Diagnostic(source, pointer_join(where, key), "unknown setting", hint=_setting_hint(key))
        for key in sorted(set(section) - set(_KNOWN))
    ]
    problems += [
        Diagnostic(source, pointer_join(where, key), f"must be a {getattr(_KNOWN[key], '__name__', 'number')}")
        for key, value in sorted(section.items())
        if key in _KNOWN and not isinstance(value, _KNOWN[key])
    ]
    names = section.get("operation-names", {})
    if isinstance(names, dict):
        problems += [
            Diagnostic(source, pointer_join(where, "operation-names", k), "must be a method name (a string)")
            for k, v in sorted(names.items())
            if not isinstance(v, str) or not v.isidentifier()
        ]
    fail_on = section.get("fail-on", [])
    if isinstance(fail_on, list):
        problems += [
            Diagnostic(source, pointer_join(where, "fail-on", i), f"{value!r} is not one of: {', '.join(FAIL_ON)}")
            for i, value in enumerate(fail_on)
            if not (isinstance(value, str) and value in FAIL_ON)
        ]
    keep = section.get("keep", [])
    if isinstance(keep, list):
        problems += [
            Diagnostic(source, pointer_join(where, "keep", n), "must be a path relative to the output folder")
            for n, pattern in enumerate(keep)
            if not isinstance(pattern, str)
            or not pattern.strip("/")
            or pattern.startswith("/")
            or ".." in pattern.split("/")
        ]
    return problems + _package_problems(section, source, where)


def _setting_hint(key: str) -> str:
    """`did you mean 'package'?` for a setting spelt nearly right (or with `_` for `-`); else every one."""
    spelt, known = key.replace("_", "-").lower(), [*_KNOWN, "targets"]
    close = [spelt] if spelt in known else difflib.get_close_matches(spelt, known, n=1, cutoff=0.7)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known: " + ", ".join(_KNOWN)


def _config(section: dict[str, Any], base: Path) -> Config:
    """The settings of a table `_problems` has found nothing wrong with."""
    names = section.get("operation-names", {})
    defaults = Config()
    spec = section.get("spec", defaults.spec)
    tags = tuple(str(t) for t in section["tags"]) if "tags" in section else defaults.tags
    return Config(
        spec=spec if is_url(spec) or not spec else str(base / spec),
        tags=None if section.get("all-tags") else tags,
        out=base / section["out"] if "out" in section else defaults.out,
        package=section.get("package", defaults.package),
        templates=base / section["templates"] if "templates" in section else None,
        operation_names=dict(names),
        allow_external_refs=section.get("allow-external-refs", False),
        max_bytes=section["max-size-mib"] * 2**20 if "max-size-mib" in section else defaults.max_bytes,
        fetch_timeout=float(section.get("fetch-timeout", defaults.fetch_timeout)),
        strict=section.get("strict", False),
        bump=section.get("bump", False),
        tests=section.get("tests", True),
        fail_on=tuple(sorted(set(section.get("fail-on", [])))),
        keep=tuple(section.get("keep", [])),
        settings=PackageSettings(
            dist_name=section.get("dist-name"),
            version=pypi_version(section["version"]) if "version" in section else None,
            description=section.get("description"),
            license=spdx(section["license"]) if "license" in section else None,
            urls=dict(section.get("urls", {})),
        ),
    )


def _package_problems(section: dict[str, Any], source: str, where: str) -> list[Diagnostic]:
    """Package settings PyPI would refuse, refused here with the rule they break."""
    checks = [
        ("dist-name", valid_name, "is not a distribution name (letters, digits, '.', '_', '-')"),
        (
            "version",
            lambda v: pypi_version(v) is not None,
            "is not a version PyPI accepts (e.g. '1.2.0'; no local part)",
        ),
        ("license", lambda v: spdx(v) is not None, "is not an SPDX license expression (e.g. 'MIT')"),
    ]
    problems = [
        Diagnostic(source, pointer_join(where, key), f"{section[key]!r} {rule}")
        for key, valid, rule in checks
        if isinstance(section.get(key), str) and not valid(section[key])
    ]
    urls = section.get("urls")
    if isinstance(urls, dict):
        problems += [
            Diagnostic(source, pointer_join(where, "urls", label), "must be an http(s) URL")
            for label, url in sorted(urls.items())
            if not isinstance(url, str) or not valid_url(url)
        ]
    return problems
