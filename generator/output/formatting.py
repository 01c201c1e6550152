"""Stage 6: the rendered Python formatted with black in memory (the docs' Python examples too), each
result cached by its input; many files are formatted in a pool of workers that die with the run, and a
module is shown to black only where black could change it (black_lines).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from generator import LINE_LENGTH, TEMPLATES_DIR
from generator.cache import Store, installed_versions
from generator.errors import Diagnostic, GeneratorError
from generator.output.black_lines import black_module
from generator.output.workers import worker_starts
from generator.progress import QUIET, Progress, Tick

_PYTHON_BLOCK = re.compile(r"(```python\n)(.*?)(```)", re.S)


# black takes most of a run's time; the same input always formats the same way, so it is done once
# (and black is imported only when something is new to it).
_BLACK = installed_versions(("black",)).get("black", "-")
_FORMATTED = Store("black", f"black {_BLACK} line-length {LINE_LENGTH} py310")


def format_files(files: dict[str, str], progress: Progress = QUIET, ours: bool = True) -> dict[str, bytes]:
    """Every file's final bytes; Python files and the Python examples in markdown pass through black.

    `ours`: rendered from our own templates only. A user's templates may write code in any spelling,
    so black then sees every module whole (black_lines trusts the spelling of the lines it settles).
    """
    sources: dict[str, str] = {}  # each piece of code black must see, and the first file it is in
    for path, text in sorted(files.items()):
        if path.endswith(".py"):
            sources.setdefault(text, path)
        elif path.endswith(".md"):
            for match in _PYTHON_BLOCK.finditer(text):
                sources.setdefault(match.group(2), path)
    unknown = {code: path for code, path in sources.items() if code not in _black_stable()}
    formatted = _black_all(unknown, progress, _black_one if ours else _black_whole)
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


def _black_all(sources: dict[str, str], progress: Progress, black_one: _Formatter) -> dict[str, str]:
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
        results = _black_many(new, tick, black_one)
    for code, (formatted, problem) in zip(new, results, strict=True):
        if problem is not None:
            hint = "a template bug"
            raise GeneratorError(
                [Diagnostic(sources[code], "#", f"generated code does not parse: {problem}", hint=hint)]
            )
        _FORMATTED.put(_key(code), formatted)
        done[code] = formatted
    return done


def _black_many(codes: list[str], tick: Tick, black_one: _Formatter) -> list[tuple[str, str | None]]:
    workers = min(os.cpu_count() or 1, 8)
    done: list[tuple[str, str | None]] = []
    if len(codes) >= _POOL_FROM and workers > 1:
        try:
            _black_in_pool(codes, workers, done, tick, black_one)
        except (OSError, NotImplementedError, BrokenProcessPool):
            pass  # no pool here (a sandbox without semaphores), or a worker died: this process does the rest
    for code in codes[len(done) :]:
        done.append(black_one(code))
        tick(1)
    return done


def _black_in_pool(
    codes: list[str], workers: int, done: list[tuple[str, str | None]], tick: Tick, black_one: _Formatter
) -> None:
    """Formats `codes` in a pool, appending each result to `done` in order as it comes."""
    import black  # noqa: F401 - imported once here, not in each worker a fork starts

    with ProcessPoolExecutor(max_workers=workers, initializer=worker_starts, initargs=(os.getpid(),)) as pool:
        try:
            with _signals_held():
                results = pool.map(black_one, codes)  # every task submitted: the workers are forked here
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


def _black_one(code: str, whole: bool = False) -> tuple[str, str | None]:
    """black's output, or why it could not format the code (an exception crosses processes badly).
    `whole`: black sees the whole module, not only the lines it could change (black_lines)."""
    import black

    mode = black.Mode(line_length=LINE_LENGTH, target_versions={black.mode.TargetVersion.PY310})
    try:
        return (black.format_str(code, mode=mode) if whole else black_module(code, mode)), None
    except black.parsing.InvalidInput as exc:
        return code, str(exc)


def _black_whole(code: str) -> tuple[str, str | None]:
    """_black_one for code from a user's templates, in any spelling: black sees every module whole."""
    return _black_one(code, whole=True)


_Formatter = Callable[[str], tuple[str, str | None]]


def _key(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
