"""Tiny inline OpenAPI documents for unit tests."""

from __future__ import annotations

import copy
import json
from typing import Any

from generator.document.load import parse_document
from generator.document.parsed import Document

SECURITY = {"securitySchemes": {"auth_header": {"type": "apiKey", "in": "header", "name": "Authorization"}}}


def minimal(schemas: dict[str, Any] | None = None, paths: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid 3.1 document with one tagged operation returning `Thing`, plus what the caller adds."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Test API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.test/"}],
        "security": [{"auth_header": []}],
        "tags": [{"name": "Things", "description": "Things we keep."}],
        "paths": {
            "/things/{thingId}": {
                "get": {
                    "tags": ["Things"],
                    "operationId": "get-thing",
                    "summary": "Get thing",
                    "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            **copy.deepcopy(SECURITY),
            "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}},
        },
    }
    doc["components"]["schemas"].update(schemas or {})
    doc["paths"].update(paths or {})
    return doc


def as_document(data: dict[str, Any], source: str = "test.json") -> Document:
    return parse_document(json.dumps(data).encode(), source)
