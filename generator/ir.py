"""The intermediate model: what the templates render. Frozen, names final, no Jinja, no raw document nodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.markdown import plain_prose

TypeKind = Literal["model", "enum", "list", "dict", "union", "primitive", "any"]


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A Python type, both as structure (for examples and docs) and as a finished annotation."""

    kind: TypeKind
    annotation: str
    name: str = ""
    args: tuple[TypeRef, ...] = ()
    nullable: bool = False
    models: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    default_repr: str | None
    description: str
    deprecated: bool
    read_only: bool = False
    write_only: bool = False
    # The document lets the field be null; a None in any other optional field means "leave it out".
    nullable: bool = False

    @property
    def assignment(self) -> str:
        """What follows the annotation in the class body (the wire name is the class's `wire_names`)."""
        if self.deprecated:
            default = "" if self.default_repr is None else f"default={self.default_repr}, "
            return f" = Field({default}deprecated=True)"
        return "" if self.default_repr is None else f" = {self.default_repr}"


@dataclass(frozen=True, slots=True)
class DictKey:
    """One key of a model's TypedDict: the wire name a dict body carries, and the type of its value."""

    wire_name: str
    # As the models module spells it: nested models also as their TypedDicts, lists as `Sequence`.
    annotation: str
    required: bool
    # Import lines the annotation needs beyond the model field's (`Sequence`, `Literal`), and the
    # classes whose TypedDicts it names.
    imports: tuple[str, ...] = ()
    models: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Schema:
    class_name: str
    module_name: str
    kind: Literal["object", "enum"]
    pointer: str
    description: str
    fields: tuple[Field, ...] = ()
    members: tuple[EnumMember, ...] = ()
    # The document lets an object carry properties beyond its fields (`additionalProperties`, or no
    # properties at all): a request may send them. Other objects' unknown fields are typos.
    open: bool = False
    # The TypedDict beside the model, for a model a request body reaches: a dict body's keys as a type
    # checker sees them (None for the others). `dict_functional`: written as `X = TypedDict("X", {...})`,
    # since some key cannot be a name in a class body; `dict_names_only`: though every key is a name
    # (some non-ASCII, or reading as a digit), which ruff would have written as a class.
    dict_name: str | None = None
    dict_keys: tuple[DictKey, ...] = ()
    dict_functional: bool = False
    dict_names_only: bool = False

    @property
    def wire_names(self) -> tuple[tuple[str, str], ...]:
        """(Python name, wire name) of each field whose names differ.

        They become the class's alias generator rather than each field's `alias`: type checkers
        (mypy without its plugin, pyright) and `inspect.signature` then offer the Python names, which
        every page of the docs uses, while the wire names are what is parsed and sent.
        """
        return tuple((f.py_name, f.wire_name) for f in self.fields if f.py_name != f.wire_name)

    @property
    def nullable_fields(self) -> tuple[str, ...]:
        """Python names of the fields a request may send as null."""
        return tuple(f.py_name for f in self.fields if f.nullable)

    @property
    def read_only_fields(self) -> tuple[str, ...]:
        """Python names of the fields the server sets, which a request leaves out."""
        return tuple(f.py_name for f in self.fields if f.read_only)


@dataclass(frozen=True, slots=True)
class ModelModule:
    """One module of the models package; schemas that refer to each other in a cycle share one."""

    module_name: str
    schemas: tuple[Schema, ...]
    std_imports: tuple[str, ...]
    pydantic_imports: tuple[str, ...]
    # The SDK's own (`from .._models import ...`) and the other models this module's classes use.
    local_imports: tuple[str, ...]
    # Import lines from other packages than pydantic (typing_extensions' TypedDict and Required).
    third_party_imports: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """What the module defines for others: each class, and each TypedDict beside one."""
        return tuple(name for s in self.schemas for name in (s.class_name, s.dict_name) if name)


@dataclass(frozen=True, slots=True)
class Param:
    wire_name: str
    py_name: str
    location: Literal["path", "query", "header", "cookie"]
    type: TypeRef
    # The annotation as the resources module spells it (`models.` prefixes, shadowed builtins qualified).
    annotation: str
    required: bool
    default_repr: str | None
    description: str
    # How it is written (OpenAPI's `style`, `explode` and `allowReserved`); None: the location's default.
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    # Given as `content` with a JSON media type: the value travels as JSON text, whatever its type.
    as_json: bool = False
    # The type the value is checked against at run time (an amount's annotation also takes a float).
    check_as: str = ""


@dataclass(frozen=True, slots=True)
class Body:
    """A request body: JSON or a form (a model or a dict of its shape), multipart fields and files
    (a model or a dict; bytes and files become file parts), one uploaded file, or raw bytes."""

    kind: Literal["json", "form", "multipart", "file", "raw"]
    py_name: str
    type: TypeRef
    annotation: str
    content_type: str
    required: bool
    description: str
    # The type the body is checked against at run time, as the resources module spells it.
    check_as: str = ""
    # (model, its TypedDict) for each model of the body: a dict body's keys, for type checkers.
    dicts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    """The success response; `returns`/`parse_as` are spelled as the resources module writes them."""

    kind: Literal["model", "adapter", "stream", "text", "none"]
    type: TypeRef
    status: str
    content_type: str
    description: str
    returns: str
    async_returns: str
    parse_as: str
    async_parse_as: str


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a paged list operation walks its pages: `page` in, items and paging facts out."""

    method_name: str
    page_param: str
    # The first page's number as the pager starts it: the caller's `page`, or the document's first page.
    start: str
    page_size_param: str | None
    items_field: str
    item_type: TypeRef
    item_annotation: str
    page_number_field: str | None
    page_size_field: str | None
    total_field: str | None


@dataclass(frozen=True, slots=True)
class ErrorResponse:
    """A failure status; its body is parsed as `parse_as` (the document's schema for it) when one is given."""

    status: str
    exception: str
    content_type: str
    description: str
    type: TypeRef | None
    parse_as: str | None


@dataclass(frozen=True, slots=True)
class ExampleArg:
    py_name: str
    source: str


@dataclass(frozen=True, slots=True)
class Example:
    """An operation's call as the docs show it: each argument as Python source, with what it needs.

    Every page that shows the call (the operation's own, and the README's sections that borrow it)
    imports exactly these, so the example runs as copied.
    """

    args: tuple[ExampleArg, ...]
    # Standard-library import lines, in isort's order: `import datetime`, `from decimal import Decimal`.
    imports: tuple[str, ...]
    # What the arguments take from the SDK's package beside the client: `models`, or nothing.
    package_names: tuple[str, ...]
    # False when the method returns None: the example calls it without keeping or printing a result.
    has_result: bool


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """A documented failure as the SDK's own tests serve it: a status, the class it raises, a body."""

    status: int
    exception: str
    # The body's value as Python source (the document's example, or one built to fit), or "None".
    body: str


@dataclass(frozen=True, slots=True)
class OperationTest:
    """What the SDK's own tests serve for an operation and expect back, each value as Python source."""

    status: int
    # The success body's value (serialised to JSON by the tests), `b"..."`/`"..."` for a download or
    # text, "None" for none.
    response: str
    # A type the result must validate as, strictly, spelled for the tests' module; "" to skip.
    returns: str
    errors: tuple[ErrorCase, ...]
    # One item of a paged list, for the pager's pages ("" when the operation is not paged).
    item: str
    # Standard-library import lines the values need, and whether they use the package's `models`.
    imports: tuple[str, ...]
    models: bool
    # The type a JSON request body must validate as (a model, spelled for the tests' module), or "".
    body_type: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method_name: str
    anchor: str
    http_method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    cookie_params: tuple[Param, ...]
    body: Body | None
    response: Response
    errors: tuple[ErrorResponse, ...]
    example: Example
    pagination: Pagination | None
    # (status key, parse target) for failure bodies: the documented ones, then the API's shared error
    # model for any other status ("default"), when every typed error response uses that one model.
    error_parsers: tuple[tuple[str, str], ...]
    # Alternatives (any one will do) of scheme keys that must all be sent; () is a public operation.
    security: tuple[tuple[str, ...], ...]
    # Sending it twice has the effect of sending it once, so a request that may have reached the
    # server before the connection broke can be retried.
    idempotent: bool = False
    # A deprecated operation: the document's word on it (markdown), what to call instead (`settings.get`,
    # or the operationId of one this SDK does not have), and the warning a call gives, all of it on one line.
    deprecation: str = ""
    replacement: str = ""
    deprecation_warning: str = ""
    # The Accept header: the media types of the success and of every documented failure.
    accept: str = "*/*"
    # The call with its body's models written as dicts (their TypedDicts), when it has models that have them.
    dict_example: Example | None = None
    test: OperationTest | None = None

    @property
    def parameters(self) -> tuple[Param, ...]:
        """Every parameter, in the order the signature takes them: path, query, header, cookie."""
        return (*self.path_params, *self.query_params, *self.header_params, *self.cookie_params)

    @property
    def raises(self) -> tuple[tuple[str, str], ...]:
        """(exception class, its statuses) for the docstring's Raises section, one line per class."""
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.exception, []).append(error.status)
        return tuple((exception, ", ".join(statuses)) for exception, statuses in grouped.items())


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
    # Every operation and schema of the chosen tags: typed, loosened or left out (generator/ledger.py).
    ledger: tuple[LedgerEntry, ...] = ()

    @property
    def webhook_models(self) -> tuple[str, ...]:
        """The models a parsed webhook may be: with one, no example needs to tell them apart."""
        return tuple(dict.fromkeys(w.model for w in self.webhooks))

    @property
    def featured(self) -> Resource:
        """The resource the README's examples call: the first that has operations of its own."""
        return next(r for r in self.resources if r.operations)
