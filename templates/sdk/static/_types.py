"""Small shared types: the "argument not given" sentinel, the accepted timeout forms, and files to upload."""

from __future__ import annotations

import os
from typing import IO, Annotated, Any, Final, Literal, TypeAlias

import httpx
from pydantic import PlainSerializer, PlainValidator, SerializationInfo, ValidationInfo

from ._files import is_file


class NotGiven:
    """Marks an argument the caller did not pass, where None has a meaning of its own."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

Timeout: TypeAlias = float | httpx.Timeout | None

# A file's content: its bytes, an open binary file (read as it is sent, not whole), or its path.
FileData: TypeAlias = bytes | IO[bytes] | os.PathLike[str]
# A file to upload: its content, or (file name, content) or (file name, content, media type); without a
# name, a path's or an open file's own name is sent, else the field's.
FileContent: TypeAlias = FileData | tuple[str, FileData] | tuple[str, FileData, str]


def _file(value: Any, info: ValidationInfo) -> Any:
    """A model field's file, kept as given (pydantic cannot check an open file); what is no file is
    refused as a ValueError, so the model's validation names the field. Text is a file only in a
    response (JSON carries a binary field as text): in a request it is more likely a path meant."""
    if isinstance(value, str):
        if info.mode == "json" or (isinstance(info.context, dict) and info.context.get("response")):
            return value.encode("utf-8")
        raise ValueError("text is no file: give a path as pathlib.Path, or the text's bytes")
    if is_file(value):
        return value
    raise ValueError("a file is bytes, a path, an open binary file, or (file name, content[, media type])")


def _file_out(value: Any, info: SerializationInfo) -> Any:
    """A file dumped: as given for a request to send; in JSON, bytes as their text, and a file not
    yet read is refused rather than written as its repr."""
    if info.mode != "json":
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    raise ValueError("a file given as a path or an open file has no JSON form until it is read")


# A model field of `format: binary`: a file, as FileContent says.
File: TypeAlias = Annotated[FileContent, PlainValidator(_file), PlainSerializer(_file_out)]
