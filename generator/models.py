"""Models step: pydantic v2 models for every named schema, by datamodel-code-generator.

Called in-process through its Python API. The options below are what make its output
`mypy --strict` clean without a plugin (annotated constraints, enum defaults as members)
and deterministic (no timestamp); formatting is left to the one ruff pass over every
emitted file (`generator.format`), which is much faster than its black/isort pass.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import re
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.diagnostics import SpecError
from generator.ir import Api, JsonValue
from generator.spec.pointers import escape_token, split_pointer

if TYPE_CHECKING:
    from generator.forked import Awaiting

# What datamodel-code-generator is handed: the document and the header of models.py.
ModelsRequest = tuple[JsonValue, str]

_SCHEMAS = "#/components/schemas/"
_RESERVE = "SdkgenReservesComponentNames"  # see _document_for_models
_TRAILING_WHITESPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_CLASS_LINE = re.compile(r"^class ([^(\n]*)\(", re.MULTILINE)  # the text up to the first "("

MODEL_OPTIONS: dict[str, Any] = {
    "use_annotated": True,
    "field_constraints": True,
    "set_default_enum_member": True,
    "disable_timestamp": True,
    "formatters": [],
    "use_schema_description": True,
    "use_field_description": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "capitalise_enum_members": True,
    "snake_case_field": True,
    "allow_population_by_field_name": True,
    # A subclass's discriminator value as a member of the base's enum, not a bare string
    # Literal: mypy --strict refuses the narrower override otherwise.
    "use_enum_values_in_discriminator": True,
    # A property's default stays on the property: without this the default of an anyOf/oneOf
    # property is copied onto the root model made of each branch (`RootModel[int]` with
    # `= "auto"`, OpenAI's `batch_size`), which mypy --strict refuses.
    "keep_field_defaults_off_branch_roots": True,
    # Formats whose pydantic types need a package beyond pydantic (email-validator,
    # python-ulid) or change the value on the wire (SecretStr dumps as "**********").
    "type_mappings": ["string+email=string", "string+idn-email=string", "string+ulid=string", "string+password=string"],
}


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cycle collector off while datamodel-code-generator runs.

    It allocates millions of long-lived objects; each full collection walks all of them, so
    the collector's share grows with the spec (10% of the call at N=1000 schemas, for ~15% more
    peak memory). Reference counting still frees everything else; the output is the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_models(api: Api, header: str, datamodel: Awaiting[ModelsRequest, str] | None = None) -> str:
    """The source of models.py (unformatted); SpecError if the generator refuses the schemas.

    With `datamodel` (a child forked with `prepare_datamodel`) datamodel-code-generator runs
    there; the source is the same.
    """
    if not api.schemas:  # datamodel-code-generator refuses a document without schemas
        return header.rstrip("\n") + '\n"""The spec declares no schemas, so there are no models."""\n'
    request = (_document_for_models(api, reserve=False), header)
    if datamodel is not None:
        datamodel.send(request)
        source = datamodel.result()
    else:
        source = run_datamodel_codegen(request)
    # One scan of the source (a search per schema would be quadratic in the number of schemas);
    # the rewrites below leave class lines alone.
    defined = set(_CLASS_LINE.findall(source))
    if _names_contended(defined, api):
        # Rare, and the reservation costs ~7% of the call: only then run it again with it.
        source = _without_reserve(run_datamodel_codegen((_document_for_models(api, reserve=True), header)))
        defined = set(_CLASS_LINE.findall(source))
    source = _wrapped_root_defaults(source)
    # Descriptions become docstrings verbatim; a line of one ending in spaces (OpenAI's spec has
    # 85) is trailing whitespace ruff refuses (W291/W293) and its formatter leaves in place.
    source = _TRAILING_WHITESPACE.sub("", source).rstrip("\n") + "\n"
    for schema in api.schemas:
        if schema.class_name not in defined:
            raise SpecError.at(
                f"datamodel-code-generator did not name the model of {schema.name!r} {schema.class_name!r}; "
                "give the schema an x-sdkgen-name",
                pointer=schema.pointer,
            )
    return source


# What datamodel-code-generator 0.89.0 imports on its first call (0.3 s at start-up): a child
# that will run it imports them while the spec is loaded. Only speed depends on this list.
_DATAMODEL_MODULES = (
    "datamodel_code_generator",
    "datamodel_code_generator.config",
    "datamodel_code_generator.parser.openapi",
    "datamodel_code_generator.parser._passes.settle",
    "datamodel_code_generator.parser._passes.structure",
    "datamodel_code_generator.model.pydantic_v2",
    "datamodel_code_generator.model.pydantic_v2.base_model",
    "datamodel_code_generator.model.pydantic_v2.root_model",
    "datamodel_code_generator.model.scalar",
    "datamodel_code_generator.model.union",
    "datamodel_code_generator.model._compiled_templates.registry",
)


def prepare_datamodel() -> None:
    """Import what `run_datamodel_codegen` needs (in a child forked before the spec is loaded)."""
    import importlib

    for module in _DATAMODEL_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


def run_datamodel_codegen(request: ModelsRequest) -> str:
    """datamodel-code-generator on (document, header): the source of models.py, or SpecError."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    document, header = request
    try:
        with warnings.catch_warnings(), _no_cyclic_gc():
            warnings.simplefilter("ignore")
            source = generate(
                document,
                input_file_type=InputFileType.OpenAPI,
                output_model_type=DataModelType.PydanticV2BaseModel,
                target_python_version=PythonVersion.PY_311,
                custom_file_header=header.rstrip("\n"),
                **MODEL_OPTIONS,
            )
    except RecursionError:
        raise SpecError.at("datamodel-code-generator: schemas nest too deeply", pointer="/components/schemas") from None
    except Exception as error:  # its errors have no common base class
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SpecError.at(
            f"datamodel-code-generator cannot build models: {message}", pointer="/components/schemas"
        ) from None
    if not isinstance(source, str):
        raise SpecError.at("datamodel-code-generator produced several modules; expected one", pointer="/components")
    return source


# `name: Annotated[Model | None, Field(..., validate_default=True)] = <plain value>`: a property
# whose type is a root model (a `$ref` to a primitive schema with a default, OpenAI's
# `parallel_tool_calls`) gets the plain value as its default, which pydantic turns into the model
# but mypy --strict refuses; `= Model.model_validate(<plain value>)` says the same to both (the
# constructor would not: a root of nested root models is typed narrower than what it accepts).
_ROOT_DEFAULT = re.compile(
    r"^(    \w+: Annotated\[(\w+)(?: \| None)?, Field\([^\n]*validate_default=True[^\n]*\)\] = )([^\n]+)$", re.MULTILINE
)
_ROOT_MODEL_CLASS = re.compile(r"^class (\w+)\(RootModel\[", re.MULTILINE)


def _wrapped_root_defaults(source: str) -> str:
    defined_at = {found.group(1): found.start() for found in _ROOT_MODEL_CLASS.finditer(source)}
    if not defined_at:
        return source

    def wrap(match: re.Match[str]) -> str:
        head, model, default = match.groups()
        # Only a model defined above: the default is evaluated when the class body runs.
        if defined_at.get(model, len(source)) > match.start() or default == "None" or default.startswith(f"{model}."):
            return match.group(0)
        return f"{head}{model}.model_validate({default})"

    return _ROOT_DEFAULT.sub(wrap, source)


def _names_contended(defined: set[str], api: Api) -> bool:
    """Whether a model other than a component's took, or was pushed off, that component's class
    name: a class (of `defined`) named like a component plus digits (`Image1`) that is no
    component's own. Without one, the reservation (see `_document_for_models`) would name
    everything the same."""
    components = {schema.class_name for schema in api.schemas}
    return any(name not in components and name.rstrip("0123456789") in components for name in defined)


def _without_reserve(source: str) -> str:
    """The source without the class of the `_RESERVE` schema (and an import only it used)."""
    start = source.find(f"\nclass {_RESERVE}(")
    if start < 0:
        raise SpecError.at("datamodel-code-generator dropped sdkgen's name reservation", pointer="/components/schemas")
    # The class runs to the next line that starts in column 0 (what follows, such as the
    # `Model.model_rebuild()` calls after the last class, stays).
    body = re.compile(r"\n(?=[^\s])").search(source, source.index("\n", start + 1))
    source = source[:start] + ("\n" + source[body.end() :] if body else "\n")
    source = "".join(line for line in source.splitlines(keepends=True) if not line.startswith(f"{_RESERVE}."))
    if "RootModel[" not in source:  # the reservation was the only root model
        source = re.sub(r"^(from pydantic import .*?)(, RootModel\b|\bRootModel, )", r"\1", source, count=1, flags=re.M)
    return source


def _document_for_models(api: Api, *, reserve: bool) -> JsonValue:
    """The document datamodel-code-generator reads: component schemas named by their class names."""
    renames = {s.name: s.class_name for s in api.schemas if s.name != s.class_name}
    schemas: dict[str, JsonValue] = dict(api.document.get("components", {}).get("schemas", {}))
    schemas = _inline_overridden_parents(schemas)
    if renames:
        schemas = {renames.get(name, name): body for name, body in copy.deepcopy(schemas).items()}
        _rename_refs(schemas, renames)
    # A first schema that refers to every component: datamodel-code-generator names a model the
    # first time it meets it, and an inline model met earlier (OpenAI's `image` property of
    # CreateImageEditRequest) took the component's name (`Image`), leaving `Image1` to the
    # component: `models.Image` was silently another model. Met through these refs first, every
    # component keeps its name. The schema's own class is cut from the output. Used only when a
    # first run shows a contended name (`_names_contended`).
    if reserve:
        schemas = {_RESERVE: {"anyOf": [{"$ref": _SCHEMAS + escape_token(name)} for name in schemas]}, **schemas}
    return {
        "openapi": "3.1.0",  # parse.py normalised 3.0 schemas to 2020-12
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _inline_overridden_parents(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """Inline the `$ref` parent of an `allOf` whose other parts redeclare one of its properties.

    datamodel-code-generator makes such a parent a base class and the redeclared property an
    override; a narrower type there (`data: list[Station]` over `data: list[dict[str, Any]]`,
    the common "collection wrapper" pattern) is an incompatible override under mypy --strict.
    With the parent's keywords inlined the model is flat and typed as the `allOf` says. Parents
    with a `discriminator` stay base classes: their subclasses are what the union is made of.
    """
    if not any(_needs_inlining(node, schemas) for node in _all_of_nodes(schemas)):
        return schemas
    original = schemas
    schemas = copy.deepcopy(schemas)
    for node in _all_of_nodes(schemas):
        own = _redeclared(node)
        for index, member in enumerate(node["allOf"]):
            parent = _parent_name(member, original)
            if parent is not None:
                overridden = _conflicts(own, _inherited(parent, original, set()))
                if overridden:
                    node["allOf"][index] = _inlined(parent, original, overridden, {parent})
    return schemas


def _inlined(name: str, schemas: dict[str, JsonValue], overridden: set[str], seen: set[str]) -> JsonValue:
    """Schema `name`'s keywords without the `overridden` properties (the redeclaration wins, as an
    override would), its own parents that declare them inlined likewise."""
    body = {k: copy.deepcopy(v) for k, v in schemas[name].items() if k not in ("title", "description", "x-sdkgen-name")}
    if isinstance(body.get("properties"), dict):
        body["properties"] = {k: v for k, v in body["properties"].items() if k not in overridden}
    members = body.get("allOf")
    if isinstance(members, list):
        for index, member in enumerate(members):
            parent = _parent_name(member, schemas)
            if parent is not None and parent not in seen and overridden & set(_inherited(parent, schemas, set())):
                members[index] = _inlined(parent, schemas, overridden, seen | {parent})
    return body


def _all_of_nodes(node: JsonValue) -> list[dict[str, JsonValue]]:
    found: list[dict[str, JsonValue]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("allOf"), list):
                found.append(current)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _needs_inlining(node: dict[str, JsonValue], schemas: dict[str, JsonValue]) -> bool:
    own = _redeclared(node)
    return bool(own) and any(
        (parent := _parent_name(member, schemas)) is not None and _conflicts(own, _inherited(parent, schemas, set()))
        for member in node["allOf"]
    )


def _redeclared(node: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The properties an `allOf` declares itself: in its inline parts and beside it."""
    own: dict[str, JsonValue] = {}
    for member in node["allOf"]:
        if isinstance(member, dict) and "$ref" not in member and isinstance(member.get("properties"), dict):
            own.update(member["properties"])
    if isinstance(node.get("properties"), dict):
        own.update(node["properties"])
    return own


def _parent_name(member: JsonValue, schemas: dict[str, JsonValue]) -> str | None:
    if not isinstance(member, dict) or not isinstance(member.get("$ref"), str):
        return None
    ref = member["$ref"]
    if not ref.startswith(_SCHEMAS):
        return None
    tokens = split_pointer(ref[1:])
    if len(tokens) != 3 or not isinstance(schemas.get(tokens[2]), dict):
        return None
    return None if "discriminator" in schemas[tokens[2]] else tokens[2]


def _inherited(name: str, schemas: dict[str, JsonValue], seen: set[str]) -> dict[str, JsonValue]:
    """The properties schema `name` declares, its own `allOf` parents' included."""
    body = schemas.get(name)
    if name in seen or not isinstance(body, dict):
        return {}
    seen.add(name)
    properties: dict[str, JsonValue] = {}
    for member in body.get("allOf") or []:
        parent = _parent_name(member, schemas) if isinstance(member, dict) else None
        if parent is not None:
            properties.update(_inherited(parent, schemas, seen))
        elif isinstance(member, dict) and isinstance(member.get("properties"), dict):
            properties.update(member["properties"])
    if isinstance(body.get("properties"), dict):
        properties.update(body["properties"])
    return properties


# Keywords that change neither a field's type nor its class: a redeclaration that differs from
# the parent's only in these (a new default, description or bound) is a compatible override.
_TYPE_NEUTRAL = frozenset(
    {
        "description", "title", "default", "example", "examples", "deprecated", "readOnly", "writeOnly",
        "externalDocs", "xml", "$comment", "minLength", "maxLength", "pattern", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems",
        "minProperties", "maxProperties", "x-rules",
    }
)  # fmt: skip


def _shape(schema: JsonValue) -> JsonValue:
    """What of a schema decides the Python type of its field."""
    if isinstance(schema, dict):
        shape: dict[str, JsonValue] = {}
        for key, value in schema.items():
            if key in _TYPE_NEUTRAL or key.startswith("x-"):
                continue
            if key in ("properties", "patternProperties", "$defs", "dependentSchemas") and isinstance(value, dict):
                shape[key] = {name: _shape(sub) for name, sub in value.items()}  # names, not keywords
            else:
                shape[key] = value if key in ("required", "enum", "const") else _shape(value)
        return shape
    if isinstance(schema, list):
        return [_shape(item) for item in schema]
    return schema


def _conflicts(own: dict[str, JsonValue], inherited: dict[str, JsonValue]) -> set[str]:
    """The properties declared in both with different types (an override mypy would refuse)."""
    return {name for name, schema in own.items() if name in inherited and _shape(inherited[name]) != _shape(schema)}


def _rename_refs(node: JsonValue, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMAS):
            tokens = split_pointer(ref[1:])
            if len(tokens) >= 3 and tokens[2] in renames:
                tokens[2] = renames[tokens[2]]
                node["$ref"] = "#" + "".join("/" + escape_token(t) for t in tokens)
        for value in node.values():
            _rename_refs(value, renames)
    elif isinstance(node, list):
        for item in node:
            _rename_refs(item, renames)
