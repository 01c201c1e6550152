"""A string that a schema's `pattern` matches, built from the parsed regular expression.

Codat's patterns are small (`[a-z]{4}`, `^.{1,27}$`), the corpus's less so; each construct gives its
shortest match (a repeat its minimum, a class its first member), and the result is checked with `re`
so that what this cannot build is None, never a wrong value.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

# A member of each category, and characters to try against a negated class.
_CATEGORY = {
    C.CATEGORY_DIGIT: "0",
    C.CATEGORY_NOT_DIGIT: "a",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: "a",
    C.CATEGORY_WORD: "a",
    C.CATEGORY_NOT_WORD: "-",
}
_CANDIDATES = "aA0_- .x9Z"


def matching(pattern: str) -> str | None:
    """The shortest string this builder finds that `pattern` matches (searched, as JSON Schema does)."""
    try:
        parsed = parser.parse(pattern)
        text = _emit(list(parsed), {})
    except (re.error, ValueError, KeyError, TypeError, RecursionError):
        return None
    return text if re.search(pattern, text) else None


def _emit(items: list[tuple[Any, Any]], groups: dict[int, str]) -> str:
    out = []
    for op, arg in items:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.NOT_LITERAL:
            out.append(next(c for c in _CANDIDATES if ord(c) != arg))
        elif op is C.ANY:
            out.append("a")
        elif op is C.IN:
            out.append(_member(arg))
        elif op is C.BRANCH:
            out.append(_emit(list(arg[1][0]), groups))
        elif op is C.SUBPATTERN:
            text = _emit(list(arg[-1]), groups)
            if arg[0] is not None:
                groups[arg[0]] = text
            out.append(text)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            low, _, body = arg
            out.append(_emit(list(body), groups) * low)
        elif op is C.GROUPREF:
            out.append(groups.get(arg, ""))
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            raise ValueError(f"unsupported construct {op}")
    return "".join(out)


def _member(items: list[tuple[Any, Any]]) -> str:
    """A character of a class `[...]`; for a negated one, the first candidate none of its items match."""
    if items and items[0][0] is C.NEGATE:
        banned = "".join(_member([item]) for item in items[1:] if item[0] is not C.RANGE)
        ranges = [arg for op, arg in items[1:] if op is C.RANGE]
        return next(c for c in _CANDIDATES if c not in banned and not any(lo <= ord(c) <= hi for lo, hi in ranges))
    op, arg = items[0]
    if op is C.LITERAL:
        return chr(arg)
    if op is C.RANGE:
        return chr(arg[0])
    if op is C.CATEGORY:
        return _CATEGORY[arg]
    raise ValueError(f"unsupported class member {op}")
