"""The intermediate model: what the templates render. Frozen, names final, no Jinja, no raw document nodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    example_repr: str | None
    read_only: bool = False
    write_only: bool = False


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


@dataclass(frozen=True, slots=True)
class ModelModule:
    """One module of the models package; schemas that refer to each other in a cycle share one."""

    module_name: str
    schemas: tuple[Schema, ...]
    model_imports: tuple[tuple[str, str], ...]
    std_imports: tuple[str, ...]
    pydantic_imports: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Param:
    wire_name: str
    py_name: str
    location: Literal["path", "query", "header"]
    type: TypeRef
    required: bool
    default_repr: str | None
    description: str
    example_repr: str


@dataclass(frozen=True, slots=True)
class Body:
    """A request body: JSON (a model or a dict of its shape), raw bytes, or a multipart file upload."""

    kind: Literal["json", "raw", "multipart"]
    py_name: str
    type: TypeRef
    annotation: str
    content_type: str
    required: bool
    description: str


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
    page_size_param: str | None
    items_field: str
    item_type: TypeRef
    item_annotation: str
    page_number_field: str | None
    page_size_field: str | None
    total_field: str | None


@dataclass(frozen=True, slots=True)
class ErrorResponse:
    status: str
    exception: str
    content_type: str
    description: str


@dataclass(frozen=True, slots=True)
class ExampleArg:
    py_name: str
    source: str


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
    body: Body | None
    response: Response
    errors: tuple[ErrorResponse, ...]
    example: tuple[ExampleArg, ...]
    example_uses_models: bool
    pagination: Pagination | None


@dataclass(frozen=True, slots=True)
class Resource:
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


@dataclass(frozen=True, slots=True)
class Security:
    scheme_name: str
    header_name: str
    env_var: str
    description: str


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    initial_interval_ms: int
    max_interval_ms: int
    max_elapsed_ms: int
    exponent: float
    status_codes: tuple[str, ...]
    retry_connection_errors: bool


@dataclass(frozen=True, slots=True)
class Api:
    title: str
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
    security: Security
    retries: RetryPolicy
    error_model: str | None
    resources: tuple[Resource, ...]
    modules: tuple[ModelModule, ...]
