"""Diagnostics that name their place in the document, so no user error needs a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the document, located by JSON pointer (and line, when known)."""

    source: str
    pointer: str
    message: str
    severity: Severity = "error"
    line: int | None = None
    hint: str = ""
    # An error that kept the rest of the document from being checked: fatal wherever it is.
    blocking: bool = False

    def render(self) -> str:
        place = f"{self.source}:{self.line}" if self.line is not None else self.source
        text = f"{place}: {self.pointer}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        prefix = "warning: " if self.severity == "warning" else ""
        # One diagnostic is one line, whatever the document's strings contain.
        return prefix + " ".join(text.split())


class GeneratorError(Exception):
    """A user-facing failure: bad input, stale output, or a document we cannot generate from."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


class UsageError(GeneratorError):
    """A mistake in how the command was called (a tag that does not exist): exit 2, like argparse's."""


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Extends a JSON pointer, escaping `~` and `/` as RFC 6901 requires."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/".join((pointer, *escaped))


def pointer_parts(pointer: str) -> list[str]:
    """Splits a `#/...` pointer into unescaped reference tokens."""
    body = pointer[1:] if pointer.startswith("#") else pointer
    if not body:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in body.lstrip("/").split("/")]
