# Over 600 lines: one pass over the spec sharing one context (names, collisions, findings), in marked sections.
"""IR step: a loaded, bundled spec -> `ir.Api`, with every naming decision made here.

This is where the generator refuses what it cannot turn into correct Python: names that
collide once converted, path parameters that do not match the path, `$ref` cycles that
never reach data, malformed `x-rules`. Each refusal is located by JSON pointer; the
caller's source map turns pointers into `FILE:LINE:COL`.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

from generator.diagnostics import Diagnostic, SpecError, warning
from generator.ir.media import event_data_schema, is_json, media_kind, sequence_separator
from generator.ir.model import (
    Api,
    Example,
    JsonValue,
    Operation,
    Pagination,
    Parameter,
    ParameterLocation,
    RequestBody,
    Response,
    Rule,
    Schema,
    SecurityScheme,
    Server,
    ServerVariable,
    Webhook,
)
from generator.ir.names import is_identifier, package_name_for_stem, snake_case
from generator.ir.pagination import read_pagination
from generator.ir.schema_warnings import closed_all_of
from generator.ir.serialization import problems as serialization_problems
from generator.ir.serialization import read_serialization
from generator.spec import LoadedSpec
from generator.spec.defaults import check_defaults
from generator.spec.normalize import normalize_document
from generator.spec.pointers import copy_json, escape_token, join_pointer, resolve_pointer, split_pointer
from generator.spec.schema_tree import subschemas

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_PREFIX = "/components/schemas/"
# Keyword arguments every client method has: a parameter may not take these names.
RESERVED_ARGUMENTS = frozenset({"self", "body", "timeout", "max_retries", "extra_headers", "extra_query"})
# Top-level names a generated package may not take: it would shadow what its code imports.
SHADOWED_MODULES = frozenset(sys.stdlib_module_names) | {
    "pydantic",
    "pydantic_core",
    "httpx",
    "httpcore",
    "anyio",
    "typing_extensions",
    "annotated_types",
}
# Names the models module imports or defines itself.
RESERVED_CLASS_NAMES = frozenset(
    {"BaseModel", "ConfigDict", "Field", "RootModel", "Annotated", "Any", "Literal", "Enum", "StrEnum", "UUID"}
)
_PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def pascal_case(name: str) -> str:
    """A class name for a schema name: `Session` stays, `session-create` -> `SessionCreate`."""
    if name.isascii() and name.isidentifier() and name[0].isupper() and "_" not in name:
        return name
    text = "".join(word[0].upper() + word[1:] for word in snake_case(name).split("_") if word)
    if not text:
        return "Model"
    return "Model" + text if text[0].isdigit() else text


@dataclass
class _Context:
    spec: LoadedSpec
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def data(self) -> dict[str, JsonValue]:
        return self.spec.data

    def fail(self, pointer: str, message: str, *related: str) -> None:
        self.diagnostics.append(
            Diagnostic(message, self.spec.locate(pointer), pointer, related=tuple(self.spec.locate(r) for r in related))
        )

    def warn(self, pointer: str, message: str) -> None:
        """A located warning on the spec (once: the IR may be built more than once)."""
        found = warning(message, self.spec.locate(pointer), pointer=pointer)
        if all(str(existing) != str(found) for existing in self.spec.warnings):
            self.spec.warnings.append(found)

    def deref(self, value: JsonValue, pointer: str) -> tuple[JsonValue, str]:
        """Follow a chain of `$ref`s (non-schema objects: parameters, responses, bodies)."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            target = value["$ref"][1:]
            if target in seen:
                self.fail(pointer, f"cyclic $ref {value['$ref']!r}")
                return {}, pointer
            seen.add(target)
            value, pointer = resolve_pointer(self.data, target), target
        return value, pointer


def build_api(spec: LoadedSpec, package_override: str | None = None) -> Api:
    """Turn a loaded spec into the IR; SpecError listing every problem found."""
    api, diagnostics = build_api_checked(spec, package_override)
    if diagnostics:
        raise SpecError(diagnostics)
    return api


def build_api_checked(spec: LoadedSpec, package_override: str | None = None) -> tuple[Api, tuple[Diagnostic, ...]]:
    """The IR and every problem found building it (located); the IR is complete enough to compile
    validators from even when there are problems, so that a run can report those too."""
    context = _Context(spec)
    data = normalize_document(copy_json(spec.data))
    context.spec = replace(spec, data=data)
    package = package_override or _package_name(context)
    check_defaults(data, context.fail)
    schemas = _component_schemas(context)
    operations, hoisted = _operations(context, data, {s.name for s in schemas})
    webhooks = _webhooks(context, data, {s.name for s in schemas} | {s.name for s in hoisted}, hoisted)
    schemas += hoisted
    _check_unique(context, schemas, lambda s: s.python_name, "schema", lambda s: s.pointer)
    _check_unique(context, schemas, lambda s: s.class_name, "model class", lambda s: s.pointer)
    _check_unique(context, operations, lambda o: o.python_name, "operation method", lambda o: o.pointer)
    _check_unique(context, webhooks, lambda w: w.python_name, "webhook", lambda w: w.pointer)
    servers = _servers(context)
    security_schemes = _security_schemes(context)
    info = data.get("info", {})
    if hoisted:
        section = data.setdefault("components", {}).setdefault("schemas", {})
        for schema in hoisted:
            section[schema.name] = schema.body
    api = Api(
        package=package,
        title=str(info.get("title", package)),
        version=str(info.get("version", "")),
        description=info.get("description"),
        openapi_version=str(data.get("openapi")),
        spec_file=spec.path.name,
        spec_sha256=spec.sha256,
        servers=servers,
        schemas=tuple(schemas),
        operations=tuple(operations),
        security_schemes=security_schemes,
        document=data,
        webhooks=tuple(webhooks),
    )
    return api, tuple(context.diagnostics)


def _package_name(context: _Context) -> str:
    info = context.data.get("info")
    declared = info.get("x-sdkgen-package") if isinstance(info, dict) else None
    if declared is not None:
        if not isinstance(declared, str) or not is_identifier(declared):
            context.fail(
                "/info/x-sdkgen-package",
                f"x-sdkgen-package {declared!r} is not a valid Python package name "
                "(letters, digits and _, not starting with a digit, not a keyword)",
            )
            return "invalid"
        if declared in SHADOWED_MODULES:
            context.fail(
                "/info/x-sdkgen-package",
                f"x-sdkgen-package {declared!r} would shadow a module the generated code imports; pick another",
            )
        return declared
    stem = context.spec.path.stem
    name = package_name_for_stem(stem)
    if not is_identifier(name):
        context.fail(
            "",
            f"the file name {stem!r} gives no valid Python package name; rename the file or set info.x-sdkgen-package",
        )
        return "invalid"
    if name in SHADOWED_MODULES:
        context.fail(
            "",
            f"the file name {stem!r} gives the package name {name!r}, which would shadow a module the generated "
            "code imports; rename the file or set info.x-sdkgen-package",
        )
    return name


def _sdkgen_name(context: _Context, node: Mapping[str, JsonValue], pointer: str, default: str) -> str:
    override = node.get("x-sdkgen-name")
    if override is None:
        return default
    if not isinstance(override, str) or not is_identifier(override):
        context.fail(join_pointer(pointer, "x-sdkgen-name"), f"x-sdkgen-name {override!r} is not a Python identifier")
        return default
    return override


# ---------------------------------------------------------------------------- schemas


def _component_schemas(context: _Context) -> list[Schema]:
    components = context.data.get("components")
    section = components.get("schemas", {}) if isinstance(components, dict) else {}
    schemas: list[Schema] = []
    for name, body in section.items():
        pointer = SCHEMA_PREFIX + escape_token(name)
        node = body if isinstance(body, dict) else {}
        python_name = _sdkgen_name(context, node, pointer, snake_case(name))
        if not python_name or not is_identifier(f"validate_{python_name}"):
            context.fail(
                pointer, f"schema name {name!r} gives no Python name ({python_name!r}); set x-sdkgen-name on it"
            )
        class_name = pascal_case(python_name if "x-sdkgen-name" in node else name)
        if class_name in RESERVED_CLASS_NAMES:
            context.fail(pointer, f"schema name {name!r} would shadow {class_name!r} in models.py; set x-sdkgen-name")
        _check_schema(context, body, pointer)
        schemas.append(
            Schema(
                name=name,
                python_name=python_name,
                class_name=class_name,
                pointer=pointer,
                body=body,
                description=node.get("description") if isinstance(node.get("description"), str) else None,
                rules=_rules(context, node, pointer),
            )
        )
    return schemas


def _rules(context: _Context, node: Mapping[str, JsonValue], pointer: str) -> tuple[Rule, ...]:
    declared = node.get("x-rules")
    if declared is None:
        return ()
    rules_pointer = join_pointer(pointer, "x-rules")
    if not isinstance(declared, list):
        context.fail(rules_pointer, "x-rules must be a list of rules")
        return ()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(declared):
        at = join_pointer(rules_pointer, index)
        if not isinstance(entry, dict):
            context.fail(at, "an x-rules entry must be a mapping with id, rule and message")
            continue
        missing = [key for key in ("id", "rule", "message") if not isinstance(entry.get(key), str)]
        if missing:
            context.fail(at, f"x-rules entry needs string member(s): {', '.join(missing)}")
            continue
        unknown = sorted(set(entry) - {"id", "rule", "message", "severity", "fieldPath", "reason", "description"})
        if unknown:
            context.fail(join_pointer(at, unknown[0]), f"unknown x-rules member {unknown[0]!r}")
        severity = entry.get("severity", "error")
        if severity not in ("error", "warning"):
            context.fail(join_pointer(at, "severity"), f"severity must be 'error' or 'warning', not {severity!r}")
            severity = "error"
        rule_id = entry["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", rule_id):
            context.fail(join_pointer(at, "id"), f"rule id {rule_id!r}: use lower-case letters, digits, '-' and '.'")
        if rule_id in seen:
            context.fail(join_pointer(at, "id"), f"duplicate rule id {rule_id!r}", seen[rule_id])
        seen[rule_id] = join_pointer(at, "id")
        rules.append(
            Rule(
                id=rule_id,
                expression=entry["rule"],
                message=entry["message"],
                severity=cast(Any, severity),
                field_path=entry.get("fieldPath"),
                reason=entry.get("reason"),
                pointer=at,
            )
        )
    return tuple(rules)


_OPENING_KEYS = frozenset(("allOf", "anyOf", "oneOf", "$ref", "patternProperties"))


def _check_schema(context: _Context, schema: JsonValue, pointer: str) -> None:
    """Refuse what JSON Schema allows but is surely a mistake in a spec."""
    if not isinstance(schema, dict):
        return
    properties = schema.get("properties")
    required = schema.get("required")
    open_by_other_means = not _OPENING_KEYS.isdisjoint(schema) or isinstance(schema.get("additionalProperties"), dict)
    if isinstance(properties, dict) and isinstance(required, list) and not open_by_other_means:
        for index, name in enumerate(required):
            if isinstance(name, str) and name not in properties:
                context.fail(
                    join_pointer(join_pointer(pointer, "required"), index),
                    f"required property {name!r} is not defined in properties",
                )
    _check_enum(context, schema, pointer)
    for at, message in closed_all_of(context.data, schema, pointer):
        context.warn(at, message)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            re.compile(pattern)
        except re.error as error:
            context.fail(join_pointer(pointer, "pattern"), f"invalid regular expression {pattern!r}: {error}")
    for sub, sub_pointer in subschemas(schema, pointer):
        _check_schema(context, sub, sub_pointer)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}


def _json_type(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    for name, kinds in _JSON_TYPES.items():
        if isinstance(value, kinds):
            return name
    return "unknown"


def _check_enum(context: _Context, schema: Mapping[str, JsonValue], pointer: str) -> None:
    """An enum whose values contradict its `type`, or mix kinds of value, is a mistake."""
    enum = schema.get("enum")
    if not isinstance(enum, list) or not enum:
        return
    declared = schema.get("type")
    allowed = set(declared) if isinstance(declared, list) else {declared} if isinstance(declared, str) else None
    if allowed is not None and "number" in allowed:
        allowed.add("integer")
    kinds: dict[str, int] = {}
    for index, value in enumerate(enum):
        kind = _json_type(value)
        kinds.setdefault(kind, index)
        if allowed is not None and kind not in allowed:
            context.fail(
                join_pointer(join_pointer(pointer, "enum"), index),
                f"enum value {json.dumps(value, ensure_ascii=False)} is not of the schema's type"
                f" {json.dumps(declared, ensure_ascii=False)}: no data can match it"
                f" (add {kind!r} to the type, or drop the value)",
            )
            return
    concrete = {kind for kind in kinds if kind != "null"}
    if allowed is None and len(concrete) > 1:
        first, second = sorted(concrete, key=kinds.__getitem__)[:2]
        context.fail(
            join_pointer(join_pointer(pointer, "enum"), kinds[second]),
            f"enum mixes value types ({first} and {second}); give the schema a type, or split it with anyOf",
        )


# ---------------------------------------------------------------------------- operations


def _operations(
    context: _Context, data: dict[str, JsonValue], schema_names: set[str]
) -> tuple[list[Operation], list[Schema]]:
    operations: list[Operation] = []
    hoisted: list[Schema] = []
    taken = set(schema_names)
    paths = data.get("paths") or {}
    for path, item in paths.items():
        path_pointer = join_pointer("/paths", path)
        item, item_pointer = context.deref(item, path_pointer)
        if not isinstance(item, dict):
            continue
        for method, node, pointer in _path_item_operations(item, item_pointer):
            operation_id = node.get("operationId")
            if not isinstance(operation_id, str):
                operation_id = f"{method}_{path}"
            python_name = _sdkgen_name(context, node, pointer, snake_case(operation_id))
            if not is_identifier(python_name):
                context.fail(
                    join_pointer(pointer, "operationId"),
                    f"operationId {operation_id!r} gives no Python method name; set x-sdkgen-name",
                )
            class_stem = pascal_case(python_name)
            parameters = _parameters(context, item, item_pointer, node, pointer, path)
            body = _request_body(context, node, pointer, class_stem, taken, hoisted)
            responses = _responses(context, node, pointer, class_stem, taken, hoisted)
            security = node.get("security", data.get("security", []))
            pagination = _pagination(context, node, pointer, parameters, responses, class_stem, taken, hoisted)
            operations.append(
                Operation(
                    operation_id=operation_id,
                    python_name=python_name,
                    method=method,
                    path=path,
                    summary=node.get("summary"),
                    description=node.get("description"),
                    deprecated=bool(node.get("deprecated", False)),
                    parameters=parameters,
                    body=body,
                    responses=responses,
                    security=tuple(tuple(sorted(requirement)) for requirement in security or []),
                    pointer=pointer,
                    pagination=pagination,
                )
            )
    return operations, hoisted


def _path_item_operations(
    item: Mapping[str, JsonValue], item_pointer: str
) -> Iterator[tuple[str, dict[str, JsonValue], str]]:
    """Each operation of a path item: method (lower case), operation object, pointer.

    OpenAPI 3.2 adds the `query` method and `additionalOperations` (any other method, the
    key written as sent); earlier versions have neither member, so this reads every version.
    """
    for method in (*HTTP_METHODS, "query"):
        node = item.get(method)
        if isinstance(node, dict):
            yield method, node, join_pointer(item_pointer, method)
    additional = item.get("additionalOperations")
    if isinstance(additional, dict):
        for key, node in additional.items():
            if isinstance(node, dict):
                yield str(key).lower(), node, join_pointer(join_pointer(item_pointer, "additionalOperations"), key)


def _pagination(
    context: _Context,
    node: Mapping[str, JsonValue],
    pointer: str,
    parameters: tuple[Parameter, ...],
    responses: tuple[Response, ...],
    class_stem: str,
    taken: set[str],
    hoisted: list[Schema],
) -> Pagination | None:
    """The operation's `x-sdkgen-pagination` (generator.ir.pagination), an inline item schema hoisted."""
    data = context.data

    def hoist(schema: JsonValue, at: str) -> str | None:
        return _schema_name_for(context, schema, at, class_stem + "Item", taken, hoisted)

    def resolve(ref: str) -> JsonValue:
        try:
            return resolve_pointer(data, ref[1:]) if ref.startswith("#") else {}
        except KeyError:
            return {}

    return read_pagination(
        node,
        pointer,
        parameters,
        responses,
        fail=context.fail,
        schema_of=lambda name: _schema_body(data, hoisted, name),
        resolve=resolve,
        hoist=hoist,
        annotate=python_type,
    )


def _webhooks(context: _Context, data: dict[str, JsonValue], taken: set[str], hoisted: list[Schema]) -> list[Webhook]:
    """The spec's `webhooks`: one per entry, the POST (else the first) request of its path item."""
    webhooks: list[Webhook] = []
    section = data.get("webhooks")
    for name, raw in section.items() if isinstance(section, dict) else []:
        item, item_pointer = context.deref(raw, join_pointer("/webhooks", name))
        if not isinstance(item, dict):
            continue
        methods = [m for m in ("post", *HTTP_METHODS) if isinstance(item.get(m), dict)]
        if not methods:
            continue
        node, pointer = item[methods[0]], join_pointer(item_pointer, methods[0])
        python_name = _sdkgen_name(context, node, pointer, snake_case(str(name)))
        if not is_identifier(f"parse_{python_name}"):
            context.fail(pointer, f"webhook {name!r} gives no Python name; set x-sdkgen-name on its operation")
        stem = pascal_case(python_name) + "Webhook"
        webhooks.append(
            Webhook(
                name=str(name),
                python_name=python_name,
                method=methods[0],
                summary=node.get("summary"),
                description=node.get("description"),
                body=_request_body(context, node, pointer, stem, taken, hoisted),
                pointer=pointer,
            )
        )
    return webhooks


def _schema_body(data: dict[str, JsonValue], hoisted: list[Schema], name: str) -> JsonValue:
    """A named schema's body: a component, or one hoisted from this spec's operations."""
    for schema in hoisted:
        if schema.name == name:
            return schema.body
    return data.get("components", {}).get("schemas", {}).get(name, {})


def _parameters(
    context: _Context,
    item: Mapping[str, JsonValue],
    item_pointer: str,
    node: Mapping[str, JsonValue],
    pointer: str,
    path: str,
) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], Parameter] = {}
    for owner, owner_pointer in ((item, item_pointer), (node, pointer)):
        for index, raw in enumerate(owner.get("parameters") or []):
            value, at = context.deref(raw, join_pointer(join_pointer(owner_pointer, "parameters"), index))
            if not isinstance(value, dict) or "name" not in value or "in" not in value:
                continue
            if value["in"] == "querystring":
                context.fail(
                    join_pointer(at, "in"),
                    "`in: querystring` (OpenAPI 3.2: the whole query string as one value) is not supported: "
                    "declare the query parameters one by one (`in: query`)",
                )
                continue
            parameter = _parameter(context, value, at)
            merged[(parameter.name, parameter.location)] = parameter
    parameters = tuple(merged.values())
    in_template = _PATH_TEMPLATE.findall(path)
    declared = {p.name for p in parameters if p.location == "path"}
    for name in in_template:
        if name not in declared:
            context.fail(pointer, f"path {path!r} has {{{name}}} but the operation declares no path parameter {name!r}")
    for parameter in parameters:
        if parameter.location == "path" and parameter.name not in in_template:
            context.fail(parameter.pointer, f"path parameter {parameter.name!r} does not appear in the path {path!r}")
    _check_unique(context, list(parameters), lambda p: p.python_name, "parameter", lambda p: p.pointer)
    # Required parameters first, each group in declaration order: a valid signature order.
    return tuple(sorted(parameters, key=lambda p: not p.required))


def _parameter(context: _Context, value: Mapping[str, JsonValue], pointer: str) -> Parameter:
    name = str(value["name"])
    location = cast(ParameterLocation, value["in"])
    python_name = _sdkgen_name(context, value, pointer, snake_case(name))
    if python_name[:1].isdigit():
        python_name = f"param_{python_name}"  # `1st` -> `param_1st`; the wire name stays `1st`
    if python_name in RESERVED_ARGUMENTS:
        python_name += "_"
    if not is_identifier(python_name):
        context.fail(pointer, f"parameter name {name!r} gives no Python name; set x-sdkgen-name")
    wire = read_serialization(value, pointer, location)
    schema = declared = wire.schema
    if isinstance(schema, dict) and "$ref" in schema:
        schema, _ = context.deref(schema, pointer)
    for at, message in serialization_problems(value, pointer, location, schema):
        context.fail(at, message)
    return Parameter(
        name=name,
        python_name=python_name,
        location=location,
        required=bool(value.get("required", False)) or location == "path",
        schema=schema,
        python_type=python_type(schema),
        description=value.get("description"),
        style=wire.style,
        explode=wire.explode,
        deprecated=bool(value.get("deprecated", False)),
        example=wire.example
        if wire.example is not None
        else schema.get("example")
        if isinstance(schema, dict)
        else None,
        pointer=pointer,
        declared_schema=declared,
        allow_reserved=wire.allow_reserved,
        media_type=wire.media_type,
        schema_pointer=wire.schema_pointer,
    )


def python_type(schema: JsonValue) -> str:
    """The annotation a method argument of this (parameter) schema gets."""
    if not isinstance(schema, dict):
        return "Any"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return "Literal[" + ", ".join(repr(v) for v in enum) + "]"
    kind = schema.get("type")
    nullable = False
    if isinstance(kind, list):
        nullable = "null" in kind
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    base = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(str(kind))
    if kind == "array":
        base = f"list[{python_type(schema.get('items', {}))}]"
    elif kind == "object":
        base = "dict[str, Any]"
    if base is None:
        return "Any"
    return f"{base} | None" if nullable or schema.get("nullable") is True else base


def _json_content(content: JsonValue) -> tuple[str | None, JsonValue]:
    """The JSON media type of a content map (or its first one), and its media object."""
    if not isinstance(content, dict) or not content:
        return None, None
    for media_type, media in content.items():
        if is_json(media_type):
            return media_type, media
    media_type = next(iter(content))
    return media_type, content[media_type]


def _schema_name_for(
    context: _Context,
    schema: JsonValue,
    pointer: str,
    wanted: str,
    taken: set[str],
    hoisted: list[Schema],
) -> str | None:
    """The named schema a body must match; an inline schema is hoisted under `wanted`."""
    if schema is None:
        return None
    if isinstance(schema, dict) and set(schema) <= {"$ref", "description", "summary"}:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#" + SCHEMA_PREFIX) and ref.count("/") == 3:
            return split_pointer(ref[1:])[2]
    name = wanted
    counter = 2
    while name in taken:
        name = f"{wanted}{counter}"
        counter += 1
    taken.add(name)
    node = schema if isinstance(schema, dict) else {}
    _check_schema(context, schema, pointer)
    hoisted.append(
        Schema(
            name=name,
            python_name=snake_case(name),
            class_name=pascal_case(name),
            pointer=SCHEMA_PREFIX + escape_token(name),
            body=copy.deepcopy(schema),
            description=node.get("description") if isinstance(node.get("description"), str) else None,
            rules=_rules(context, node, pointer),
            synthetic=True,
            origin=pointer,
        )
    )
    return name


def _request_body(
    context: _Context,
    node: Mapping[str, JsonValue],
    pointer: str,
    class_stem: str,
    taken: set[str],
    hoisted: list[Schema],
) -> RequestBody | None:
    if "requestBody" not in node:
        return None
    body, at = context.deref(node["requestBody"], join_pointer(pointer, "requestBody"))
    if not isinstance(body, dict):
        return None
    content_type, media = _json_content(body.get("content"))
    if content_type is None:
        return None
    media, media_pointer = context.deref(media, join_pointer(join_pointer(at, "content"), content_type))
    if not isinstance(media, dict):
        return None
    kind = media_kind(content_type)
    schema_name = None
    if kind in ("json", "form", "multipart"):  # other bodies are sent as they are: no model, no check
        schema_pointer = join_pointer(media_pointer, "schema")
        schema = media.get("schema")
        schema_name = _schema_name_for(context, schema, schema_pointer, class_stem + "Body", taken, hoisted)
    return RequestBody(
        content_type=content_type,
        required=bool(body.get("required", False)),
        schema_name=schema_name,
        description=body.get("description"),
        examples=tuple(_examples(context, media)) if kind in ("json", "form", "multipart") else (),
        kind=kind,
    )


def _examples(context: _Context, media: Mapping[str, JsonValue]) -> Iterator[Example]:
    if "example" in media:
        yield Example("example", None, media["example"])
    examples = media.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            value, _ = context.deref(example, "")
            if isinstance(value, dict) and "value" in value:
                yield Example(name, value.get("summary"), value["value"])
            elif isinstance(value, dict) and "dataValue" in value:  # OpenAPI 3.2: the value before serialising
                yield Example(name, value.get("summary"), value["dataValue"])


def _responses(
    context: _Context,
    node: Mapping[str, JsonValue],
    pointer: str,
    class_stem: str,
    taken: set[str],
    hoisted: list[Schema],
) -> tuple[Response, ...]:
    responses: list[Response] = []
    declared = node.get("responses") or {}
    for status, raw in declared.items():
        value, at = context.deref(raw, join_pointer(join_pointer(pointer, "responses"), status))
        if not isinstance(value, dict):
            continue
        content_type, media = _json_content(value.get("content"))
        kind = media_kind(content_type) if content_type is not None else None
        schema_name = None
        media_pointer = join_pointer(join_pointer(at, "content"), content_type or "")
        media, media_pointer = context.deref(media, media_pointer)  # 3.2: a media type may be a $ref
        # Only a JSON body is parsed into a model; text and binary bodies come as they are.
        if content_type is not None and kind == "json" and isinstance(media, dict) and "schema" in media:
            suffix = "Response" if status.startswith("2") else ("Error" if status == "default" else f"Error{status}")
            schema_pointer = join_pointer(media_pointer, "schema")
            schema_name = _schema_name_for(
                context, media["schema"], schema_pointer, class_stem + suffix, taken, hoisted
            )
        elif content_type is not None and kind == "event-stream" and isinstance(media, dict):
            found = event_data_schema(media, media_pointer, context.deref)
            if found is not None:
                schema_name = _schema_name_for(context, found[0], found[1], class_stem + "Event", taken, hoisted)
        elif content_type is not None and sequence_separator(content_type) and isinstance(media, dict):
            item = media.get("itemSchema")
            if item is True or isinstance(item, dict):  # OpenAPI 3.2: one record's schema makes it a stream
                kind = "json-sequence"
                if isinstance(item, dict) and item:  # `{}` or `true`: any JSON, no model
                    item_pointer = join_pointer(media_pointer, "itemSchema")
                    schema_name = _schema_name_for(context, item, item_pointer, class_stem + "Item", taken, hoisted)
        responses.append(Response(str(status), str(value.get("description", "")), content_type, schema_name, kind))
    return tuple(responses)


# ---------------------------------------------------------------------------- servers and security


def _servers(context: _Context) -> tuple[Server, ...]:
    servers: list[Server] = []
    for server in context.data.get("servers") or []:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        variables = tuple(
            ServerVariable(
                name=name,
                python_name=snake_case(name),
                default=str(variable.get("default", "")),
                enum=tuple(str(v) for v in variable.get("enum", [])),
                description=variable.get("description"),
            )
            for name, variable in (server.get("variables") or {}).items()
            if isinstance(variable, dict)
        )
        servers.append(Server(server["url"], server.get("description"), variables))
    return tuple(servers)


def _security_schemes(context: _Context) -> tuple[SecurityScheme, ...]:
    components = context.data.get("components")
    section = components.get("securitySchemes", {}) if isinstance(components, dict) else {}
    schemes: list[SecurityScheme] = []
    for key, raw in section.items():
        pointer = join_pointer("/components/securitySchemes", key)
        value, _ = context.deref(raw, pointer)
        if not isinstance(value, dict):
            continue
        kind = value.get("type")
        description = value.get("description")
        if kind == "apiKey":
            schemes.append(
                SecurityScheme(
                    key, "apiKey", cast(ParameterLocation, value.get("in")), str(value.get("name")), None, description
                )
            )
        elif kind == "http" and str(value.get("scheme", "")).lower() in ("bearer", "basic"):
            schemes.append(
                SecurityScheme(key, "http", "header", "Authorization", str(value["scheme"]).lower(), description)
            )
        elif kind in ("oauth2", "openIdConnect"):
            schemes.append(SecurityScheme(key, "http", "header", "Authorization", "bearer", description))
        elif kind == "mutualTLS":
            continue  # a client certificate: configured on the injected httpx client, not per request
        else:
            kind = f"{kind} {value.get('scheme')}" if kind == "http" else kind
            context.fail(
                pointer,
                f"unsupported security scheme type {kind!r} (sdkgen supports apiKey, http "
                "bearer/basic, oauth2 and openIdConnect as bearer tokens)",
            )
    return tuple(schemes)


# ---------------------------------------------------------------------------- helpers


def _check_unique(
    context: _Context,
    items: Iterable[Any],
    key: Any,
    what: str,
    where: Any,
) -> None:
    seen: dict[str, Any] = {}
    for item in items:
        name = key(item)
        if name in seen:
            context.fail(
                where(item),
                f"{what} name {name!r} is taken twice; give one an x-sdkgen-name",
                where(seen[name]),
            )
        else:
            seen[name] = item
