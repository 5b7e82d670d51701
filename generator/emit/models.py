"""Models emitter: the IR's named schemas -> models.py, pydantic v2 models made by
datamodel-code-generator (through `generator.adapters.datamodel_codegen`, which holds its options
and every correction of its input and output).

This module decides what datamodel-code-generator is handed: the component schemas, named by
their class names, with the `allOf` parents whose properties are redeclared with another type
inlined (see `_inline_overridden_parents`). The call is the slowest step of a run: `warm_up`
lets an executor import datamodel-code-generator before the spec is loaded.
"""

from __future__ import annotations

import copy

from generator.adapters import datamodel_codegen
from generator.diagnostics import SpecError
from generator.emit import EmitOptions, Files, generics, models_input
from generator.emit.templates import header, render
from generator.emit.wire_types import wire_types
from generator.ir import Api, JsonValue
from generator.spec.pointers import escape_token, split_pointer
from generator.spec.schema_tree import SUBSCHEMA_SINGLES

_SCHEMAS = "#/components/schemas/"


def warm_up() -> None:
    """Import what `emit` needs from datamodel-code-generator (it takes a while: an executor
    may do this before the spec is loaded)."""
    datamodel_codegen.preload()


def emit(api: Api, options: EmitOptions) -> Files:
    """`models.py`: the models, then the wire shapes of the JSON request bodies (`wire_types`)."""
    source = with_wire_types(api, render_models(api, header(api)))
    return {"models.py": render("package/models.py.jinja", models_source=source)}


def with_wire_types(api: Api, source: str) -> str:
    """The models' source followed by the TypedDicts of the request bodies' wire shapes."""
    types = wire_types(api)
    text = types.render()
    if not text:
        return source
    taken = datamodel_codegen.class_names(source) | datamodel_codegen.union_alias_names(source)
    clashes = sorted(set(types.definitions) & taken)
    if clashes:
        raise SpecError.at(
            f"the wire shape of a request body would be named {clashes[0]!r}, which a model already is; "
            "give the schema an x-sdkgen-name",
            pointer="/components/schemas",
        )
    imports = f"from typing import {', '.join(types.typing_names())}\n"
    future = "from __future__ import annotations\n"
    source = source.replace(future, future + "\n" + imports, 1) if future in source else imports + source
    return source.rstrip("\n") + "\n\n\n" + text


def render_models(api: Api, header: str) -> str:
    """The source of models.py (unformatted); SpecError if the generator refuses the schemas."""
    if not api.schemas:  # datamodel-code-generator refuses a document without schemas
        return header.rstrip("\n") + '\n"""The spec declares no schemas, so there are no models."""\n'
    source = datamodel_codegen.generate_models(_document_for_models(api, reserve=False), header)
    # The corrections below leave class statements alone: one scan serves both checks.
    defined = datamodel_codegen.class_names(source)
    if datamodel_codegen.names_contended(defined, {schema.class_name for schema in api.schemas}):
        # Rare, and the reservation makes the call slower: only then run it again with it.
        reserved = datamodel_codegen.generate_models(_document_for_models(api, reserve=True), header)
        source = datamodel_codegen.without_reservation(reserved)
        defined = datamodel_codegen.class_names(source)
    source = datamodel_codegen.corrected(source).rstrip("\n") + "\n"
    for schema in api.schemas:
        if schema.class_name not in defined:
            raise SpecError.at(
                f"datamodel-code-generator did not name the model of {schema.name!r} {schema.class_name!r}; "
                "give the schema an x-sdkgen-name",
                pointer=schema.pointer,
            )
    return source


def _document_for_models(api: Api, *, reserve: bool) -> JsonValue:
    """The document datamodel-code-generator reads: component schemas named by their class names."""
    renames = {s.name: s.class_name for s in api.schemas if s.name != s.class_name}
    schemas: dict[str, JsonValue] = dict(api.document.get("components", {}).get("schemas", {}))
    schemas = generics.specialized(schemas)
    schemas = _inline_overridden_parents(schemas)
    schemas = _open_objects(schemas)
    if renames:
        schemas = {renames.get(name, name): body for name, body in copy.deepcopy(schemas).items()}
        _rename_refs(schemas, renames)
    schemas = models_input.mark_not_null(models_input.reshape(schemas))
    schemas = datamodel_codegen.docstring_safe(schemas)
    if reserve:
        schemas = datamodel_codegen.reserve_component_names(schemas)
    return {
        "openapi": "3.1.0",  # the IR holds 3.0 schemas normalised to 2020-12
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _open_objects(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """Every object schema that does not close itself says `additionalProperties: true`.

    datamodel-code-generator gives such a model `extra="allow"`, so members the spec does not
    list are kept (in `model_extra`) and sent again: a payload round-trips exactly. Without it the
    model ignores them, and a request built from a response loses them. A closed object
    (`additionalProperties: false`, `unevaluatedProperties: false`) keeps `extra="forbid"`; the
    inline parts of an `allOf` are left alone, the class they make up decides.
    """
    changed = {name: _opened(body, in_all_of=False) for name, body in schemas.items()}
    return changed if any(changed[name] is not schemas[name] for name in schemas) else schemas


def _opened(schema: JsonValue, *, in_all_of: bool) -> JsonValue:
    """The schema with its open objects marked open; the same object when nothing changes."""
    if not isinstance(schema, dict):
        return schema
    updates: dict[str, JsonValue] = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "$defs", "dependentSchemas") and isinstance(value, dict):
            members = {name: _opened(sub, in_all_of=False) for name, sub in value.items()}
            if any(members[name] is not value[name] for name in value):
                updates[key] = members
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(value, list):
            items = [_opened(sub, in_all_of=key == "allOf") for sub in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                updates[key] = items
        elif key in SUBSCHEMA_SINGLES:
            new = _opened(value, in_all_of=False)
            if new is not value:
                updates[key] = new
    kind = schema.get("type")
    is_object = (
        kind == "object" or (isinstance(kind, list) and "object" in kind) or (kind is None and "properties" in schema)
    )
    if (
        is_object
        and not in_all_of
        and "additionalProperties" not in schema
        and schema.get("unevaluatedProperties") is not False
    ):
        updates["additionalProperties"] = True
    return {**schema, **updates} if updates else schema


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
