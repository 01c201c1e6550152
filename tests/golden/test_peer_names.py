"""Our method names and groups against those of Codat's published Python SDKs, operation by operation.

`tests/fixtures/peer-sdk-names.json` lists each published SDK's (group, method, HTTP method, path), made
by `benchmarks/peer_names.py` from the packages themselves (each in a virtualenv of its own). An
operation is matched by its HTTP method and path. Where a peer was made from a document that gives
naming rules (all of today's), every name must be equal; every other difference must have one of the
reasons below, checked against the document, or the test fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import yaml

from generator.builder.operation_names import name_rules
from generator.pipeline import checked_api
from generator.text import naming
from tests.conftest import ROOT

FAMILY = ROOT.parent / "shared" / "specs" / "codat"
PEERS: list[dict[str, Any]] = json.loads((ROOT / "tests" / "fixtures" / "peer-sdk-names.json").read_text())["peers"]
Row = tuple[str, str]
# Peers made from today's documents, whose every name must be ours.
CURRENT = {
    "codat-bankfeeds",
    "codat-banking",
    "codat-commerce",
    "codat-lending",
    "codat-platform",
    "codat-sync-for-commerce",
    "codat-sync-for-expenses",
    "codat-sync-for-payables",
}


@cache
def _ours(document: str) -> dict[tuple[str, str], Row]:
    api, _ = checked_api(FAMILY / document, None, "peer_check")
    return {(op.http_method, op.path): (r.access, op.method_name) for r in api.resources for op in r.operations}


@cache
def _raw(document: str) -> dict[str, Any]:
    text = (FAMILY / document).read_text()
    data: dict[str, Any] = json.loads(text) if document.endswith(".json") else yaml.safe_load(text)
    return data


def _operation(document: str, method: str, path: str) -> dict[str, Any]:
    node: dict[str, Any] = _raw(document)["paths"][path][method.lower()]
    return node


def _differences(peer: dict[str, Any]) -> Iterator[tuple[str, str, Row, Row | None]]:
    ours = _ours(peer["document"])
    for row in peer["methods"]:
        key = (row["http_method"].upper(), row["path"])
        theirs = (row["group"], row["method"])
        if ours.get(key) != theirs:
            yield key[0], key[1], theirs, ours.get(key)


def reason(peer: dict[str, Any], method: str, path: str, theirs: Row, ours: Row | None) -> str | None:
    """Why our name may differ from the peer's, checked against the document; None when nothing explains it."""
    document = peer["document"]
    if ours is None:
        op = _operation(document, method, path) if path in _raw(document)["paths"] else {}
        if op.get("x-speakeasy-ignore") is True:
            return "the document marks it x-speakeasy-ignore, which that SDK's generator did not honour"
        return "the peer calls an operation the document no longer has"
    op = _operation(document, method, path)
    operation_id = str(op.get("operationId"))
    group = op.get("x-speakeasy-group")
    if isinstance(group, str) and ours[0] == ".".join(naming.snake(p) for p in group.split(".")) != theirs[0]:
        return "the document now puts it in its own x-speakeasy-group; the peer was made before"
    override = op.get("x-speakeasy-name-override")
    if isinstance(override, str) and naming.snake(override) == ours[1] != theirs[1]:
        return "the document now names it with its own x-speakeasy-name-override; the peer was made before"
    rules = name_rules_of(document)
    if rules and any(r.pattern.search(operation_id) and naming.snake(r.name) == ours[1] for r in rules):
        return "the document's naming rules name it so; the peer was made from a document without them"
    tags = [naming.snake(t) for t in op.get("tags") or [] if isinstance(t, str)]
    same_group = ours[0] == theirs[0] or (ours[0] in tags and theirs[0] not in tags)
    if not rules and theirs[1] == naming.snake(operation_id) and same_group:
        return (
            "the document gives no naming rules: the peer keeps the whole operationId, ours drops the resource's noun"
        )
    if ours[1] == theirs[1] and ours[0] in tags and theirs[0] not in tags:
        return "the document now tags it elsewhere; the peer was made before"
    return None


def name_rules_of(document: str) -> tuple[Any, ...]:
    from generator.document.load import load_document

    return name_rules(load_document(FAMILY / document))


@pytest.mark.realdoc
@pytest.mark.parametrize("peer", PEERS, ids=lambda p: f"{p['package']}-{p['version']}")
def test_every_name_equals_the_published_sdks_or_the_difference_has_its_reason(peer: dict[str, Any]) -> None:
    differences = list(_differences(peer))
    if peer["package"] in CURRENT:
        # Made from today's document and its rules: no difference but an operation the document ignores.
        assert [d for d in differences if d[3] is not None] == [], differences
    unexplained = [d for d in differences if reason(peer, *d) is None]
    assert unexplained == [], f"{len(unexplained)} names differ with no reason:\n" + "\n".join(map(str, unexplained))


def test_platform_equals_codats_sdk_name_for_name() -> None:
    """All 51 methods of codat-platform 5.0.1 (Speakeasy, from today's rules), groups included, and 51 of
    the 52 of 6.0.0: its 52nd is the operation the document marks x-speakeasy-ignore."""
    platform = {p["version"]: p for p in PEERS if p["package"] == "codat-platform"}
    assert list(_differences(platform["5.0.1"])) == [] and len(platform["5.0.1"]["methods"]) == 51
    assert [(m, p) for m, p, _, _ in _differences(platform["6.0.0"])] == [("POST", "/webhooks/integrationKeys/zapier")]


def test_the_peers_cover_the_family() -> None:
    documents = {p["document"] for p in PEERS}
    assert len(documents) >= 14 and all((FAMILY / d).is_file() for d in documents)
    assert sum(len(p["methods"]) for p in PEERS) > 900


def test_differences_are_few_and_listed(capsys: pytest.CaptureFixture[str]) -> None:
    """The differences left, with their reasons, for the README: printed, and counted."""
    reasons: dict[str, int] = {}
    for peer in PEERS:
        for difference in _differences(peer):
            explained = reason(peer, *difference) or "none"
            reasons[explained] = reasons.get(explained, 0) + 1
    with capsys.disabled():
        for text, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
            print(f"  {count:3} {text}")
    assert "none" not in reasons
