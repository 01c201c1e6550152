"""build: the IR from small inline documents, compared with hand-written values."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from generator.builder.api import BuildOptions, build_api
from generator.errors import GeneratorError
from generator.ir.api import Api
from generator.ir.models import Field, Schema, TypeRef
from tests.unit.docs import as_document, minimal


def build(data: dict[str, Any], *tags: str) -> Api:
    return build_api(as_document(data), BuildOptions(tags=tags or ("Things",)))


def schemas(api: Api) -> dict[str, Schema]:
    return {s.class_name: s for m in api.modules for s in m.schemas}


def field(api: Api, class_name: str, wire_name: str) -> Field:
    return next(f for f in schemas(api)[class_name].fields if f.wire_name == wire_name)


def test_operation_ir_for_a_single_get() -> None:
    api = build(minimal())
    (resource,) = api.resources
    (op,) = resource.operations
    assert (resource.attr_name, resource.class_name, resource.async_class_name) == ("things", "Things", "AsyncThings")
    assert (op.method_name, op.http_method, op.path, op.operation_id) == (
        "get",
        "GET",
        "/things/{thingId}",
        "get-thing",
    )
    assert [(p.py_name, p.wire_name, p.type.annotation, p.required) for p in op.path_params] == [
        ("thing_id", "thingId", "str", True)
    ]
    assert op.response.kind == "model" and op.response.type == TypeRef("model", "Thing", "Thing", models=("Thing",))
    assert api.server_url == "https://api.example.test"
    ((scheme),) = api.schemes
    assert (scheme.kind, scheme.location, scheme.param_name) == ("api_key", "header", "Authorization")
    assert [(c.arg_name, c.env_var) for c in scheme.credentials] == [("auth_header", "CODAT_ACCOUNTING_AUTH_HEADER")]
    assert api.required_schemes == ("auth_header",) and op.security == (("auth_header",),)


def test_refs_deep_into_other_schemas_and_definitions_get_names_from_their_place() -> None:
    data = minimal(
        {
            "Thing": {
                "type": "object",
                "definitions": {
                    "contact": {"type": "object", "properties": {"name": {"type": "string"}}},
                    "thingStatus": {"type": "string", "enum": ["On", "Off"]},
                },
                "properties": {
                    "contact": {"$ref": "#/components/schemas/Thing/definitions/contact"},
                    "status": {"$ref": "#/components/schemas/Thing/definitions/thingStatus"},
                    "address": {"$ref": "#/components/schemas/Company/properties/addresses/items"},
                    "extra": {"$ref": "#/components/schemas/Bill/allOf/0/properties/supplementalData"},
                    "inline": {"type": "string", "enum": ["x", "y"]},
                },
            },
            "Company": {
                "type": "object",
                "properties": {
                    "addresses": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"city": {"type": "string"}}},
                    }
                },
            },
            "Bill": {
                "allOf": [
                    {
                        "type": "object",
                        "properties": {
                            "supplementalData": {"type": "object", "properties": {"content": {"type": "object"}}}
                        },
                    }
                ]
            },
        }
    )
    api = build(data)
    assert sorted(schemas(api)) == [
        "CompanyAddress",
        "SupplementalData",
        "Thing",
        "ThingContact",
        "ThingInline",
        "ThingStatus",
    ]
    assert field(api, "Thing", "address").type.annotation == "CompanyAddress | None"
    assert schemas(api)["ThingStatus"].kind == "enum"
    assert [m.value for m in schemas(api)["ThingStatus"].members] == ["On", "Off"]


def test_all_of_is_merged_and_both_null_spellings_mean_optional() -> None:
    data = minimal(
        {
            "Thing": {
                "allOf": [
                    {
                        "type": "object",
                        "properties": {"a": {"type": ["string", "null"]}, "b": {"type": "integer"}},
                        "required": ["a", "b"],
                    },
                    {"$ref": "#/components/schemas/Dates"},
                ]
            },
            "Dates": {
                "type": "object",
                "properties": {
                    "when": {"type": "string", "format": "date-time", "nullable": True},
                    "c": {"type": "number"},
                },
                "required": ["when"],
            },
        }
    )
    api = build(data)
    assert [(f.wire_name, f.type.annotation, f.required, f.default_repr) for f in schemas(api)["Thing"].fields] == [
        ("a", "str | None", True, None),
        ("b", "int", True, None),
        ("when", "datetime.datetime | None", True, None),
        ("c", "float | None", False, "None"),
    ]
    module = next(m for m in api.modules if m.module_name == "thing")
    assert module.std_imports == ("import datetime",)


def test_collections_dicts_unions_and_free_form_objects() -> None:
    data = minimal(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "blob": {"type": "object"},
                    "either": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
                    "key": {"type": "string", "format": "uuid"},
                },
                "required": ["tags", "scores", "blob", "either", "key"],
            }
        }
    )
    api = build(data)
    assert {f.wire_name: f.type.annotation for f in schemas(api)["Thing"].fields} == {
        "tags": "list[str]",
        "scores": "dict[str, int]",
        "blob": "dict[str, Any]",
        "either": "str | int | None",
        "key": "UUID",
    }


def test_self_reference_and_mutual_cycles_share_a_module() -> None:
    data = minimal(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "Owner": {
                "type": "object",
                "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}},
            },
        }
    )
    api = build(data)
    (module,) = api.modules
    assert [s.class_name for s in module.schemas] == ["Owner", "Thing"]
    assert module.local_imports == ("from .._models import BaseModel",)


def test_field_names_are_safe_and_keep_the_wire_name() -> None:
    data = minimal(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "class": {"type": "string"},
                    "list": {"type": "string"},
                    "2fa": {"type": "boolean"},
                    "fooBar": {"type": "string"},
                    "foo_bar": {"type": "string"},
                },
            }
        }
    )
    api = build(data)
    assert [(f.py_name, f.wire_name) for f in schemas(api)["Thing"].fields] == [
        ("class_", "class"),
        ("list_", "list"),
        ("field_2_fa", "2fa"),
        # Never another field's wire name: populate_by_name would read `foo_bar` into both.
        ("foo_bar_", "fooBar"),
        ("foo_bar", "foo_bar"),
    ]


def test_names_do_not_depend_on_document_order() -> None:
    data = minimal(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "a": {"$ref": "#/components/schemas/Thing/definitions/value"},
                    "b": {"$ref": "#/components/schemas/Other/definitions/value"},
                },
                "definitions": {"value": {"type": "object", "properties": {"x": {"type": "string"}}}},
            },
            "Other": {
                "type": "object",
                "definitions": {"value": {"type": "object", "properties": {"y": {"type": "string"}}}},
            },
        }
    )
    forward = build(data)
    data["components"]["schemas"] = dict(reversed(list(data["components"]["schemas"].items())))
    props = data["components"]["schemas"]["Thing"]["properties"]
    data["components"]["schemas"]["Thing"]["properties"] = dict(reversed(list(props.items())))
    assert sorted(schemas(build(data))) == sorted(schemas(forward)) == ["OtherValue", "Thing", "ThingValue"]
    assert field(forward, "Thing", "b").type.annotation == "OtherValue | None"


def test_colliding_method_names_are_resolved_deterministically() -> None:
    paths = {
        "/things": {
            "post": {"tags": ["Things"], "operationId": "create-thing", "responses": {"204": {"description": "ok"}}},
            "put": {"tags": ["Things"], "operationId": "create-things", "responses": {"204": {"description": "ok"}}},
        }
    }
    api = build(minimal(paths=paths))
    assert sorted(o.method_name for o in api.resources[0].operations) == ["create", "create_things", "get"]


def test_operations_whose_names_all_collide_still_get_a_method_each() -> None:
    """Two operationIds that spell the same words (vmware's vRNI has them) are no defect of the document."""
    paths = {
        "/tiers/{id}": {
            "get": {"tags": ["Things"], "operationId": "getTier", "responses": {"204": {"description": "ok"}}},
        },
        "/groups/tiers/{id}": {
            "get": {"tags": ["Things"], "operationId": "get_tier", "responses": {"204": {"description": "ok"}}},
            "put": {"tags": ["Things"], "operationId": "get-tier", "responses": {"204": {"description": "ok"}}},
        },
    }
    for path in paths.values():
        for op in path.values():
            op["parameters"] = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    api = build(minimal(paths=paths))
    assert sorted((o.method_name, o.operation_id) for o in api.resources[0].operations) == [
        ("get", "get-thing"),
        ("get_tier", "get_tier"),
        ("get_tier_get", "getTier"),
        ("get_tier_put", "get-tier"),
    ]


def test_a_pager_steps_aside_for_an_operation_of_its_name() -> None:
    page = {
        "type": "object",
        "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}},
    }
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": page}}}}
    paths = {
        "/things": {
            "get": {
                "tags": ["Things"],
                "operationId": "list-things",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": ok,
            }
        },
        "/things/all": {"get": {"tags": ["Things"], "operationId": "list-all-things", "responses": ok}},
    }
    operations = {o.method_name: o for o in build(minimal(paths=paths)).resources[0].operations}
    assert sorted(operations) == ["get", "list", "list_all"]
    pager = operations["list"].pagination
    assert pager is not None and pager.method_name == "list_all_pages"


def test_name_override_extension_wins() -> None:
    data = minimal()
    data["paths"]["/things/{thingId}"]["get"]["x-speakeasy-name-override"] = "fetch"
    assert build(data).resources[0].operations[0].method_name == "fetch"


def test_query_parameters_defaults_and_bodies() -> None:
    paths = {
        "/things": {
            "post": {
                "tags": ["Things"],
                "operationId": "create-thing",
                "parameters": [
                    {"name": "page", "in": "query", "required": True, "schema": {"type": "integer", "default": 1}},
                    {"name": "dryRun", "in": "query", "schema": {"type": "boolean", "default": False}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            }
        }
    }
    op = next(o for o in build(minimal(paths=paths)).resources[0].operations if o.method_name == "create")
    assert [(p.py_name, p.type.annotation, p.required, p.default_repr) for p in op.query_params] == [
        ("page", "int", False, "1"),
        ("dry_run", "bool | None", False, "None"),
    ]
    assert op.body is not None
    assert (op.body.py_name, op.body.annotation, op.body.required) == ("thing", "models.Thing | models.ThingDict", True)
    assert (op.response.kind, op.response.returns, op.response.async_returns) == (
        "stream",
        "BinaryResponse",
        "AsyncBinaryResponse",
    )


def test_unknown_tag_names_the_known_ones() -> None:
    with pytest.raises(GeneratorError) as caught:
        build(minimal(), "Nope")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.pointer == "#/tags" and "'Nope'" in diagnostic.message and "Things" in diagnostic.hint


def test_missing_reference_target_is_a_located_error() -> None:
    data = minimal({"Thing": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Gone"}}}})
    with pytest.raises(GeneratorError) as caught:
        build(data)
    assert caught.value.diagnostics[0].pointer == "#/components/schemas/Thing/properties/x/$ref"


def test_ir_is_frozen_and_dumps_as_json() -> None:
    api = build(minimal())
    with pytest.raises(dataclasses.FrozenInstanceError):
        api.title = "x"  # type: ignore[misc]
    dumped = json.loads(json.dumps(dataclasses.asdict(api)))
    assert dumped["resources"][0]["operations"][0]["method_name"] == "get"


def test_schema_names_the_sdk_uses_itself_take_a_model_suffix() -> None:
    schemas = {
        name: {"type": "object", "properties": {"x": {"type": "string"}}}
        for name in ("BadRequestError", "RetryConfig", "BaseModel", "CodatAccounting", "Field")
    }
    thing = {"type": "object", "properties": {n.lower(): {"$ref": f"#/components/schemas/{n}"} for n in schemas}}
    api = build(minimal({"Thing": thing, **schemas}))
    assert sorted(s.class_name for m in api.modules for s in m.schemas) == [
        "BadRequestErrorModel",
        "BaseModelModel",
        "CodatAccountingModel",
        "FieldModel",
        "RetryConfigModel",
        "Thing",
    ]


def test_a_method_named_like_a_builtin_qualifies_the_builtin_in_signatures() -> None:
    listing = {
        "get": {
            "tags": ["Things"],
            "operationId": "list",
            "parameters": [{"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}},
                }
            },
        }
    }
    (resource,) = build(minimal(paths={"/list": listing})).resources
    op = next(o for o in resource.operations if o.method_name == "list")
    assert op.response.returns == "builtins.list[str]"
    assert op.response.parse_as == "list[str]"  # a method body sees the builtin
    assert [p.annotation for p in op.query_params] == ["builtins.list[int] | None"]
    assert resource.retries_annotation == "RetryConfig | int | NotGiven | None"
    assert "import builtins" in resource.std_imports


def test_unions_are_handed_to_the_client_through_cast() -> None:
    either = {"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "string"}]}
    paths = {
        "/either": {
            "get": {
                "tags": ["Things"],
                "operationId": "get-either",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": either}}}},
            }
        }
    }
    (resource,) = build(minimal(paths=paths)).resources
    op = next(o for o in resource.operations if o.operation_id == "get-either")
    assert op.response.parse_as == 'cast("type[models.Thing | str]", models.Thing | str)'
    assert "from typing import TYPE_CHECKING, cast" in resource.std_imports


def test_parameter_defaults_are_written_in_their_type_or_not_at_all() -> None:
    params = [
        {"name": "order", "in": "query", "required": True, "schema": {"$ref": "#/components/schemas/Order"}},
        {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer", "default": "10"}},
        {"name": "page", "in": "query", "schema": {"type": "integer"}},
    ]
    paths = {
        "/things": {
            "get": {
                "tags": ["Things"],
                "operationId": "get-things",
                "parameters": params,
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    data = minimal({"Order": {"type": "string", "enum": ["asc", "desc"], "default": "desc"}}, paths)
    op = next(o for o in build(data).resources[0].operations if o.operation_id == "get-things")
    assert [(p.py_name, p.annotation, p.default_repr) for p in op.query_params] == [
        ("order", "models.Order", "models.Order.DESC"),
        ("limit", "int", None),
        ("page", "int | None", "None"),
    ]


def test_declared_tags_without_operations_are_left_out_or_named() -> None:
    data = minimal()
    data["tags"].append({"name": "Unused"})
    with pytest.raises(GeneratorError) as caught:
        build(data, "Unused")
    assert caught.value.diagnostics[0].message == "tag 'Unused' has no operations"
    assert "Things" in caught.value.diagnostics[0].hint


def test_error_schemas_are_kept_per_status_and_shared_models_fall_back() -> None:
    error = {"type": "object", "properties": {"message": {"type": "string"}}}
    data = minimal({"Error": error})
    get = data["paths"]["/things/{thingId}"]["get"]
    get["responses"]["404"] = {
        "description": "missing",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    api = build(data)
    (op,) = api.resources[0].operations
    assert api.error_model == "Error"
    assert [(e.status, e.exception, e.parse_as) for e in op.errors] == [("404", "NotFoundError", "models.Error")]
    assert op.error_parsers == (("404", "models.Error"), ("default", "models.Error"))


def test_tags_spelling_the_same_words_get_a_resource_each_and_never_a_client_attribute() -> None:
    paths = {
        f"/{n}": {"get": {"tags": [tag], "operationId": f"op-{n}", "responses": {"204": {"description": "ok"}}}}
        for n, tag in enumerate(["Managed Clusters", "ManagedClusters", "Request"])
    }
    api = build(minimal(paths=paths), "Managed Clusters", "ManagedClusters", "Request")
    assert [(r.module_name, r.attr_name, r.class_name) for r in api.resources] == [
        ("managed_clusters", "managed_clusters", "ManagedClusters"),
        ("managed_clusters_2", "managed_clusters_2", "ManagedClusters2"),
        ("request", "request_", "Request"),
    ]


def test_parameters_never_hide_what_a_method_body_uses() -> None:
    # `warnings` is free since the bodies warn through `warn_deprecated`; `json_body` is taken since they
    # write JSON bodies with it: the reserved names are read off the templates.
    names = ["models", "options", "cast", "fields", "type", "warnings", "json_body", "timeout"]
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in names]
    paths = {
        "/x": {
            "get": {
                "tags": ["Things"],
                "operationId": "get-x",
                "parameters": params,
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    op = next(o for o in build(minimal(paths=paths)).resources[0].operations if o.operation_id == "get-x")
    assert [p.py_name for p in op.query_params] == [
        "models_",
        "options_",
        "cast_",
        "fields_",
        "type",
        "warnings",
        "json_body_",
        "timeout_",
    ]
    assert op.response.parse_as == "NoneType"  # not type(None): `type` may be a parameter


def test_a_nullable_model_response_is_parsed_as_the_union_it_is() -> None:
    data = minimal()
    schema = data["paths"]["/things/{thingId}"]["get"]["responses"]["200"]["content"]["application/json"]
    schema["schema"] = {"$ref": "#/components/schemas/Thing", "nullable": True}
    data["openapi"] = "3.0.3"
    (op,) = build(data).resources[0].operations
    assert (op.response.kind, op.response.returns) == ("adapter", "models.Thing | None")
    assert op.response.parse_as == 'cast("type[models.Thing | None]", models.Thing | None)'


def test_an_inline_schema_repeated_word_for_word_is_one_class() -> None:
    link = {"type": "object", "properties": {"href": {"type": "string"}, "rel": {"type": "string"}}}
    thing = {
        "type": "object",
        "properties": {
            "self": link,
            "next": {"type": "array", "items": link},
            "other": {"type": "object", "properties": {"href": {"type": "string"}}},
            "component": {"type": "object", "properties": {"a": {"type": "string"}}},
            "shared": {"$ref": "#/components/schemas/Shared"},
        },
    }
    api = build(minimal({"Thing": thing, "Shared": {"type": "object", "properties": {"a": {"type": "string"}}}}))
    fields = {f.wire_name: f.type.annotation for f in schemas(api)["Thing"].fields}
    assert fields == {
        "self": "ThingNext | None",
        "next": "list[ThingNext] | None",
        "other": "ThingOther | None",
        "component": "Shared | None",
        "shared": "Shared | None",
    }
    assert sorted(schemas(api)) == ["Shared", "Thing", "ThingNext", "ThingOther"]


def test_classes_of_one_module_are_imported_in_one_statement() -> None:
    cycle = {
        "Owner": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
        "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}},
        "Thing": {
            "type": "object",
            "properties": {
                "owner": {"$ref": "#/components/schemas/Owner"},
                "pet": {"$ref": "#/components/schemas/Pet"},
            },
        },
    }
    modules = {m.module_name: m for m in build(minimal(cycle)).modules}
    assert modules["thing"].local_imports == ("from .._models import BaseModel", "from .owner import Owner, Pet")


def test_a_no_content_status_returns_none_whatever_content_the_document_gives_it() -> None:
    """Codat's Platform document points a DELETE's 204 at its 429 response (a JSON error body); a 204
    carries no body, so parsing one as that model failed on every call (found by the Prism suite)."""
    error = {
        "description": "slow down",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
    }
    doc = minimal()
    doc["paths"]["/things/{thingId}"]["delete"] = {
        "tags": ["Things"],
        "operationId": "delete-thing",
        "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"204": error, "429": error},
    }
    op = next(o for o in build(doc).resources[0].operations if o.operation_id == "delete-thing")
    assert (op.response.kind, op.response.status, op.response.returns) == ("none", "204", "None")
    assert [(e.status, e.exception) for e in op.errors] == [("429", "RateLimitError")]


def test_a_parameter_never_takes_the_body_arguments_name() -> None:
    """Found by the fuzz (document 1,619 of 2,000): a query parameter `CONTINUE` and a body of the model
    `continue` both came to `continue_`, a duplicate argument."""
    paths = {
        "/x": {
            "post": {
                "tags": ["Things"],
                "operationId": "post-x",
                "parameters": [{"name": "CONTINUE", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/continue"}}}},
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    schemas = {"continue": {"type": "object", "properties": {"a": {"type": "string"}}}}
    op = next(o for o in build(minimal(schemas, paths)).resources[0].operations if o.operation_id == "post-x")
    assert op.body is not None and op.body.py_name == "continue_"
    assert [p.py_name for p in op.query_params] == ["continue__"]
