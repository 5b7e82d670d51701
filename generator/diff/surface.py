"""The SDK-surface rules: what changes for someone who imports the generated package.

Some changes are harmless on the wire and still break a user's code: a component schema
renamed (the JSON is the same, `from pkg.models import Session` fails), an `x-sdkgen-name`
changed, a path parameter renamed (`{id}` -> `{petId}`: same URL, another keyword argument).
These rules compare the two IRs and client views (the names and Python types the templates
write), without rendering either package.

Field types are worked out from the schemas the way the models read them (type, format, enum,
`$ref` to a class, nullability, optionality); they name a type precisely enough to see that it
changed, which is all a comparison needs. Where a wire rule already explains a change at the
same place (a member removed, a type narrowed) the orchestrator keeps only the wire finding. A
parameter's Python type follows its schema alone, so the parameter rules report its changes.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.diff.findings import Finding, Side
from generator.diff.keywords import SCHEMAS, Unchanged, ref_names
from generator.diff.pairing import Pairing, media_schema_pointers, pair_parameters
from generator.diff.schemas import SchemaComparer
from generator.diff.sources import JsonValue, Loaded, Operation, Schema, join, schema_at, snake_case

# Ids whose finding says nothing a wire finding at the same place does not already say.
EXPLAINED_BY_WIRE = frozenset({"sdk-field-removed", "sdk-field-type-changed", "sdk-body-type-changed"})
_FORMATS = {"date-time": "datetime", "date": "date", "time": "time", "uuid": "UUID", "binary": "bytes"}
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_DEPTH = 8


@dataclass(frozen=True, slots=True)
class _Field:
    wire: str
    annotation: str
    pointer: str
    body: str  # the wire schema without its prose: a renamed member keeps it


def surface_findings(old: Loaded, new: Loaded, pairing: Pairing, unchanged: Unchanged | None = None) -> list[Finding]:
    surface = _Surface(old, new, unchanged)
    surface.package()
    renames = surface.classes(pairing)
    surface.methods(pairing, renames)
    return surface.findings


class _Surface:
    def __init__(self, old: Loaded, new: Loaded, unchanged: Unchanged | None = None) -> None:
        self.old = old
        self.new = new
        self.findings: list[Finding] = []
        # Only its `$ref` following and `allOf` merging are used: it reports nothing here.
        self.reader = SchemaComparer(old.document, new.document, lambda finding: None, unchanged)
        self.classes_by_name: dict[Side, dict[str, str]] = {
            "old": {schema.name: schema.class_name for schema in old.api.schemas},
            "new": {schema.name: schema.class_name for schema in new.api.schemas},
        }

    def add(self, rule_id: str, message: str, side: Side, pointer: str) -> None:
        self.findings.append(Finding(rule_id, message, side, pointer))

    def side(self, side: Side) -> Loaded:
        return self.old if side == "old" else self.new

    def package(self) -> None:
        before, after = self.old.api.package, self.new.api.package
        named = [_names_package(side.document) for side in (self.old, self.new)]
        if before == after or (not any(named) and self.old.api.spec_file != self.new.api.spec_file):
            return  # two differently named files compared: their names are the user's choice
        at = "/info/x-sdkgen-package" if named[1] else ""
        self.add("sdk-package-renamed", f"package {before} is now {after}", "new", at)

    # ------------------------------------------------------------------ classes and fields

    def classes(self, pairing: Pairing) -> dict[str, str]:
        """Report class and field changes; returns OLD class name -> NEW class name for renames."""
        old_at = self.source_pointers("old", self.old.api.operations)
        new_at = self.source_pointers("new", self.new.api.operations)
        new_by_name = {schema.name: schema for schema in self.new.api.schemas}
        old_names = {schema.name for schema in self.old.api.schemas}
        owners: dict[str, Operation] = {}
        for op in self.old.api.operations:
            for name in (op.body.schema_name if op.body else None, *(r.schema_name for r in op.responses)):
                if name is not None:
                    owners.setdefault(name, op)
        kept = {id(old) for old, new in pairing.pairs if old.python_name == new.python_name}
        fresh = {
            _body_key(schema): schema
            for schema in self.new.api.schemas
            if schema.name not in old_names and not schema.synthetic
        }
        renames: dict[str, str] = {}
        matched: list[tuple[str, str, str]] = []
        for schema in self.old.api.schemas:
            match = new_by_name.get(schema.name)
            if match is None and not schema.synthetic:
                match = fresh.pop(_body_key(schema), None)
            where_old = old_at.get(schema.name, schema.pointer)
            if match is None:
                if schema.synthetic and id(owners.get(schema.name)) not in kept:
                    continue  # the class of an operation that is gone or renamed: reported there
                self.add("sdk-class-removed", f"model class {schema.class_name} removed", "old", where_old)
                continue
            where_new = new_at.get(match.name, match.pointer)
            if match.class_name != schema.class_name:
                renames[schema.class_name] = match.class_name
                text = f"model class {schema.class_name} is now {match.class_name}"
                self.add("sdk-class-renamed", text, "new", where_new)
            matched.append((match.class_name, where_old, where_new))
        for class_name, where_old, where_new in matched:
            if not self.same_fields(where_old, where_new):
                self.fields(class_name, where_old, where_new, renames)
        return renames

    def same_fields(self, old_at: str, new_at: str) -> bool:
        """True when a class's fields cannot differ: the same body, naming the same classes."""
        body = schema_at(self.new.document, new_at)
        if schema_at(self.old.document, old_at) != body:
            return False
        names = ref_names(body)
        if names is None:
            return False
        return all(self.class_of("old", name) == self.class_of("new", name) is not None for name in names)

    def source_pointers(self, side: Side, operations: tuple[Operation, ...]) -> dict[str, str]:
        document = self.side(side).document
        found: dict[str, str] = {}
        for op in operations:
            for name, at in media_schema_pointers(document, op).items():
                found.setdefault(name, at)
        return found

    def fields(self, class_name: str, old_at: str, new_at: str, renames: dict[str, str]) -> None:
        before = {
            name: dataclasses.replace(field, annotation=_renamed(field.annotation, renames, prefix=""))
            for name, field in self.model_fields("old", old_at)
        }
        after = dict(self.model_fields("new", new_at))
        gone = [name for name in before if name not in after]
        fresh = [name for name in after if name not in before]
        for name in gone:
            field = before[name]
            twins = [n for n in fresh if (after[n].annotation, after[n].body) == (field.annotation, field.body)]
            twin = twins[0] if len(twins) == 1 else None
            if twin is not None:
                fresh.remove(twin)
                text = f"{class_name}.{name} is now {class_name}.{twin} ({field.wire} -> {after[twin].wire})"
                self.add("sdk-field-renamed", text, "new", after[twin].pointer)
            else:
                self.add("sdk-field-removed", f"field {class_name}.{name} removed", "old", field.pointer)
        for name, field in after.items():
            was = before.get(name)
            if was is not None and was.annotation != field.annotation:
                text = f"{class_name}.{name}: {was.annotation} -> {field.annotation}"
                self.add("sdk-field-type-changed", text, "new", field.pointer)

    def model_fields(self, side: Side, at: str) -> Iterator[tuple[str, _Field]]:
        shape = self.reader.shape(side, schema_at(self.side(side).document, at), at, "")
        for wire, (schema, pointer) in shape.properties.items():
            annotation = self.annotation(side, schema, pointer, _DEPTH)
            if wire not in shape.required and not annotation.endswith("None"):
                annotation += " | None"
            yield snake_case(wire), _Field(wire, annotation, pointer, _prose_free(schema))

    def annotation(self, side: Side, raw: JsonValue, at: str, depth: int) -> str:
        """A Python type naming what values of this schema the models hold."""
        node, pointer, _ = self.reader.deref(side, raw, at, "")
        if pointer.startswith(SCHEMAS) and pointer.count("/") == 3:
            return self.class_name(side, pointer)
        if not isinstance(node, dict) or depth <= 0:
            return "Any"
        enum = node.get("enum")
        if isinstance(enum, list) and enum:
            return "Literal[" + ", ".join(json.dumps(v) for v in enum) + "]"
        parts: list[str] = []
        for keyword in ("oneOf", "anyOf"):
            for index, branch in enumerate(node.get(keyword) or []):
                parts.append(self.annotation(side, branch, join(pointer, keyword, index), depth - 1))
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            parts.append(self.annotation(side, all_of[0], join(pointer, "allOf", 0), depth - 1))
        kind = node.get("type")
        for name in [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []:
            parts.append(self.scalar(side, node, pointer, str(name), depth))
        if node.get("nullable") is True:
            parts.append("None")
        unique = list(dict.fromkeys(parts)) or ["Any"]
        return " | ".join(sorted(unique, key=lambda part: part == "None"))

    def scalar(self, side: Side, node: dict[str, JsonValue], pointer: str, kind: str, depth: int) -> str:
        if kind == "string":
            return _FORMATS.get(str(node.get("format")), "str")
        if kind == "array":
            items = self.annotation(side, node.get("items", {}), join(pointer, "items"), depth - 1)
            return f"list[{items}]"
        if kind == "object":
            if isinstance(node.get("properties"), dict):
                return "model{" + ",".join(sorted(node["properties"])) + "}"
            extra = node.get("additionalProperties")
            values = self.annotation(side, extra, join(pointer, "additionalProperties"), depth - 1)
            return f"dict[str, {values if isinstance(extra, dict) and extra else 'Any'}]"
        return _SCALARS.get(kind, "Any")

    def class_name(self, side: Side, pointer: str) -> str:
        name = pointer[len(SCHEMAS) :].replace("~1", "/").replace("~0", "~")
        return self.class_of(side, name) or name

    def class_of(self, side: Side, name: str) -> str | None:
        classes = self.classes_by_name[side]
        return classes.get(name)

    # ------------------------------------------------------------------ methods

    def methods(self, pairing: Pairing, renames: dict[str, str]) -> None:
        old_views = {id(op): view for op, view in zip(self.old.api.operations, self.old.view.operations, strict=True)}
        new_views = {id(op): view for op, view in zip(self.new.api.operations, self.new.view.operations, strict=True)}
        for old, new in pairing.pairs:
            before, after = old_views[id(old)], new_views[id(new)]
            if old.operation_id == new.operation_id and old.python_name != new.python_name:
                text = f"method {old.python_name}() is now {new.python_name}() ({new.operation_id})"
                self.add("sdk-method-renamed", text, "new", new.pointer)
            method = f"{new.python_name}()"
            pairs, _, _ = pair_parameters(old, new)
            for was, now in pairs:
                if was.python_name != now.python_name:
                    text = f"{method}: keyword argument {was.python_name}= is now {now.python_name}="
                    self.add("sdk-parameter-renamed", text, "new", now.pointer)
            if before.body is not None and after.body is not None:
                was_type, now_type = _renamed(before.body.annotation, renames), after.body.annotation
                if _body_model(was_type) != _body_model(now_type):
                    text = f"{method}: body: {_plain(was_type)} -> {_plain(now_type)}"
                    self.add("sdk-body-type-changed", text, "new", join(new.pointer, "requestBody"))
            was_type, now_type = _renamed(before.return_annotation, renames), after.return_annotation
            if was_type != now_type:
                text = f"{method} returns {_plain(now_type)} (was {_plain(was_type)})"
                self.add("sdk-return-type-changed", text, "new", join(new.pointer, "responses"))


def _body_model(annotation: str) -> str:
    """What of a `body=` annotation a change of breaks callers: its model, and whether it takes a
    mapping. The rest (a `oneOf` body's branch models, the TypedDicts of its wire shape) follows
    the body's schema, whose changes the wire findings report."""
    first, *rest = annotation.split(" | ")
    return f"{first} | <mapping>" if rest else first


def _names_package(document: JsonValue) -> bool:
    info = document.get("info") if isinstance(document, dict) else None
    return isinstance(info, dict) and "x-sdkgen-package" in info


def _body_key(schema: Schema) -> str:
    """A schema's body without its prose: equal for a component that was only renamed."""
    return _prose_free(schema.body)


def _prose_free(body: JsonValue) -> str:
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in ("description", "title", "x-sdkgen-name", "examples")}
    return json.dumps(body, sort_keys=True, default=str)


def _renamed(annotation: str, renames: dict[str, str], prefix: str = "_models.") -> str:
    """The annotation with renamed classes under their new names (a rename is reported once)."""
    if not renames:
        return annotation
    pattern = r"(?<![\w.])" + re.escape(prefix) + r"(\w+)\b"
    return re.sub(pattern, lambda m: prefix + renames.get(m.group(1), m.group(1)), annotation)


def _plain(annotation: str) -> str:
    return annotation.replace("_models.", "")
