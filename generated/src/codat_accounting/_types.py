"""Small shared types: the "argument not given" sentinel and the accepted timeout forms."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import httpx


class NotGiven:
    """Marks an argument the caller did not pass, where None has a meaning of its own."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Timeout: TypeAlias = float | httpx.Timeout | None
