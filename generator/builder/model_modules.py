"""Stage 4a, packaging: the built model classes laid out as the modules of the models package.

One module per class, except classes that refer to each other in a cycle, which share one (so no
import cycle is ever written). Imports come out merged and in ruff's isort order.
"""

from __future__ import annotations

import dataclasses

from generator.ir.models import ModelModule, Schema
from generator.text import naming


def group_modules(schemas: list[Schema]) -> tuple[ModelModule, ...]:
    """The models package: one module per class, or per cycle of classes that refer to each other."""
    by_name = {s.class_name: s for s in schemas}
    deps = {
        s.class_name: sorted({m for f in s.fields for m in f.type.models} - {s.class_name}) for s in by_name.values()
    }
    modules: list[tuple[ModelModule, list[str], list[str]]] = []
    module_of: dict[str, str] = {}
    components = _strongly_connected(deps)
    for group in components:
        module_name = by_name[group[0]].module_name
        for name in group:
            module_of[name] = module_name
    taken: set[str] = set()
    for group in sorted(components, key=lambda g: by_name[g[0]].module_name):
        # In ruff's order: the models package's `__init__` imports them one statement each, in this order.
        members = tuple(by_name[n] for n in sorted(group, key=naming.member_order))
        module_name = _unique(module_of[group[0]], taken, "_")
        for name in group:
            module_of[name] = module_name
        needed = sorted({d for n in group for d in deps[n]} - set(group))
        # The TypedDicts of other modules' models that this module's TypedDicts name.
        dicts = sorted({m for s in members for k in s.dict_keys for m in k.models} - set(group))
        lines = {i for s in members for f in s.fields for i in f.type.imports}
        lines |= {i for s in members for k in s.dict_keys for i in k.imports}
        local = {line for line in lines if line.startswith("from ..")}
        local |= {"from .._models import BaseModel"} if any(s.kind == "object" for s in members) else set()
        local |= {"from .._models import OpenEnum"} if any(s.kind == "enum" for s in members) else set()
        lines -= local
        std = {line for line in lines if not line.startswith("from pydantic import ")}
        pydantic = ["Field"] if any(f.deprecated for s in members for f in s.fields) else []
        local |= {"from .._models import wire_names"} if any(s.wire_names for s in members) else set()
        if any(s.open for s in members):
            std.add("from typing import ClassVar")
        pydantic += sorted(line.rsplit(" ", 1)[-1] for line in lines - std)
        pydantic = sorted(set(pydantic), key=naming.member_order)
        typed = {"TypedDict"} if any(s.dict_name for s in members) else set()
        typed |= {"Required"} if any(k.required for s in members for k in s.dict_keys) else set()
        third_party = merged_imports({f"from typing_extensions import {name}" for name in typed})
        module = ModelModule(
            module_name, members, merged_imports(std), tuple(pydantic), tuple(sorted(local)), third_party
        )
        modules.append((module, needed, dicts))
    # Module names were final only now: the imports of other models name the modules just fixed.
    return tuple(
        dataclasses.replace(
            module,
            local_imports=merged_imports(
                set(module.local_imports)
                | {f"from .{module_of[cls]} import {cls}" for cls in needed}
                | {f"from .{module_of[cls]} import {by_name[cls].dict_name}" for cls in dicts}
            ),
        )
        for module, needed, dicts in sorted(modules, key=lambda entry: naming.module_order(entry[0].module_name))
    )


def merged_imports(lines: set[str]) -> tuple[str, ...]:
    """Import lines in ruff's isort order, one from-import per module: plain imports, then from-imports."""
    plain = sorted((line for line in lines if line.startswith("import ")), key=naming.module_order)
    names: dict[str, set[str]] = {}
    for line in lines - set(plain):
        module, _, name = line.removeprefix("from ").partition(" import ")
        names.setdefault(module, set()).add(name)
    merged = [
        f"from {module} import {', '.join(sorted(names[module], key=naming.member_order))}"
        for module in sorted(names, key=naming.module_order)
    ]
    return (*plain, *merged)


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; each component's names sorted, so output is stable."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph.get(node, [])
            if child < len(edges):
                work.append((node, child + 1))
                target = edges[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


def _unique(name: str, used: set[str], sep: str) -> str:
    candidate, counter = name, 2
    while candidate in used:
        candidate = f"{name}{sep}{counter}"
        counter += 1
    used.add(candidate)
    return candidate
