"""The change report over Codat's Platform document as it changed, 2023 to 2026 (11 consecutive pairs).

The expected changes come from a plain walk of each pair of documents (`paths`, their parameters, the
webhooks' bodies, and the schemas they reach through `$ref`, `allOf`, `items` and `properties`), not from
our IR: every operation, parameter, field and enum member added or removed must be in the report, in its
class, and the report must say nothing the walk does not find.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.errors import pointer_join
from generator.history.diff import Change, diff
from generator.history.surface import surface
from generator.pipeline import checked_api
from tests.conftest import ROOT
from tests.prism.values import Document, referenced

HISTORY = ROOT.parent / "shared" / "specs" / "codat-history"
VERSIONS = sorted(HISTORY.glob("Codat-Platform.*.json"))
PAIRS = list(itertools.pairwise(VERSIONS))
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

Found = set[tuple[str, ...]]


class Walk:
    """One document's operations, parameters and reached schemas, read straight from its JSON."""

    def __init__(self, path: Path) -> None:
        self.data = json.loads(path.read_text())
        self.operations: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for route, item in self.data.get("paths", {}).items():
            for method in _METHODS:
                # An operation marked x-speakeasy-ignore is in no SDK, so in no report either.
                if isinstance(item.get(method), dict) and item[method].get("x-speakeasy-ignore") is not True:
                    self.operations[pointer_join("#/paths", route, method)] = (item, item[method])
        # Schema pointer -> its properties (allOf parts merged), required names, enum, and the roles it is met in.
        self.objects: dict[str, tuple[set[str], set[str]]] = {}
        self.enums: dict[str, list[Any]] = {}
        self.roles: dict[str, set[str]] = {}
        for item, op in self.operations.values():
            for param in self.parameters(item, op).values():
                self._reach(param.get("schema", {}), "", "input")
            body = self.resolve(op.get("requestBody", {}))[0]
            for media in body.get("content", {}).values():
                self._reach(media.get("schema", {}), "", "input")
            for response in op.get("responses", {}).values():
                for media in self.resolve(response)[0].get("content", {}).values():
                    self._reach(media.get("schema", {}), "", "output")
        # Webhooks' bodies are the SDK's models too (it parses what Codat sends): received, as responses are.
        for hook in self.data.get("webhooks", {}).values():
            for method in _METHODS:
                request = self.resolve(self.resolve(hook)[0].get(method, {}).get("requestBody", {}))[0]
                for media in request.get("content", {}).values():
                    self._reach(media.get("schema", {}), "", "output")

    def resolve(self, node: Any, pointer: str = "") -> tuple[Any, str]:
        """The node a `$ref` chain ends at, and the last `$ref` followed (the schema's place)."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            pointer = node["$ref"]
            node = referenced(self.data, pointer)
        return node, pointer

    def parameters(self, item: dict[str, Any], op: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(p["in"], p["name"]): p for p in Document(self.data).parameters(item, op)}

    def _reach(self, node: Any, pointer: str, role: str) -> None:
        node, pointer = self.resolve(node, pointer)
        if not isinstance(node, dict) or (pointer and role in self.roles.setdefault(pointer, set())):
            return
        if pointer:
            self.roles[pointer].add(role)
        if isinstance(node.get("enum"), list) and pointer:
            self.enums[pointer] = node["enum"]
        properties, required = self._merged(node)
        if properties and pointer:
            self.objects[pointer] = (set(properties), required)
        for name, prop in properties.items():
            self._reach(prop, pointer_join(pointer, "properties", name) if pointer else "", role)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                self._reach(node[key], pointer_join(pointer, key) if pointer else "", role)
        for key in ("oneOf", "anyOf"):
            for index, part in enumerate(node.get(key, [])):
                self._reach(part, pointer_join(pointer, key, index) if pointer else "", role)

    def _merged(self, node: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        properties, required = dict(node.get("properties", {})), set(node.get("required", []))
        for part in node.get("allOf", []):
            more, needed = self._merged(self.resolve(part)[0])
            properties |= more
            required |= needed
        return properties, required


def _matched(op: dict[str, Any], pointer: str, ours: Walk, theirs: Walk) -> str | None:
    """The place in `theirs` of the same operation: the one with its operationId, else the one at its place
    when that one's operationId is new (an operationId renamed in place); None when it is gone."""
    ids = {o.get("operationId"): p for p, (_, o) in theirs.operations.items()}
    if op.get("operationId") in ids:
        return ids[op.get("operationId")]
    ours_ids = {o.get("operationId") for _, o in ours.operations.values()}
    if pointer in theirs.operations and theirs.operations[pointer][1].get("operationId") not in ours_ids:
        return pointer
    return None


def _same_schemas(old: dict[str, Any], new: dict[str, Any], now: Walk) -> list[tuple[str, str]]:
    """Schemas at the same place in both documents, and those that moved: one place gone and one new whose
    last segments are the same name (`#/components/schemas/SourceType` and `.../definitions/sourceType`),
    or an inline schema that became a `$ref` (`.../properties/Data` now names `.../definitions/XData`)."""
    pairs = [(pointer, pointer) for pointer in old.keys() & new.keys()]
    gone = {p.rsplit("/", 1)[1].lower(): p for p in old.keys() - new.keys()}
    arrived = {p.rsplit("/", 1)[1].lower(): p for p in new.keys() - old.keys()}
    pairs += [(gone[name], arrived[name]) for name in gone.keys() & arrived.keys()]
    for pointer in old.keys() - new.keys():
        try:
            target = now.resolve(referenced(now.data, pointer))[1]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        if target in new.keys() - old.keys() and (pointer, target) not in pairs:
            pairs.append((pointer, target))
    return pairs


def expected(old: Walk, new: Walk) -> Found:
    """An operation is added or removed when no operation of the other document is the same one (see
    `_matched`); one whose operationId moved to another place is moved (a new HTTP method breaks)."""
    found: Found = set()
    for pointer, (_, op) in old.operations.items():
        moved_to = _matched(op, pointer, old, new)
        if moved_to is None:
            found.add(("operation", pointer, "", "breaking"))
        elif moved_to != pointer:
            verb_changed = moved_to.rsplit("/", 1)[1] != pointer.rsplit("/", 1)[1]
            found.add(("moved", op.get("operationId"), "", "breaking" if verb_changed else "addition"))
    for pointer, (_, op) in new.operations.items():
        if _matched(op, pointer, new, old) is None:
            found.add(("operation", pointer, "", "addition"))
    for pointer in old.operations.keys() & new.operations.keys():
        was, now = old.parameters(*old.operations[pointer]), new.parameters(*new.operations[pointer])
        for key in was.keys() - now.keys():
            found.add(("parameter", pointer, key[1], "breaking"))
        for key in now.keys() - was.keys():
            found.add(("parameter", pointer, key[1], "breaking" if now[key].get("required") else "addition"))
    for was_at, now_at in _same_schemas(old.objects, new.objects, new):
        (was_fields, _), (now_fields, now_required) = old.objects[was_at], new.objects[now_at]
        for name in was_fields - now_fields:
            found.add(("field", "", name, "breaking"))
        for name in now_fields - was_fields:
            sent = name in now_required and "input" in new.roles[now_at]
            found.add(("field", "", name, "breaking" if sent else "addition"))
    for was_at, now_at in _same_schemas(old.enums, new.enums, new):
        was_members, now_members = set(map(str, old.enums[was_at])), set(map(str, new.enums[now_at]))
        for member in was_members - now_members:
            found.add(("member", "", member, "breaking" if "input" in new.roles[now_at] else "addition"))
        for member in now_members - was_members:
            found.add(("member", "", member, "addition"))
    return found


def reported(changes: list[Change]) -> Found:
    found: Found = set()
    for c in changes:
        if c.section.startswith("client.") and c.message.startswith(("removed (", "new (")):
            found.add(("operation", c.old or c.new or "", "", c.category))
        elif c.message.startswith("now sends "):
            found.add(("moved", c.name, "", c.category))
        elif c.message in ("parameter removed", "new required parameter", "new optional parameter") and c.name:
            found.add(("parameter", c.old or c.new or "", c.name, c.category))
        elif c.message in ("field removed", "new field", "new required field"):
            found.add(("field", "", c.name, c.category))
        elif c.message.startswith(("member ", "new member ")):
            found.add(("member", "", c.name, c.category))
    return found


@pytest.mark.realdoc
@pytest.mark.parametrize("old,new", PAIRS, ids=[f"{a.name[15:25]}..{b.name[15:25]}" for a, b in PAIRS])
def test_every_change_between_consecutive_versions_is_reported_in_its_class(old: Path, new: Path) -> None:
    surfaces = [surface(checked_api(spec, None, "codat_platform")[0]) for spec in (old, new)]
    changes = diff(*surfaces)
    want, got = expected(Walk(old), Walk(new)), reported(changes)
    assert sorted(want - got) == [], "missing from the report"
    assert sorted(got - want) == [], "reported, but not in the documents"
    if surfaces[0] == surfaces[1]:
        assert changes == []


def test_the_history_is_there() -> None:
    assert len(PAIRS) == 11, f"expected 12 versions in {HISTORY}"


def _history_run(out: Path, versions: list[Path]) -> list[str]:
    """Generates each version into `out` in turn with --bump, as a maintainer would; the versions given."""
    given = []
    for spec in versions:
        code = main(
            ["generate", "--all-tags", "--bump", "--spec", str(spec), "--out", str(out), "--package", "codat_platform"]
        )
        assert code == 0
        given.append((out / "pyproject.toml").read_text().split('version = "', 1)[1].split('"')[0])
    return given


@pytest.mark.realdoc
def test_generate_bumps_the_version_and_keeps_a_changelog_newest_first(tmp_path: Path) -> None:
    september, october, late_october = VERSIONS[6], VERSIONS[7], VERSIONS[8]
    out = tmp_path / "sdk"
    assert _history_run(out, [september]) == ["3.0.0"]
    assert not (out / "CHANGELOG.md").exists()  # nothing to compare with yet
    assert _history_run(out, [october, october]) == ["4.0.0", "4.0.0"]  # the groups API went: major
    log = (out / "CHANGELOG.md").read_text()
    assert log.count("\n## ") == 1 and "\n## 4.0.0\n" in log
    assert "- `client.groups.create()`: removed (POST /groups)" in log.split("### Breaking", 1)[1].split("###")[0]
    assert (
        main(
            [
                "generate",
                "--check",
                "--all-tags",
                "--spec",
                str(october),
                "--out",
                str(out),
                "--package",
                "codat_platform",
            ]
        )
        == 0
    )
    [later] = _history_run(out, [late_october])
    log = (out / "CHANGELOG.md").read_text()
    assert log.index(f"\n## {later}\n") < log.index("\n## 4.0.0\n") and later != "4.0.0"

    again = tmp_path / "again"
    _history_run(again, [september, october, october, late_october])
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in out.iterdir())
    assert (again / "CHANGELOG.md").read_bytes() == (out / "CHANGELOG.md").read_bytes()


@pytest.mark.realdoc
def test_check_with_bump_passes_on_a_bumped_output(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    _history_run(out, [VERSIONS[6], VERSIONS[7]])
    args = ["generate", "--all-tags", "--spec", str(VERSIONS[7]), "--out", str(out), "--package", "codat_platform"]
    assert main([*args, "--check", "--bump", "--no-cache"]) == 0
    # Without --bump the version is kept, not lowered to the document's (issue 26: tests/golden/test_versions.py).
    assert main([*args, "--check", "--no-cache"]) == 0
