"""The IR of one operation: its parameters, body, responses, errors, pagination, examples and tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.ir.models import TypeRef


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
