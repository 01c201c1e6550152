"""External `$ref`s (other files, URLs), fetched only when the user allows it with --allow-external-refs.

Each external target is copied once into this document's components and its references rewritten to
point there, so every later stage sees one self-contained document, cycles across files included.
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from generator.document.fetch import DEFAULT_MAX_BYTES, FETCH_TIMEOUT, is_url, read_source
from generator.document.load import parse_document
from generator.document.parsed import Document
from generator.errors import Diagnostic, GeneratorError, pointer_join, pointer_parts

# A document that pulls in more files than this is more likely a trap than a design.
MAX_EXTERNAL_DOCUMENTS = 100
_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_PATH_ITEM = re.compile(r"#/paths/[^/]+/\$ref")

Target = tuple[str, str]  # (absolute location, JSON pointer fragment)


def bundle_external_refs(doc: Document, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = FETCH_TIMEOUT) -> Document:
    """A copy of `doc` with every external reference's target inlined under components."""
    data = copy.deepcopy(doc.data)
    if not isinstance(data.setdefault("components", {}), dict):
        raise GeneratorError([Diagnostic(doc.source, "#/components", "`components` is not an object")])
    documents: dict[str, Document] = {}
    placed: dict[Target, str] = {}
    pending: list[tuple[dict[str, Any], str, str]] = [(node, doc.source, ptr) for node, ptr in _ref_holders(data)]
    while pending:
        holder, base, where = pending.pop()
        ref = holder["$ref"]
        if ref.startswith("#") and base == doc.source:
            continue
        target = _absolute(base, ref)
        if _PATH_ITEM.fullmatch(where):
            # Path items are read in place, so an external one is copied over its reference.
            item = _target_node(documents, target, (max_bytes, timeout), doc.source, where)
            del holder["$ref"]
            holder.update(item)
            inside = where.removesuffix("/$ref")
            pending.extend((h, target[0], inside + ptr[1:]) for h, ptr in _ref_holders(item))
            continue
        if target not in placed:
            node = _target_node(documents, target, (max_bytes, timeout), doc.source, where)
            section, name = _place(data, target)
            placed[target] = f"#/components/{section}/{name}"
            data["components"].setdefault(section, {})[name] = node
            pending.extend((h, target[0], placed[target] + ptr[1:]) for h, ptr in _ref_holders(node))
        holder["$ref"] = placed[target]
    if not documents:
        return doc
    digest = hashlib.sha256(doc.sha256.encode())
    for location in sorted(documents):
        digest.update(f"\n{location} {documents[location].sha256}".encode())
    return Document(source=doc.source, data=data, sha256=digest.hexdigest(), lines=doc.lines)


def _target_node(
    documents: dict[str, Document], target: Target, limits: tuple[int, float], source: str, where: str
) -> Any:
    """A fresh copy of the node a target names, its document read once; `where` is the asking `$ref`."""
    location, fragment = target
    if location not in documents:
        if len(documents) >= MAX_EXTERNAL_DOCUMENTS:
            message = f"more than {MAX_EXTERNAL_DOCUMENTS} external documents referenced"
            raise GeneratorError([Diagnostic(source, where, message)])
        documents[location] = parse_document(read_source(location, *limits), location)
    try:
        return copy.deepcopy(documents[location].resolve("#" + fragment))
    except KeyError:
        message = f"external reference to {location}#{fragment} points at nothing"
        raise GeneratorError([Diagnostic(source, where, message)]) from None


def _ref_holders(node: Any) -> list[tuple[dict[str, Any], str]]:
    found: list[tuple[dict[str, Any], str]] = []
    stack: list[tuple[Any, str]] = [(node, "#")]
    while stack:
        current, pointer = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                found.append((current, pointer_join(pointer, "$ref")))
            stack.extend((v, pointer_join(pointer, k)) for k, v in current.items())
        elif isinstance(current, list):
            stack.extend((v, pointer_join(pointer, i)) for i, v in enumerate(current))
    return found


def _absolute(base: str, ref: str) -> Target:
    location, _, fragment = ref.partition("#")
    if not location:
        return base, unquote(fragment)
    if is_url(base) or is_url(location):
        return urljoin(base, location), unquote(fragment)
    return str((Path(base).parent / unquote(location)).resolve()), unquote(fragment)


def _place(data: dict[str, Any], target: Target) -> tuple[str, str]:
    """Where a target lands: its own components section when it came from one, else schemas."""
    parts = pointer_parts(target[1])
    section = parts[1] if len(parts) >= 3 and parts[0] == "components" else "schemas"
    stem = parts[-1] if parts else Path(target[0].rstrip("/")).stem
    base = _NAME.sub("_", stem).strip("_") or "External"
    existing = data["components"].get(section)
    if existing is not None and not isinstance(existing, dict):
        raise GeneratorError([Diagnostic("", f"#/components/{section}", "not an object")])
    name, n = base, 2
    while existing and name in existing:
        name, n = f"{base}{n}", n + 1
    return section, name
