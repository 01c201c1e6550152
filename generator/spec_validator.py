"""openapi-spec-validator, with every finding located by a full JSON pointer from the document root.

The validator checks each Schema Object on its own and reports paths relative to it. We give each
checked node its place in the document by identity (the validator hands back the document's own
dicts), so every problem carries a full pointer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from openapi_spec_validator.validation.keywords import KeywordValidator

from generator.document import Document
from generator.errors import Diagnostic, pointer_join
from generator.validate import diag, short


def spec_errors(doc: Document, version: str, report_crash: bool) -> Iterator[Diagnostic]:
    base = OpenAPIV31SpecValidator if version.startswith("3.1.") else OpenAPIV30SpecValidator
    pointers = _index_nodes(doc.data)
    located = {name: _located(cls, pointers) for name, cls in base.keyword_validators.items()}
    validator = type("LocatedSpecValidator", (base,), {"keyword_validators": located})(doc.data)
    seen: set[tuple[str, str]] = set()
    try:
        for err in validator.iter_errors():
            pointer = getattr(err, "sdkgen_pointer", None) or pointer_join("#", *err.absolute_path)
            message = short(err.message)
            if (pointer, message) not in seen:
                seen.add((pointer, message))
                yield diag(doc, pointer, message)
    except RecursionError:
        yield diag(doc, "#", "the document nests too deeply to validate")
    except Exception as exc:
        if report_crash:
            yield diag(doc, "#", f"openapi-spec-validator stopped: {short(str(exc))}")


def _located(cls: type[KeywordValidator], pointers: dict[int, str]) -> type[KeywordValidator]:
    """A subclass of a keyword validator that stamps each error with the checked node's pointer."""
    parent_call: Callable[..., Iterator[ValidationError]] = cls.__call__

    def __call__(self: KeywordValidator, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        base = pointers.get(id(where.read_value())) if where is not None else None
        for err in parent_call(self, *args, **kwargs):
            if not isinstance(err, OpenAPIValidationError):
                err = OpenAPIValidationError.create_from(err)
            if base is not None and not hasattr(err, "sdkgen_pointer"):
                err.sdkgen_pointer = pointer_join(base, *err.absolute_path)  # type: ignore[attr-defined]
            yield err

    return type(cls.__name__, (cls,), {"__call__": __call__})


def _index_nodes(data: Any) -> dict[int, str]:
    index: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "#")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in index:
                continue
            index[id(node)] = pointer
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((v, pointer_join(pointer, k)) for k, v in items if isinstance(v, dict | list))
    return index
