"""Two versions of one schema, compared in the direction the data travels.

What breaks depends on who produces the value. A request is produced by the client and
checked against the NEW spec (our clients validate bodies before sending), so anything the
NEW schema no longer accepts breaks a caller: a narrowed request breaks, a widened one does
not. A response is produced by the server and parsed against the client's OLD models, so
anything the server may now send that OLD did not allow breaks: a widened response breaks, a
narrowed one does not.

The comparison therefore reports neutral *events* ("enum values removed", "null allowed",
"maximum lowered") and one table turns each event into a rule id for the scope it happened in
(a request body, a parameter, a response); the non-breaking direction becomes the info rules
`request-widened` and `response-narrowed`, so the report still says what changed.

Each pair of schemas is compared once per scope, however many operations reach it; findings
are located at the schema where the change is (a shared component once, not at every use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from generator.diff import keywords as kw
from generator.diff.findings import Finding, Side
from generator.diff.keywords import SCHEMAS, Unchanged
from generator.diff.sources import JsonValue, join, schema_at

Scope = Literal["request", "parameter", "response"]
_SCOPES: tuple[Scope, ...] = ("request", "parameter", "response")
_REF_LIMIT = 64  # a chain of `$ref`s longer than this is a loop the loader let through

# event -> rule id in a request body, in a parameter, in a response (None: not reported there)
EVENTS: dict[str, tuple[str | None, str | None, str | None]] = {
    "type-narrowed": ("request-type-changed", "parameter-type-changed", "response-narrowed"),
    "type-widened": ("request-widened", "request-widened", "response-type-widened"),
    "type-changed": ("request-type-changed", "parameter-type-changed", "response-type-widened"),
    "null-removed": ("request-type-changed", "parameter-type-changed", "response-narrowed"),
    "null-added": ("request-widened", "request-widened", "response-made-nullable"),
    "enum-removed": ("request-enum-value-removed", "parameter-constraint-narrowed", "response-narrowed"),
    "enum-added": ("request-widened", "request-widened", "response-enum-value-added"),
    "constraint-narrowed": ("request-constraint-narrowed", "parameter-constraint-narrowed", "response-narrowed"),
    "constraint-widened": ("request-widened", "request-widened", "response-constraint-widened"),
    "constraint-changed": (
        "request-constraint-narrowed",
        "parameter-constraint-narrowed",
        "response-constraint-widened",
    ),
    "property-removed": ("request-property-removed", "parameter-type-changed", "response-property-removed"),
    "property-added-required": ("request-property-made-required", "parameter-type-changed", "response-property-added"),
    "property-added": ("request-widened", "request-widened", "response-property-added"),
    "property-made-required": ("request-property-made-required", "parameter-type-changed", "response-narrowed"),
    "property-made-optional": ("request-widened", "request-widened", "response-property-made-optional"),
    "additional-closed": ("request-additional-properties-closed", "parameter-type-changed", "response-narrowed"),
    "additional-opened": ("request-widened", "request-widened", "response-property-added"),
    "variant-removed": ("request-variant-removed", "parameter-type-changed", "response-narrowed"),
    "variant-added": ("request-widened", "request-widened", "response-variant-added"),
    "discriminator-changed": (
        "request-discriminator-changed",
        "parameter-type-changed",
        "response-discriminator-changed",
    ),
    "discriminator-narrowed": ("request-discriminator-changed", "parameter-type-changed", "response-narrowed"),
    "discriminator-widened": ("request-widened", "request-widened", "response-discriminator-changed"),
    "rule-added": ("request-rule-added", None, None),
    "rule-removed": ("request-widened", None, None),
    "deprecated-added": ("deprecated-added", "deprecated-added", "deprecated-added"),
}


@dataclass
class _Shape:
    """A schema as the comparison sees it: `$ref`s followed, `allOf` parts' members merged."""

    node: dict[str, JsonValue]
    pointer: str
    label: str
    types: frozenset[str] | None  # None: any type; "null" is kept apart in `nullable`
    nullable: bool
    properties: dict[str, tuple[JsonValue, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    variants: list[tuple[JsonValue, str]] | None = None  # oneOf/anyOf branches, null branches aside

    @property
    def is_object(self) -> bool:
        return bool(self.properties or self.required) or (self.types is not None and "object" in self.types)


class SchemaComparer:
    """Compares schemas of the OLD and NEW documents, handing each finding to `emit`."""

    def __init__(
        self, old: JsonValue, new: JsonValue, emit: Callable[[Finding], None], unchanged: Unchanged | None = None
    ) -> None:
        self.documents: dict[Side, JsonValue] = {"old": old, "new": new}
        self.emit = emit
        self.seen: set[tuple[str, str, Scope]] = set()
        # True when two schemas are equal, and so is every component they reference.
        self.unchanged = unchanged if unchanged is not None else Unchanged(old, new)
        self.same = self.unchanged.components

    def event(self, scope: Scope, event: str, message: str, side: Side, pointer: str) -> None:
        rule_id = EVENTS[event][_SCOPES.index(scope)]
        if rule_id is not None:
            self.emit(Finding(rule_id, message, side, pointer))

    # ------------------------------------------------------------------ entry

    def compare(self, old: JsonValue, old_at: str, new: JsonValue, new_at: str, scope: Scope, label: str) -> None:
        """Compare the schema `old` (at `old_at` in OLD) with `new` (at `new_at` in NEW)."""
        old, old_at, _ = self.deref("old", old, old_at, label)
        new, new_at, label = self.deref("new", new, new_at, label)
        key = (old_at, new_at, scope)
        if key in self.seen:
            return
        self.seen.add(key)
        if old_at == new_at and old_at.startswith(SCHEMAS) and kw.component_name(old_at) in self.same:
            return  # most of a spec is unchanged: the whole subtree is known to be equal
        if self.unchanged(old, new):
            return
        a = self.shape("old", old, old_at, label)
        b = self.shape("new", new, new_at, label)
        if b.node.get("deprecated") is True and a.node.get("deprecated") is not True:
            self.event(scope, "deprecated-added", f"{label} is deprecated", "new", b.pointer)
        self.nullable(a, b, scope, label)
        if a.variants is not None or b.variants is not None:
            self.unions(a, b, scope, label)
            if (a.variants is None) != (b.variants is None):
                return  # a union on one side only: its branches were matched against the other side
        self.types(a, b, scope, label)
        self.formats(a, b, scope, label)
        self.enums(a, b, scope, label)
        self.bounds(a, b, scope, label)
        if a.is_object or b.is_object:
            self.objects(a, b, scope, label)
        self.items(a, b, scope, label)
        self.discriminators(a, b, scope, label)
        if scope == "request":
            self.rules(a, b, label)

    # ------------------------------------------------------------------ shapes

    def deref(self, side: Side, node: JsonValue, pointer: str, label: str) -> tuple[JsonValue, str, str]:
        for _ in range(_REF_LIMIT):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")):
                break
            target_at = node["$ref"][1:]
            target = schema_at(self.documents[side], target_at)
            if target is None:
                break
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings} if siblings and isinstance(target, dict) else target
            pointer = target_at
            if target_at.startswith(SCHEMAS) and target_at.count("/") == 3:
                label = kw.component_name(target_at)
        if node is True or node is None:
            node = {}
        elif node is False:
            node = {"not": {}}
        return node, pointer, label

    def shape(self, side: Side, raw: JsonValue, pointer: str, label: str) -> _Shape:
        node, pointer, label = self.deref(side, raw, pointer, label)
        if not isinstance(node, dict):
            node = {}
        types, nullable = kw.types(node)
        if node.get("not") == {}:
            types = frozenset()
        shape = _Shape(node, pointer, label, types, nullable)
        self._merge_members(side, shape, node, pointer, {pointer})
        for keyword in ("oneOf", "anyOf"):
            branches = node.get(keyword)
            if not isinstance(branches, list):
                continue
            shape.variants = shape.variants or []
            for index, branch in enumerate(branches):
                at = join(pointer, keyword, index)
                resolved, _, _ = self.deref(side, branch, at, label)
                if isinstance(resolved, dict) and kw.types(resolved) == (frozenset(), True) and len(resolved) <= 2:
                    shape.nullable = True  # `{type: "null"}`: the union's way of saying nullable
                else:
                    shape.variants.append((branch, at))
        return shape

    def _merge_members(
        self, side: Side, shape: _Shape, node: dict[str, JsonValue], pointer: str, merged: set[str]
    ) -> None:
        """Members and `required` of the schema and of its `allOf` parts (own ones win; each once)."""
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, schema in properties.items():
                shape.properties.setdefault(name, (schema, join(pointer, "properties", name)))
        required = node.get("required")
        if isinstance(required, list):
            shape.required.update(name for name in required if isinstance(name, str))
        parts = node.get("allOf")
        if not isinstance(parts, list):
            return
        for index, part in enumerate(parts):
            resolved, at, _ = self.deref(side, part, join(pointer, "allOf", index), shape.label)
            if isinstance(resolved, dict) and at not in merged:
                merged.add(at)
                if shape.types is None:
                    shape.types = kw.types(resolved)[0]
                self._merge_members(side, shape, resolved, at, merged)

    # ------------------------------------------------------------------ aspects

    def nullable(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        if a.nullable and not b.nullable:
            self.event(scope, "null-removed", f"{label} no longer allows null", "new", b.pointer)
        elif b.nullable and not a.nullable:
            self.event(scope, "null-added", f"{label} may now be null", "new", b.pointer)

    def types(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        if a.types == b.types:
            return
        at = join(b.pointer, "type") if "type" in b.node else b.pointer
        change = f"{label}: type {kw.type_text(a.types)} -> {kw.type_text(b.types)}"
        if a.types is None or b.types is None:
            self.event(scope, "type-narrowed" if a.types is None else "type-widened", change, "new", at)
            return
        removed = {t for t in a.types if not kw.covers(b.types, t)}
        added = {t for t in b.types if not kw.covers(a.types, t)}
        if removed and added:
            self.event(scope, "type-changed", change, "new", at)
        elif removed:
            self.event(scope, "type-narrowed", change, "new", at)
        elif added:
            self.event(scope, "type-widened", change, "new", at)

    def formats(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        old, new = a.node.get("format"), b.node.get("format")
        if old == new or not kw.may_have_format(a.types) or not kw.may_have_format(b.types):
            return
        at = join(b.pointer, "format") if new is not None else b.pointer
        if old is None:
            self.event(scope, "type-narrowed", f"{label}: format {new} added", "new", at)
        elif new is None:
            self.event(scope, "type-widened", f"{label}: format {old} removed", "new", at)
        else:
            self.event(scope, "type-changed", f"{label}: format {old} -> {new}", "new", at)

    def enums(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        old, new = kw.enum(a.node), kw.enum(b.node)
        if old == new:
            return
        at = join(b.pointer, "enum" if "enum" in b.node else "const") if new is not None else b.pointer
        if old is None:
            self.event(scope, "constraint-narrowed", f"{label}: now one of {kw.values(new or {})}", "new", at)
        elif new is None:
            self.event(scope, "constraint-widened", f"{label}: no longer limited to {kw.values(old)}", "new", at)
        else:
            removed = {k: v for k, v in old.items() if k not in new}
            added = {k: v for k, v in new.items() if k not in old}
            if removed:
                self.event(scope, "enum-removed", f"{label}: enum value(s) {kw.values(removed)} removed", "new", at)
            if added:
                self.event(scope, "enum-added", f"{label}: enum value(s) {kw.values(added)} added", "new", at)

    def bounds(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        """Bounds that apply to both sides' types (a `maximum` means nothing to a string)."""
        for kind, (lower, upper) in zip(("string", "array", "object"), kw.LENGTH_BOUNDS, strict=True):
            if not (kw.may_be(a.types, kind) and kw.may_be(b.types, kind)):
                continue
            self.bound(
                a, b, scope, label, lower, kw.integer(a.node.get(lower)), kw.integer(b.node.get(lower)), tighter=1
            )
            self.bound(
                a, b, scope, label, upper, kw.integer(a.node.get(upper)), kw.integer(b.node.get(upper)), tighter=-1
            )
        numeric = kw.may_be(a.types, "number") and kw.may_be(b.types, "number")
        for keyword, old_bound, new_bound, sign in (
            ("minimum", kw.lower(a.node), kw.lower(b.node), 1),
            ("maximum", kw.upper(a.node), kw.upper(b.node), -1),
        ):
            if not numeric:
                break
            if old_bound == new_bound:
                continue
            key = keyword if new_bound is None or not new_bound[1] else "exclusive" + keyword.capitalize()
            at = join(b.pointer, key) if new_bound is not None else b.pointer
            text = f"{label}: {keyword} {kw.bound_text(old_bound)} -> {kw.bound_text(new_bound)}"
            narrowed = kw.bound_narrowed(old_bound, new_bound, sign)
            self.event(scope, "constraint-narrowed" if narrowed else "constraint-widened", text, "new", at)
        if numeric:
            self.multiple_of(a, b, scope, label)
        old_pattern, new_pattern = a.node.get("pattern"), b.node.get("pattern")
        if old_pattern != new_pattern and kw.may_be(a.types, "string") and kw.may_be(b.types, "string"):
            at = join(b.pointer, "pattern") if new_pattern is not None else b.pointer
            before, after = (repr(p) if p is not None else "none" for p in (old_pattern, new_pattern))
            text = f"{label}: pattern {before} -> {after}"
            event = (
                "constraint-narrowed" if old_pattern is None else "constraint-widened" if new_pattern is None else ""
            )
            self.event(scope, event or "constraint-changed", text, "new", at)
        old_unique, new_unique = a.node.get("uniqueItems") is True, b.node.get("uniqueItems") is True
        if old_unique != new_unique and kw.may_be(a.types, "array") and kw.may_be(b.types, "array"):
            event = "constraint-narrowed" if new_unique else "constraint-widened"
            at = join(b.pointer, "uniqueItems") if "uniqueItems" in b.node else b.pointer
            self.event(scope, event, f"{label}: uniqueItems {old_unique} -> {new_unique}", "new", at)

    def bound(
        self,
        a: _Shape,
        b: _Shape,
        scope: Scope,
        label: str,
        keyword: str,
        old: int | None,
        new: int | None,
        tighter: int,
    ) -> None:
        if old == new:
            return
        at = join(b.pointer, keyword) if new is not None else b.pointer
        narrowed = old is None if old is None or new is None else (new - old) * tighter > 0
        text = f"{label}: {keyword} {kw.bound_text(old)} -> {kw.bound_text(new)}"
        self.event(scope, "constraint-narrowed" if narrowed else "constraint-widened", text, "new", at)

    def multiple_of(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        old, new = kw.number(a.node.get("multipleOf")), kw.number(b.node.get("multipleOf"))
        if old == new:
            return
        at = join(b.pointer, "multipleOf") if new is not None else b.pointer
        text = f"{label}: multipleOf {kw.bound_text(old)} -> {kw.bound_text(new)}"
        if old is None or (new is not None and kw.divides(old, new)):
            self.event(scope, "constraint-narrowed", text, "new", at)
        elif new is None or kw.divides(new, old):
            self.event(scope, "constraint-widened", text, "new", at)
        else:
            self.event(scope, "constraint-changed", text, "new", at)

    def objects(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        hidden = "writeOnly" if scope == "response" else "readOnly"  # members that never travel this way
        old = {n: v for n, v in a.properties.items() if not self.flag("old", v, hidden)}
        new = {n: v for n, v in b.properties.items() if not self.flag("new", v, hidden)}
        for name in sorted(a.required - set(a.properties)):
            old.setdefault(name, ({}, join(a.pointer, "required")))
        for name in sorted(b.required - set(b.properties)):
            new.setdefault(name, ({}, join(b.pointer, "required")))
        for name, (_, at) in old.items():
            if name not in new:
                self.event(scope, "property-removed", f"{label}.{name} removed", "old", at)
        for name, (_, at) in new.items():
            if name in old:
                continue
            if name in b.required:
                self.event(scope, "property-added-required", f"{label}.{name} added, required", "new", at)
            else:
                self.event(scope, "property-added", f"{label}.{name} added, optional", "new", at)
        for name, (schema, at) in new.items():
            if name not in old:
                continue
            was, now = name in a.required, name in b.required
            if now and not was:
                self.event(scope, "property-made-required", f"{label}.{name} is now required", "new", at)
            elif was and not now:
                self.event(scope, "property-made-optional", f"{label}.{name} is no longer required", "new", at)
            old_schema, old_at = old[name]
            self.compare(old_schema, old_at, schema, at, scope, f"{label}.{name}")
        self.additional(a, b, scope, label)

    def additional(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        old, new = kw.openness(a.node), kw.openness(b.node)
        at = join(b.pointer, "additionalProperties") if "additionalProperties" in b.node else b.pointer
        if old == "schema" and new == "schema":
            old_at = join(a.pointer, "additionalProperties")
            self.compare(
                a.node["additionalProperties"], old_at, b.node["additionalProperties"], at, scope, label + ".*"
            )
        elif old != new:
            opened = new == "open" or old == "closed"
            what = {"open": "any member", "closed": "no other member", "schema": "other members of a schema"}
            text = f"{label}: additionalProperties now allows {what[new]} (was {what[old]})"
            self.event(scope, "additional-opened" if opened else "additional-closed", text, "new", at)

    def items(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        old, new = a.node.get("items"), b.node.get("items")
        if old is None and new is None:
            return
        if old is not None and new is not None:
            self.compare(old, join(a.pointer, "items"), new, join(b.pointer, "items"), scope, label + "[]")
        elif new is None:
            self.event(scope, "constraint-widened", f"{label}: items no longer constrained", "new", b.pointer)
        else:
            self.event(scope, "constraint-narrowed", f"{label}: items now constrained", "new", join(b.pointer, "items"))

    def unions(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        """Branches of `oneOf`/`anyOf`, matched by the component they name, else by type and title."""
        old = a.variants if a.variants is not None else [(a.node, a.pointer)]
        new = b.variants if b.variants is not None else [(b.node, b.pointer)]
        old_keys = [self.branch_key("old", node, at, label) for node, at in old]
        new_keys = [self.branch_key("new", node, at, label) for node, at in new]
        unmatched_new = list(range(len(new)))
        for index, key in enumerate(old_keys):
            match = next((j for j in unmatched_new if new_keys[j] == key), None)
            if match is None:
                name = key[0] if key[0] else f"branch {index}"
                self.event(
                    scope, "variant-removed", f"{label}: {name} is no longer one of its shapes", "old", old[index][1]
                )
                continue
            unmatched_new.remove(match)
            (old_node, old_at), (new_node, new_at) = old[index], new[match]
            if (old_at, new_at) != (a.pointer, b.pointer):
                self.compare(old_node, old_at, new_node, new_at, scope, label)
        for j in unmatched_new:
            name = new_keys[j][0] or f"branch {j}"
            self.event(scope, "variant-added", f"{label}: {name} is a new shape of it", "new", new[j][1])

    def branch_key(self, side: Side, node: JsonValue, at: str, label: str) -> tuple[str, str]:
        resolved, pointer, _ = self.deref(side, node, at, label)
        if pointer.startswith(SCHEMAS) and pointer.count("/") == 3:
            return kw.component_name(pointer), ""
        types, nullable = kw.types(resolved) if isinstance(resolved, dict) else (None, False)
        title = resolved.get("title") if isinstance(resolved, dict) else None
        return "", f"{kw.type_text(types)}|{nullable}|{title}"

    def discriminators(self, a: _Shape, b: _Shape, scope: Scope, label: str) -> None:
        old, new = a.node.get("discriminator"), b.node.get("discriminator")
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        at = join(b.pointer, "discriminator")
        if old.get("propertyName") != new.get("propertyName"):
            text = f"{label}: discriminator {old.get('propertyName')!r} -> {new.get('propertyName')!r}"
            self.event(scope, "discriminator-changed", text, "new", at)
            return
        old_map, new_map = kw.mapping(old), kw.mapping(new)
        for value, target in old_map.items():
            if value not in new_map:
                text = f"{label}: discriminator value {value!r} removed"
                self.event(scope, "discriminator-narrowed", text, "old", join(a.pointer, "discriminator", "mapping"))
            elif new_map[value] != target:
                text = f"{label}: discriminator value {value!r} now means {new_map[value]} (was {target})"
                self.event(scope, "discriminator-changed", text, "new", join(at, "mapping", value))
        for value in new_map:
            if value not in old_map:
                self.event(
                    scope,
                    "discriminator-widened",
                    f"{label}: discriminator value {value!r} added",
                    "new",
                    join(at, "mapping", value),
                )

    def rules(self, a: _Shape, b: _Shape, label: str) -> None:
        old, new = kw.rules(a.node), kw.rules(b.node)
        for rule_id, (index, entry) in new.items():
            at = join(b.pointer, "x-rules", index)
            error = entry.get("severity", "error") == "error"
            before = old.get(rule_id)
            if before is None:
                if error:
                    self.event("request", "rule-added", f"{label}: new x-rules check {rule_id!r}", "new", at)
                continue
            was_error = before[1].get("severity", "error") == "error"
            if error and (not was_error or before[1].get("rule") != entry.get("rule")):
                self.event("request", "rule-added", f"{label}: x-rules check {rule_id!r} changed", "new", at)
            elif was_error and not error:
                self.event("request", "rule-removed", f"{label}: x-rules check {rule_id!r} is now a warning", "new", at)
        for rule_id, (index, entry) in old.items():
            if rule_id not in new and entry.get("severity", "error") == "error":
                at = join(a.pointer, "x-rules", index)
                self.event("request", "rule-removed", f"{label}: x-rules check {rule_id!r} removed", "old", at)

    def flag(self, side: Side, schema: JsonValue, keyword: str) -> bool:
        resolved, _, _ = self.deref(side, schema, "", "")
        return isinstance(resolved, dict) and resolved.get(keyword) is True
