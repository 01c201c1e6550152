"""The arguments of each call the suite makes, read from the raw document (tests/prism/values.py).

Four sets per operation, for the most coverage in the fewest requests:

- `example`: the document's own examples as written (every parameter that has one, the request body's
  example), asking the success status. Prism judges the document here, so an example that breaks its
  schema is proven a defect by Prism's refusal, then repaired and sent again;
- `full`: every optional parameter and every optional body field at every depth, the body as the SDK's
  own model instance rather than a dict, the last union branch and enum member, asking the success;
- `required`: the required arguments only, every optional one given as None (a caller's way of saying
  "not this one", which must not reach the wire as null), asking the success;
- `minimal`: the required arguments only, the rest left out, asking every documented failure status.

Header parameters named Accept, Content-Type or Authorization are left out: OpenAPI says they are
ignored (the request's media types and security decide those headers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal
from urllib.parse import quote

from generator.ir.operations import Operation
from tests.prism.values import ABSENT, Document, Fill, escape

Variant = Literal["example", "full", "required", "minimal"]
SUCCESS_VARIANTS: tuple[Variant, ...] = ("example", "full", "required")
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
FILE = ("statement.pdf", b"%PDF-1.7 body", "application/pdf")
_FILLS: dict[Variant, Fill] = {"example": "example", "full": "all", "required": "required", "minimal": "required"}


@dataclass(frozen=True)
class Sent:
    """One argument as the document gives it: its wire place, its value and where that was read or built."""

    location: str  # path, query, header, cookie or body
    name: str
    value: Any
    pointer: str  # the example's pointer, or the schema's when the suite built the value
    schema: str  # the schema's pointer, which the judge checks the value against
    from_example: bool


@dataclass(frozen=True)
class Call:
    """One set of arguments: as the SDK takes them, and as they travel (for requests outside the SDK)."""

    variant: Variant
    kwargs: dict[str, Any]
    sent: tuple[Sent, ...] = ()
    typed_body: bool = False  # the body goes to the SDK as its model instance
    nones: tuple[str, ...] = ()  # optional arguments given as None
    # Required header parameters OpenAPI says to ignore (Content-Type and the like), with a value each:
    # the SDK leaves them out, and the suite sends them only to a Prism that does not ignore them.
    ignored_headers: tuple[tuple[str, str], ...] = ()

    @property
    def body(self) -> Sent | None:
        return next((s for s in self.sent if s.location == "body"), None)

    def path(self, template: str) -> str:
        for s in self.sent:
            if s.location == "path":
                template = template.replace("{" + s.name + "}", quote(str(s.value), safe=""))
        return template

    def query(self) -> dict[str, Any]:
        return {s.name: s.value for s in self.sent if s.location == "query"}

    def headers(self) -> dict[str, str]:
        return {s.name: str(s.value) for s in self.sent if s.location == "header"}


def arguments(doc: Document, op: Operation, variant: Variant) -> Call:
    """The call's arguments for one variant (see the module's docstring)."""
    method = op.http_method.lower()
    fill = _FILLS[variant]
    names = {
        (p.location, p.wire_name): p for p in (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    }
    kwargs: dict[str, Any] = {}
    sent: list[Sent] = []
    nones: list[str] = []
    ignored: list[tuple[str, str]] = []
    for param, pointer in doc.located_parameters(op.path, method):
        where, name = param["in"], param["name"]
        schema, schema_pointer = doc.parameter_schema(param, pointer)
        required = bool(param.get("required")) or where == "path"
        example, at = doc.example(param, pointer)
        if example is ABSENT and isinstance(schema, dict):
            example, at = doc.example(schema, schema_pointer)
        if where == "header" and name.lower() in IGNORED_HEADERS:
            if required:
                value = example if isinstance(example, str) else doc.build(schema, schema_pointer, "required")
                ignored.append((name, str(value)))
            continue
        ours = names.get((where, name))
        if ours is None:
            continue
        if not required and (variant in ("required", "minimal") or (variant == "example" and example is ABSENT)):
            if variant == "required" and ours.default_repr == "None":
                kwargs[ours.py_name] = None
                nones.append(ours.py_name)
            continue
        if variant == "example" and example is not ABSENT:
            value, from_example = example, True
        elif example is not ABSENT and example is not None and doc.fitting(example, at, schema_pointer):
            value, from_example = example, True
        else:
            value, at, from_example = _built(doc, schema, schema_pointer, fill, where), schema_pointer, False
            if not required and not doc.judge.fits(value, schema_pointer):
                doc.repairs.add(f"{schema_pointer}: no value the suite builds fits it; optional, so left out")
                continue
        kwargs[ours.py_name] = value
        sent.append(Sent(where, name, value, at, schema_pointer, from_example))
    call = Call(variant, kwargs, tuple(sent), nones=tuple(nones), ignored_headers=tuple(ignored))
    return _with_body(doc, op, call) if op.body is not None else call


def _built(doc: Document, schema: Any, pointer: str, fill: Fill, where: str) -> Any:
    """A parameter's value built to fit; a path segment is never empty, which would name another resource."""
    value = doc.build(schema, pointer, fill)
    if where == "path" and value == "" and isinstance(schema, dict):
        value = doc.build({**schema, "minLength": max(1, int(schema.get("minLength", 0)))}, pointer, fill)
    return value


def _with_body(doc: Document, op: Operation, call: Call) -> Call:
    assert op.body is not None
    if op.body.kind == "file":
        return replace(call, kwargs={**call.kwargs, op.body.py_name: FILE})
    if op.body.kind == "raw":
        return replace(call, kwargs={**call.kwargs, op.body.py_name: b"raw body"})
    if not op.body.required and call.variant == "minimal":
        return call
    method = op.http_method.lower()
    body_pointer = f"#/paths/{escape(op.path)}/{method}/requestBody"
    request_body, body_pointer = doc.locate(doc.data["paths"][op.path][method]["requestBody"], body_pointer)
    media_pointer = f"{body_pointer}/content/{escape(op.body.content_type)}"
    media = request_body["content"][op.body.content_type]
    schema, schema_pointer = doc.locate(media.get("schema", {}), media_pointer + "/schema")
    example, at = doc.example(media, media_pointer)
    if example is ABSENT and isinstance(schema, dict):
        example, at = doc.example(schema, schema_pointer)
    if call.variant == "example" and example is not ABSENT:
        value, from_example = example, True
    else:
        value = doc.build(schema, schema_pointer, _FILLS[call.variant], sample=(example, at))
        at, from_example = schema_pointer, False
    given = _multipart(doc, value, schema, schema_pointer) if op.body.kind == "multipart" else value
    nones: tuple[str, ...] = ()
    if call.variant == "required" and isinstance(value, dict):
        # The caller's None for each optional field left out: what goes out is the value without them. One
        # the value holds stays (a oneOf may require it: urlbox.io's `url` or `html`).
        optional = [name for name in _optional_fields(doc, schema, schema_pointer) if name not in value]
        given = {**given, **{name: None for name in optional}}
        nones = tuple(f"{op.body.py_name}.{name}" for name in optional)
    body = Sent("body", op.body.py_name, value, at, schema_pointer, from_example)
    kwargs = {**call.kwargs, op.body.py_name: given}
    return replace(
        call, kwargs=kwargs, sent=(*call.sent, body), typed_body=call.variant == "full", nones=(*call.nones, *nones)
    )


def rebuilt(doc: Document, op: Operation, call: Call, places: set[str]) -> Call:
    """The call with the values at `places` (`query.x`, `body`) built to fit their schemas, where the
    document's own values were proven to break them."""
    kwargs = dict(call.kwargs)
    sent = []
    names: dict[tuple[str, str], str] = {
        (p.location, p.wire_name): p.py_name
        for p in (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    }
    for s in call.sent:
        if f"{s.location}.{s.name}" in places or (s.location == "body" and "body" in places):
            value = doc.build({"$ref": s.schema}, s.schema, "example")
            s = replace(s, value=value, pointer=s.schema, from_example=False)
            kwargs[s.name if s.location == "body" else names[(s.location, s.name)]] = value
        sent.append(s)
    return replace(call, kwargs=kwargs, sent=tuple(sent))


def doubled(op: Operation, call: Call, places: set[str]) -> Call:
    """The call with each one-item list parameter at `places` (`query.name`) holding its item twice."""
    names = {f"{p.location}.{p.wire_name}": p.py_name for p in (*op.query_params, *op.header_params, *op.cookie_params)}
    kwargs = dict(call.kwargs)
    sent = []
    for s in call.sent:
        if f"{s.location}.{s.name}" in places:
            s = replace(s, value=s.value * 2)
            kwargs[names[f"{s.location}.{s.name}"]] = s.value
        sent.append(s)
    return replace(call, kwargs=kwargs, sent=tuple(sent))


def _optional_fields(doc: Document, schema: Any, pointer: str) -> list[str]:
    """The optional top-level fields a caller may give as None: not read-only, of a schema some value fits,
    and without a default of their own."""
    if not isinstance(schema, dict):
        return []
    properties, required = doc.merged(schema, pointer)
    fields = []
    for name, (node, at) in properties.items():
        prop = doc.locate(node, at)[0]
        if name in required or not isinstance(prop, dict) or prop.get("readOnly") or doc.unsatisfiable(prop):
            continue
        if prop.get("default") is None:  # a field with a default is typed without None: the default is its absence
            fields.append(name)
    return fields


def _multipart(doc: Document, value: Any, schema: Any, pointer: str) -> Any:
    """A multipart body's binary fields as bytes, the way the SDK takes a file part."""
    if not isinstance(value, dict) or not isinstance(schema, dict):
        return value
    properties, _ = doc.merged(schema, pointer)
    binary = {name for name, (node, at) in properties.items() if doc.locate(node, at)[0].get("format") == "binary"}
    return {name: FILE[1] if name in binary else item for name, item in value.items()}
