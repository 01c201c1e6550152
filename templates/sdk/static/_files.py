"""Files to upload: what a caller gives (bytes, a path, an open file, or a tuple naming it) made into
the parts httpx sends, the same content for every attempt."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import IO, Any

# What httpx takes as one file part: (file name, content) or (file name, content, media type).
HttpxFile = tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]


def is_file(value: object) -> bool:
    """Whether `value` is a file as FileContent has it (text is not: a text field is no file)."""
    if isinstance(value, tuple):
        return (
            len(value) in (2, 3)
            and isinstance(value[0], str)
            and _is_data(value[1])
            and (len(value) == 2 or isinstance(value[2], str))
        )
    return _is_data(value)


def _is_data(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or callable(getattr(value, "read", None))


@dataclass
class FilePart:
    """One file of a request. A path is opened once, here, and closed by `close()`; an open file is
    sent whole, from its start, on every attempt (httpx rewinds it); one that cannot be rewound is sent
    once (`repeatable` says so, and the client does not retry it)."""

    filename: str
    data: bytes | IO[bytes]
    content_type: str | None
    opened: bool
    repeatable: bool

    @classmethod
    def of(cls, field: str, given: object) -> FilePart:
        """The part for a caller's file; ValueError (naming no more than the field) for what is none."""
        if not is_file(given):
            raise ValueError(
                f"{field}: a file is bytes, a path, an open binary file, or (file name, content[, media type]);"
                f" {type(given).__name__} given"
            )
        name: str | None = None
        content_type: str | None = None
        data: Any = given
        if isinstance(given, tuple):
            name, data = given[0], given[1]
            content_type = given[2] if len(given) == 3 else None
        if isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        if isinstance(data, bytes):
            return cls(name or field, data, content_type, False, True)
        if isinstance(data, os.PathLike):
            path = os.fspath(data)
            try:
                opened: IO[bytes] = open(path, "rb")  # closed by close(), after the call
            except OSError as exc:
                raise ValueError(f"{field}: cannot open {os.path.basename(path)!r}: {exc.strerror}") from None
            return cls(name or os.path.basename(path) or field, opened, content_type, True, True)
        stream: IO[bytes] = data
        if name is None:
            own = getattr(stream, "name", None)
            name = os.path.basename(own) if isinstance(own, str) and own else field
        return cls(name, stream, content_type, False, _seekable(stream))

    def for_attempt(self) -> HttpxFile:
        """The part as httpx takes it."""
        if self.content_type is None:
            return (self.filename, self.data)  # httpx guesses the media type from the file name
        return (self.filename, self.data, self.content_type)

    def close(self) -> None:
        if self.opened and not isinstance(self.data, bytes):
            self.data.close()


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
