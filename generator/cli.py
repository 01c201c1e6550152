"""The `codat-sdkgen` command: generate, validate, ir, diff, cache. Exit 0 ok, 1 invalid or stale, 2 usage.

One run of each target, its errors printed as located one-line diagnostics, and one exit status per
outcome whatever the moment a signal comes. The stages are imported when a command needs them, so a run
that the cache answers stays fast.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn, TextIO

from generator.commands.arguments import parser
from generator.commands.reports import cache_command, diff_command, ir_command
from generator.commands.targets import targets_of, usage_error
from generator.config import Config
from generator.errors import GeneratorError, UsageError

_INTERRUPTED = "interrupted; the output folder was left as it was"


def run() -> NoReturn:
    """The command as a process (the console script, `python -m generator`): one exit status per
    outcome, whatever the moment a SIGINT or SIGTERM comes.

    While the command works either signal interrupts it: 130, and the output folder as it was (or
    whole and new, when the swap had happened). Once it is done either is ignored: its own status, the
    folder whole. Left to Python, a signal during interpreter shutdown (black's pool winding down)
    ends the process by that signal instead of an exit status.
    """
    done = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if not done:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    code: int | None = None
    try:
        code = main()
        done = True
    except BrokenPipeError:  # the reader went away (`codat-sdkgen ir | head`): nothing more to say
        done = True
        code = _closed_pipe()
    except KeyboardInterrupt:  # outside main's own handler: in argument parsing, or as main returned
        done = True
        if code is None:
            print(_INTERRUPTED, file=sys.stderr)
    # Ignored at the OS level from here: interpreter shutdown puts Python-level handlers back to the
    # default, which ends the process by the signal, but leaves an ignored signal ignored.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Everything is finished by now (files swapped in or left, black's pool shut down and joined), so
    # the process ends here: after an interrupt, the interpreter's own shutdown was seen to end it by
    # SIGINT instead of the status (a stress run of the signal tests).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130 if code is None else code)


def _closed_pipe() -> int:
    """What a closed standard output ends with: quietly, as a Unix tool killed by SIGPIPE would (141).
    What is still buffered for it goes nowhere, so flushing it at exit cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command for each target; user errors are printed as located one-line diagnostics, never
    tracebacks. A target that fails is named and the others still run: the worst status is returned."""
    args = parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for the hint of a stale --check
    if args.command == "cache":
        return cache_command(args)
    if args.command == "diff":
        try:
            return diff_command(args)
        except GeneratorError as exc:
            _report(exc, "")
            return 2 if isinstance(exc, UsageError) else 1
    try:
        with _interrupt_on_sigterm():
            targets = targets_of(args)
            if len(targets) > 1 and args.run is ir_command:
                raise SystemExit(usage_error("ir prints one target's model: pick one with --target"))
            return max(_run_target(args, config) for config in targets)
    except GeneratorError as exc:
        _report(exc, "")
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        print(_INTERRUPTED, file=sys.stderr)
        return 130


def _run_target(args: argparse.Namespace, config: Config) -> int:
    prefix = f"{config.name}: " if config.name else ""
    try:
        with _prefixed(prefix):
            return int(args.run(args, config))
    except GeneratorError as exc:
        _report(exc, prefix)
        return 2 if isinstance(exc, UsageError) else 1
    except BrokenPipeError:
        raise
    except OSError as exc:  # a file of ours or the user's that the system refused: where, and why
        where = exc.filename if exc.filename is not None else config.out
        print(f"{prefix}{where}: #: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _report(exc: GeneratorError, prefix: str) -> None:
    for diagnostic in exc.diagnostics:
        print(prefix + diagnostic.render(), file=sys.stderr)


@contextmanager
def _prefixed(prefix: str) -> Iterator[None]:
    """Every line a named target's run prints starts with its name."""
    if not prefix:
        yield
        return
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Prefixing(sys.stdout, prefix), _Prefixing(sys.stderr, prefix)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


class _Prefixing(io.TextIOBase):
    def __init__(self, stream: TextIO, prefix: str) -> None:
        self._stream, self._prefix, self._at_start = stream, prefix, True

    def write(self, text: str) -> int:
        for line in text.splitlines(keepends=True):
            self._stream.write((self._prefix if self._at_start else "") + line)
            self._at_start = line.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """CI cancels a job with SIGTERM: treat it as Ctrl-C, so the atomic write can clean up after itself."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding program): leave its signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
