"""The algebra of IR types the builders share: any value, optional, and unions that fold None in."""

from __future__ import annotations

from typing import Any

from generator.ir.models import TypeRef

ANY = TypeRef(kind="any", annotation="Any", imports=("from typing import Any",))


def optional(t: TypeRef) -> TypeRef:
    """`t | None`, unless it already admits None."""
    if t.nullable or t.kind == "any" or t.annotation == "None":
        return t
    return TypeRef(t.kind, f"{t.annotation} | None", t.name, t.args, True, t.models, t.imports)


def union(variants: list[TypeRef]) -> TypeRef:
    """One type for several; a None variant makes the union nullable instead of being listed."""
    concrete = list({v.annotation: v for v in variants if v.annotation != "None"}.values())
    has_none = len(concrete) < len(variants) or any(v.nullable for v in variants)
    concrete = [_non_null(v) for v in concrete]
    concrete = list({v.annotation: v for v in concrete}.values())
    if any(v.kind == "any" for v in concrete) or not concrete:
        return ANY
    if len(concrete) == 1:
        result = concrete[0]
    else:
        result = TypeRef(
            "union",
            " | ".join(v.annotation for v in concrete),
            args=tuple(concrete),
            models=tuple(dict.fromkeys(m for v in concrete for m in v.models)),
            imports=tuple(dict.fromkeys(i for v in concrete for i in v.imports)),
        )
    return optional(result) if has_none else result


def _non_null(t: TypeRef) -> TypeRef:
    if not t.nullable:
        return t
    return TypeRef(t.kind, t.annotation.removesuffix(" | None"), t.name, t.args, False, t.models, t.imports)


def deps(inner: TypeRef) -> dict[str, Any]:
    return {"models": inner.models, "imports": inner.imports}
