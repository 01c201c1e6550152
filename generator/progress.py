"""Signs of life on a long run: the stage and its count (operations built, files rendered, files formatted)
on standard error, for a person watching a terminal.

Only a terminal gets them, and only once the run has lasted `AFTER_S` seconds: CI, pipes and pre-commit
read standard error as text, and a short run has nothing to wait for. tqdm draws them (one line, redrawn
in place, at most a few times a second, so the run pays well under a percent); it is imported only when a
terminal is there to see it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

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
        from tqdm import tqdm

        delay = max(0.0, self.started + AFTER_S - time.monotonic())
        with tqdm(
            total=total, desc=what, unit=f" {unit}", delay=delay, leave=False, file=self.stream, mininterval=0.2
        ) as bar:

            def tick(count: int) -> None:
                bar.update(count)

            yield tick


QUIET = Progress()


def on_terminal(quiet: bool, stream: TextIO | None = None) -> Progress:
    """Progress on standard error when it is a terminal and the run is not `--quiet`; none otherwise."""
    stream = stream if stream is not None else sys.stderr
    return Progress(stream) if not quiet and stream.isatty() else QUIET
