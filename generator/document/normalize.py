"""Stage 1b: a parsed document made safe for every later stage to walk, whoever wrote it.

YAML lets a small text stand for a huge tree (aliases of aliases: a "billion laughs"), name mapping
keys with numbers or dates, and JSON lets a string hold half a UTF-16 pair; a long chain of schemas
that are each only a `$ref` to the next sends a resolver thousands of levels deep for each. Each is
refused with its place, or rewritten to what it means, here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import yaml

from generator.errors import Diagnostic, GeneratorError, pointer_join, pointer_parts

# What aliases may add to a document's tree beyond the nodes written: a generous allowance for
# shared fragments, and about a thousandth of what a 379-byte billion laughs expands to.
MAX_ALIAS_NODES = 1_000_000
# The longest chain of schemas that are only a `$ref` each that is left as written.
MAX_CHAIN = 8
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_aliases(root: yaml.Node, source: str) -> None:
    """Refuses a YAML node graph whose aliases make its tree far larger than its text, or circular."""
    expanded: dict[int, int] = {}
    shared: dict[int, yaml.Node] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(child)] for child in children)
            continue
        if key in expanded:
            shared[key] = node
            continue
        if key in on_path:
            line = node.start_mark.line + 1
            message = "a YAML alias refers to a node that contains it: the tree would never end"
            raise GeneratorError([Diagnostic(source, "#", message, line=line)])
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in expanded:
                shared[id(child)] = child
            else:
                stack.append((child, False))
    total = expanded[id(root)]
    if total - len(expanded) > MAX_ALIAS_NODES:
        raise _alias_bomb(source, shared, expanded)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _alias_bomb(source: str, shared: dict[int, yaml.Node], expanded: dict[int, int]) -> GeneratorError:
    biggest = max(shared.values(), key=lambda n: expanded.get(id(n), 0), default=None)
    line = biggest.start_mark.line + 1 if biggest is not None else None
    message = f"YAML aliases expand the document past {MAX_ALIAS_NODES:,} more nodes than it writes (an alias bomb)"
    hint = "write the shared parts once under `components` and point at them with `$ref`"
    return GeneratorError([Diagnostic(source, "#", message, line=line, hint=hint)])


@dataclass(frozen=True)
class Scan:
    """What one walk of every node of a document finds: each question once walked the whole document."""

    too_deep: bool  # a node at `max_depth` or below
    surrogate: bool  # a key or string holding a lone UTF-16 surrogate, which no file can hold
    refs: list[dict[str, Any]]  # the objects with a local `$ref`, in the order a depth-first walk meets them


def scan(data: Any, max_depth: int) -> Scan:
    """Walks the document once, depth-first, stopping at the first node `max_depth` deep (the nesting is
    what is in doubt, so the walk is iterative). Pointers are spelled out only where a problem is found,
    by the walks that name it: spelling one out for every node was most of a warm run's walk."""
    refs: list[dict[str, Any]] = []
    surrogate = False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth >= max_depth:
            return Scan(True, surrogate, refs)
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                refs.append(node)
            # Keys are text (the loaders make them so): their joined text holds a surrogate if one does.
            surrogate = surrogate or _bad("".join(node))
            values: Any = node.values()
        else:
            values = node
        for value in values:
            if isinstance(value, str):
                if not value.isascii() and _SURROGATE.search(value):  # inline: millions of strings
                    surrogate = True
            elif isinstance(value, dict | list):
                stack.append((value, depth + 1))
    return Scan(False, surrogate, refs)


def _bad(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def refuse_surrogate(data: Any, source: str, lines: dict[str, int]) -> None:
    """Names the first key or string holding a lone surrogate, for a document `scan` found one in."""
    stack: list[tuple[Any, str]] = [(data, "#")]
    while stack:
        node, pointer = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and _bad(key):
                raise _surrogate(source, pointer, "a key", lines)
            where = pointer_join(pointer, key)
            if isinstance(value, str):
                if _bad(value):
                    raise _surrogate(source, where, "a string", lines)
            elif isinstance(value, dict | list):
                stack.append((value, where))


def _surrogate(source: str, pointer: str, what: str, lines: dict[str, int]) -> GeneratorError:
    message = f"{what} holds a lone UTF-16 surrogate (half of a \\uD800-\\uDFFF pair), which is no text"
    return GeneratorError([Diagnostic(source, pointer, message, line=lines.get(pointer))])


def collapse_ref_chains(data: Any, refs: list[dict[str, Any]]) -> None:
    """Points a local `$ref` (of `refs`, the objects holding one) that starts a long chain of schemas,
    each nothing but a `$ref` to the next, at the node the chain ends in: what it means, without a
    resolver walking the whole chain (recursively, in openapi-spec-validator) for each link. Short
    chains, the ones documents write, stay as written, so diagnostics name every step; chains that end
    nowhere or loop are left for validation to report."""
    ends: dict[str, tuple[str, int] | None] = {}
    for node in refs:
        end = _chain_end(data, node["$ref"], ends)
        if end is not None and end[1] > MAX_CHAIN:
            node["$ref"] = end[0]


def _chain_end(data: Any, ref: str, ends: dict[str, tuple[str, int] | None]) -> tuple[str, int] | None:
    """The last `$ref` of the chain `ref` starts (the one naming a node that is more than a `$ref`), and
    how many links lead there; None for a chain that ends nowhere or loops."""
    chain: list[str] = []
    current: str | None = ref
    while current is not None and current not in ends:
        if current in chain:  # a loop: no end
            current = None
            break
        chain.append(current)
        target = _resolve(data, current)
        following = target.get("$ref") if isinstance(target, dict) and len(target) == 1 else None
        if target is None:
            current = None
        elif isinstance(following, str) and following.startswith("#"):
            current = following
        else:
            ends[current] = (current, 0)
            chain.pop()
            break
    found = ends.get(current) if current is not None else None
    for distance, link in enumerate(reversed(chain), start=1):
        ends[link] = (found[0], found[1] + distance) if found is not None else None
    return ends[ref]


def _resolve(data: Any, ref: str) -> Any:
    node = data
    for part in pointer_parts(unquote(ref)):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node
