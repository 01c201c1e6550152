"""What changed for the SDK's callers between two surfaces (surface.py), each change classified.

- breaking: a caller's code or expectations may fail: something removed, an optional parameter made
  required, a type narrowed where callers send it or widened where they receive it, an enum member
  taken from what they send, a model's field type changed, authentication or the server changed;
- addition: new methods, parameters, models, fields and members, and changes no caller can trip on;
- docs: summaries and descriptions, deprecations.

The verdict for the package follows semver: major for any breaking change, minor for additions, patch
for documentation only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from generator.text.naming import counted

Category = Literal["breaking", "addition", "docs"]
CATEGORIES: tuple[Category, ...] = ("breaking", "addition", "docs")


@dataclass(frozen=True)
class Change:
    category: Category
    # Where callers meet it: `client.<resource>`, `models`, or `client` for what the whole client shares.
    section: str
    # The Python surface, as a caller writes it (`client.companies.list(page_size=...)`).
    surface: str
    message: str
    old: str | None
    new: str | None
    # The document's own name of what changed, where it has one: a parameter's or field's wire name, an
    # enum member's value (what a reviewer finds in the document, and what tests match).
    name: str = ""


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    changes += _client(old, new)
    changes += _methods(old["methods"], new["methods"])
    changes += _models(old["models"], new["models"])
    changes += _enums(old["enums"], new["enums"])
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(changes, key=lambda c: (c.section != "client", c.section, order[c.category], c.surface, c.message))


def verdict(changes: list[Change]) -> tuple[str, list[str]]:
    """major, minor, patch or none, and why."""
    counts = {category: sum(1 for c in changes if c.category == category) for category in CATEGORIES}
    if counts["breaking"]:
        return "major", [f"{counted(counts['breaking'], 'breaking change')}, e.g. {_first(changes, 'breaking')}"]
    if counts["addition"]:
        return "minor", [f"{counted(counts['addition'], 'addition')}, nothing breaking"]
    if counts["docs"]:
        return "patch", [f"{counted(counts['docs'], 'documentation change')} only"]
    return "none", ["the SDK's surface is the same"]


def as_json(changes: list[Change]) -> dict[str, Any]:
    bump, reasons = verdict(changes)
    return {
        "verdict": bump,
        "reasons": reasons,
        "counts": {category: sum(1 for c in changes if c.category == category) for category in CATEGORIES},
        "changes": [asdict(c) for c in changes],
    }


def _first(changes: list[Change], category: Category) -> str:
    first = next(c for c in changes if c.category == category)
    return f"{first.surface}: {first.message}"


def _client(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    if old["server"] != new["server"]:
        message = f"the default server is {new['server']!r}, not {old['server']!r}"
        changes.append(Change("breaking", "client", f"{new['client']}(server_url=...)", message, None, None))
    if old["auth"] != new["auth"]:
        message = f"authentication changed: {_schemes(old['auth'])} -> {_schemes(new['auth'])}"
        changes.append(Change("breaking", "client", f"{new['client']}(...)", message, None, None))
    if old["retries"] != new["retries"]:
        message = f"retried statuses {old['retries']['statuses']} -> {new['retries']['statuses']}"
        changes.append(Change("addition", "client", f"{new['client']}(retry_config=...)", message, None, None))
    return changes


def _schemes(auth: dict[str, Any]) -> str:
    return (
        ", ".join(f"{key} ({value['kind']} in {value['in']} {value['name']})" for key, value in auth.items()) or "none"
    )


def _methods(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    renamed = _renamed(old, new, _same_operation)
    for name in sorted(old.keys() | new.keys()):
        resource = name.rsplit(".", 1)[0]
        section, call = f"client.{resource}", f"client.{name}()"
        before: Any = old.get(name)
        after: Any = new.get(name)
        if after is None:
            if name in renamed:
                other = new[renamed[name]]
                message = f"renamed client.{renamed[name]}() (the same operation, {other['http']})"
                change = Change("breaking", section, call, message, before["pointer"], other["pointer"])
            else:
                message = f"removed ({before['http']})"
                change = Change("breaking", section, call, message, before["pointer"], None)
            changes.append(dataclasses.replace(change, name=before["operation_id"]))
            continue
        if before is None:
            if name not in renamed.values():
                message = f"new ({after['http']})"
                changes.append(
                    Change("addition", section, call, message, None, after["pointer"], after["operation_id"])
                )
            continue
        where = before["pointer"], after["pointer"]
        if before["http"] != after["http"]:
            verb_changed = before["http"].split()[0] != after["http"].split()[0]
            message = f"now sends {after['http']} (was {before['http']})"
            changes.append(
                Change(
                    "breaking" if verb_changed else "addition", section, call, message, *where, after["operation_id"]
                )
            )

        def add(category: Category, surface: str, message: str, name: str = "") -> None:
            changes.append(Change(category, section, surface, message, *where, name))  # noqa: B023

        for param in sorted(before["params"].keys() | after["params"].keys()):
            was, now = before["params"].get(param), after["params"].get(param)
            surface = f"client.{name}({param}=...)"
            wire = (now or was)["wire"]
            if now is None:
                add("breaking", surface, "parameter removed", wire)
            elif was is None:
                add("breaking" if now["required"] else "addition", surface, _new_param(now), wire)
            else:
                if now["required"] and not was["required"]:
                    add("breaking", surface, "optional parameter made required")
                elif was["required"] and not now["required"]:
                    add("addition", surface, "required parameter made optional")
                if _retyped(was, now):
                    widened = _union(was["type"]) <= _union(now["type"])
                    kind: Category = "addition" if widened else "breaking"
                    add(kind, surface, f"type {was['type']} -> {now['type']}" + (" (widened)" if widened else ""))
                if was["default"] != now["default"] and not now["required"]:
                    add("breaking", surface, f"default {was['default']} -> {now['default']}")
                if was["description"] != now["description"]:
                    add("docs", surface, "description changed")
        if before["returns"] != after["returns"]:
            narrowed = _union(after["returns"]) < _union(before["returns"])
            message = f"returns {after['returns']}, not {before['returns']}"
            add("addition" if narrowed else "breaking", call, message)
        for status in sorted(before["errors"].keys() | after["errors"].keys()):
            was_error, now_error = before["errors"].get(status), after["errors"].get(status)
            if was_error == now_error:
                continue
            if was_error is None:
                add("addition", call, f"a {status} raises {now_error}")
            elif now_error is None:
                add("breaking", call, f"a {status} no longer raises {was_error}")
            else:
                add("breaking", call, f"a {status} raises {now_error}, not {was_error}")
        if before["security"] != after["security"]:
            add("breaking", call, f"authentication {before['security']} -> {after['security']}")
        if before["paged"] != after["paged"]:
            add("addition" if after["paged"] else "breaking", call, "pager added" if after["paged"] else "pager gone")
        if after["deprecated"] and not before["deprecated"]:
            add("docs", call, "deprecated")
        for key in ("summary", "description"):
            if before[key] != after[key]:
                add("docs", call, f"{key} changed")
    return changes


def _renamed(old: dict[str, Any], new: dict[str, Any], *same: Callable[[Any, Any], bool]) -> dict[str, str]:
    """Old name -> new, for each one gone and one new that `same` says are the same thing: the first new
    one the first test accepts, else the second's, each new one taken once."""
    gone = sorted((name, value) for name, value in old.items() if name not in new)
    arrived = {name: value for name, value in sorted(new.items()) if name not in old}
    pairs: dict[str, str] = {}
    for name, was in gone:
        match = next((n for test in same for n, now in arrived.items() if test(was, now)), None)
        if match is not None:
            pairs[name] = match
            del arrived[match]
    return pairs


def _same_operation(was: Any, now: Any) -> bool:
    """The same operation under another method name or resource: its operationId, or its HTTP method and path."""
    return bool(was["operation_id"] == now["operation_id"] or was["http"] == now["http"])


def _new_param(param: dict[str, Any]) -> str:
    return "new required parameter" if param["required"] else "new optional parameter"


def _models(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for name, surface, before, after, where in _paired(old, new, "fields", changes):
        sent = "input" in after["uses"]
        received = "output" in after["uses"]
        for field in sorted(before["fields"].keys() | after["fields"].keys()):
            was, now = before["fields"].get(field), after["fields"].get(field)
            place = f"models.{name}.{field}"
            wire = (now or was)["wire"]
            if now is None:
                changes.append(Change("breaking", "models", place, "field removed", *where, wire))
            elif was is None:
                required = now["required"] and sent
                message = "new required field" if required else "new field"
                changes.append(Change("breaking" if required else "addition", "models", place, message, *where, wire))
            else:
                if _retyped(was, now):
                    message = f"type {was['type']} -> {now['type']}"
                    changes.append(Change("breaking", "models", place, message, *where))
                if was["required"] != now["required"]:
                    tighter = (now["required"] and sent) or (not now["required"] and received)
                    message = "now required" if now["required"] else "now optional"
                    changes.append(Change("breaking" if tighter else "addition", "models", place, message, *where))
                if was["description"] != now["description"]:
                    changes.append(Change("docs", "models", place, "description changed", *where))
        if before["description"] != after["description"]:
            changes.append(Change("docs", "models", surface, "description changed", *where))
    return changes


def _enums(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for _, surface, before, after, where in _paired(old, new, "members", changes):
        sent = "input" in after["uses"]
        for member in before["members"]:
            if member not in after["members"]:
                kind: Category = "breaking" if sent else "addition"
                message = f"member {member!r} removed" + ("" if sent else " (only received, and the enum is open)")
                changes.append(Change(kind, "models", surface, message, *where, str(member)))
        for member in after["members"]:
            if member not in before["members"]:
                changes.append(Change("addition", "models", surface, f"new member {member!r}", *where, str(member)))
        if before["description"] != after["description"]:
            changes.append(Change("docs", "models", surface, "description changed", *where))
    return changes


def _paired(
    old: dict[str, Any], new: dict[str, Any], shape: str, changes: list[Change]
) -> Iterator[tuple[str, str, Any, Any, tuple[str, str]]]:
    """Each class in both (under its name now, its surface, both versions and their pointers); a class
    removed, new or renamed is reported into `changes` on the way."""
    for old_name, new_name in _classes(old, new, shape):
        before: Any = old.get(old_name) if old_name else None
        after: Any = new.get(new_name) if new_name else None
        surface = f"models.{old_name or new_name}"
        if after is None:
            changes.append(Change("breaking", "models", surface, "removed", before["pointer"], None))
        elif before is None:
            changes.append(Change("addition", "models", surface, "new", None, after["pointer"]))
        else:
            where = before["pointer"], after["pointer"]
            if old_name != new_name:
                message = f"renamed models.{new_name}: methods are unchanged; code naming the class must follow"
                changes.append(Change("addition", "models", surface, message, *where))
            yield str(new_name), surface, before, after, where


def _classes(old: dict[str, Any], new: dict[str, Any], shape: str) -> list[tuple[str | None, str | None]]:
    """(old name, new name) of each class: kept under its name, renamed (a class gone and one new at the
    same place in the document, or with the very same fields or members), removed or new."""
    renamed = _renamed(
        old,
        new,
        lambda was, now: bool(was["pointer"] == now["pointer"]),
        lambda was, now: bool(was[shape]) and bool(was[shape] == now[shape]),
    )
    pairs: list[tuple[str | None, str | None]] = [(name, name if name in new else renamed.get(name)) for name in old]
    pairs += [(None, name) for name in new if name not in old and name not in renamed.values()]
    return sorted(pairs, key=lambda pair: str(pair[0] or pair[1]))


def _retyped(was: dict[str, Any], now: dict[str, Any]) -> bool:
    """A type change beyond the `| None` that comes and goes with being optional (reported as such)."""
    if was["required"] != now["required"]:
        return _union(was["type"]) - {"None"} != _union(now["type"]) - {"None"}
    return bool(was["type"] != now["type"])


def _union(annotation: str) -> set[str]:
    return {part.strip() for part in annotation.split("|")}
