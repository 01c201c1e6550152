"""The everyday edit: a new version of a document that changed only prose is not validated again.

Validation is most of a run, and the run users make every day follows an edit of the document's
words. When the document differs from the last one validated from the same file only in the text of
`description`, `summary` or `title` members (strings before and after), no check can come out
otherwise: the structure, every `$ref`, type, name and value the checks read is the same. The last
diagnostics are then reused, each with its line looked up in the new document; unless one of them lies
at or above a changed text, whose message may quote the old words, and the document is validated anew.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from generator.cache import Store
from generator.document.parsed import Document
from generator.errors import Diagnostic, pointer_join

_PROSE = frozenset({"description", "summary", "title"})
# Maps whose keys are names the document chose: a member there called `description` is a property,
# schema, parameter ... named so, not prose.
_NAMED = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "dependentSchemas",
        "schemas",
        "parameters",
        "responses",
        "headers",
        "examples",
        "requestBodies",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "variables",
        "mapping",
        "encoding",
        "content",
        "scopes",
    }
)


class LastValidation:
    """The last document validated from each file, with its diagnostics."""

    def __init__(self, salt: str) -> None:
        self._store = Store("validation-last", salt)

    def reused(self, doc: Document) -> list[Diagnostic] | None:
        """The last diagnostics, valid for `doc` as they are; None when it must be validated."""
        known = self._store.get(_key(doc))
        if known is None:
            return None
        try:
            last = json.loads(known)
            changed: list[str] = []
            if not _prose_only(last["data"], doc.data, "#", changed):
                return None
            problems = [Diagnostic(**item) for item in last["problems"]]
        except (ValueError, KeyError, TypeError):
            return None
        if any(_at_or_above(problem.pointer, pointer) for problem in problems for pointer in changed):
            return None
        return [dataclasses.replace(p, line=doc.line_of(p.pointer)) if p.line is not None else p for p in problems]

    def record(self, doc: Document, problems: list[Diagnostic]) -> None:
        try:
            entry = json.dumps({"data": doc.data, "problems": [dataclasses.asdict(p) for p in problems]})
        except (TypeError, ValueError):  # a YAML value JSON cannot hold: this document is always validated
            return
        self._store.put(_key(doc), entry)


def _key(doc: Document) -> str:
    return hashlib.sha256(doc.source.encode()).hexdigest()


def _prose_only(old: Any, new: Any, pointer: str, changed: list[str]) -> bool:
    """True when `new` is `old`, member order included, but for prose strings, whose pointers are added
    to `changed`."""
    path: list[str] = []

    def same(old: Any, new: Any) -> bool:
        if type(old) is not type(new):
            return False
        if isinstance(old, dict):
            if list(old) != list(new):  # the order of members is part of what the checks walk
                return False
            for key, value in old.items():
                path.append(str(key))
                if not same(value, new[key]):
                    return False
                path.pop()
            return True
        if isinstance(old, list):
            if len(old) != len(new):
                return False
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                path.append(str(index))
                if not same(a, b):
                    return False
                path.pop()
            return True
        if old == new:
            return True
        # The member's name, and the member holding it: a map of names (then this is a name) or a node.
        name, holder = path[-1] if path else "", path[-2] if len(path) >= 2 else ""
        if isinstance(old, str) and name in _PROSE and holder not in _NAMED:
            changed.append(pointer_join(pointer, *path))
            return True
        return False

    return same(old, new)


def _at_or_above(problem: str, changed: str) -> bool:
    return changed == problem or changed.startswith(problem.rstrip("/") + "/")
