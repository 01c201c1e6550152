"""The output's own history: the surface it was generated with, and a changelog of what changed since.

Each output records its SDK surface, version and document hash (`SURFACE_FILE`), so the next run can
say what changed for callers without the old document. When the surface changed, the run puts an entry
for it at the top of the package's CHANGELOG.md (the report against the previous output, with the
version and the document's hash); otherwise the changelog is carried over as it was. So an output is a
function of its inputs and of the output it replaces: a folder generated afresh has no changelog.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from packaging.version import Version

from generator import __version__
from generator.builder.ledger import recorded as recorded_ledger
from generator.history.diff import as_json, diff
from generator.history.seal import RECORD
from generator.history.surface import surface
from generator.ir.api import Api
from generator.text.markdown import inline_markdown

SURFACE_FILE = RECORD
CHANGELOG = "CHANGELOG.md"
_TITLE = "# Changelog\n\nWhat changed for the SDK's callers, newest first (written by codat-sdkgen).\n"
_LABELS = {"breaking": "Breaking", "addition": "Added", "docs": "Documentation"}


def recorded(out: Path) -> dict[str, Any] | None:
    """What the previous output recorded of itself; None for a folder without a record."""
    try:
        record = json.loads((out / SURFACE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("surface"), dict) else None


def bumped(previous: dict[str, Any] | None, api: Api) -> str | None:
    """The version the previous output's, raised as the change report's verdict says; None without one."""
    if previous is None:
        return None
    try:
        major, minor, patch = (*Version(str(previous.get("version"))).release, 0, 0, 0)[:3]
    except ValueError:
        return None
    verdict = as_json(diff(previous["surface"], surface(api)))["verdict"]
    if verdict == "major":
        return f"{major + 1}.0.0" if major else f"0.{minor + 1}.0"  # before 1.0, a minor step is the major
    if verdict == "minor":
        return f"{major}.{minor + 1}.0"
    if verdict == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return str(previous.get("version"))


def record(api: Api, settings: Mapping[str, Any] | None = None) -> bytes:
    """What an output records of itself, for the next run to compare with (a file of the output), and
    for a reviewer: the document and its hash, the generator's version, the settings that shaped it, and
    the ledger of what came out typed, loosened or left out.
    The only file of an output that changes with each of these (the others name none of them)."""
    current = {
        "version": api.distribution.version,
        "document": api.source_name,
        "sha256": api.source_sha256,
        "generator": f"codat-sdkgen {__version__}",
        "settings": dict(settings or {}),
        "surface": surface(api),
        "ledger": recorded_ledger(api.ledger),
    }
    return (json.dumps(current, indent=1, sort_keys=True) + "\n").encode()


def with_history(files: dict[str, bytes], api: Api, out: Path) -> dict[str, bytes]:
    """The output's files and, when it has one, its changelog: carried over, with an entry on top when
    the surface changed since the output it replaces."""
    current = json.loads(files[SURFACE_FILE])
    result = dict(files)
    previous = recorded(out)
    try:
        log = (out / CHANGELOG).read_text(encoding="utf-8")
    except OSError:
        log = ""
    if previous is not None and previous["surface"] != current["surface"]:
        entries = log.split("\n## ", 1)[1] if "\n## " in log else ""
        log = _TITLE + "\n" + _entry(previous, current, api) + ("\n## " + entries if entries else "")
    if log:
        result[CHANGELOG] = log.encode()
    return result


def _entry(previous: dict[str, Any], current: dict[str, Any], api: Api) -> str:
    report = as_json(diff(previous["surface"], current["surface"]))
    lines = [
        f"## {current['version']}",
        "",
        f"From {api.source_name} (sha256 {api.source_sha256}), against the output of version "
        f"{previous.get('version')} (sha256 {previous.get('sha256')}). Semver: **{report['verdict']}** "
        f"({'; '.join(report['reasons'])}).",
    ]
    for category, label in _LABELS.items():
        changes = [c for c in report["changes"] if c["category"] == category]
        if changes:
            lines += ["", f"### {label}", ""]
            lines += [f"- `{c['surface']}`: {inline_markdown(c['message'])}" for c in changes]
    return "\n".join(lines) + "\n"
