"""Stage 5: format Python with black in memory; stage 7: compare with or replace the output folder.

The new tree is written beside the old one and swapped in with two renames, so a failed or
interrupted run leaves the previous output as it was. What the run does not write nor remove (the
maintainer's own files, the paths it keeps) is carried into the new tree as hard links: no copy, and
the old tree is untouched until the swap.
"""

from __future__ import annotations

import ctypes
import difflib
import errno
import functools
import hashlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from generator import LINE_LENGTH, MARKER, TEMPLATES_DIR
from generator.cache import Store, output_tree
from generator.errors import Diagnostic, GeneratorError
from generator.progress import QUIET, Progress, Tick
from generator.text.naming import counted

_PYTHON_BLOCK = re.compile(r"(```python\n)(.*?)(```)", re.S)
# black takes most of a run's time; the same input always formats the same way, so it is done once
# (and black is imported only when something is new to it).
_FORMATTED = Store("black", f"black {metadata.version('black')} line-length {LINE_LENGTH} py310")


def format_files(files: dict[str, str], progress: Progress = QUIET) -> dict[str, bytes]:
    """Every file's final bytes; Python files and the Python examples in markdown pass through black."""
    sources: dict[str, str] = {}  # each piece of code black must see, and the first file it is in
    for path, text in sorted(files.items()):
        if path.endswith(".py"):
            sources.setdefault(text, path)
        elif path.endswith(".md"):
            for match in _PYTHON_BLOCK.finditer(text):
                sources.setdefault(match.group(2), path)
    formatted = _black_all({code: path for code, path in sources.items() if code not in _black_stable()}, progress)
    formatted.update((code, code) for code in sources if code in _black_stable())
    result: dict[str, bytes] = {}
    for path, text in sorted(files.items()):
        if path.endswith(".py"):
            text = formatted[text]
        elif path.endswith(".md"):
            text = _PYTHON_BLOCK.sub(lambda m: m.group(1) + formatted[m.group(2)] + m.group(3), text)
        result[path] = text.encode("utf-8")
    return result


@functools.cache
def _black_stable() -> frozenset[str]:
    """Our runtime modules (templates/sdk/static), copied verbatim into every SDK: black leaves them as
    they are (`make lint` checks them, and tests/unit/test_format.py with the mode used here), so they
    skip black, which was most of its work on a cold run of one tag. A user's replacement is formatted."""
    return frozenset(p.read_text(encoding="utf-8") for p in sorted((TEMPLATES_DIR / "sdk" / "static").glob("*.py")))


# From this many pieces new to black, they are formatted by a pool of processes, one per core: a
# cold run of every tag is hundreds of files, and black is the larger part of its time.
_POOL_FROM = 32


def _black_all(sources: dict[str, str], progress: Progress) -> dict[str, str]:
    """black's output for each piece of code, from the cache where it has been seen before."""
    done: dict[str, str] = {}
    new: list[str] = []
    for code in sources:
        known = _FORMATTED.get(_key(code))
        if known is None:
            new.append(code)
        else:
            done[code] = known
    new.sort(key=len, reverse=True)  # the longest first, so no core is left with a long one at the end
    with progress.stage("formatting files", "file", len(new)) as tick:
        results = _black_many(new, tick)
    for code, (formatted, problem) in zip(new, results, strict=True):
        if problem is not None:
            hint = "a template bug"
            raise GeneratorError(
                [Diagnostic(sources[code], "#", f"generated code does not parse: {problem}", hint=hint)]
            )
        _FORMATTED.put(_key(code), formatted)
        done[code] = formatted
    return done


def _black_many(codes: list[str], tick: Tick) -> list[tuple[str, str | None]]:
    workers = min(os.cpu_count() or 1, 8)
    done: list[tuple[str, str | None]] = []
    if len(codes) >= _POOL_FROM and workers > 1:
        try:
            _black_in_pool(codes, workers, done, tick)
        except (OSError, NotImplementedError, BrokenProcessPool):
            pass  # no pool here (a sandbox without semaphores), or a worker died: this process does the rest
    for code in codes[len(done) :]:
        done.append(_black_one(code))
        tick(1)
    return done


def _black_in_pool(codes: list[str], workers: int, done: list[tuple[str, str | None]], tick: Tick) -> None:
    """Formats `codes` in a pool, appending each result to `done` in order as it comes."""
    import black  # noqa: F401 - imported once here, not in each worker a fork starts

    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_starts, initargs=(os.getpid(),)) as pool:
        try:
            with _signals_held():
                results = pool.map(_black_one, codes)  # every task submitted: the workers are forked here
            for result in results:
                done.append(result)
                tick(1)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


@contextmanager
def _signals_held() -> Iterator[None]:
    """Holds SIGINT and SIGTERM back while the pool forks its workers: one delivered mid-fork would
    interrupt the pool's bookkeeping half done, and a worker would start with the parent's handlers.
    A signal that came meanwhile is delivered as the block ends (a KeyboardInterrupt here)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _black_one(code: str) -> tuple[str, str | None]:
    """black's output, or why it could not format the code (an exception crosses processes badly)."""
    import black

    mode = black.Mode(line_length=LINE_LENGTH, target_versions={black.mode.TargetVersion.PY310})
    try:
        return black.format_str(code, mode=mode), None
    except black.parsing.InvalidInput as exc:
        return code, str(exc)


def _worker_starts(main_pid: int) -> None:
    """A worker ends when it is told to and when the run it works for ends, however that ends.

    SIGINT and SIGTERM end it, as they end any process (Ctrl-C reaches the whole process group: the
    main process cancels the work and the workers just end; a worker that ends alone breaks the pool,
    and the main process formats the rest itself). The main process ending, even by SIGKILL, which
    leaves it no chance to shut the pool down, ends it too: on Linux the kernel sends it SIGKILL
    (PR_SET_PDEATHSIG); elsewhere, and as a second guard, a thread of its own sees its parent gone.
    Orphans lived on under PID 1, about 160 MB each, two more per killed run.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held them back (_signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    parent = os.getppid()  # the main process, or the server that forks workers for it
    _die_with_parent()
    if not _alive(main_pid) or os.getppid() != parent:  # it ended before the guards were up
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(main_pid, parent), daemon=True, name="watch-parent").start()


# prctl(2): deliver a signal to this process when the thread that created it ends.
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Asks Linux to SIGKILL this process when its parent ends; elsewhere, does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl here: the watching thread is the guard


_WATCH_INTERVAL = 0.5  # seconds


def _watch_parent(main_pid: int, parent: int) -> None:
    """Ends this worker once its parent or the main process is gone (reparented: another parent)."""
    while True:
        time.sleep(_WATCH_INTERVAL)
        if os.getppid() != parent or not _alive(main_pid):
            os._exit(1)


def _key(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


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
        old_name, new_name = f"{out.name}/{path}", f"fresh/{path}"
        if path not in existing:
            added.append(path)
            listed.append(f"added: {path}")
            old, new, old_name = [], _lines(files[path]), "/dev/null"
        elif path not in files:
            removed.append(path)
            listed.append(f"removed: {path}")
            old, new, new_name = _lines(existing[path].read_bytes()), [], "/dev/null"
        elif (before := existing[path].read_bytes()) != files[path]:
            changed.append(path)
            if _binary(before) or _binary(files[path]):  # the merge's base: as git shows one, without lines
                listed.append(f"changed: {path} (binary)")
                diff.append(f"Binary files {old_name} and {new_name} differ")
                continue
            old, new = _lines(before), _lines(files[path])
            differ = sum(1 for line in difflib.unified_diff(old, new, lineterm="", n=0) if line[:1] in "+-")
            listed.append(f"changed: {path} ({counted(differ - 2, 'line differs', 'lines differ')})")
        else:
            continue
        diff += difflib.unified_diff(old, new, old_name, new_name, lineterm="")
    return Staleness(tuple(changed), tuple(added), tuple(removed), tuple(listed), tuple(diff))


def _binary(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _lines(content: bytes) -> list[str]:
    return content.decode("utf-8", "replace").splitlines()


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
        if match is None or _alive(int(match.group(1))):
            continue
        if match.group(2) and not out.exists():
            os.rename(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        pass
    return True
