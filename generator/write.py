"""Stage 5: format Python with black in memory, then compare with or replace the output folder.

The new tree is written beside the old one and swapped in with two renames, so a failed or
interrupted run leaves the previous output as it was.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from pathlib import Path

import black

from generator.errors import Diagnostic, GeneratorError
from generator.render import MARKER

# What tools leave in the output folder (installs, linters), never part of the comparison.
_IGNORED = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build"})
_PYTHON_BLOCK = re.compile(r"(```python\n)(.*?)(```)", re.S)
_MODE = black.Mode(line_length=120, target_versions={black.mode.TargetVersion.PY310})


def format_files(files: dict[str, str]) -> dict[str, bytes]:
    """Every file's final bytes; Python files and the Python examples in markdown pass through black."""
    result: dict[str, bytes] = {}
    for path, text in sorted(files.items()):
        if path.endswith(".py"):
            text = _black(text, path)
        elif path.endswith(".md"):
            text = _format_examples(text, path)
        result[path] = text.encode("utf-8")
    return result


def _format_examples(markdown: str, path: str) -> str:
    return _PYTHON_BLOCK.sub(lambda m: m.group(1) + _black(m.group(2), path) + m.group(3), markdown)


def _black(code: str, path: str) -> str:
    try:
        return black.format_str(code, mode=_MODE)
    except black.parsing.InvalidInput as exc:
        raise GeneratorError(
            [Diagnostic(path, "#", f"generated code does not parse: {exc}", hint="a template bug")]
        ) from None


def stale_files(out: Path, files: dict[str, bytes]) -> list[str]:
    """What differs between `out` and `files`: one line per changed, missing or extra file."""
    existing = _tree(out)
    report: list[str] = []
    for path in sorted(set(files) | set(existing)):
        if path not in existing:
            report.append(f"missing: {path}")
        elif path not in files:
            report.append(f"extra: {path}")
        elif existing[path].read_bytes() != files[path]:
            old = existing[path].read_text("utf-8", "replace").splitlines()
            new = files[path].decode("utf-8").splitlines()
            changed = sum(
                1
                for line in difflib.unified_diff(old, new, lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            )
            report.append(f"changed: {path} ({changed} lines differ)")
    return report


def write_tree(out: Path, files: dict[str, bytes]) -> None:
    """Replaces `out` with exactly `files`, atomically as far as the file system allows."""
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise GeneratorError(
            [
                Diagnostic(
                    str(out),
                    "#",
                    "refusing to replace a folder codat-sdkgen did not create",
                    hint=f"choose an empty --out, or one holding {MARKER}",
                )
            ]
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".sdkgen-{out.name}-", dir=out.parent))
    retired = staging.with_name(staging.name + "-old")
    try:
        for path, content in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        staging.chmod(0o755)
        if out.exists():
            os.rename(out, retired)
        os.rename(staging, out)
    except BaseException:
        if retired.exists() and not out.exists():
            os.rename(retired, out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _tree(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file()
        and not _IGNORED.intersection(p.relative_to(root).parts)
        and not any(part.endswith(".egg-info") for part in p.parts)
        and not p.name.endswith(".pyc")
    }
