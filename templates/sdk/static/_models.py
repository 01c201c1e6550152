"""Base classes of every generated model: tolerant of what newer API versions add."""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any

import pydantic
from pydantic import ConfigDict, Discriminator


class BaseModel(pydantic.BaseModel):
    """Accepts wire names and Python names alike; keeps fields the server adds later."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready body for a request: wire names, only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, context={"request": True})


class OpenEnum(str, Enum):
    """A string enum that accepts values it does not list, so a new server value never raises."""

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


@functools.cache
def discriminator(wire_name: str, attribute: str) -> Discriminator:
    """Tells the variants of a union apart by one property, read from a dict or a model.

    The variants need no Literal field for it; cached, so the same union is the same type (and
    the same cached validator) every time an annotation names it.
    """

    def read(value: Any) -> Any:
        return value.get(wire_name) if isinstance(value, dict) else getattr(value, attribute, None)

    return Discriminator(read)
