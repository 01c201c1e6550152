"""Problems as both checkers report them: located by pointer and line, messages kept to one short line.

Apart from `validate` and `spec_validator` so that each imports it and neither imports the other's helpers.
"""

from __future__ import annotations

from generator.document.parsed import Document
from generator.errors import Diagnostic

_MAX_MESSAGE = 200


def short(message: str, limit: int = _MAX_MESSAGE) -> str:
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def diag(doc: Document, pointer: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(doc.source, pointer, message, line=doc.line_of(pointer), hint=hint)
