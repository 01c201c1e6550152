"""Python literals for document values, written as black writes them.

black rewrites every single-quoted string to double quotes, and that rewrite is the larger part of
its time on our templates' output; a literal already in its final form costs it nothing.
"""

from __future__ import annotations

import math


def py_literal(value: str | int | float | bool | None) -> str:
    """repr(), as black would write it: a string in double quotes when that needs no more escapes,
    an exponent without `+`; an infinity or NaN (YAML has them) as the expression that makes one."""
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return f'"{text[1:-1]}"'
    if isinstance(value, float):
        return text.replace("e+", "e") if math.isfinite(value) else f'float("{text}")'
    return text
