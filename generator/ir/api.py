"""The IR of the whole SDK: resources, webhooks, the README's calls, security, retries, the distribution
and the ledger, gathered in `Api`, which the templates render. Frozen, names final, no Jinja, no raw
document nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.ir.models import ModelModule
from generator.ir.operations import (
    Example,
    ExampleArg,
    Operation,
)
from generator.text.markdown import plain_prose


@dataclass(frozen=True, slots=True)
class ChildResource:
    """A resource reached through another (`client.accounts_receivable.invoices`): what its parent names."""

    attr_name: str
    class_name: str
    async_class_name: str
    module_name: str
    description: str


@dataclass(frozen=True, slots=True)
class Resource:
    # The tag, or the document's `x-speakeasy-group` (dotted where groups nest).
    tag: str
    attr_name: str
    class_name: str
    async_class_name: str
    module_name: str
    description: str
    operations: tuple[Operation, ...]
    uses_models: bool
    # Import lines the module needs beyond the SDK's own: the standard library's, then pydantic's.
    std_imports: tuple[str, ...]
    third_party_imports: tuple[str, ...]
    # The SDK's own modules beyond what every resources module imports (`from .._models import ...`).
    local_imports: tuple[str, ...]
    # The per-call arguments' annotations, qualified where a method's name shadows a builtin.
    retries_annotation: str
    extra_headers_annotation: str
    # `extra_query` and `extra_body`: what the document does not declare, as the caller gives it.
    extra_values_annotation: str
    # How a caller reaches it from the client (`invoices`, or `accounts_receivable.invoices`).
    access: str = ""
    children: tuple[ChildResource, ...] = ()

    @property
    def tests(self) -> tuple[Operation, ...]:
        """The operations the SDK's own tests call."""
        return tuple(op for op in self.operations if op.test is not None)

    @property
    def test_imports(self) -> tuple[str, ...]:
        """The standard-library import lines of the resource's tests, in isort's order."""
        lines = {"from typing import Any"}
        for op in self.tests:
            lines.update((*op.example.imports, *(op.test.imports if op.test else ())))
        return tuple(sorted(lines, key=lambda line: (line.startswith("from "), line.split()[1])))

    @property
    def test_names(self) -> tuple[str, ...]:
        """What the resource's tests take from the package: `models` and the error classes they expect."""
        names = {e.exception for op in self.tests if op.test for e in op.test.errors}
        if any(op.example.package_names or (op.test and op.test.models) for op in self.tests):
            names.add("models")
        return tuple(sorted(names, key=lambda n: (n == "models", n)))

    @property
    def top_level(self) -> bool:
        """An attribute of the client itself, not of another resource."""
        return "." not in self.access


@dataclass(frozen=True, slots=True)
class Webhook:
    """A request the API sends to the caller's endpoint: the event types it covers and its body's model."""

    # As the document names it (`company.created`, `{dataType}.write.successful`).
    name: str
    # A regular expression of the event types it covers (a `{placeholder}` stands for one word or more).
    pattern: str
    model: str
    anchor: str
    summary: str
    description: str


@dataclass(frozen=True, slots=True)
class Call:
    """A call a README section shows: the method as a caller reaches it (`customers.create`), its
    arguments and what they import."""

    method: str
    example: Example


@dataclass(frozen=True, slots=True)
class DictBodyCall:
    """The README's body given as a dict: the call, its body's argument, and the body's (model,
    TypedDict) pairs."""

    call: Call
    argument: str
    dicts: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ExtraCall:
    """The README's way round the typo guard: a call sent with a query parameter (and, where the call
    has a JSON or form body, a body field) the document does not list."""

    call: Call
    query_name: str
    # "" when no call of the API takes `extra_body`.
    body_field: str


@dataclass(frozen=True, slots=True)
class CredentialCall:
    """The README's credential given as a function, called for each request: the constructor argument,
    the function's name, what it returns, and the client's other credential arguments as Python source."""

    call: Call
    arg_name: str
    function: str
    placeholder: str
    others: str


@dataclass(frozen=True, slots=True)
class UploadForm:
    """One form of file a call takes: what the README says of it, and the call with that file in place
    (`opened`: inside `with open(...) as handle`, the open file being `handle`)."""

    comment: str
    args: tuple[ExampleArg, ...]
    opened: bool = False


@dataclass(frozen=True, slots=True)
class UploadCall:
    """The README's uploads: one call, given the same file in each form it takes. `call` imports what
    every form needs."""

    call: Call
    file_name: str
    file_bytes: str
    forms: tuple[UploadForm, ...]


SchemeKind = Literal["api_key", "http", "basic", "oauth2", "open_id_connect", "mutual_tls"]


CredentialRole = Literal["value", "username", "password", "client_id", "client_secret"]


@dataclass(frozen=True, slots=True)
class Credential:
    """One constructor argument of the client: a credential (or part of one) for one scheme."""

    arg_name: str
    env_var: str
    role: CredentialRole
    # What the docs' examples pass for it.
    placeholder: str


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """A security scheme of the document, as the client applies it to a request."""

    key: str
    kind: SchemeKind
    location: Literal["header", "query", "cookie"]
    # The header, query parameter or cookie the credential travels in.
    param_name: str
    # Written before the credential: `Bearer ` for tokens, `Digest ` for another http scheme.
    prefix: str
    # OAuth2's client-credentials flow: where the client fetches its tokens ("" when it cannot).
    token_url: str
    scopes: tuple[str, ...]
    description: str
    credentials: tuple[Credential, ...]

    @property
    def hint(self) -> str:
        """How the server expects the credential, for the message of a 401: where it goes and in what
        form, then the document's own words (its first paragraph)."""
        where = {
            "api_key": {
                "header": f"the {self.param_name} header",
                "query": f"the query parameter {self.param_name}",
                "cookie": f"the cookie {self.param_name}",
            }[self.location],
            "http": f"the Authorization header as '{self.prefix}<credential>'",
            "basic": "the Authorization header as 'Basic <base64 of username:password>'",
            "oauth2": "the Authorization header as 'Bearer <access token>'",
            "open_id_connect": "the Authorization header as 'Bearer <ID token>'",
            "mutual_tls": "a client certificate (the http_client's to present)",
        }[self.kind]
        words = plain_prose(self.description, 240)
        return f"{where}: {words}" if words else where


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    initial_interval_ms: int
    max_interval_ms: int
    max_elapsed_ms: int
    exponent: float
    status_codes: tuple[str, ...]
    retry_connection_errors: bool


@dataclass(frozen=True, slots=True)
class Distribution:
    """The generated package as published (its pyproject.toml): each value one PyPI accepts, or empty."""

    name: str
    # PEP 440; the document's own `info.version` is Api.version, the API's, which may be any string.
    version: str
    description: str
    # A canonical SPDX expression.
    license: str
    # ("name", ...) and ("email", ...), each when the document's contact gives a usable one.
    author: tuple[tuple[str, str], ...]
    urls: tuple[tuple[str, str], ...]


LedgerStatus = Literal["typed", "loosened", "left out"]


@dataclass(frozen=True, slots=True)
class Place:
    """Where, and why, the generated code types less than the document says (or leaves a thing out)."""

    pointer: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One operation or schema of the chosen tags, and how fully the SDK types it.

    `name`: a method as callers reach it (`customers.list`) or a class; for what was left out, the
    operation's `METHOD /path` or the schema's pointer. `places`: each loosened place, or why it was left out.
    """

    kind: Literal["operation", "schema"]
    name: str
    pointer: str
    status: LedgerStatus
    places: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    # What the SDK is a client for, in a sentence: `the Accounting API`, or `Lending`.
    subject: str
    version: str
    description: str
    source_name: str
    source_sha256: str
    package: str
    dist_name: str
    client_class: str
    async_client_class: str
    server_url: str
    server_env_var: str
    schemes: tuple[SecurityScheme, ...]
    # Scheme keys of the requirement every operation must meet, when there is one (the client then
    # refuses to start without it); empty when some operation is public or may choose another scheme.
    required_schemes: tuple[str, ...]
    # The credential arguments of the docs' examples, as Python source (`auth_header="..."`).
    example_credentials: str
    retries: RetryPolicy
    # The model every typed error response of the API uses, when they share one: `error` is typed as it.
    error_model: str | None
    resources: tuple[Resource, ...]
    modules: tuple[ModelModule, ...]
    distribution: Distribution
    # What the API sends to the caller's endpoints (a document's `webhooks`), and the wire and Python
    # names of the body property every one of them tells its event type by ("" when they share none).
    webhooks: tuple[Webhook, ...] = ()
    webhook_type_field: str = ""
    webhook_type_attr: str = ""
    # The calls the README's sections on dict bodies, undeclared fields, credentials given as functions
    # and uploads show; None where the API has no such call.
    dict_call: DictBodyCall | None = None
    extra_call: ExtraCall | None = None
    credential_call: CredentialCall | None = None
    upload_call: UploadCall | None = None
    # Every operation and schema of the chosen tags: typed, loosened or left out (generator/builder/ledger.py).
    ledger: tuple[LedgerEntry, ...] = ()

    @property
    def webhook_models(self) -> tuple[str, ...]:
        """The models a parsed webhook may be: with one, no example needs to tell them apart."""
        return tuple(dict.fromkeys(w.model for w in self.webhooks))

    @property
    def featured(self) -> Resource:
        """The resource the README's examples call: the first that has operations of its own."""
        return next(r for r in self.resources if r.operations)
