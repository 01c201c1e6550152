"""The names the generated code uses itself, read off what it is made of, so a document's never collide.

A model's field may not hide a member of pydantic's BaseModel or of ours; a class may not take a name a
generated module imports or defines; a resource attribute may not take a client's member; a method may
not take a resource's; a parameter may not hide a name its method's body reads; a credential argument
may not repeat another constructor argument; a package may not shadow a module the SDK imports. Each
set is read from the runtime modules (templates/sdk/static), the templates and pydantic itself, never
kept by hand: a template that starts to use a new name reserves it too.
"""

from __future__ import annotations

import ast
import builtins
import functools
import hashlib
import json
import keyword
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import TEMPLATES_DIR
from generator.cache import Store, folder_digest, installed_versions, tool_digest

# The generator's own vocabulary of annotations (schemas.py, typed_dicts.py): what a models module
# writes, its TypedDicts included, and what a resources module writes besides (operations.py,
# resources.py), in its signatures and run-time type expressions. A field, parameter or method named
# so would hide one where the generated code uses it.
MODEL_ANNOTATIONS = frozenset(
    {
        "Annotated",
        "Any",
        "ClassVar",
        "Decimal",
        "Field",
        "File",
        "Literal",
        "Mapping",
        "Required",
        "Sequence",
        "Tag",
        "TypedDict",
        "UUID",
        "bool",
        "bytes",
        "datetime",
        "dict",
        "discriminator",
        "float",
        "int",
        "list",
        "str",
    }
)
RESOURCE_ANNOTATIONS = MODEL_ANNOTATIONS | {
    "FileContent",
    "Mapping",
    "NoneType",
    "Sequence",
    "builtins",
    "cast",
    "models",
    "object",
}
# The builtins the resources' annotations name: a method called so hides it in its class's annotations,
# where the generator spells it `builtins.X` instead.
BUILTIN_ANNOTATIONS = frozenset(name for name in RESOURCE_ANNOTATIONS if name.islower() and hasattr(builtins, name))
# Field names earlier releases kept apart (the lower-case spellings of annotation types, and `kwargs`,
# which the pydantic mypy plugin's `__init__` takes): still reserved, so generated names do not change.
_EARLIER_FIELDS = frozenset({"any", "date", "decimal", "kwargs", "none", "uuid"})
# The generated package's dependencies, whose import names the package may not take (each beside the
# modules it brings: httpx's httpcore, h11, idna, certifi and anyio's sniffio; pydantic's core).
DEPENDENCY_MODULES = frozenset(
    {
        "annotated_types",
        "anyio",
        "certifi",
        "h11",
        "httpcore",
        "httpx",
        "idna",
        "pydantic",
        "pydantic_core",
        "sniffio",
        "typing_extensions",
        "typing_inspection",
    }
)
# The imports every resources module has beside those its types need (resources.py writes them).
RESOURCE_IMPORTS = frozenset(
    {
        "from collections.abc import Mapping",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING",
    }
)
# What a package may not be named: it would shadow a module the SDK imports, Python's own or a dependency's.
PACKAGES_TAKEN = frozenset(sys.stdlib_module_names | DEPENDENCY_MODULES)
_IMPORT = re.compile(r"^[ ]*(?:from \S+ )?import (?:\(([^)]*)\)|([^\n]*))", re.M)
_JINJA = re.compile(r"{%.*?%}|{#.*?#}", re.S)
_EXPRESSION = re.compile(r"{{.*?}}", re.S)
# A statement's assignment (`options = ...`, `fields, files = ...`), not a keyword argument (`method=...`).
_ASSIGNED = re.compile(r"^ +((?:\w+, )*\w+) = ", re.M)
# A function and its arguments, at any depth (a method, or a pager's inner `fetch(number)`).
_FUNCTION = re.compile(r"^( *)(?:async )?def (\w+)\(([^)]*)", re.M)
# A line of a method's signature that is one argument (`        timeout: Timeout | NotGiven = NOT_GIVEN,`).
_SIGNATURE_ARGUMENT = re.compile(r"^ {8}(\w+): [^\n]*,$", re.M)


@dataclass(frozen=True)
class Reserved:
    """For each kind of name the generator writes, what it may not be."""

    fields: frozenset[str]
    classes: frozenset[str]
    resource_classes: frozenset[str]
    client_attributes: frozenset[str]
    methods: frozenset[str]
    parameters: frozenset[str]
    credentials: frozenset[str]


@functools.cache
def reserved(templates: Path = TEMPLATES_DIR) -> Reserved:
    """The reserved names of each kind, read from `templates` (ours) and the installed pydantic.

    Filed in the cache by the digest of what they are read from (the templates, the generator, pydantic's
    and Python's versions, Python's for its keywords): reading them (parsing the runtime modules,
    importing pydantic) was a sixth of a warm run.
    """
    store = Store("reserved", tool_digest())
    versions = f"pydantic {installed_versions(('pydantic',)).get('pydantic', '-')} python {sys.version}"
    key = hashlib.sha256(f"{folder_digest(templates)} {versions}".encode()).hexdigest()
    kept = store.get(key)
    if kept is not None:
        try:
            return Reserved(**{kind: frozenset(names) for kind, names in json.loads(kept).items()})
        except (ValueError, TypeError, AttributeError):
            pass  # not what a run filed: read them again, and file them anew
    found = _read(templates)
    store.put(key, json.dumps({kind: sorted(names) for kind, names in vars(found).items()}))
    return found


def _read(templates: Path) -> Reserved:
    import pydantic  # the SDK's models derive from its BaseModel: its members are what fields must not hide

    static = {
        path.stem: ast.parse(path.read_text(encoding="utf-8")) for path in (templates / "sdk" / "static").glob("*.py")
    }
    sdk = templates / "sdk"
    resource = (sdk / "resources" / "resource.py.jinja").read_text(encoding="utf-8")
    client = (sdk / "_client.py.jinja").read_text(encoding="utf-8")
    models_templates = [sdk / "models" / "model.py.jinja", sdk / "models" / "__init__.py.jinja"]
    # A model class lives beside what its module imports (the SDK's `_models`, typing's and pydantic's names)
    # and what the models package defines; the package exports it beside the SDK's own public names.
    model_module_names = set(_top_level(static["_models"])) | MODEL_ANNOTATIONS | _exported(templates)
    model_module_names |= {name for path in models_templates for name in _imported(path.read_text(encoding="utf-8"))}
    model_module_names |= set(
        _top_level(ast.parse(_EXPRESSION.sub("x", _JINJA.sub("", models_templates[1].read_text()))))
    )
    # A resource class lives in a resources module, and the client module imports it.
    resource_module_names = _imported(resource) | _imported(client) | RESOURCE_ANNOTATIONS
    # Soft keywords (match, case, type) are names like any other; keywords are not, in any position.
    keywords = frozenset(keyword.kwlist)
    model_members = _members(static["_models"], "BaseModel") | set(dir(pydantic.BaseModel))
    model_members |= {name for name in dir(type(pydantic.BaseModel)) if not name.startswith("__")}
    clients = ("BaseClient", "SyncAPIClient", "AsyncAPIClient")
    client_members = set().union(*(_members(static["_base_client"], c) for c in clients))
    client_members |= {match.group(2) for match in _FUNCTION.finditer(client) if len(match.group(1)) == 4}
    body = _EXPRESSION.sub("", _JINJA.sub("", resource))
    functions = list(_FUNCTION.finditer(body))
    resource_members = {match.group(2) for match in functions if len(match.group(1)) == 4}
    # What a method's body reads besides its parameters: the module's imports, the per-call arguments,
    # its own locals, and the functions it defines inside (a pager's `fetch` and `read`) and their arguments.
    inner = [match for match in functions if len(match.group(1)) > 4]
    body_names = {name.strip() for match in _ASSIGNED.finditer(body) for name in match.group(1).split(",")}
    body_names |= {match.group(2) for match in inner} | set(_SIGNATURE_ARGUMENT.findall(body))
    body_names |= {arg.split(":")[0].strip() for match in inner for arg in match.group(3).split(",") if arg.strip()}
    imported = _imported(resource) | _imported("\n".join(RESOURCE_IMPORTS))
    return Reserved(
        fields=frozenset(model_members | MODEL_ANNOTATIONS | _EARLIER_FIELDS | keywords),
        classes=frozenset(model_module_names | keywords),
        resource_classes=frozenset(model_module_names | resource_module_names | keywords),
        client_attributes=frozenset(client_members | _imported(client) | keywords | {"models", "resources"}),
        methods=frozenset(resource_members | imported | (RESOURCE_ANNOTATIONS - BUILTIN_ANNOTATIONS) | keywords),
        parameters=frozenset(imported | body_names | RESOURCE_ANNOTATIONS | keywords | {"self"}),
        credentials=frozenset(_signature(client) | keywords | {"self"}),
    )


def _top_level(tree: ast.Module) -> Iterator[str]:
    """Every name a module binds at its top: its imports, classes, functions and assignments."""
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield from ((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            yield from (n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))


def _members(tree: ast.Module, class_name: str) -> set[str]:
    """The names a class of a runtime module defines in its body."""
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    # What __init__ sets on the instance is a member too (`self.base_url`).
    return names | {
        attribute.attr
        for attribute in ast.walk(cls)
        if isinstance(attribute, ast.Attribute)
        and isinstance(attribute.ctx, ast.Store)
        and isinstance(attribute.value, ast.Name)
        and attribute.value.id == "self"
    }


def _imported(template: str) -> set[str]:
    """The names a template's import lines bring in, whatever its Jinja tags add or leave out."""
    text = _JINJA.sub(" ", template)
    return {name for match in _IMPORT.finditer(text) for name in _import_names(match.group(1) or match.group(2))}


def _import_names(listed: str) -> Iterable[str]:
    for part in re.split(r"[,\n]", re.sub(r"{{.*?}}", " ", listed)):
        words = part.split()
        if words and words[0].isidentifier():
            yield words[-1] if len(words) == 3 and words[1] == "as" else words[0].split(".")[0]


def _exported(templates: Path) -> set[str]:
    """The names the package's `__init__` exports, which a model class would be confused with."""
    text = (templates / "sdk" / "__init__.py.jinja").read_text(encoding="utf-8")
    return set(re.findall(r'"([A-Za-z_]\w*)"', text))


def _signature(client_template: str) -> set[str]:
    """The client constructor's own arguments, which a credential argument may not repeat."""
    body = client_template.split("def __init__(", 1)[1].split(") -> None:", 1)[0]
    return set(_SIGNATURE_ARGUMENT.findall(_JINJA.sub("", body)))
