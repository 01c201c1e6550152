"""Small shared types: the "argument not given" sentinel and the accepted timeout forms."""

from __future__ import annotations

from typing import IO, Final, Literal, TypeAlias

import httpx


class NotGiven:
    """Marks an argument the caller did not pass, where None has a meaning of its own."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Timeout: TypeAlias = float | httpx.Timeout | None

# A file to upload: its bytes or an open binary file, optionally with a file name and a media type.
FileContent: TypeAlias = bytes | IO[bytes] | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]
