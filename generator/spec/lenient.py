"""`--lenient`: the common defects of vendors' specs, repaired in memory, each a located warning.

Strict is the default because a spec a team writes should say what it means. A vendor's spec
is another matter: it ships with a `default` that breaks its own schema or `nullable` in a
3.1 document, and editing it only lasts until the next release. With `--lenient` each defect
on the list below becomes a warning at its line and the repair is made in memory:

| defect | repair |
|---|---|
| `info.version` (or `info.title`, or `info`) missing | `0.0.0` (the title: the file's stem) |
| `jsonSchemaDialect` other than 2020-12 | dropped: schemas are read as 2020-12 |
| `nullable` in a 3.1 document | `true`: `type: [..., 'null']` (else `anyOf: [..., {type: 'null'}]`); `false`: dropped |
| `type: 'null'` (alone, in a list, or as an `anyOf`/`oneOf` branch) in a 3.0 document | `nullable: true` |
| a boolean `exclusiveMinimum`/`exclusiveMaximum` in 3.1 | the 3.1 form (`exclusiveMinimum: <min>`); `false`: dropped |
| `allOf`/`anyOf`/`oneOf: []` | removed |
| a `required` name that no property defines | dropped from `required` |
| `default: null` on a schema that does not accept null | dropped |
| a `default` that breaks its own schema | dropped |
| an unknown schema keyword (a typo, another tool's unprefixed extension) | dropped, as JSON Schema ignores it |
| a `pattern` the generated code cannot check the way ECMA-262 means it (`\\p{L}`, ...) | dropped |
| an operation that still cannot be generated | skipped, named in a warning and in the package's README |

Every repair is also an overlay action (`Action`): applied in memory here, and printed by
`sdkgen lint --lenient` as an OpenAPI Overlay which, saved beside the spec as
`<stem>.overlay.yaml`, makes it strict-clean. A value that came from another file (a `$ref`
to a sibling file) is repaired all the same but cannot be reached by an overlay of the spec:
the printed overlay names it in a comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace

import yaml

from generator.diagnostics import Diagnostic, Location, SpecError, warning
from generator.spec.bundle import LoadedSpec
from generator.spec.overlay import apply_action, location_of, normalized_path
from generator.spec.pointers import JsonValue, every_pointer, join_pointer, resolve_pointer, split_pointer
from generator.spec.schema_tree import subschemas

# OpenAPI 3.2 adds `query`; an `additionalOperations` method is skipped with its whole path item.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
# Rounds of "validate, repair what the validator found" before what is left is an error.
MAX_ROUNDS = 8
_COMPOSITIONS = ("allOf", "anyOf", "oneOf")
# Members of a `{type: 'null'}` branch that say nothing about the value.
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly"})
_BRANCH = re.compile(r"/(anyOf|oneOf)/\d+$")
_DIALECT_2020_12 = re.compile(
    r"https?://json-schema\.org/draft/2020-12/schema#?|https://spec\.openapis\.org/oas/3\.1/.*"
)


@dataclass(frozen=True, slots=True)
class Action:
    """One overlay action: what a repair did, in the terms an overlay file states it."""

    target: str
    description: str
    update: JsonValue = None
    remove: bool = False

    def as_overlay(self) -> dict[str, JsonValue]:
        action: dict[str, JsonValue] = {"target": self.target, "description": self.description}
        if self.remove:
            action["remove"] = True
        else:
            action["update"] = self.update
        return action


@dataclass(frozen=True, slots=True)
class Skipped:
    """An operation left out: it still could not be generated after the repairs."""

    method: str
    path: str
    operation_id: str | None
    reason: str


@dataclass
class Lenient:
    """The repairs of one loaded spec (its `data` is changed in place, its `warnings` extended)."""

    spec: LoadedSpec
    known_keywords: Collection[str]
    pattern_problem: Callable[[str], str | None]  # why a `pattern` cannot be checked (None: it can)
    actions: list[Action] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # repairs an overlay of the spec cannot make
    skipped: list[Skipped] = field(default_factory=list)
    _where: dict[tuple[str, int, int], str] | None = None

    @property
    def data(self) -> dict[str, JsonValue]:
        return self.spec.data

    @property
    def openapi_30(self) -> bool:
        return str(self.data.get("openapi", "")).startswith("3.0")

    # ------------------------------------------------------------------------ making a repair

    def repair(self, at: str, message: str, *edits: tuple[str, str, JsonValue], at_key: bool = False) -> None:
        """Report `message` at `at` (its key, with `at_key`) and make `edits`: ("remove", pointer,
        None), ("remove-where", array pointer, filter), ("update", object pointer, members)."""
        location = self.spec.source_map.locate_key(at) if at_key else self.spec.locate(at)
        self.spec.warnings.append(warning(message, location))
        reachable = self._reachable(at)
        for kind, pointer, value in edits:
            target = normalized_path(location_of(self.data, pointer))
            if kind == "remove-where":
                action = Action(f"{target}[?{value}]", message, remove=True)
            elif kind == "remove":
                action = Action(target, message, remove=True)
            else:
                action = Action(target, message, update=value)
            apply_action(self.data, action.target, update=action.update, remove=action.remove)
            if reachable:
                self.actions.append(action)
        if not reachable:
            self.unreachable.append(f"{location}: {message}")
        self._where = None

    def _reachable(self, pointer: str) -> bool:
        """True when the value is the spec file's own (an overlay of the spec can change it)."""
        probe = pointer
        while probe:
            if probe in self.spec.source_map.grafts:
                return False
            probe = probe.rsplit("/", 1)[0]
        return True

    # ------------------------------------------------------------------------ the repairs

    def run(self) -> None:
        """Every repair of the list, then the validator's findings until it finds nothing to repair."""
        self._info()
        self._dialect()
        first = len(self.spec.warnings)
        for pointer in reversed(list(_schema_sites(self.data))):
            # Children before their parents: a repair may move a schema's members into `anyOf`.
            schema = resolve_pointer(self.data, pointer)
            if isinstance(schema, dict):
                self._schema(schema, pointer)
        self.spec.warnings[first:] = sorted(self.spec.warnings[first:], key=_place)
        for _ in range(MAX_ROUNDS):
            if not self._validator_findings():
                break
        self._skip_invalid_operations()

    def _info(self) -> None:
        info = self.data.get("info")
        if not isinstance(info, dict):
            if "info" not in self.data:
                title = self.spec.path.stem
                self.repair(
                    "",
                    f"`info` is missing: taken as title {title!r}, version '0.0.0'",
                    ("update", "", {"info": {"title": title, "version": "0.0.0"}}),
                )
            return
        if not isinstance(info.get("title"), str) and "title" not in info:
            self.repair(
                "/info",
                "info.title is missing: taken as the file's stem",
                ("update", "/info", {"title": self.spec.path.stem}),
            )
        if "version" not in info:
            self.repair("/info", "info.version is missing: taken as '0.0.0'", ("update", "/info", {"version": "0.0.0"}))
        elif not isinstance(info["version"], str):
            self.repair(
                "/info/version",
                f"info.version {info['version']!r} is not a string: taken as {str(info['version'])!r}",
                ("update", "/info", {"version": str(info["version"])}),
            )

    def _dialect(self) -> None:
        dialect = self.data.get("jsonSchemaDialect")
        if dialect is not None and not (isinstance(dialect, str) and _DIALECT_2020_12.fullmatch(dialect)):
            self.repair(
                "/jsonSchemaDialect",
                f"jsonSchemaDialect {dialect!r} dropped: schemas are read as JSON Schema 2020-12",
                ("remove", "/jsonSchemaDialect", None),
            )

    def _schema(self, schema: dict[str, JsonValue], pointer: str) -> None:
        if self.openapi_30:
            self._null_type_30(schema, pointer)
        else:
            self._nullable_31(schema, pointer)
            self._boolean_exclusive_31(schema, pointer)
        for key in _COMPOSITIONS:
            if schema.get(key) == []:
                at = join_pointer(pointer, key)
                self.repair(at, f"`{key}: []` removed (an empty list of schemas)", ("remove", at, None))
        self._undefined_required(schema, pointer)
        if "default" in schema and schema["default"] is None and not _accepts_null(schema, self.openapi_30):
            at = join_pointer(pointer, "default")
            self.repair(at, "`default: null` dropped: the schema does not accept null", ("remove", at, None))
        self._unknown_keywords(schema, pointer)
        pattern = schema.get("pattern")
        problem = self.pattern_problem(pattern) if isinstance(pattern, str) else None
        if problem is not None:
            at = join_pointer(pointer, "pattern")
            self.repair(
                at,
                f"pattern {pattern!r} cannot be checked in Python ({problem}): dropped (values go unchecked)",
                ("remove", at, None),
            )

    def _nullable_31(self, schema: dict[str, JsonValue], pointer: str) -> None:
        if "nullable" not in schema:
            return
        at = join_pointer(pointer, "nullable")
        if schema["nullable"] is not True:
            self.repair(at, "`nullable` is OpenAPI 3.0, and not true here: dropped", ("remove", at, None))
            return
        kind = schema.get("type")
        edits: list[tuple[str, str, JsonValue]] = [("remove", at, None)]
        if isinstance(kind, (str, list)):
            kinds = [kind] if isinstance(kind, str) else list(kind)
            update: dict[str, JsonValue] = {"type": kinds if "null" in kinds else [*kinds, "null"]}
            enum = schema.get("enum")
            if isinstance(enum, list) and None not in enum:
                update["enum"] = [*enum, None]
            edits.append(("update", pointer, update))
            said = f"type: {update['type']!r}"
        elif any(key in schema for key in ("$ref", *_COMPOSITIONS)):
            inner = {key: schema[key] for key in ("$ref", *_COMPOSITIONS) if key in schema}
            edits += [("remove", join_pointer(pointer, key), None) for key in inner]
            edits.append(("update", pointer, {"anyOf": [inner, {"type": "null"}]}))
            said = "anyOf: [..., {type: 'null'}]"
        else:
            said = "nothing more (the schema already accepts null)"
        self.repair(at, f"`nullable: true` is OpenAPI 3.0: in this 3.1 document read as {said}", *edits)

    def _null_type_30(self, schema: dict[str, JsonValue], pointer: str) -> None:
        kind = schema.get("type")
        at = join_pointer(pointer, "type")
        if kind == "null" and _BRANCH.search(pointer) and set(schema) - _ANNOTATIONS == {"type"}:
            pass  # a `{type: 'null'}` branch of anyOf/oneOf: its parent becomes nullable instead
        elif kind == "null":
            self.repair(
                at,
                "`type: 'null'` is not OpenAPI 3.0: read as `nullable: true`",
                ("remove", at, None),
                ("update", pointer, {"nullable": True, "enum": [None]}),
            )
        elif isinstance(kind, list):
            others = [k for k in kind if k != "null"]
            if len(others) == 1:
                update: dict[str, JsonValue] = {"type": others[0]}
                if "null" in kind:
                    update["nullable"] = True
                self.repair(
                    at,
                    f"`type: {kind!r}` is not OpenAPI 3.0 (a type is one string): read as {update}",
                    ("update", pointer, update),
                )
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key)
            if not isinstance(branches, list):
                continue
            nulls = [
                b
                for b in branches
                if isinstance(b, dict) and b.get("type") == "null" and set(b) - _ANNOTATIONS == {"type"}
            ]
            if nulls and len(nulls) < len(branches):
                list_at = join_pointer(pointer, key)
                self.repair(
                    join_pointer(list_at, branches.index(nulls[0])),
                    f"a `{{type: 'null'}}` branch of `{key}` is not OpenAPI 3.0: read as `nullable: true`",
                    ("remove-where", list_at, "@.type == 'null'"),
                    ("update", pointer, {"nullable": True}),
                )

    def _boolean_exclusive_31(self, schema: dict[str, JsonValue], pointer: str) -> None:
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = schema.get(exclusive)
            if not isinstance(flag, bool):
                continue
            at = join_pointer(pointer, exclusive)
            if flag and bound in schema:
                self.repair(
                    at,
                    f"a boolean {exclusive} is OpenAPI 3.0: read as `{exclusive}: {schema[bound]!r}` (the 3.1 form)",
                    ("remove", join_pointer(pointer, bound), None),
                    ("update", pointer, {exclusive: schema[bound]}),
                )
            else:
                self.repair(at, f"a boolean {exclusive} ({flag}) is OpenAPI 3.0: dropped", ("remove", at, None))

    def _undefined_required(self, schema: dict[str, JsonValue], pointer: str) -> None:
        properties = schema.get("properties")
        required = schema.get("required")
        opened = any(key in schema for key in (*_COMPOSITIONS, "$ref", "patternProperties")) or isinstance(
            schema.get("additionalProperties"), dict
        )
        if not isinstance(properties, dict) or not isinstance(required, list) or opened:
            return
        undefined = [name for name in required if isinstance(name, str) and name not in properties]
        if undefined:
            self._drop_required(pointer, required, undefined, "not defined in properties")

    def _drop_required(self, pointer: str, required: list[JsonValue], names: list[str], why: str) -> None:
        required_at = join_pointer(pointer, "required")
        first = join_pointer(required_at, required.index(names[0]))
        listed = ", ".join(map(repr, names))
        if len(names) == len(required):
            edits: list[tuple[str, str, JsonValue]] = [("remove", required_at, None)]
        else:
            edits = [("remove-where", required_at, f"@ == {_literal(name)}") for name in names]
        self.repair(first, f"required {listed} {why}: dropped from `required`", *edits)

    def _unknown_keywords(self, schema: dict[str, JsonValue], pointer: str) -> None:
        for key in list(schema):
            if key in self.known_keywords or key.startswith("x-") or (key == "nullable" and self.openapi_30):
                continue
            if key in _REFUSED_AS_WRITTEN:
                continue  # a keyword sdkgen knows and refuses: no repair guesses its meaning
            at = join_pointer(pointer, key)
            self.repair(at, f"unknown schema keyword {key!r} dropped, as JSON Schema ignores it", ("remove", at, None))

    # ------------------------------------------------------------------------ the validator's findings

    def _validator_findings(self) -> bool:
        """Repair what the spec validator finds that is on the list; True when anything was repaired."""
        from generator.adapters import openapi_spec_validator as adapter
        from generator.spec.validate import UndefinedRequired

        try:
            findings = adapter.check(self.data, limit=10_000)
        except (RecursionError, adapter.ValidatorStopped):
            return False
        repaired = self._bad_defaults()
        for finding in findings:
            subject = finding.subject
            if isinstance(subject, UndefinedRequired) and subject.names:
                for pointer, schema in self._schemas_requiring(subject.names):
                    required = schema["required"]
                    names = [name for name in required if name in subject.names]
                    self._drop_required(
                        pointer, required, names, "defined neither in properties nor in any allOf/anyOf/oneOf branch"
                    )
                    repaired = True
        return repaired

    def _bad_defaults(self) -> bool:
        """Drop each `default` its own schema refuses (sdkgen's rule: generator.spec.defaults)."""
        from generator.spec.defaults import default_problems
        from generator.spec.normalize import normalize_document
        from generator.spec.pointers import copy_json

        repaired = False
        for at, problem in default_problems(normalize_document(copy_json(self.data))):
            try:
                value = resolve_pointer(self.data, at)
            except KeyError:
                continue  # moved by the 3.0 normalisation (a nullable `$ref`): left to strict mode
            message = f"the default value {value!r} breaks its own schema ({_short(problem)}): dropped"
            self.repair(at, message, ("remove", at, None))
            repaired = True
        return repaired

    def _schemas_requiring(self, names: tuple[str, ...]) -> Iterator[tuple[str, dict[str, JsonValue]]]:
        for pointer in list(_schema_sites(self.data)):
            schema = resolve_pointer(self.data, pointer)
            required = schema.get("required") if isinstance(schema, dict) else None
            if isinstance(required, list) and "allOf" in schema and set(names) <= set(required):
                yield pointer, schema
                return

    # ------------------------------------------------------------------------ skipping operations

    def _skip_invalid_operations(self) -> None:
        """What the validator still refuses inside an operation: the operation is skipped."""
        from generator.spec.validate import validate_openapi

        for _ in range(MAX_ROUNDS):
            try:
                validate_openapi(self.spec)
                return
            except SpecError as error:
                if not self.skip(error):
                    raise

    def skip(self, error: SpecError, moved: Mapping[str, str] | None = None) -> bool:
        """Skip every operation an error is inside; False (nothing skipped) when one is not inside any.

        `moved` maps where a later step put a value (an inline body hoisted to a schema of its
        own) to where it is written in the spec.
        """
        targets: dict[str, Diagnostic] = {}
        operations = self._operations()
        for diagnostic in error.diagnostics:
            if diagnostic.severity == "warning":
                continue
            pointer = diagnostic.pointer if diagnostic.pointer is not None else self._pointer_at(diagnostic.location)
            if pointer is not None and diagnostic.location is None:
                pointer = _moved_back(pointer, moved or {})
                diagnostic = replace(diagnostic, pointer=pointer)
            inside = _operations_under(pointer, operations) if pointer is not None else []
            if not inside:
                return False
            for operation in inside:
                targets.setdefault(operation, diagnostic)
        for operation, diagnostic in targets.items():
            self._skip(operation, diagnostic)
        return bool(targets)

    def _operations(self) -> set[str]:
        paths = self.data.get("paths")
        found: set[str] = set()
        for path, item in paths.items() if isinstance(paths, dict) else ():
            if isinstance(item, dict):
                for method in HTTP_METHODS:
                    if isinstance(item.get(method), dict):
                        found.add(join_pointer(join_pointer("/paths", path), method))
        return found

    def _skip(self, operation: str, diagnostic: Diagnostic) -> None:
        _, path, method = split_pointer(operation)
        node = resolve_pointer(self.data, operation)
        operation_id = node.get("operationId") if isinstance(node, dict) else None
        where = self.spec.source_map.resolve(diagnostic)
        reason = f"{where.location}: {where.message}" if where.location else where.message
        name = f"{method.upper()} {path}" + (f" ({operation_id})" if isinstance(operation_id, str) else "")
        self.skipped.append(
            Skipped(method, path, operation_id if isinstance(operation_id, str) else None, where.message)
        )
        message = f"operation {name} skipped: it cannot be generated: {reason}"
        self.repair(operation, message, ("remove", operation, None), at_key=True)

    def _pointer_at(self, location: Location | None) -> str | None:
        """The pointer of the bundled document whose value is written at `location`."""
        if location is None:
            return None
        if location.line is None:
            return location.pointer if location.file == self.spec.display else None
        if self._where is None:
            # A mapping is where its first key is: of the pointers at one place, the deepest says most.
            table: dict[tuple[str, int, int], str] = {}
            for pointer in every_pointer(self.data):
                places = [self.spec.locate(pointer)]
                if pointer:
                    places.append(self.spec.source_map.locate_key(pointer))
                for found in places:
                    place = (found.file, found.line or 0, found.column or 1)
                    if found.line is not None and len(pointer) > len(table.get(place, "")):
                        table[place] = pointer
            self._where = table
        return self._where.get((location.file, location.line, location.column or 1))

    # ------------------------------------------------------------------------ the printed overlay

    def overlay_text(self) -> str | None:
        """The repairs as an OpenAPI Overlay 1.0.0 document (YAML), or None when nothing was repaired."""
        if not self.actions and not self.unreachable:
            return None
        lines = [
            f"# The repairs `sdkgen lint --lenient` makes to {self.spec.display}, as an OpenAPI Overlay.",
            f"# Saved as {self.spec.path.stem}.overlay.yaml beside the spec, it applies by itself and the spec",
            "# generates strictly; review each action (its description says why it is there).",
        ]
        if self.spec.overlays:
            applied = ", ".join(self.spec.overlays)
            lines.append(
                f"# Written against the spec with {applied} applied: append these actions to the last of them."
            )
        lines += [
            f"# Not reachable by an overlay of the spec (in a file it refers to): {item}" for item in self.unreachable
        ]
        if not self.actions:
            return "\n".join(lines) + "\n"
        document = {
            "overlay": "1.0.0",
            "info": {"title": f"Repairs of {self.spec.path.name} for sdkgen", "version": "1.0.0"},
            "extends": self.spec.path.name,
            "actions": [action.as_overlay() for action in self.actions],
        }
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=10_000)
        return "\n".join(lines) + "\n" + text


# Keywords sdkgen knows and refuses with its own message; lenient mode leaves them to that message.
_REFUSED_AS_WRITTEN = frozenset(
    {"$dynamicRef", "$recursiveRef", "$vocabulary", "dependencies", "additionalItems", "nullable"}
)


def _place(diagnostic: Diagnostic) -> tuple[str, int, int]:
    where = diagnostic.location
    return (where.file, where.line or 0, where.column or 0) if where is not None else ("", 0, 0)


def _literal(value: str) -> str:
    """A JSONPath string literal."""
    return normalized_path([value])[2:-1]


def _short(message: str) -> str:
    return message if len(message) <= 120 else message[:117] + "..."


def _accepts_null(schema: dict[str, JsonValue], openapi_30: bool) -> bool:
    kind = schema.get("type")
    if kind is None:
        return True
    if openapi_30 and schema.get("nullable") is True:
        return True
    return kind == "null" or (isinstance(kind, list) and "null" in kind)


def _moved_back(pointer: str, moved: Mapping[str, str]) -> str:
    for place, origin in moved.items():
        if pointer == place or pointer.startswith(place + "/"):
            return origin + pointer[len(place) :]
    return pointer


def _operations_under(pointer: str, operations: set[str]) -> list[str]:
    """The operations a problem at `pointer` makes ungeneratable: its own, or all of its path item's."""
    tokens = split_pointer(pointer)
    if len(tokens) < 2 or tokens[0] != "paths":
        return []
    item = join_pointer("/paths", tokens[1])
    if len(tokens) >= 3 and tokens[2] in HTTP_METHODS:
        operation = join_pointer(item, tokens[2])
        return [operation] if operation in operations else []
    return sorted(operation for operation in operations if operation.startswith(item + "/"))


def _schema_sites(document: JsonValue) -> Iterator[str]:
    """The pointer of every schema of the document (each schema, then its subschemas)."""

    def schema(node: JsonValue, pointer: str) -> Iterator[str]:
        if not isinstance(node, dict):
            return
        yield pointer
        for sub, sub_pointer in subschemas(node, pointer):
            yield from schema(sub, sub_pointer)

    def walk(node: JsonValue, pointer: str) -> Iterator[str]:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, join_pointer(pointer, index))
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            at = join_pointer(pointer, key)
            if key.startswith("x-") or key in ("example", "examples"):
                continue
            if key == "schema" or (pointer == "/components" and key == "schemas"):
                if key == "schema":
                    yield from schema(value, at)
                elif isinstance(value, dict):
                    for name, body in value.items():
                        yield from schema(body, join_pointer(at, name))
            else:
                yield from walk(value, at)

    yield from walk(document, "")
