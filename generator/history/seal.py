"""The output's seal: what determined an output and what it holds, kept in its record, so that a check
on a fresh clone (no cache at all) answers from hashes alone.

Generation is deterministic: the same document bytes, settings, templates and generator (its source and
the versions of the libraries that shape its bytes) give the same files. The record therefore keeps the
digest of those inputs and the sha256 of every other file of the output. When both still hold, a run
has nothing to do, and learns it without importing the validator, Jinja or black. Hashes are compared,
never trusted alone: an edited, added or removed file, or any changed input, means a full run.

The inputs' digest depends on the machine's library versions, so it is the one part of the record that a
full check does not compare (`same_but_inputs`): an output generated elsewhere is not stale for it.

Beside the record lies the base (`BASE`): every listed file as the generator wrote it, before any hand
edit, so the next run can merge a maintainer's edits into the new generation (merge.py) on any clone, in
git or not, committed or not, with no cache. It is JSON compressed with xz: ours to read, deterministic
(the same files give the same bytes), about a seventh of the files' size. The record lists the hash of
every file it holds, not of its compressed bytes, so another build of liblzma does not make it stale.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.cache import output_tree

RECORD = ".codat-sdkgen-surface.json"
BASE = ".codat-sdkgen-base.json.xz"
_INPUTS, _FILES, _NOTE = "inputs", "files", "note"
# A line that opens a conflict git merge-file wrote (merge.py), still unresolved.
CONFLICT = re.compile(rb"^<<<<<<< ", re.M)


def sealed(files: Mapping[str, bytes], inputs: str | None, note: str = "") -> dict[str, bytes]:
    """`files` with their base, and their record holding the inputs' digest (when they can be known
    beforehand), the sha256 of every other file, and the run's note on the names it chose (which a sealed
    answer repeats)."""
    listed = {path: content for path, content in sorted(files.items()) if path not in (RECORD, BASE)}
    record = json.loads(files[RECORD])
    record[_FILES] = {path: _sha256(content) for path, content in listed.items()}
    if inputs is not None:
        record[_INPUTS] = inputs
    if note:
        record[_NOTE] = note
    return {
        **listed,
        BASE: _compressed(listed),
        RECORD: (json.dumps(record, indent=1, sort_keys=True) + "\n").encode(),
    }


def _compressed(files: Mapping[str, bytes]) -> bytes:
    """The files as one JSON object (sorted keys, json.dumps's separators), xz-compressed as it is written:
    the whole text, and its bytes, were two more copies of the SDK at the run's peak (344 -> 286 MiB at
    1,000 operations, 2.47 -> 2.12 GiB at 10,000)."""
    # Preset 3, not 9: a seventh larger, three and a half times faster (2.0 s -> 0.6 s of Lending's run,
    # a minute of Graph's), and 32 MiB of memory instead of 674.
    compressor = lzma.LZMACompressor(format=lzma.FORMAT_XZ, preset=3)
    parts = [compressor.compress(b"{")]
    for index, path in enumerate(sorted(files)):
        member = f"{', ' if index else ''}{json.dumps(path)}: {json.dumps(files[path].decode('utf-8'))}"
        parts.append(compressor.compress(member.encode()))
    parts += [compressor.compress(b"}"), compressor.flush()]
    return b"".join(parts)


def listed(out: Path) -> dict[str, str]:
    """The files the output's record lists (relative path -> sha256); none for a folder without one."""
    try:
        files = json.loads((out / RECORD).read_bytes())[_FILES]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {str(p): str(h) for p, h in files.items()} if isinstance(files, dict) else {}


def base(out: Path, hashes: Mapping[str, str]) -> dict[str, bytes]:
    """The pristine files of the output's last generation that its base holds, each as `hashes` lists it;
    none when the folder has no base (an output older than it) or one that does not read."""
    try:
        text = lzma.decompress((out / BASE).read_bytes()).decode("utf-8")
        files = json.loads(text)
    except (OSError, lzma.LZMAError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(files, dict):
        return {}
    held = {str(path): str(content).encode() for path, content in files.items()}
    return {path: content for path, content in held.items() if hashes.get(path) == _sha256(content)}


def same_base(out: Path, new: bytes) -> bool:
    """Whether the folder's base holds the same files as `new` (compressed elsewhere, perhaps otherwise)."""
    try:
        return lzma.decompress((out / BASE).read_bytes()) == lzma.decompress(new)
    except (OSError, lzma.LZMAError):
        return False


@dataclass(frozen=True)
class Unchanged:
    """An output its record proves up to date."""

    files: int
    note: str
    # The files that hold hand edits, in path order.
    edited: tuple[str, ...] = ()


def unchanged(out: Path, inputs: str) -> Unchanged | None:
    """What `out` holds when its record says it was generated from exactly `inputs`, its base holds every
    file it lists, and each is still what it wrote or holds edits with no conflict left in them; None when a
    full run must decide.

    With the inputs unchanged, the new generation is the base itself, and merging edits into it gives the
    edited file back: so an edited file is up to date, and only named. Files the folder adds are the
    maintainer's, never the generator's business.
    """
    try:
        record = json.loads((out / RECORD).read_bytes())
        hashes = record[_FILES] if record.get(_INPUTS) == inputs else None
        note = str(record.get(_NOTE, ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(hashes, dict) or base(out, hashes).keys() != hashes.keys():
        return None
    current = output_tree(out)
    edited: list[str] = []
    try:
        for path, sha256 in sorted(hashes.items()):
            if path not in current:
                return None
            content = current[path].read_bytes()
            if _sha256(content) != sha256:
                if CONFLICT.search(content):
                    return None
                edited.append(path)
    except OSError:
        return None
    return Unchanged(len(hashes) + 2, note, tuple(edited))


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
