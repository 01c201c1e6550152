"""Stage 4c: the document's security schemes and requirements, as the client applies them.

OpenAPI 3 requirements are alternatives (any one will do) of schemes that must all be sent; an
operation's own `security` replaces the document's, and `security: []` makes it public.
"""

from __future__ import annotations

from typing import Any, Literal

from generator.document.parsed import Document, as_mapping
from generator.ir.api import Credential, CredentialRole, SchemeKind, SecurityScheme
from generator.text import naming
from generator.text.reserved import reserved

# The client's own constructor arguments: a scheme named like one of them takes a suffix.
_PLACEHOLDERS: dict[CredentialRole, str] = {
    "value": "YOUR_API_KEY",
    "username": "YOUR_USERNAME",
    "password": "YOUR_PASSWORD",
    "client_id": "YOUR_CLIENT_ID",
    "client_secret": "YOUR_CLIENT_SECRET",
}


def security_schemes(doc: Document, package: str) -> tuple[SecurityScheme, ...]:
    """Every declared scheme the client can apply, in the document's order, arguments named after them."""
    declared = as_mapping(as_mapping(doc.data.get("components")).get("securitySchemes"))
    used: set[str] = set(reserved().credentials)
    schemes = []
    for key, raw in declared.items():
        try:
            node = doc.resolve(raw["$ref"]) if isinstance(raw, dict) and _local_ref(raw) else raw
        except KeyError:  # a dangling reference: validation has reported it
            continue
        if isinstance(node, dict):
            scheme = _scheme(str(key), node, package, used)
            if scheme is not None:
                schemes.append(scheme)
    return tuple(schemes)


def requirements(doc: Document, op: dict[str, Any], schemes: tuple[SecurityScheme, ...]) -> tuple[tuple[str, ...], ...]:
    """An operation's alternatives of scheme keys; () when it is public.

    Requirements naming a scheme the document does not declare (or that the client cannot send) drop
    that scheme. A document that declares schemes but requires none anywhere forgot to: its schemes are
    then sent when given, and never demanded.
    """
    known = {s.key for s in schemes}
    raw = op.get("security") if "security" in op else doc.data.get("security")
    if raw is None:
        if schemes and not _requires_anything(doc):
            return (*((s.key,) for s in schemes), ())
        return ()
    if not isinstance(raw, list):
        return ()
    alternatives: list[tuple[str, ...]] = []
    for entry in raw:
        if isinstance(entry, dict):
            keys = tuple(k for k in entry if k in known)
            if keys not in alternatives:
                alternatives.append(keys)
    return tuple(alternatives)


def _requires_anything(doc: Document) -> bool:
    if doc.data.get("security") is not None:
        return True
    return any("security" in op for *_, op in doc.operations())


def _scheme(key: str, node: dict[str, Any], package: str, used: set[str]) -> SecurityScheme | None:
    kind_name = node.get("type")
    scheme_name = str(node.get("scheme") or "").strip()
    location: Literal["header", "query", "cookie"] = "header"
    param_name, prefix, token_url = "Authorization", "", ""
    scopes: tuple[str, ...] = ()
    kind: SchemeKind
    if kind_name == "apiKey":
        kind = "api_key"
        where = node.get("in")
        location = where if where in ("query", "cookie") else "header"
        param_name = str(node.get("name") or "Authorization")
    elif kind_name == "http" and scheme_name.lower() == "basic":
        kind = "basic"
    elif kind_name == "http":
        kind, prefix = "http", (scheme_name[:1].upper() + scheme_name[1:] if scheme_name else "Bearer") + " "
    elif kind_name == "oauth2":
        kind, prefix = "oauth2", "Bearer "
        token_url, scopes = _client_credentials(node)
    elif kind_name == "openIdConnect":
        kind, prefix = "open_id_connect", "Bearer "
    elif kind_name == "mutualTLS":
        kind = "mutual_tls"
    else:
        return None
    base = naming.safe_snake(key, fallback="credential")
    arg = _unique(base, used)
    env = (naming.snake(package) + "_" + arg).upper()
    roles: list[CredentialRole]
    if kind == "basic":
        roles = ["username", "password"]
    elif kind == "oauth2" and token_url:
        roles = ["value", "client_id", "client_secret"]
    elif kind == "mutual_tls":
        roles = []
    else:
        roles = ["value"]
    credentials = tuple(
        Credential(
            arg_name=arg if role == "value" else _unique(f"{arg}_{role}", used),
            env_var=env if role == "value" else f"{env}_{role.upper()}",
            role=role,
            placeholder=_placeholder(kind, role, node),
        )
        for role in roles
    )
    return SecurityScheme(
        key=key,
        kind=kind,
        location=location,
        param_name=param_name,
        prefix=prefix,
        token_url=token_url,
        scopes=scopes,
        description=node["description"].strip() if isinstance(node.get("description"), str) else "",
        credentials=credentials,
    )


def _client_credentials(node: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    flow = as_mapping(as_mapping(node.get("flows")).get("clientCredentials"))
    url = flow.get("tokenUrl")
    if not isinstance(url, str) or not url.strip():
        return "", ()
    return url.strip(), tuple(str(s) for s in as_mapping(flow.get("scopes")))


def _placeholder(kind: SchemeKind, role: CredentialRole, node: dict[str, Any]) -> str:
    """A docs example's value; Codat's header carries "Basic " and the base64 of the key, and says so."""
    description = node.get("description")
    description = description if isinstance(description, str) else ""
    if kind == "api_key" and str(node.get("name")).lower() == "authorization" and '"Basic' in description:
        return "Basic BASE_64_ENCODED(API_KEY)"
    if role == "value" and kind in ("http", "oauth2", "open_id_connect"):
        return "YOUR_TOKEN"
    return _PLACEHOLDERS[role]


def _unique(name: str, used: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in used:
        candidate = f"{name}_{counter}"
        counter += 1
    used.add(candidate)
    return candidate


def _local_ref(node: dict[str, Any]) -> bool:
    return isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")
