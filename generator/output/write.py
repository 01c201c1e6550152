"""Stage 8: compare with or replace the output folder.

The new tree is written beside the old one and swapped in with two renames, so a failed or
interrupted run leaves the previous output as it was. What the run does not write nor remove (the
maintainer's own files, the paths it keeps) is carried into the new tree as hard links: no copy, and
the old tree is untouched until the swap.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import MARKER
from generator.cache import output_tree
from generator.errors import Diagnostic, GeneratorError
from generator.output.workers import alive
from generator.text.naming import counted


@dataclass(frozen=True)
class Staleness:
    """How an output folder differs from what a run would write, file by file, and the whole diff."""

    changed: tuple[str, ...]
    # What the run would add (missing from the folder) and remove (extra in it).
    added: tuple[str, ...]
    removed: tuple[str, ...]
    # A line per file (`changed: PATH (N lines differ)`, `added: PATH`, `removed: PATH`), in path order.
    files: tuple[str, ...]
    # The unified diff of every file, the folder's side first (`/dev/null` for one side of an added
    # or removed file), as `git diff` would show it.
    diff: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def stale_files(out: Path, files: dict[str, bytes], gone: Collection[str] = ()) -> Staleness:
    """What differs between `out` and `files`, and which of the files `gone` names it still holds; the
    folder's other files are the maintainer's, never stale."""
    existing = {path: file for path, file in output_tree(out).items() if path in files or path in gone}
    changed: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    listed: list[str] = []
    diff: list[str] = []
    for path in sorted(set(files) | set(existing)):
        before = existing[path].read_bytes() if path in existing else None
        after = files.get(path)
        if before == after:
            continue
        old_name = f"{out.name}/{path}" if before is not None else "/dev/null"
        new_name = f"fresh/{path}" if after is not None else "/dev/null"
        old, new = _lines(before), _lines(after)
        if before is None:
            added.append(path)
            listed.append(f"added: {path}")
        elif after is None:
            removed.append(path)
            listed.append(f"removed: {path}")
        else:
            changed.append(path)
            if old is None or new is None:
                listed.append(f"changed: {path} (binary)")
            else:
                differ = sum(1 for line in difflib.unified_diff(old, new, lineterm="", n=0) if line[:1] in "+-")
                listed.append(f"changed: {path} ({counted(differ - 2, 'line differs', 'lines differ')})")
        if old is None or new is None:  # the merge's base, say: as git shows a binary file, without lines
            diff.append(f"Binary files {old_name} and {new_name} differ")
        else:
            diff += difflib.unified_diff(old, new, old_name, new_name, lineterm="")
    return Staleness(tuple(changed), tuple(added), tuple(removed), tuple(listed), tuple(diff))


def _lines(content: bytes | None) -> list[str] | None:
    """A file's lines (none for a file that is not there), or None when it is not UTF-8 text."""
    if content is None:
        return []
    try:
        return content.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def write_tree(out: Path, files: dict[str, bytes], gone: Collection[str] = ()) -> bool:
    """Writes `files` into `out` and removes the files `gone` names, atomically as far as the file system
    allows; everything else `out` holds stays as it is.

    Returns False, having written nothing, when `out` already holds `files` and none of `gone`: file
    times stay as they were, so tools that watch them (make, pip, editors) see no change. A folder that
    cannot be written (no permission, a full disk, a file where a folder should be) is one located error,
    with `out` as it was and nothing of ours left beside it.
    """
    out = out.resolve()
    existing = output_tree(out)
    if all(p in existing and existing[p].read_bytes() == files[p] for p in files) and not set(gone) & set(existing):
        return False
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
    try:
        _swap_in(out, files, {*files, *gone})
    except OSError as exc:
        raise GeneratorError([_write_problem(exc, out)]) from None
    return True


def _swap_in(out: Path, files: dict[str, bytes], replaced: set[str]) -> None:
    _removable(out)  # before anything is written: the old tree must go once the new one is in
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    staging = Path(tempfile.mkdtemp(prefix=f".sdkgen-{out.name}.{os.getpid()}.", dir=out.parent))
    retired = staging.with_name(staging.name + "-old")
    try:
        for path, content in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if out.is_dir():
            _carry(out, staging, replaced)
        staging.chmod(0o755)
        if out.exists():
            os.rename(out, retired)
        os.rename(staging, out)
    except BaseException:
        if retired.exists() and not out.exists():
            os.rename(retired, out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if retired.exists():  # none when there was no previous output
            shutil.rmtree(retired)
    except OSError as exc:  # made read-only since `_removable` looked, or not ours to remove
        raise GeneratorError(
            [
                Diagnostic(
                    str(retired),
                    "#",
                    f"the new output is in place, but the previous one could not be removed: {exc.strerror or exc}",
                    hint="remove that folder by hand",
                )
            ]
        ) from None


def _carry(out: Path, staging: Path, replaced: set[str]) -> None:
    """Links into the new tree every file of the old one that the run neither writes nor removes (copies
    where the file system has no hard links); symbolic links are made anew, pointing where they did."""
    for folder, folders, names in os.walk(out):
        here = Path(folder)
        for name in [*names, *(f for f in folders if (here / f).is_symlink())]:
            source = here / name
            path = source.relative_to(out).as_posix()
            if path in replaced:
                continue
            target = staging / path
            if (
                target.exists()
                or target.is_symlink()
                or any((staging / p).is_file() for p in PurePosixPath(path).parents)
            ):
                raise GeneratorError(
                    [Diagnostic(str(source), "#", "the new output writes a folder or file of the same name here")]
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
            else:
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copy2(source, target)


def _removable(out: Path) -> None:
    """Refuses an old output whose folders this process could not empty: swapped out, it would stay
    behind under its retired name (`.sdkgen-NAME.PID.RANDOM-old`), and the run would look a success."""
    if not out.is_dir():
        return
    for folder in [out, *(p for p in out.rglob("*") if p.is_dir() and not p.is_symlink())]:
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, "a folder of the previous output is read-only", str(folder))


def _write_problem(exc: OSError, out: Path) -> Diagnostic:
    """One line for a write that failed: the path, and what the system said."""
    path = exc.filename if exc.filename is not None else out
    reason = exc.strerror or str(exc)
    hint = "the output folder is as it was"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocking = next((p for p in [out, *out.parents] if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            path, reason = blocking, "is a file, where --out needs a folder"
    elif exc.errno == errno.ENOSPC:
        hint = "free some space and run again; " + hint
    return Diagnostic(str(path), "#", f"cannot write the output: {reason}", hint=hint)


def _recover(out: Path) -> None:
    """Cleans up after a run that was killed outright (no chance to run its own cleanup).

    Such a run leaves its staging folder, and if it died between its two renames, the previous output
    under the retired name: that is put back, so the folder is never lost.
    """
    # `.sdkgen-NAME.PID.RANDOM`, and `-old` after it for a retired tree: only this folder's, never a sibling's.
    own = re.compile(rf"\.sdkgen-{re.escape(out.name)}\.(\d+)\.[a-z0-9_]+(-old)?")
    for leftover in sorted(out.parent.iterdir()):
        match = own.fullmatch(leftover.name)
        if match is None or alive(int(match.group(1))):
            continue
        if match.group(2) and not out.exists():
            os.rename(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
