"""Webhooks the API sends: their signature checked, their body parsed into the model of their event.

Codat signs each delivery as Svix does (its docs say to verify with Svix's library; the scheme is
Standard Webhooks'): three headers, `svix-id`, `svix-timestamp` and `svix-signature` (or `webhook-id`,
`webhook-timestamp` and `webhook-signature`); the signature is HMAC-SHA256, keyed by the endpoint's
secret (`whsec_` then base64), of `{id}.{timestamp}.{body}`, base64-encoded and listed as `v1,<sig>`
among the signatures the header carries (one per secret while a secret rotates). The standard library
does it all: no network, no dependency, and the comparison takes the same time whatever it compares.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

import pydantic

from ._exceptions import WebhookError, WebhookVerificationError
from ._json import loads
from ._models import BaseModel, validation_problems

# Deliveries older (or newer) than this are refused: a replayed request is an old one.
DEFAULT_TOLERANCE = 300.0
_HEADERS = (("svix-id", "svix-timestamp", "svix-signature"), ("webhook-id", "webhook-timestamp", "webhook-signature"))


def verify_signature(
    body: bytes | str, headers: Mapping[str, str], secret: str, tolerance: float, now: float | None
) -> None:
    """Raises WebhookVerificationError unless one of the delivery's signatures is the secret's for its
    id, timestamp and body, and the timestamp is within `tolerance` seconds of `now`."""
    lowered = {name.lower(): value for name, value in headers.items()}
    found = next(((lowered[i], lowered[t], lowered[s]) for i, t, s in _HEADERS if {i, t, s} <= lowered.keys()), None)
    if found is None:
        raise WebhookVerificationError("the request has no svix-id, svix-timestamp and svix-signature headers")
    message_id, stamp, signatures = found
    if not (stamp.isascii() and stamp.isdigit()):
        raise WebhookVerificationError(f"the timestamp {stamp[:40]!r} is no number of seconds")
    clock = time.time() if now is None else now
    if abs(clock - int(stamp)) > tolerance:
        raise WebhookVerificationError(f"the timestamp is more than {tolerance:g} s from now: a replay, or a clock off")
    payload = body.encode("utf-8") if isinstance(body, str) else body
    signed = f"{message_id}.{stamp}.".encode() + payload
    expected = base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest())
    for entry in signatures.split():
        version, _, value = entry.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode("ascii", "replace"), expected):
            return
    raise WebhookVerificationError("no signature of the request is the secret's: not sent by the API, or altered")


def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("the secret is not the whsec_... value the API gave for the endpoint") from None


def parse_event(
    body: bytes | str, events: Sequence[tuple[str, str]], type_field: str, event_type: str | None, models: ModuleType
) -> Any:
    """The body as the model of its event: the type is `event_type`, else the body's own `type_field`;
    the first of `events` (a pattern of event types, and the name of its model in `models`) that
    matches it gives the model."""
    try:
        data = loads(body)
    except ValueError as exc:
        raise WebhookError(f"the webhook's body is not JSON: {exc}") from None
    if event_type is None:
        value = data.get(type_field) if isinstance(data, dict) and type_field else None
        if not isinstance(value, str):
            where = f"the body's {type_field!r}" if type_field else "event_type="
            raise WebhookError(f"the webhook's event type is unknown: give it as {where}")
        event_type = value
    name = next((name for pattern, name in events if re.fullmatch(pattern, event_type)), None)
    if name is None:
        raise WebhookError(f"{event_type!r} is no event type the API document describes")
    model: type[BaseModel] = getattr(models, name)
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = validation_problems(exc, "body")
        raise WebhookError(
            f"the {event_type} webhook's body is not a {model.__name__}: {'; '.join(problems[:5])}"
        ) from exc
