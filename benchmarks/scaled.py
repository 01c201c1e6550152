"""Documents of a chosen number of operations, made of copies of a real one, for the scale rows of `make bench`.

Copy k of Codat Lending (156 operations, 334 schemas) has every path under `/copy{k}`, every operationId,
tag and `x-speakeasy-group` suffixed with `{k}`, and every component (schemas, parameters, responses...)
renamed `{Name}Copy{k}` with its references, so that each copy is new work for every stage (nothing is
shared or deduplicated between copies) and a document of N operations is N / 156 times the one document.
The first copy is the document as it is; the last is cut to reach N operations exactly.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

LENDING = Path(__file__).resolve().parent.parent.parent / "shared" / "specs" / "codat" / "Codat-Lending.yaml"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_REF = re.compile(r"^#/components/([^/]+)/([^/]+)(.*)$")


def scaled(document: dict[str, Any], operations: int) -> dict[str, Any]:
    """`document` with its operations copied until there are `operations` of them."""
    result = copy.deepcopy(document)
    result["paths"], result["tags"] = {}, []
    components: dict[str, dict[str, Any]] = {}
    left, k = operations, 0
    while left > 0:
        suffix = "" if k == 0 else str(k)
        renamed = _renamed(document, suffix)
        for path, item in renamed["paths"].items():
            kept = {m: op for m, op in item.items() if m not in _METHODS}
            for method, op in item.items():
                if method in _METHODS and left > 0:
                    kept[method] = op
                    left -= 1
            if any(m in _METHODS for m in kept):
                result["paths"][path] = kept
        result["tags"] += renamed.get("tags") or []
        for kind, members in (renamed.get("components") or {}).items():
            components.setdefault(kind, {}).update(members)
        k += 1
    result["components"] = components
    result["info"] = {**document.get("info", {}), "title": f"Scaled {operations}"}
    return result


def _renamed(document: dict[str, Any], suffix: str) -> dict[str, Any]:
    if not suffix:
        return copy.deepcopy(document)
    renamed: dict[str, Any] = {
        "paths": {f"/copy{suffix}{path}": _walk(item, suffix) for path, item in (document.get("paths") or {}).items()},
        "tags": [{**tag, "name": f"{tag['name']} {suffix}"} for tag in document.get("tags") or []],
        "components": {
            kind: {f"{name}Copy{suffix}": _walk(member, suffix) for name, member in members.items()}
            for kind, members in (document.get("components") or {}).items()
            if kind != "securitySchemes"
        },
    }
    if "securitySchemes" in (document.get("components") or {}):
        renamed["components"]["securitySchemes"] = document["components"]["securitySchemes"]
    return renamed


def _walk(node: Any, suffix: str) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and (match := _REF.match(value)):
                kind, name, rest = match.groups()
                out[key] = value if kind == "securitySchemes" else f"#/components/{kind}/{name}Copy{suffix}{rest}"
            elif key == "operationId" and isinstance(value, str):
                out[key] = f"{value}-{suffix}"
            elif key == "tags" and isinstance(value, list):
                out[key] = [f"{tag} {suffix}" for tag in value]
            elif key == "x-speakeasy-group" and isinstance(value, str):
                out[key] = f"{value}{suffix}"
            elif key == "x-speakeasy-name-override":
                continue  # each copy's methods are named from their own operationIds
            else:
                out[key] = _walk(value, suffix)
        return out
    if isinstance(node, list):
        return [_walk(item, suffix) for item in node]
    return node


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("operations", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    document = yaml.safe_load(LENDING.read_text(encoding="utf-8"))
    args.out.write_text(json.dumps(scaled(document, args.operations)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
