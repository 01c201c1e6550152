"""The generated SDK's public surface, read off the IR: what a caller can name and rely on.

Plain JSON-able data (so an output can record it, and `diff` can compare two without their documents):
methods with their parameters, body, result and errors; models with their fields; enums with their
members; authentication, the default server, retries. Each model and enum says where callers meet
it: in what they send (`input`), in what they get back (`output`), or both; a change's effect on
callers depends on it.
"""

from __future__ import annotations

from typing import Any

from generator.errors import pointer_join
from generator.ir.api import Api
from generator.ir.models import TypeRef
from generator.ir.operations import Operation


def surface(api: Api) -> dict[str, Any]:
    methods: dict[str, Any] = {}
    sent: set[str] = set()
    received: set[str] = set()
    for resource in api.resources:
        for op in resource.operations:
            methods[f"{resource.access}.{op.method_name}"] = _method(op)
            for param in (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params):
                sent.update(_named(param.type))
            if op.body is not None:
                sent.update(_named(op.body.type))
            received.update(_named(op.response.type))
            for error in op.errors:
                received.update(_named(error.type) if error.type else ())
    schemas = {s.class_name: s for module in api.modules for s in module.schemas}
    uses = {name: set[str]() for name in schemas}
    for role, start in (("input", sent), ("output", received)):
        stack = list(start)
        while stack:
            name = stack.pop()
            if name not in schemas or role in uses[name]:
                continue
            uses[name].add(role)
            stack.extend(n for f in schemas[name].fields for n in _named(f.type))
    models: dict[str, Any] = {}
    enums: dict[str, Any] = {}
    for name, schema in sorted(schemas.items()):
        common = {"pointer": schema.pointer, "uses": sorted(uses[name]), "description": schema.description}
        if schema.kind == "enum":
            enums[name] = common | {"members": [m.value for m in schema.members]}
        else:
            fields = {
                f.py_name: {
                    "wire": f.wire_name,
                    "type": f.type.annotation,
                    "required": f.required,
                    "description": f.description,
                }
                for f in schema.fields
            }
            models[name] = common | {"fields": fields, "open": schema.open}
    return {
        "package": api.package,
        "client": api.client_class,
        "server": api.server_url,
        "auth": {s.key: {"kind": s.kind, "in": s.location, "name": s.param_name} for s in api.schemes},
        "retries": {"statuses": list(api.retries.status_codes), "connection": api.retries.retry_connection_errors},
        "methods": methods,
        "models": models,
        "enums": enums,
    }


def _method(op: Operation) -> dict[str, Any]:
    params = {
        p.py_name: {
            "wire": p.wire_name,
            "in": p.location,
            "type": p.annotation,
            "required": p.required,
            "default": p.default_repr,
            "description": p.description,
        }
        for p in (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    }
    if op.body is not None:
        params[op.body.py_name] = {
            "wire": "",
            "in": "body",
            "type": op.body.annotation,
            "required": op.body.required,
            "default": None,
            "description": op.body.description,
        }
    return {
        "pointer": pointer_join("#/paths", op.path, op.http_method.lower()),
        "operation_id": op.operation_id,
        "http": f"{op.http_method} {op.path}",
        "params": params,
        "returns": op.response.returns,
        "errors": {e.status: e.exception for e in op.errors},
        "security": [list(alternative) for alternative in op.security],
        "paged": op.pagination is not None,
        "deprecated": op.deprecated,
        "summary": op.summary,
        "description": op.description,
    }


def _named(t: TypeRef) -> tuple[str, ...]:
    """The models and enums a type names, itself included."""
    return (*t.models, *((t.name,) if t.kind in ("model", "enum") else ()))
