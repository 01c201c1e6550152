"""Signs of life on a long run: the stage and its count (operations built, files rendered, files formatted)
on standard error, for a person watching a terminal.

Only a terminal gets them, and only once the run has lasted `AFTER_S` seconds: CI, pipes and pre-commit
read standard error as text, and a short run has nothing to wait for, nor pays for tqdm's import. A timer
puts a stage's line up when that moment comes, so a stage that counts once at its end (validation) shows
too; tqdm draws it (one line, redrawn in place, at most five times a second).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

AFTER_S = 2.0

Tick = Callable[[int], None]


def no_tick(count: int) -> None:
    """The tick of a run nobody watches."""


@dataclass(frozen=True)
class Progress:
    """Where progress goes (None: nowhere), and since when the run has lasted."""

    stream: TextIO | None = None
    started: float = field(default_factory=time.monotonic)

    @contextmanager
    def stage(self, what: str, unit: str, total: int | None = None) -> Iterator[Tick]:
        """A tick that counts `unit`s done of the stage; its line goes when the stage ends."""
        if self.stream is None:
            yield no_tick
            return
        line = _Line(self.stream, what, unit, total)
        timer = threading.Timer(max(0.0, self.started + AFTER_S - time.monotonic()), line.show)
        timer.daemon = True
        timer.start()
        try:
            yield line.tick
        finally:
            timer.cancel()
            line.close()


class _Line:
    """One stage's count, shown from the moment `show` is called (by the timer, on another thread)."""

    def __init__(self, stream: TextIO, what: str, unit: str, total: int | None) -> None:
        self._stream, self._what, self._unit, self._total = stream, what, unit, total
        self._done = 0
        self._bar: tqdm[Any] | None = None
        self._closed = False
        self._lock = threading.Lock()

    def show(self) -> None:
        from tqdm import tqdm

        with self._lock:
            if self._closed:
                return
            self._bar = tqdm(
                total=self._total,
                initial=self._done,
                desc=self._what,
                unit=f" {self._unit}",
                leave=False,
                file=self._stream,
                mininterval=0.2,
            )

    def tick(self, count: int) -> None:
        with self._lock:
            self._done += count
            if self._bar is not None:
                self._bar.update(count)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._bar is not None:
                self._bar.close()


QUIET = Progress()


def on_terminal(quiet: bool, stream: TextIO | None = None) -> Progress:
    """Progress on standard error when it is a terminal and the run is not `--quiet`; none otherwise."""
    stream = stream if stream is not None else sys.stderr
    return Progress(stream) if not quiet and stream.isatty() else QUIET
