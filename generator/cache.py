"""The no-op run: when nothing that shapes the output changed since the last run wrote it, do nothing.

The key covers every input: the document's bytes, the settings, our templates and the user's, the
generator's own source and the versions of the libraries that shape the output (black, Jinja2, the
validator, PyYAML). A hit also needs the output folder to be byte for byte what that run wrote, so an
edited or deleted file is regenerated. This module imports nothing heavy: a hit costs milliseconds.

The cache stays bounded: a file is touched when a run uses it, and once a day a run that generated
prunes what no run used for 30 days, then the oldest files past the size cap
(`CODAT_SDKGEN_CACHE_MAX_MIB`, default 512). `codat-sdkgen cache clear` empties it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import TEMPLATES_DIR, __version__

# What tools leave in an output folder (installs, linters): never part of the output.
IGNORED = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build"})
_LIBRARIES = ("black", "jinja2", "openapi-spec-validator", "jsonschema", "jsonschema-rs", "pyyaml")
UNUSED_DAYS = 30
DEFAULT_MAX_MIB = 512
_PRUNED = ".pruned"  # its time is the last pruning's
_PRUNE_EVERY_S = 86_400


def cache_dir() -> Path:
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "codat-sdkgen"
    try:
        return Path.home() / ".cache" / "codat-sdkgen"
    except (KeyError, RuntimeError):  # no home directory (some CI containers): the system's temporary folder
        return Path(tempfile.gettempdir()) / "codat-sdkgen-cache"


@dataclass(frozen=True)
class Remembered:
    files: dict[str, str]  # relative path -> sha256 of its bytes
    warnings: list[str]


_enabled = True


@contextmanager
def enabled(on: bool) -> Iterator[None]:
    """--no-cache for one run: every stage runs, and nothing is read from or written to the cache.

    Scoped, not set: a program that runs the CLI in-process keeps its own cache setting afterwards.
    """
    global _enabled
    previous, _enabled = _enabled, on
    try:
        yield
    finally:
        _enabled = previous


def folder_for(kind: str) -> Path | None:
    """A folder of the cache for a library's own cache (Jinja's compiled templates); None when off."""
    if not _enabled:
        return None
    folder = cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def inputs_key(document: bytes, settings: Mapping[str, object], templates: Path | None) -> str:
    digest = hashlib.sha256()
    digest.update(hashlib.sha256(document).digest())
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    digest.update(tool_digest().encode())
    for folder in (TEMPLATES_DIR, *([templates] if templates else [])):
        _digest_folder(digest, folder)
    return digest.hexdigest()


def tool_digest() -> str:
    """The generator's version and source, and the versions of the libraries that shape its output."""
    digest = hashlib.sha256(f"codat-sdkgen {__version__}".encode())
    versions = installed_versions(_LIBRARIES)
    for library in _LIBRARIES:
        digest.update(f"{library} {versions.get(library, '-')}".encode())
    digest.update(_source_digest().encode())
    return digest.hexdigest()


@functools.cache
def _source_digest() -> str:
    """The generator's source, read once a process: it is the code this process already runs."""
    return folder_digest(Path(__file__).parent)


def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The version of each distribution named, as importlib.metadata gives it, read from the names of
    the `NAME-VERSION.dist-info` folders on sys.path (the first found wins, as imports do). Not
    importlib.metadata itself: its import (the email package) is a fifth of the fast `--check`."""
    wanted = {_normalized(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as items:
                listed = sorted(item.name for item in items if item.name.endswith(".dist-info"))
        except OSError:
            continue
        for folder in listed:
            name, _, version = folder.removesuffix(".dist-info").partition("-")
            library = wanted.get(_normalized(name))
            if library is not None and version and library not in found:
                found[library] = version
    return found


def _normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares them (`PyYAML`, `jsonschema_rs`: `pyyaml`, `jsonschema-rs`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def folder_digest(folder: Path) -> str:
    """The sha256 of a folder's files, their paths and bytes."""
    digest = hashlib.sha256()
    _digest_folder(digest, folder)
    return digest.hexdigest()


def _digest_folder(digest: Any, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


class Store:
    """Results of a slow, pure step (validation, black), filed by the hash of its input.

    `salt` names everything else the result depends on (tool versions, settings), so a change there
    files new results apart from the old ones instead of reading them.
    """

    def __init__(self, kind: str, salt: str) -> None:
        self.folder = cache_dir() / kind / hashlib.sha256(salt.encode()).hexdigest()[:24]

    def get(self, key: str) -> str | None:
        if not _enabled:
            return None
        try:
            value = (self.folder / key).read_text(encoding="utf-8")
        except OSError:
            return None
        _touch(self.folder / key)
        return value

    def put(self, key: str, value: str) -> None:
        if not _enabled:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{key}.{os.getpid()}.tmp"
            temporary.write_text(value, encoding="utf-8")
            os.replace(temporary, self.folder / key)
        except OSError:
            pass


def recall(out: Path, key: str) -> Remembered | None:
    """What the last run with these inputs wrote, if `out` still holds exactly that."""
    if not _enabled:
        return None
    try:
        entry = json.loads(_entry(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    remembered = Remembered(dict(entry.get("files", {})), list(entry.get("warnings", [])))
    if not holds(out, remembered.files):
        return None
    _touch(_entry(out))
    return remembered


def holds(out: Path, hashes: Mapping[str, str], besides: str = "") -> bool:
    """Whether `out` holds exactly the files `hashes` lists (relative path -> sha256), none edited, added
    or removed; `besides` names one file of the folder that is not listed (a record of the others)."""
    current = output_tree(out)
    current.pop(besides, None)
    if current.keys() != hashes.keys():
        return False
    try:
        return all(hashlib.sha256(file.read_bytes()).hexdigest() == hashes[path] for path, file in current.items())
    except OSError:
        return False


def remember(out: Path, key: str, files: Mapping[str, bytes], warnings: list[str]) -> None:
    """Records a run's output; a cache that cannot be written only costs the next run its shortcut."""
    if not _enabled:
        return
    entry = {
        "key": key,
        "out": str(out.resolve()),
        "files": {path: hashlib.sha256(content).hexdigest() for path, content in sorted(files.items())},
        "warnings": warnings,
    }
    target = _entry(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        pass


def output_tree(root: Path) -> dict[str, Path]:
    """The files of an output folder by relative path, leaving out what other tools put there."""
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*")
        if p.is_file()
        and not IGNORED.intersection(p.relative_to(root).parts)
        and not any(part.endswith(".egg-info") for part in p.parts)
        and not p.name.endswith(".pyc")
    }


def _entry(out: Path) -> Path:
    return cache_dir() / (hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:32] + ".json")


@dataclass(frozen=True)
class Removed:
    files: int
    size: int

    def __str__(self) -> str:
        return f"{self.files} files, {self.size / 2**20:.1f} MiB"


def max_bytes() -> int:
    """The size cap: `CODAT_SDKGEN_CACHE_MAX_MIB` when it is a number, else the default."""
    try:
        return max(0, int(float(os.environ.get("CODAT_SDKGEN_CACHE_MAX_MIB", DEFAULT_MAX_MIB)) * 2**20))
    except ValueError:
        return DEFAULT_MAX_MIB * 2**20


def prune_daily() -> None:
    """`prune` when a day has passed since the last pruning: a run that generated pays for it, not a no-op."""
    if not _enabled:
        return
    try:
        if time.time() - (cache_dir() / _PRUNED).stat().st_mtime < _PRUNE_EVERY_S:
            return
    except OSError:
        pass
    prune()


def prune(now: float | None = None) -> Removed:
    """Removes files no run used for UNUSED_DAYS, then the least recently used past the size cap."""
    root, now = cache_dir(), time.time() if now is None else now
    entries = []
    for path in root.rglob("*") if root.is_dir() else ():
        try:
            if path.is_file() and path.name != _PRUNED:
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
        except OSError:
            continue
    entries.sort()
    total, cap, removed = sum(size for _, size, _ in entries), max_bytes(), Removed(0, 0)
    for used, size, path in entries:
        if used >= now - UNUSED_DAYS * 86_400 and total <= cap:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed = Removed(removed.files + 1, removed.size + size)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            pass
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / _PRUNED).touch()
    except OSError:
        pass
    return removed


def clear() -> Removed:
    """Empties the cache: every later run starts cold."""
    root = cache_dir()
    files = [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []
    removed = Removed(len(files), sum(p.stat().st_size for p in files))
    shutil.rmtree(root, ignore_errors=True)
    return removed


def _touch(path: Path) -> None:
    """Marks a file used now, which is what pruning goes by (access times are often not kept)."""
    try:
        os.utime(path)
    except OSError:
        pass
