"""The wire shape of each JSON request body as a `TypedDict`, so a mapping body is typed too.

A client method takes its JSON body as the model or as a plain mapping (CONTRACT.md); the
mapping is typed by a `TypedDict` of the body's wire shape (`TodoCreateDict`: the wire names,
the required members `Required`, enums as `Literal`s, nested objects as their own TypedDicts,
`readOnly` members left out, since the server sets them), so `create_todo(body=42)` or a
misspelt member fails the type check. They are written at the end of `models.py` (the models
emitter calls `render`) and named by `WireTypes`, which the client view uses too: both come
from the same pure function of the IR.

Open objects (`additionalProperties` not `false`) still get a closed TypedDict: a member the
schema does not name is sent when passed (the runtime sends a mapping as given), but the type
check asks for a cast.
"""

from __future__ import annotations

import contextlib
import keyword
import re
from dataclasses import dataclass, field
from typing import ClassVar

from generator.emit import generics
from generator.emit.models_input import branch_suffixes
from generator.ir import Api, JsonValue
from generator.ir.parse import pascal_case
from generator.spec.pointers import join_pointer, resolve_pointer, split_pointer

_SCHEMAS = "#/components/schemas/"
SUFFIX = "Dict"
MAX_DEPTH = 12


@dataclass
class _Definition:
    name: str
    members: list[tuple[str, str, bool]]  # wire name, type expression, required
    alias: str | None = None  # a type alias instead of a TypedDict


@dataclass
class WireTypes:
    """The TypedDicts (and aliases) of one API's JSON request bodies, and each body's type."""

    api: Api
    taken: set[str]
    definitions: dict[str, _Definition] = field(default_factory=dict)  # by name, in order
    by_pointer: dict[str, str] = field(default_factory=dict)  # schema pointer -> its definition's name
    bodies: dict[str, str] = field(default_factory=dict)  # body schema name -> type expression
    document: JsonValue = None  # the spec's document, its generic containers made concrete
    # `qualified`'s pattern of every definition's name, made once per number of definitions
    # (they only grow): a client view asks it twice per body.
    _names_pattern: tuple[int, re.Pattern[str]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, api: Api, json_bodies: list[str]) -> WireTypes:
        types = cls(api, {schema.class_name for schema in api.schemas})
        types.document = generics.specialized_document(api.document)
        concrete = types.document["components"]["schemas"] if types.document is not api.document else None
        for name in json_bodies:
            schema = api.schema(name)
            body = concrete.get(name, schema.body) if concrete is not None else schema.body
            types.bodies[name] = types._type(body, schema.class_name, 0, schema.pointer)
        return types

    # ------------------------------------------------------------------ building

    def _type(self, schema: JsonValue, hint: str, depth: int, pointer: str | None = None) -> str:
        """The type expression of a schema's wire values (`hint` names a TypedDict it needs)."""
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target_pointer = ref[1:]
            try:
                target = resolve_pointer(self.document, target_pointer)
            except KeyError:
                return "Any"
            tokens = split_pointer(target_pointer)
            named = len(tokens) == 3 and ref.startswith(_SCHEMAS)
            name = self._class_name(tokens[2]) if named else hint
            return self._nullable(schema, self._type(target, name, depth + 1, target_pointer))
        if "const" in schema:
            return _literal([schema["const"]]) or "Any"
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return _literal(enum) or "Any"
        for keyword_ in ("oneOf", "anyOf"):
            branches = schema.get(keyword_)
            if isinstance(branches, list) and branches:
                # named as the models name them; each branch's TypedDict is made once (by its
                # pointer), so a union reached again (a recursive one) reuses them
                suffixes = branch_suffixes(schema, branches)
                types = [
                    self._type(
                        branch,
                        hint + (suffixes[index] or f"Option{index + 1}"),
                        depth + 1,
                        None if pointer is None else join_pointer(join_pointer(pointer, keyword_), index),
                    )
                    for index, branch in enumerate(branches)
                ]
                return self._nullable(schema, _union(types))
        parts = schema.get("allOf")
        if isinstance(parts, list) and parts:
            return self._nullable(schema, self._all_of(schema, parts, hint, depth, pointer))
        kinds = _kinds(schema)
        types = [self._kind(schema, kind, hint, depth, pointer) for kind in kinds] if kinds else ["Any"]
        return _union(types)

    def _kind(self, schema: dict[str, JsonValue], kind: str, hint: str, depth: int, pointer: str | None) -> str:
        if kind == "object":
            return self._object(schema, hint, depth, pointer)
        if kind == "array":
            items = schema.get("items")
            prefix = schema.get("prefixItems")
            if isinstance(prefix, list) and prefix:
                types = [self._type(item, f"{hint}Item", depth + 1) for item in prefix]
                if items not in (None, False):
                    types.append(self._type(items, f"{hint}Item", depth + 1))
                return f"list[{_union(types)}]"
            return f"list[{self._type(items if items is not None else True, f'{hint}Item', depth + 1)}]"
        return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}.get(
            kind, "Any"
        )

    def _object(self, schema: dict[str, JsonValue], hint: str, depth: int, pointer: str | None) -> str:
        properties = schema.get("properties")
        if not isinstance(properties, dict) or not properties:
            extra = schema.get("additionalProperties")
            value = self._type(extra, f"{hint}Value", depth + 1) if isinstance(extra, dict) else "Any"
            return f"dict[str, {value}]"
        return self._typed_dict(hint, [(schema, hint)], depth, pointer)

    def _all_of(
        self, schema: dict[str, JsonValue], parts: list[JsonValue], hint: str, depth: int, pointer: str | None
    ) -> str:
        """An `allOf` of objects is one TypedDict of every part's members; otherwise its first part's type."""
        objects: list[tuple[dict[str, JsonValue], str]] = []
        stack: list[JsonValue] = [*parts, {k: v for k, v in schema.items() if k != "allOf"}]
        while stack:
            part = stack.pop(0)
            if not isinstance(part, dict):
                continue
            ref = part.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                try:
                    stack.insert(0, resolve_pointer(self.document, ref[1:]))
                except KeyError:
                    continue
            elif isinstance(part.get("allOf"), list):
                stack[:0] = [*part["allOf"], {k: v for k, v in part.items() if k != "allOf"}]
            elif isinstance(part.get("properties"), dict):
                objects.append((part, hint))
            elif part.get("type") != "object" and any(
                key in part for key in ("oneOf", "anyOf", "type", "enum", "const", "items")
            ):
                return self._type(part, hint, depth + 1)
        if not objects:
            return "dict[str, Any]"
        return self._typed_dict(hint, objects, depth, pointer)

    def _typed_dict(
        self, hint: str, objects: list[tuple[dict[str, JsonValue], str]], depth: int, pointer: str | None
    ) -> str:
        if pointer is not None and pointer in self.by_pointer:
            return self.by_pointer[pointer]
        name = self._unique(hint + SUFFIX)
        if pointer is not None:
            self.by_pointer[pointer] = name
        definition = _Definition(name, [])
        self.definitions[name] = definition
        members: dict[str, tuple[str, bool]] = {}
        for schema, _ in objects:
            required = {item for item in schema.get("required") or [] if isinstance(item, str)}
            for wire, sub in (schema.get("properties") or {}).items():
                if isinstance(sub, dict) and sub.get("readOnly") is True:
                    continue  # the server sets it: not part of a request
                member_type = self._type(sub, hint + pascal_case(wire), depth + 1)
                before = members.get(wire)
                members[wire] = (member_type, wire in required or bool(before and before[1]))
            for wire in required:
                if wire in members:
                    members[wire] = (members[wire][0], True)
        definition.members = [(wire, kind, needed) for wire, (kind, needed) in members.items()]
        return name

    def _nullable(self, schema: dict[str, JsonValue], kind: str) -> str:
        return _union([kind, "None"]) if _accepts_null(schema) else kind

    def _class_name(self, component: str) -> str:
        for schema in self.api.schemas:
            if schema.name == component:
                return schema.class_name
        return pascal_case(component)

    def _unique(self, name: str) -> str:
        candidate, counter = name, 2
        while candidate in self.taken:
            candidate, counter = f"{name}{counter}", counter + 1
        self.taken.add(candidate)
        return candidate

    # ------------------------------------------------------------------ writing

    def render(self) -> str:
        """The TypedDicts as Python source (to follow the models), "" when there are none."""
        if not self.definitions:
            return ""
        blocks = []
        for definition in self.definitions.values():
            members = definition.members
            identifiers = all(wire.isidentifier() and not keyword.iskeyword(wire) for wire, _, _ in members)
            doc = f'"""The wire shape of a `{definition.name.removesuffix(SUFFIX)}` request body."""'
            if identifiers and members:
                lines = [f"class {definition.name}(TypedDict, total=False):", f"    {doc}", ""]
                lines += [f"    {wire}: {_field(kind, needed)}" for wire, kind, needed in members]
            else:
                entries = ", ".join(f"{wire!r}: {_quoted(_field(kind, needed))}" for wire, kind, needed in members)
                lines = [f"{definition.name} = TypedDict({definition.name!r}, {{{entries}}}, total=False)"]
                lines.append(doc)
            blocks.append("\n".join(lines))
        return "\n\n\n".join(blocks) + "\n"

    def typing_names(self) -> list[str]:
        """What `render`'s source needs from `typing`."""
        text = self.render()
        return [name for name in ("Any", "Literal", "Required", "TypedDict") if re.search(rf"\b{name}\b", text)]

    def qualified(self, expression: str, prefix: str) -> str:
        """`expression` with each TypedDict name prefixed (`_models.TodoCreateDict`)."""
        if not self.definitions:
            return expression
        if self._names_pattern is None or self._names_pattern[0] != len(self.definitions):
            names = "|".join(re.escape(name) for name in sorted(self.definitions, key=len, reverse=True))
            self._names_pattern = (len(self.definitions), re.compile(rf"(?<![\w.])({names})\b"))
        return self._names_pattern[1].sub(rf"{prefix}\1", expression)


def json_body_schemas(api: Api) -> list[str]:
    """The schemas of the API's JSON request bodies, each once, in operation order."""
    from generator.emit.client import body_encoder

    names: list[str] = []
    for operation in api.operations:
        body = operation.body
        if body is None or body.schema_name is None or body.schema_name in names:
            continue
        if body_encoder(body.content_type) == "_runtime.json_body":
            names.append(body.schema_name)
    return names


def wire_types(api: Api) -> WireTypes:
    """The API's wire types (the same for the models emitter and the client view)."""
    return WireTypes.of(api, json_body_schemas(api))


def _field(kind: str, required: bool) -> str:
    return f"Required[{kind}]" if required else kind


def _quoted(expression: str) -> str:
    """A forward reference (functional TypedDicts evaluate their member types when made)."""
    return repr(expression)


def _kinds(schema: dict[str, JsonValue]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    if isinstance(kind, str):
        return [kind]
    if "properties" in schema or "additionalProperties" in schema:
        return ["object"]
    if "items" in schema or "prefixItems" in schema:
        return ["array"]
    return []


def _accepts_null(schema: dict[str, JsonValue]) -> bool:
    kind = schema.get("type")
    return (isinstance(kind, list) and "null" in kind) or kind == "null"


def _literal(values: list[JsonValue]) -> str | None:
    """`Literal[...]` of JSON scalars (None among them: `... | None`)."""
    scalars = [v for v in values if isinstance(v, str | int | float | bool) and not isinstance(v, float)]
    if len(scalars) + values.count(None) != len(values):
        return None
    parts = [f"Literal[{', '.join(repr(v) for v in scalars)}]"] if scalars else []
    if None in values:
        parts.append("None")
    return " | ".join(parts) or None


def _union(types: list[str]) -> str:
    flat: list[str] = []
    for kind in types:
        for part in _split_union(kind):
            if part not in flat:
                flat.append(part)
    if "Any" in flat:
        return "Any"
    # None last, as the models write it.
    flat.sort(key=lambda part: part == "None")
    return " | ".join(flat)


def _split_union(expression: str) -> list[str]:
    """The top-level members of `A | B[C | D] | None`."""
    if "[" not in expression and "]" not in expression:  # (most are: every `|` is a top-level one)
        return [part for part in (piece.strip() for piece in expression.split("|")) if part]
    parts, depth, current = [], 0, ""
    for char in expression:
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


ReadOnly = list[tuple[tuple[str, ...], str]]


def read_only_members(api: Api, schema: JsonValue) -> ReadOnly:
    """Where a request body's `readOnly` members sit: (keys to their object, `*` for any item or
    map value; member), for `_runtime.without_read_only`."""
    return directional_members(api, schema, "readOnly")


def write_only_members(api: Api, schema: JsonValue) -> ReadOnly:
    """Where a response's `writeOnly` members sit, for `_runtime.not_required`."""
    return directional_members(api, schema, "writeOnly")


def directional_members(api: Api, schema: JsonValue, keyword: str) -> ReadOnly:
    """Where the members marked `keyword` (`readOnly`, `writeOnly`) sit in a schema."""
    found: ReadOnly = []
    seen: set[tuple[int, tuple[str, ...]]] = set()

    reaches = _Reach(api, keyword)

    def walk(node: JsonValue, path: tuple[str, ...], depth: int) -> None:
        if not isinstance(node, dict) or depth > MAX_DEPTH or (id(node), path) in seen or not reaches(node):
            return
        seen.add((id(node), path))
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            with contextlib.suppress(KeyError):
                walk(resolve_pointer(api.document, ref[1:]), path, depth + 1)
        for keyword_ in ("allOf", "oneOf", "anyOf"):
            for part in node.get(keyword_) or []:
                walk(part, path, depth + 1)
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                if _marked(api, sub, keyword):
                    if (path, name) not in found:
                        found.append((path, name))
                else:
                    walk(sub, (*path, name), depth + 1)
        for keyword_ in ("items", "additionalProperties"):
            if isinstance(node.get(keyword_), dict):
                walk(node[keyword_], (*path, "*"), depth + 1)

    walk(schema, (), 0)
    return found


class _Reach:
    """Whether a member marked `keyword` can be reached from a schema node (through `$ref`s,
    applicators, properties, items and map values): the walk above skips every subschema that
    reaches none, so a spec with few or no marked members costs a walk of its nodes, not of
    every path through them (264,000 visits for 520 bodies and responses at 200 operations).
    Remembered per document: every body and response of an API asks about the same components.
    """

    _memos: ClassVar[dict[tuple[int, str], tuple[JsonValue, dict[int, bool]]]] = {}

    def __init__(self, api: Api, keyword: str) -> None:
        self.api = api
        self.keyword = keyword
        key = (id(api.document), keyword)
        entry = self._memos.get(key)
        if entry is None or entry[0] is not api.document:
            if len(self._memos) >= 8:
                self._memos.clear()
            entry = self._memos[key] = (api.document, {})
        self.memo = entry[1]

    def __call__(self, node: JsonValue) -> bool:
        return self._reaches(node, set())[0]

    def _reaches(self, node: JsonValue, active: set[int]) -> tuple[bool, bool]:
        """(reaches a marked member, the answer leaned on a node still being decided)."""
        if not isinstance(node, dict):
            return False, False
        known = self.memo.get(id(node))
        if known is not None:
            return known, False
        if id(node) in active:
            return False, True  # a cycle: decided where it started
        active.add(id(node))
        found, tentative = False, False
        for sub in self._children(node):
            if isinstance(sub, dict) and _marked(self.api, sub, self.keyword):
                found = True
                break
            reached, leaned = self._reaches(sub, active)
            tentative = tentative or leaned
            if reached:
                found = True
                break
        active.discard(id(node))
        if found or not tentative:
            self.memo[id(node)] = found
        return found, tentative and not found

    def _children(self, node: dict[str, JsonValue]) -> list[JsonValue]:
        children: list[JsonValue] = []
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            with contextlib.suppress(KeyError):
                children.append(resolve_pointer(self.api.document, ref[1:]))
        for applicator in ("allOf", "oneOf", "anyOf"):
            parts = node.get(applicator)
            if isinstance(parts, list):
                children += parts
        properties = node.get("properties")
        if isinstance(properties, dict):
            children += properties.values()
        for single in ("items", "additionalProperties"):
            if isinstance(node.get(single), dict):
                children.append(node[single])
        return children


def _marked(api: Api, schema: JsonValue, keyword: str) -> bool:
    if isinstance(schema, dict) and schema.get(keyword) is True:
        return True
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith("#/"):
        try:
            target = resolve_pointer(api.document, ref[1:])
        except KeyError:
            return False
        return isinstance(target, dict) and target.get(keyword) is True
    return False
