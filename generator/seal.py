"""The output's seal: what determined an output and what it holds, kept in its record, so that a check
on a fresh clone (no cache at all) answers from hashes alone.

Generation is deterministic: the same document bytes, settings, templates and generator (its source and
the versions of the libraries that shape its bytes) give the same files. The record therefore keeps the
digest of those inputs and the sha256 of every other file of the output. When both still hold, a run
has nothing to do, and learns it without importing the validator, Jinja or black. Hashes are compared,
never trusted alone: an edited, added or removed file, or any changed input, means a full run.

The inputs' digest depends on the machine's library versions, so it is the one part of the record that a
full check does not compare (`same_but_inputs`): an output generated elsewhere is not stale for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.cache import holds

RECORD = ".codat-sdkgen-surface.json"
_INPUTS, _FILES, _NOTE = "inputs", "files", "note"


def sealed(files: Mapping[str, bytes], inputs: str | None, note: str = "") -> dict[str, bytes]:
    """`files` with their record holding the inputs' digest (when they can be known beforehand), the sha256
    of every other file, and the run's note on the names it chose (which a sealed answer repeats)."""
    record = json.loads(files[RECORD])
    record[_FILES] = {path: _sha256(content) for path, content in sorted(files.items()) if path != RECORD}
    if inputs is not None:
        record[_INPUTS] = inputs
    if note:
        record[_NOTE] = note
    return {**files, RECORD: (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()}


@dataclass(frozen=True)
class Unchanged:
    """An output its record proves up to date."""

    files: int
    note: str


def unchanged(out: Path, inputs: str) -> Unchanged | None:
    """What `out` holds when its record says it was generated from exactly `inputs` and every file is still
    what it wrote (none edited, added or removed); None when a full run must decide."""
    try:
        record = json.loads((out / RECORD).read_bytes())
        listed = record[_FILES] if record.get(_INPUTS) == inputs else None
        note = str(record.get(_NOTE, ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(listed, dict) or not holds(out, listed, besides=RECORD):
        return None
    return Unchanged(len(listed) + 1, note)


def same_but_inputs(old: bytes, new: bytes) -> bool:
    """Whether two records differ at most in their inputs' digest."""
    try:
        a, b = json.loads(old), json.loads(new)
    except ValueError:
        return False
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    a.pop(_INPUTS, None)
    b.pop(_INPUTS, None)
    return bool(a == b)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
