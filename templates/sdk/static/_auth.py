"""Credentials, and how each security scheme of the API document puts them on a request.

A requirement is a tuple of alternatives, any one of which will do; each alternative names the
schemes that must all be sent. `()` is a public operation, and an empty alternative makes the others
optional: they are sent when the client has them.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import os
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias
from urllib.parse import quote, urljoin

import httpx

from ._exceptions import CodatError

Requirement = tuple[tuple[str, ...], ...]
Role = Literal["value", "username", "password", "client_id", "client_secret"]
# A credential as given: the text, or what returns it when called (for each request: a key that is
# rotated, or fetched from a vault); the async client also awaits what such a callable returns.
Credential: TypeAlias = str | Callable[[], str]
AsyncCredential: TypeAlias = str | Callable[[], str | Awaitable[str]]
# The credentials of the schemes chosen for one request, each as text: scheme key, then role.
Values = dict[str, dict[Role, str]]

# A token this close to its expiry is fetched anew rather than sent.
_EXPIRY_MARGIN = 30.0


@dataclass(frozen=True)
class Scheme:
    """One security scheme: where its credential travels and how it is written there."""

    key: str
    kind: Literal["api_key", "http", "basic", "oauth2", "open_id_connect", "mutual_tls"]
    location: Literal["header", "query", "cookie"] = "header"
    name: str = "Authorization"
    prefix: str = ""
    token_url: str = ""
    scopes: tuple[str, ...] = ()
    # How the server expects the credential, said when it answers 401.
    hint: str = ""


@dataclass(frozen=True)
class CredentialArg:
    """A constructor argument of the client, and the environment variable it falls back to."""

    scheme: str
    role: Role
    arg: str
    env: str


@dataclass
class Placement:
    """What the chosen schemes add to one request."""

    headers: dict[str, str]
    query: dict[str, str]
    cookies: dict[str, str]


class ClientCredentials:
    """OAuth2's client-credentials flow: a token fetched from the token URL, kept until it expires.

    The client id and secret go in a Basic header (RFC 6749, 2.3.1). A lock per source (a thread
    lock for the sync client, an asyncio one for the async client) keeps concurrent calls from
    fetching the same token twice.
    """

    def __init__(self, token_url: str, scopes: tuple[str, ...]) -> None:
        self.token_url = token_url
        self._scopes = scopes
        self._token: str | None = None
        self._expires_at: float | None = None
        self.lock = threading.Lock()
        self.async_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"ClientCredentials(token_url={self.token_url!r})"

    def current(self, now: float) -> str | None:
        """The token, unless there is none yet or it is about to expire."""
        if self._token is None or (self._expires_at is not None and now >= self._expires_at - _EXPIRY_MARGIN):
            return None
        return self._token

    def build_request(
        self, client: httpx.Client | httpx.AsyncClient, base_url: str, values: Mapping[Role, str]
    ) -> httpx.Request:
        data = {"grant_type": "client_credentials"}
        if self._scopes:
            data["scope"] = " ".join(self._scopes)
        basic = _basic(quote(values["client_id"], safe=""), quote(values["client_secret"], safe=""))
        return client.build_request(
            "POST",
            urljoin(base_url + "/", self.token_url),
            data=data,
            headers={"Authorization": basic, "Accept": "application/json"},
        )

    def store(self, response: httpx.Response, now: float) -> str:
        """Keeps the token of a token endpoint's answer; a malformed answer is a clear error."""
        try:
            body = json.loads(response.content)
            token = body["access_token"]
        except (ValueError, TypeError, KeyError):
            raise CodatError(f"the token endpoint {self.token_url} answered without an access_token") from None
        if not isinstance(token, str):
            raise CodatError(f"the token endpoint {self.token_url} answered without an access_token")
        lifetime = body.get("expires_in")
        self._token = token
        self._expires_at = now + float(lifetime) if isinstance(lifetime, int | float) else None
        return token

    def invalidate(self) -> None:
        """Forgets the token, so the next call fetches a new one (after the server refused it)."""
        self._token = None


class Credentials:
    """The client's credentials per scheme, from its arguments or else the environment."""

    def __init__(
        self,
        schemes: Sequence[Scheme],
        args: Sequence[CredentialArg],
        given: Mapping[str, AsyncCredential | None],
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self._schemes = {s.key: s for s in schemes}
        self._args = args
        self._values: dict[str, dict[Role, AsyncCredential]] = {}
        for arg in args:
            value = given.get(arg.arg)
            value = value if value is not None else environ.get(arg.env)
            if value is not None and not isinstance(value, str) and not callable(value):
                raise TypeError(f"{arg.arg} must be a str or a callable that returns one, not {type(value).__name__}")
            if value:
                self._values.setdefault(arg.scheme, {})[arg.role] = value
        self.token_sources: dict[str, ClientCredentials] = {}
        for key, values in self._values.items():
            scheme = self._schemes[key]
            if scheme.kind == "oauth2" and "value" not in values and {"client_id", "client_secret"} <= set(values):
                self.token_sources[key] = ClientCredentials(scheme.token_url, scheme.scopes)

    def __repr__(self) -> str:
        return f"Credentials(schemes={sorted(self._values)!r})"

    def has(self, key: str) -> bool:
        """True when the scheme can be sent: its credential, or what fetches one, is there."""
        scheme = self._schemes.get(key)
        if scheme is None:
            return False
        if scheme.kind == "mutual_tls":
            return True  # the certificate is the http_client's to present
        values = self._values.get(key, {})
        if scheme.kind == "basic":
            return "username" in values and "password" in values
        return "value" in values or key in self.token_sources

    def missing(self, keys: Sequence[str]) -> str | None:
        """How to provide what the schemes `keys` lack, or None when nothing is missing."""
        lacking = [a for k in keys if not self.has(k) for a in self._args if a.scheme == k]
        if not lacking:
            return None
        return "pass " + ", ".join(f"{a.arg}=..." for a in lacking) + " or set " + ", ".join(a.env for a in lacking)

    def choose(self, requirement: Requirement, operation_id: str) -> tuple[str, ...]:
        """The schemes to send: the first alternative the client can meet in full, an empty one (the
        credentials are optional) only when it can meet no other."""
        for alternative in sorted(requirement, key=lambda a: not a):
            if all(self.has(k) for k in alternative):
                return alternative
        if not requirement:
            return ()
        hint = self.missing(requirement[0]) or "configure one of its security schemes"
        raise CodatError(f"{operation_id} needs credentials: {hint}")

    def resolved(self, keys: Sequence[str]) -> Values:
        """The credentials of the schemes `keys` as text, each callable called now (sync client)."""
        values: Values = {}
        for key in keys:
            for role, given in self._values.get(key, {}).items():
                value = given() if callable(given) else given
                if inspect.isawaitable(value):
                    _close(value)
                    raise CodatError(
                        f"{self._arg(key, role)}: its callable returned an awaitable; the sync client calls it"
                    )
                values.setdefault(key, {})[role] = self._checked(key, role, value)
        return values

    async def aresolved(self, keys: Sequence[str]) -> Values:
        """The credentials of the schemes `keys` as text, each callable called, and awaited if it must be."""
        values: Values = {}
        for key in keys:
            for role, given in self._values.get(key, {}).items():
                value = given() if callable(given) else given
                if inspect.isawaitable(value):
                    value = await value
                values.setdefault(key, {})[role] = self._checked(key, role, value)
        return values

    def _checked(self, key: str, role: Role, value: object) -> str:
        if not isinstance(value, str) or not value:
            shown = "an empty str" if value == "" else type(value).__name__
            raise CodatError(f"{self._arg(key, role)}: its callable returned {shown}, not the credential as a str")
        return value

    def _arg(self, key: str, role: Role) -> str:
        return next((a.arg for a in self._args if a.scheme == key and a.role == role), key)

    def place(self, keys: Sequence[str], values: Values, tokens: Mapping[str, str]) -> Placement:
        """The headers, query parameters and cookies that carry the schemes `keys`, with their
        credentials `values` (resolved for this request) and OAuth2 `tokens`."""
        placed = Placement({}, {}, {})
        for key in keys:
            scheme = self._schemes[key]
            given = values.get(key, {})
            if scheme.kind == "mutual_tls":
                continue
            if scheme.kind == "basic":
                placed.headers["Authorization"] = _basic(given["username"], given["password"])
                continue
            value = scheme.prefix + (given["value"] if "value" in given else tokens[key])
            target = {"header": placed.headers, "query": placed.query, "cookie": placed.cookies}[scheme.location]
            target[scheme.name] = value
        return placed

    def hint(self, keys: Sequence[str]) -> str:
        """What a 401 to a call that sent the schemes `keys` should remind the caller of."""
        hints = [self._schemes[k].hint for k in keys if self._schemes[k].hint]
        return "; ".join(hints)

    def secret_query_names(self) -> frozenset[str]:
        """Query parameters that carry a credential: never written to a log."""
        return frozenset(s.name for s in self._schemes.values() if s.kind == "api_key" and s.location == "query")


def _close(awaitable: Awaitable[object]) -> None:
    """Closes a coroutine that will never be awaited, so Python does not warn that it was forgotten."""
    close = getattr(awaitable, "close", None)
    if callable(close):
        close()


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
