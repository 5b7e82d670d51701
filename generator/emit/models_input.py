"""The component schemas reshaped for the models: what the schema means is kept, how the models
read is decided here (`reshape`), before datamodel-code-generator sees them.

- Inline objects and enums (a property's, an array's items, a map's values) become components
  named after where they sit: `ValidationError.errors[]` is `ValidationErrorErrorsItem`,
  `Message.status` is `MessageStatus` (datamodel-code-generator would name them after the
  property alone, numbering the clashes: `Error1`, `Status1`).
- An enum with a `null` member is an enum of its other values that may be null (`Role | None`),
  not an `Enum` with a `NONE_TYPE_NONE` member.
- A closed `prefixItems` array (no further items, every position required) is a tuple.
- `readOnly` and `writeOnly` members are not required in the models: one model serves requests
  (where the server sets `readOnly` members) and responses (which never carry `writeOnly` ones).
- A `number` is `integer` or `number` (`int | float`): typed `float`, pydantic would turn `100`
  into `100.0` and a 20-digit integer into its nearest float, and send them back so.

Only the models read this: the validators check the spec's schemas as written.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from generator.adapters.datamodel_codegen import NOT_NULL_KEY
from generator.ir import JsonValue
from generator.ir.parse import pascal_case
from generator.spec.pointers import escape_token
from generator.spec.schema_tree import subschemas

_SCHEMAS = "#/components/schemas/"


def reshape(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The schemas (keyed by class name) as the models are made from them; the input is not changed."""
    if not any(_needs_reshaping(schema) for schema in schemas.values()):
        return schemas
    schemas = copy.deepcopy(schemas)
    for schema in schemas.values():
        for node in _nodes(schema):
            _close_tuple(node)
            _drop_direction_required(node)
            _keep_integers(node)
    nullable_components = {name for name, schema in schemas.items() if _null_enum(schema)}
    for name in nullable_components:
        schemas[name] = _without_null(schemas[name])
    for schema in schemas.values():
        for node in _nodes(schema):
            _split_null_enum(node)
    if nullable_components:
        _nullable_refs(schemas, nullable_components)
    return _hoisted(schemas)


def _needs_reshaping(schema: JsonValue) -> bool:
    for node in _nodes(schema):
        if any(key in node for key in ("prefixItems", "readOnly", "writeOnly", "enum")) or _numbers(node):
            return True
        for _, (container, key) in _named_slots(node):
            if _hoistable(container[key]):  # type: ignore[index]
                return True
    return False


def _nodes(schema: JsonValue) -> Iterator[dict[str, JsonValue]]:
    """The schema and every schema inside it."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(sub for sub, _ in subschemas(node))


# ---------------------------------------------------------------------------- tuples, directions


def _numbers(node: dict[str, JsonValue]) -> bool:
    """A schema of numbers that does not say integers are among them (an enum or const aside:
    its values are written out)."""
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "number" in kinds and "integer" not in kinds and "enum" not in node and "const" not in node


def _keep_integers(node: dict[str, JsonValue]) -> None:
    """`type: number` -> `[integer, number]`: the model keeps an integer an `int` (JSON's number
    includes them; the schema's meaning is the same)."""
    if _numbers(node):
        kind = node["type"]
        kinds = list(kind) if isinstance(kind, list) else [kind]
        kinds.insert(kinds.index("number"), "integer")
        node["type"] = kinds


def _close_tuple(node: dict[str, JsonValue]) -> None:
    """A `prefixItems` array with no further items and every position required gets its length
    as `maxItems`, which datamodel-code-generator writes as a tuple."""
    prefix = node.get("prefixItems")
    if not isinstance(prefix, list) or not prefix or "maxItems" in node:
        return
    closed = node.get("items") is False or node.get("unevaluatedItems") is False
    if closed and node.get("minItems") == len(prefix):
        node["maxItems"] = len(prefix)


def _drop_direction_required(node: dict[str, JsonValue]) -> None:
    properties = node.get("properties")
    required = node.get("required")
    if not isinstance(properties, dict) or not isinstance(required, list):
        return
    kept = [
        name for name in required if not (isinstance(properties.get(name), dict) and _directional(properties[name]))
    ]
    if len(kept) != len(required):
        node["required"] = kept


def _directional(schema: dict[str, JsonValue]) -> bool:
    return schema.get("readOnly") is True or schema.get("writeOnly") is True


# ---------------------------------------------------------------------------- enums with null


def _null_enum(schema: JsonValue) -> bool:
    if not isinstance(schema, dict):
        return False
    enum = schema.get("enum")
    return isinstance(enum, list) and None in enum and any(value is not None for value in enum)


def _without_null(schema: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The enum schema without its null member (and without `null` among its types)."""
    stripped = dict(schema)
    stripped["enum"] = values = [value for value in schema["enum"] if value is not None]
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        stripped["type"] = kinds[0] if len(kinds) == 1 else kinds
    elif kind is None and all(isinstance(value, str) for value in values):
        stripped["type"] = "string"  # datamodel-code-generator makes a StrEnum of a typed enum only
    if "default" in schema and schema["default"] is None:
        del stripped["default"]
    return stripped


# Keywords that describe the member rather than its values: they stay beside the `anyOf`.
_MEMBER_KEYWORDS = ("description", "title", "default", "deprecated", "readOnly", "writeOnly", "example", "examples")


def _split_null_enum(node: dict[str, JsonValue]) -> None:
    """`{enum: [a, b, null]}` -> `{anyOf: [{enum: [a, b]}, {type: null}]}` in place."""
    if not _null_enum(node):
        return
    member = {key: node[key] for key in _MEMBER_KEYWORDS if key in node}
    values = _without_null({k: v for k, v in node.items() if k not in _MEMBER_KEYWORDS})
    node.clear()
    node.update({"anyOf": [values, {"type": "null"}], **member})


def _nullable_refs(schemas: dict[str, JsonValue], names: set[str]) -> None:
    """Each reference to a component that lost its null member accepts null beside it."""
    targets = {_SCHEMAS + escape_token(name) for name in names}
    slots = [slot for schema in schemas.values() for node in _nodes(schema) for slot in _all_slots(node)]
    for container, key in slots:  # all found first: the replacements hold the same $ref again
        sub = container[key]  # type: ignore[index]
        if isinstance(sub, dict) and sub.get("$ref") in targets:
            replacement = {"anyOf": [{"$ref": sub["$ref"]}, {"type": "null"}]}
            replacement.update({k: v for k, v in sub.items() if k != "$ref"})
            container[key] = replacement  # type: ignore[index]


# Where an inline schema sits: the mapping or list holding it, and its key there.
Slot = tuple[dict[str, JsonValue] | list[JsonValue], str | int]


def _all_slots(node: dict[str, JsonValue]) -> Iterator[Slot]:
    """Every place a subschema sits directly in `node`."""
    for keyword in ("properties", "patternProperties"):
        members = node.get(keyword)
        if isinstance(members, dict):
            yield from ((members, name) for name in members)
    for keyword in ("items", "additionalProperties"):
        if isinstance(node.get(keyword), dict):
            yield node, keyword
    for keyword in ("allOf", "anyOf", "oneOf", "prefixItems"):
        members = node.get(keyword)
        if isinstance(members, list):
            yield from ((members, index) for index in range(len(members)))


# ---------------------------------------------------------------------------- names of inline schemas


def _named_slots(node: dict[str, JsonValue]) -> Iterator[tuple[str, Slot]]:
    """The inline schemas of `node` a class name can be derived for, with that name's suffix."""
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            yield pascal_case(name), (properties, name)
            # A nullable member, `anyOf: [<inline schema>, {type: null}]`: the schema is named the same.
            branches = sub.get("anyOf") if isinstance(sub, dict) else None
            if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
                yield pascal_case(name), (branches, 1 - branches.index({"type": "null"}))
    if isinstance(node.get("items"), dict):
        yield "Item", (node, "items")
    if isinstance(node.get("additionalProperties"), dict):
        yield "Value", (node, "additionalProperties")
    for keyword in ("oneOf", "anyOf"):
        branches = node.get(keyword)
        if isinstance(branches, list):
            yield from _tagged_branches(node, branches)


def _tagged_branches(node: dict[str, JsonValue], branches: list[JsonValue]) -> Iterator[tuple[str, Slot]]:
    """The inline `oneOf`/`anyOf` branches `branch_suffixes` names, with their slots."""
    for index, name in enumerate(branch_suffixes(node, branches)):
        if name:
            yield name, (branches, index)


def branch_suffixes(node: dict[str, JsonValue], branches: list[JsonValue]) -> list[str]:
    """The class-name suffix of each inline `oneOf`/`anyOf` branch ("" for a `$ref` or a branch
    left to the generator's numbering): the tag value each pins (`Shape` + `Circle` for the branch
    whose `kind` is `circle`), the tag being the discriminator's property or else the one member
    every branch pins to a single value; without a tag, the first member a branch requires that
    no other branch declares (`Condition` + `All` for `{required: [all]}` beside
    `{required: [field, op]}`). A suffix two branches would share is dropped from both. The
    models and the wire TypedDicts (wire_types.py) name branches by it alike."""
    discriminator = node.get("discriminator")
    tag = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    objects = [branch for branch in branches if isinstance(branch, dict) and "$ref" not in branch]
    if not isinstance(tag, str):
        pinned = [set(_pinned_members(branch)) for branch in objects]
        common = set.intersection(*pinned) if len(pinned) > 1 else set()
        tag = min(common) if len(common) == 1 else None
    if tag is None:
        names = _distinct_required_members(branches)
    else:
        values = [_pinned_members(branch).get(tag) if isinstance(branch, dict) else None for branch in branches]
        names = [pascal_case(value) if isinstance(value, str) and value else "" for value in values]
    return [
        name if name and names.count(name) == 1 and isinstance(branch, dict) and "$ref" not in branch else ""
        for branch, name in zip(branches, names, strict=True)
    ]


def _distinct_required_members(branches: list[JsonValue]) -> list[str]:
    """For each branch, the class-name suffix of the first member it requires that no other
    branch declares ("" when there is none, or the branch is not an inline object)."""
    declared = [
        set(branch.get("properties", {})) | set(_strings(branch.get("required")))
        if isinstance(branch, dict) and isinstance(branch.get("properties", {}), dict)
        else set()
        for branch in branches
    ]
    names = []
    for index, branch in enumerate(branches):
        others = set().union(*(d for i, d in enumerate(declared) if i != index))
        required = _strings(branch.get("required")) if isinstance(branch, dict) and "$ref" not in branch else []
        distinct = next((member for member in required if member not in others), None)
        names.append(pascal_case(distinct) if distinct else "")
    return names


def _strings(value: JsonValue) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _pinned_members(branch: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The members a branch pins to one value (`const`, or a one-value `enum`), with that value."""
    properties = branch.get("properties")
    if not isinstance(properties, dict):
        return {}
    found: dict[str, JsonValue] = {}
    for name, sub in properties.items():
        if isinstance(sub, dict):
            if "const" in sub:
                found[name] = sub["const"]
            elif isinstance(sub.get("enum"), list) and len(sub["enum"]) == 1:
                found[name] = sub["enum"][0]
    return found


def _hoistable(schema: JsonValue) -> bool:
    """An inline object with members, or an inline enum of strings: a class of its own."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if isinstance(schema.get("properties"), dict) and schema["properties"]:
        return not any(key in schema for key in ("oneOf", "anyOf"))
    enum = schema.get("enum")
    return isinstance(enum, list) and bool(enum) and all(isinstance(value, str) for value in enum)


def _hoisted(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """Inline objects and enums moved to components named after where they sit."""
    pinned = _pinned(schemas)
    result = dict(schemas)
    taken = set(schemas)
    children: dict[str, list[str]] = {}
    queue = list(schemas.items())
    while queue:
        owner, schema = queue.pop(0)
        for node, prefix in _owned_nodes(schema, owner):
            for suffix, (container, key) in list(_named_slots(node)):
                sub = container[key]  # type: ignore[index]
                if not _hoistable(sub) or id(sub) in pinned:
                    continue
                name = _unique(prefix + suffix, taken)
                result[name] = sub
                children.setdefault(owner, []).append(name)
                queue.append((name, sub))
                reference: dict[str, JsonValue] = {"$ref": _SCHEMAS + escape_token(name)}
                if isinstance(sub.get("description"), str):
                    reference["description"] = sub["description"]  # the field's docstring, as before
                container[key] = reference  # type: ignore[index]
    # Each hoisted schema just before the one it came from: the models keep the spec's order.
    ordered: dict[str, JsonValue] = {}

    def place(name: str) -> None:
        for child in children.get(name, ()):
            place(child)
        ordered[name] = result[name]

    for name in schemas:
        place(name)
    return ordered


def _owned_nodes(schema: JsonValue, owner: str) -> Iterator[tuple[dict[str, JsonValue], str]]:
    """The schema and the subschemas that are part of its class, outermost first, each with the
    name its inline schemas' names start with (`ValidationError` + `Errors` for the members of
    its `errors` array)."""
    queue = [(schema, owner)]
    while queue:
        node, prefix = queue.pop(0)
        if not isinstance(node, dict) or "$ref" in node:
            continue
        yield node, prefix
        named = {id(slot[0][slot[1]]): suffix for suffix, slot in _named_slots(node)}  # type: ignore[index]
        queue.extend((sub, prefix + named.get(id(sub), "")) for sub, _ in _shaping(node))


def _shaping(node: dict[str, JsonValue]) -> Iterator[tuple[JsonValue, str]]:
    """The subschemas that shape a model's fields (not `if`/`then`, `not`, `contains`, ...:
    datamodel-code-generator makes no classes of those)."""
    for container, key in _all_slots(node):
        if container is not node.get("patternProperties"):
            yield container[key], str(key)  # type: ignore[index]


def _pinned(schemas: dict[str, JsonValue]) -> set[int]:
    """The schemas a `$ref` points inside a component at, and those holding them: they stay put."""
    found: set[int] = set()
    for schema in schemas.values():
        for node in _nodes(schema):
            ref = node.get("$ref")
            if not isinstance(ref, str) or not ref.startswith(_SCHEMAS) or ref.count("/") <= 3:
                continue
            tokens = ref[len(_SCHEMAS) :].split("/")
            current = schemas.get(tokens[0].replace("~1", "/").replace("~0", "~"))
            for token in tokens[1:]:
                found.add(id(current))
                token = token.replace("~1", "/").replace("~0", "~")
                if isinstance(current, dict):
                    current = current.get(token)
                elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
                    current = current[int(token)]
                else:
                    break
            found.add(id(current))
    return found


def _unique(name: str, taken: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}{counter}", counter + 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------------------- optional, never null

NOT_NULL = NOT_NULL_KEY
"""Marks a member that may be left out but is never null (see `mark_not_null`)."""


def mark_not_null(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The schemas with each optional member whose schema refuses null marked `NOT_NULL`.

    datamodel-code-generator types an optional member `X | None = None` whether or not the
    schema takes null, so `TodoUpdate(title=None)` would be accepted and only the validators
    would refuse it when sent. It carries the mark into the field (`field_extra_keys`), where
    `generator.adapters.datamodel_codegen.not_null_fields` turns it into the runtime's
    `NotNull` (the field refuses an explicit None). Only members that certainly refuse null
    are marked: a `type` without `null`, an `enum`/`const` without it, a `$ref` to such a
    component, an `allOf` with such a part, an `anyOf`/`oneOf` of such branches. A member whose
    `default` is null is left alone. Only the schemas that change are copied.
    """
    changed = {name: _marked(body, schemas) for name, body in schemas.items()}
    return changed if any(changed[name] is not schemas[name] for name in schemas) else schemas


def _marked(schema: JsonValue, schemas: dict[str, JsonValue]) -> JsonValue:
    if not isinstance(schema, dict):
        return schema
    updates: dict[str, JsonValue] = {}
    for sub, pointer in subschemas(schema):
        tokens = pointer.split("/")[1:]
        new = _marked(sub, schemas)
        if tokens[0] == "properties" and len(tokens) == 2 and isinstance(new, dict):
            required = schema.get("required")
            name = tokens[1].replace("~1", "/").replace("~0", "~")
            # (a member with a default other than null is marked too: typed without None, as its
            # field never is; one whose default is null is left alone)
            optional = not (isinstance(required, list) and name in required) and new.get("default", 0) is not None
            if optional and _refuses_null(new, schemas, set()):
                new = {**new, NOT_NULL: True}
        if new is sub:
            continue
        if len(tokens) == 1:
            updates[tokens[0]] = new
        else:
            container = updates.setdefault(tokens[0], copy.copy(schema[tokens[0]]))
            key = tokens[1].replace("~1", "/").replace("~0", "~")
            container[int(key) if isinstance(container, list) else key] = new
    return {**schema, **updates} if updates else schema


def _refuses_null(schema: JsonValue, schemas: dict[str, JsonValue], seen: set[str]) -> bool:
    """Whether the schema certainly refuses null (False when unsure)."""
    if not isinstance(schema, dict) or schema.get("nullable") is True:
        return False
    kind = schema.get("type")
    if isinstance(kind, str) and kind != "null":
        return True
    if isinstance(kind, list) and kind and "null" not in kind:
        return True
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        return True
    if "const" in schema and schema["const"] is not None:
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMAS) and ref.count("/") == 3:
        name = ref[len(_SCHEMAS) :].replace("~1", "/").replace("~0", "~")
        if name not in seen and _refuses_null(schemas.get(name), schemas, seen | {name}):
            return True
    parts = schema.get("allOf")
    if isinstance(parts, list) and any(_refuses_null(part, schemas, seen) for part in parts):
        return True
    return any(
        isinstance(schema.get(keyword), list)
        and schema[keyword]
        and all(_refuses_null(branch, schemas, seen) for branch in schema[keyword])
        for keyword in ("anyOf", "oneOf")
    )
