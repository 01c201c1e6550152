"""Stage 7: merge the maintainer's hand edits into the new generation, file by file, with git's own merge.

Each file is merged three ways: the last generation's pristine file (the base the output keeps, seal.py),
the file as it is now, and the new one. A file still as the last run wrote it is simply replaced; one the
maintainer edited gets the new generation's changes around the edits, and where both touched the same
lines, both versions between conflict markers. Nothing the maintainer wrote is dropped: files they added
are none of the generator's business, an edited file the generator no longer makes stays where it is,
and the `keep` setting's paths are never touched at all.
"""

from __future__ import annotations

import fnmatch
import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from generator import MARKER
from generator.cache import output_tree
from generator.errors import Diagnostic, GeneratorError
from generator.history.seal import BASE, CONFLICT, RECORD, base, listed

# The generator's own bookkeeping: always written as the run made it, never merged nor kept.
_OWN = frozenset({MARKER, RECORD, BASE})
_LABELS = ("yours", "last generation", "this generation")
_GIT_TIMEOUT_S = 60


@dataclass(frozen=True)
class Conflict:
    path: str
    line: int


@dataclass(frozen=True)
class Merged:
    """What a run writes into a folder that may hold edits, and what it has to say about them."""

    # Every file the run writes: the new generation, hand edits merged in.
    files: dict[str, bytes]
    # Files of the last generation, untouched since, that this one no longer makes: removed.
    removed: tuple[str, ...]
    # Files that hold hand edits, merged into the new generation.
    edited: tuple[str, ...]
    # Edited files that this generation no longer makes: left in place, and said so.
    orphans: tuple[str, ...]
    # Where a merged file holds conflict markers: the opening line of each conflict.
    conflicts: tuple[Conflict, ...]


def kept(path: str, patterns: Sequence[str]) -> bool:
    """Whether a `keep` pattern covers the path: it matches it (a `*` spans folders, as in fnmatch), or a
    folder above it. The generator's bookkeeping is never kept."""
    if path in _OWN:
        return False
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatchcase(prefix, pattern.rstrip("/")) for pattern in patterns for prefix in prefixes)


def without_kept(files: Mapping[str, bytes], keep: Sequence[str]) -> dict[str, bytes]:
    """The generation but the paths `keep` covers, which the generator neither writes nor compares."""
    return {path: content for path, content in files.items() if not kept(path, keep)}


def merged(out: Path, files: Mapping[str, bytes], keep: Sequence[str]) -> Merged:
    """The new generation `files` (kept paths already left out) merged with what `out` holds now."""
    previous = listed(out)
    current = output_tree(out)
    bases: dict[str, bytes] | None = None
    result: dict[str, bytes] = {}
    edited: list[str] = []
    conflicts: list[Conflict] = []
    for path, new in sorted(files.items()):
        mine = current[path].read_bytes() if path in current and path not in _OWN else None
        if mine is None or mine == new or _sha256(mine) == previous.get(path):
            result[path] = new
            continue
        if bases is None:
            bases = base(out, previous)
        result[path] = _merge3(mine, bases.get(path, b""), new, str(out / path))
        edited.append(path)
        conflicts += [Conflict(path, n) for n in _conflict_lines(result[path])]
    removed: list[str] = []
    orphans: list[str] = []
    for path, sha256 in sorted(previous.items()):
        if path in files or path in _OWN or path not in current or kept(path, keep):
            continue
        (removed if _sha256(current[path].read_bytes()) == sha256 else orphans).append(path)
    return Merged(result, tuple(removed), tuple(edited), tuple(orphans), tuple(conflicts))


def _merge3(mine: bytes, old: bytes, new: bytes, where: str) -> bytes:
    """git merge-file's answer; the cases it is not needed for are answered here, so that a machine
    without git fails only when a merge is really needed."""
    if old == new:
        return mine
    if old == mine:
        return new
    return _git_merge_file(mine, old, new, where)


def _git_merge_file(mine: bytes, old: bytes, new: bytes, where: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        _fail(where, "git is not installed, and merging the edits of this file into the new generation needs it")
    with tempfile.TemporaryDirectory(prefix="codat-sdkgen-merge-") as folder:
        names = [Path(folder) / name for name in ("yours", "base", "new")]
        for name, content in zip(names, (mine, old, new), strict=True):
            name.write_bytes(content)
        labels = [arg for label in _LABELS for arg in ("-L", label)]
        command = [git, "merge-file", "-p", "--diff3", *labels, *map(str, names)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=_GIT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            _fail(where, f"git merge-file took longer than {_GIT_TIMEOUT_S} s")
        except OSError as exc:
            _fail(where, f"cannot run git merge-file: {exc.strerror or exc}")
    if not 0 <= done.returncode <= 127:  # its count of conflicts, or an error
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        _fail(where, f"git merge-file failed: {said[0] if said else f'exit status {done.returncode}'}")
    return done.stdout


def _fail(where: str, message: str) -> NoReturn:
    raise GeneratorError([Diagnostic(where, "#", message, hint="the output folder is as it was")])


def _conflict_lines(content: bytes) -> list[int]:
    return [content.count(b"\n", 0, match.start()) + 1 for match in CONFLICT.finditer(content)]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
