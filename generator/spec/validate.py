"""Spec validation, our side: which documents sdkgen reads, and every finding located and worded.

openapi-spec-validator decides whether a document is valid OpenAPI; how it says so (its
error classes, paths relative to what, English messages) is its own and changes between
releases. So the two halves live apart: `generator.adapters.openapi_spec_validator` runs
it and turns each of its errors into a `Finding`, in the vocabulary defined here; this
module refuses what sdkgen does not read at all (Swagger 2.0, other OpenAPI versions,
other JSON Schema dialects), finds the line each finding is about, and words the
diagnostic (with a hint where a common 3.0/3.1 mix-up is the cause).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.spec.bundle import LoadedSpec
from generator.spec.pointers import JsonValue, escape_token, join_pointer, resolve_pointer
from generator.spec.ref_map import mapped_path
from generator.spec.schema_tree import schema_nodes, schema_roots
from generator.spec.styles import style_problem

# A broken spec can have thousands of findings; the first ones say what is wrong.
MAX_FINDINGS = 50
_MAX_MESSAGE = 240
_OPENAPI_VERSION = re.compile(r"3\.[012]\.\d+(-.+)?")


# ---------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class DuplicateOperationId:
    """An operationId used a second time, by the operation `method` of `path`."""

    method: str
    path: str


@dataclass(frozen=True)
class UnresolvedPathParameter:
    """A path parameter `name` declared by an operation but not in its path template, or the reverse."""

    name: str
    method: str
    path: str


@dataclass(frozen=True)
class UnknownDialect:
    """A schema's `$schema` names a JSON Schema dialect the validator does not know."""

    dialect: str


@dataclass(frozen=True)
class UndefinedRequired:
    """A schema with `allOf` whose `required` names properties that no branch defines."""

    names: tuple[str, ...]  # sorted; empty when the validator's list could not be read
    listed: str  # the list as the validator wrote it


# What a finding is about, where its path alone does not tell.
Subject = DuplicateOperationId | UnresolvedPathParameter | UnknownDialect | UndefinedRequired


@dataclass(frozen=True)
class Finding:
    """One thing the spec validator refuses, as much of it as sdkgen needs to locate and word it."""

    message: str  # the validator's own words, shown to the user
    # Where the offending value is: from the document's root, or (for a meta-schema finding
    # about a schema of a 3.1 document) from the schema that was checked. Empty when unknown.
    path: tuple[str, ...]
    instance: JsonValue  # the offending value; None when the finding names none
    subject: Subject | None = None
    # An OpenAPI object with members it does not define: those, and the ones it does.
    unknown_members: tuple[str, ...] = ()
    known_members: tuple[str, ...] = ()


# ---------------------------------------------------------------------------- entry point


def validate_openapi(spec: LoadedSpec) -> None:
    """SpecError with openapi-spec-validator's findings (if any), each located in the file it came from."""
    check_version(spec)
    diagnostics = validation_findings(spec)
    if diagnostics:
        raise SpecError(diagnostics)


def check_version(spec: LoadedSpec) -> None:
    """SpecError for a document sdkgen does not read at all (nothing else is worth saying about it)."""
    _check_version(spec.data, spec.locate)


def validation_findings(spec: LoadedSpec) -> list[Diagnostic]:
    """openapi-spec-validator's findings, located and worded, in the order of the file."""
    # Imported only here: the load step alone (`validate=False`) never needs the validator.
    from generator.adapters import openapi_spec_validator as adapter

    try:
        findings = adapter.check(spec.data, limit=MAX_FINDINGS)
    except RecursionError:
        return [Diagnostic("the spec nests too deeply to validate", spec.locate(""))]
    except adapter.ValidatorStopped as stopped:
        crash = stopped.crash
        message = f"invalid OpenAPI document (the spec validator stopped on {type(crash).__name__}: {crash})"
        return [Diagnostic(message, spec.locate(""))]
    diagnostics = [
        diagnostic
        for finding in findings
        if not _provided_dialect(finding, spec)
        for diagnostic in _diagnostics_for(finding, spec)
    ]
    return sorted(set(diagnostics), key=_diagnostic_order)


def _check_version(data: dict[str, JsonValue], locate: Callable[[str], Location]) -> None:
    """Refuse, before any validation, a document that is not OpenAPI 3.0/3.1/3.2 in JSON Schema 2020-12."""
    version = data.get("openapi")
    if "swagger" in data and version is None:
        raise SpecError.at(
            "Swagger 2.0 is not supported: convert the spec to OpenAPI 3.0 or 3.1", location=locate("/swagger")
        )
    if version is None:
        raise SpecError.at("not an OpenAPI document: the `openapi` member is missing", location=locate(""))
    if not isinstance(version, str) or not _OPENAPI_VERSION.fullmatch(version):
        raise SpecError.at(
            f"unsupported OpenAPI version {version!r}: sdkgen reads 3.0.x and 3.1.x (and 3.2.x)",
            location=locate("/openapi"),
        )
    dialect = data.get("jsonSchemaDialect")
    if dialect is not None and not _is_2020_12_dialect(dialect):
        raise SpecError.at(
            f"jsonSchemaDialect {dialect!r} is not supported: sdkgen reads every schema as JSON Schema "
            "2020-12 (the OpenAPI 3.1 default); drop the member and write the schemas in 2020-12 terms",
            location=locate("/jsonSchemaDialect"),
        )


def _provided_dialect(finding: Finding, spec: LoadedSpec) -> bool:
    """A `$schema` naming a meta-schema the spec (an `$id`) or its ref map provides: the validator
    compiler follows it (its `$vocabulary` decides which keywords assert), so it is not refused here."""
    if not isinstance(finding.subject, UnknownDialect):
        return False
    uri = finding.subject.dialect.split("#", 1)[0]
    return mapped_path(uri, spec.ref_map) is not None or _declares_id(spec.data, uri)


def _declares_id(node: JsonValue, uri: str) -> bool:
    if isinstance(node, dict):
        return node.get("$id") == uri or any(_declares_id(value, uri) for value in node.values())
    return isinstance(node, list) and any(_declares_id(value, uri) for value in node)


def _is_2020_12_dialect(dialect: JsonValue) -> bool:
    """The dialects a 3.1/3.2 document may name for what sdkgen reads: 2020-12 or OpenAPI's own on top of it."""
    if not isinstance(dialect, str):
        return False
    uri = dialect.rstrip("#")
    return uri in ("https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft/2020-12/schema") or (
        uri.startswith(("https://spec.openapis.org/oas/3.1/dialect/", "https://spec.openapis.org/oas/3.2/dialect/"))
    )


# ---------------------------------------------------------------------------- wording


def _diagnostics_for(finding: Finding, spec: LoadedSpec) -> list[Diagnostic]:
    """One diagnostic per thing to fix (an object with two unknown members gives two)."""
    if finding.unknown_members:
        holder = _error_pointer(finding, spec)
        version = str(spec.data.get("openapi", ""))
        return [
            Diagnostic(
                f"invalid OpenAPI document: {_unknown_member(name, finding.known_members, version)}",
                spec.source_map.locate_key(join_pointer(holder, name)),
            )
            for name in finding.unknown_members
        ]
    return [_diagnostic_for(finding, spec)]


def _unknown_member(name: str, known: tuple[str, ...], version: str) -> str:
    """What to write instead of a member an OpenAPI object does not define."""
    text = f"unknown member {name!r} here"
    if name == "examples" and "example" in known:
        return (
            f"{text}: a {version[:3]} schema takes one `example`; `examples` (a list of values) is OpenAPI 3.1: "
            "write `example: <value>`, or declare the spec 3.1"
        )
    if name == "required" and "nullable" in known:
        return f"{text}: {REQUIRED_HINT}"
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"{text}: did you mean {close[0]!r}? (the object allows only its own fields and x- extensions)"
    return f"{text}: the object allows only its own fields and x- extensions (prefix your own with x-)"


# A schema's `required: true`, as Swagger 2.0 parameters and JSON Schema draft 3 wrote it.
REQUIRED_HINT = (
    "`required: true` is Swagger 2.0 / JSON Schema draft 3: in a schema, `required` is the list of an "
    "object's required properties, written on the object (required: [name, ...])"
)


def _diagnostic_for(finding: Finding, spec: LoadedSpec) -> Diagnostic:
    message = finding.message
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    version = str(spec.data.get("openapi", ""))
    if _is_null_type(finding) and version.startswith("3.0"):
        message += " (OpenAPI 3.0 has no 'null' type: write `nullable: true`, or declare the spec 3.1)"
    exclusive = _boolean_exclusive(finding)
    if exclusive and version.startswith(("3.1", "3.2")):
        message += f" ({boolean_exclusive_hint(exclusive)})"
    if finding.path and finding.path[-1] == "required" and isinstance(finding.instance, bool):
        message += f" ({REQUIRED_HINT})"
    subject = finding.subject
    if isinstance(subject, UnresolvedPathParameter) and _path_parameter_pointer(subject, spec) is None:
        # A template variable no parameter declares: the template is where to look.
        path = join_pointer("/paths", subject.path)
        return Diagnostic(
            f"invalid OpenAPI document: {message} (the path template names {{{subject.name}}}; declare it "
            "as an `in: path` parameter of the operation or its path item, or fix the template)",
            spec.source_map.locate_key(path),
        )
    if isinstance(subject, UndefinedRequired):
        return Diagnostic(
            f"required property {', '.join(map(repr, subject.names)) or subject.listed} is defined neither in "
            "properties nor in any allOf/anyOf/oneOf branch: define it or drop it from required",
            spec.locate(_undefined_required_pointer(subject.names, spec)),
        )
    pointer = _error_pointer(finding, spec)
    serialization = _parameter_serialization(pointer, spec)
    if serialization is not None:
        message, pointer = serialization
    return Diagnostic(f"invalid OpenAPI document: {message}", spec.locate(pointer))


def _parameter_serialization(pointer: str, spec: LoadedSpec) -> tuple[str, str] | None:
    """Our words and place for a finding on a Parameter Object whose serialisation is wrong: the
    validator says "'simple' was expected" of a style of another location (in a 3.0 document,
    "'required' is a required property", at the parameter), and "has too many properties" of a
    `content` with several media types."""
    for holder in (pointer, pointer.rsplit("/", 1)[0]):
        try:
            node = resolve_pointer(spec.data, holder)
        except KeyError:
            continue
        if not isinstance(node, dict) or "in" not in node or "name" not in node:
            continue
        member = pointer[len(holder) + 1 :]
        problem = style_problem(node)
        if problem is not None and member in ("", "style"):
            return problem, join_pointer(holder, "style")
        content = node.get("content")
        if member in ("", "content") and isinstance(content, dict) and len(content) > 1:
            message = (
                f"parameter {node.get('name')!r}: `content` must hold exactly one media type, not {len(content)} "
                f"({', '.join(map(str, content))})"
            )
            return message, join_pointer(holder, "content")
    return None


def boolean_exclusive_hint(keyword: str) -> str:
    """What to write in 3.1 for a 3.0-style boolean `exclusiveMinimum`/`exclusiveMaximum`."""
    bound = "minimum" if keyword == "exclusiveMinimum" else "maximum"
    return (
        f"a boolean {keyword} is OpenAPI 3.0: in 3.1 write `{keyword}: <limit>` in place of "
        f"`{bound}: <limit>, {keyword}: true` (or drop `false`)"
    )


def _boolean_exclusive(finding: Finding) -> str | None:
    """`exclusiveMinimum`/`exclusiveMaximum` when the finding is a boolean one (3.0 style)."""
    path = finding.path
    if isinstance(finding.instance, bool) and path and path[-1] in ("exclusiveMinimum", "exclusiveMaximum"):
        return path[-1]
    return None


def _is_null_type(finding: Finding) -> bool:
    return finding.instance == "null" and bool(finding.path) and finding.path[-1] == "type"


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    where = diagnostic.location
    return (
        where.file if where else "",
        (where.line or 0) if where else 0,
        (where.column or 0) if where else 0,
        diagnostic.message,
    )


# ---------------------------------------------------------------------------- locating


def _undefined_required_pointer(names: tuple[str, ...], spec: LoadedSpec) -> str:
    """The `required` entry naming the first of `names`, in an allOf schema of the main document."""
    wanted = set(names)
    for pointer in spec.source_map.main.positions:
        if not pointer.endswith("/required"):
            continue
        try:
            required = resolve_pointer(spec.data, pointer)
            holder = resolve_pointer(spec.data, pointer.rsplit("/", 1)[0])
        except KeyError:
            continue
        if not isinstance(required, list) or not isinstance(holder, dict) or "allOf" not in holder:
            continue
        if wanted and wanted <= {str(item) for item in required}:
            first = min(index for index, item in enumerate(required) if str(item) in wanted)
            return join_pointer(pointer, first)
    return ""


def _error_pointer(finding: Finding, spec: LoadedSpec) -> str:
    """Where in the document a finding is, as precisely as it can be told."""
    tokens = finding.path
    pointer = "".join("/" + escape_token(token) for token in tokens)
    instance = finding.instance
    try:
        if tokens and resolve_pointer(spec.data, pointer) == instance:
            return pointer
        if isinstance(instance, str) and isinstance(resolve_pointer(spec.data, pointer), dict):
            member = join_pointer(pointer, instance)  # a finding about a member's name (propertyNames)
            resolve_pointer(spec.data, member)
            return member
    except KeyError:
        pass
    subject = finding.subject
    if isinstance(subject, DuplicateOperationId):
        return join_pointer(join_pointer(join_pointer("/paths", subject.path), subject.method), "operationId")
    if isinstance(subject, UnknownDialect):
        found = _pointer_ending_in(spec, "/$schema", subject.dialect)
        if found is not None:
            return found
    if isinstance(subject, UnresolvedPathParameter):
        return _path_parameter_pointer(subject, spec) or join_pointer("/paths", subject.path)
    if tokens:
        # Schema findings of a 3.1 document come with paths relative to the schema checked:
        # find the schema in the document that has this value at that relative path.
        return _pointer_ending_in(spec, pointer, instance, _schema_pointers(spec)) or ""
    return ""


def _schema_pointers(spec: LoadedSpec) -> frozenset[str]:
    """The pointers of every schema of the main document (and of every schema inside one)."""
    return frozenset(pointer for root in schema_roots(spec.data) for _, pointer in schema_nodes(*root))


def _path_parameter_pointer(subject: UnresolvedPathParameter, spec: LoadedSpec) -> str | None:
    """The operation's declaration of the parameter, if it has one."""
    at = join_pointer(join_pointer("/paths", subject.path), subject.method)
    try:
        operation = resolve_pointer(spec.data, at)
    except KeyError:
        return None
    declared = operation.get("parameters") if isinstance(operation, dict) else None
    for index, entry in enumerate(declared if isinstance(declared, list) else []):
        if isinstance(entry, dict) and entry.get("name") == subject.name:
            return join_pointer(join_pointer(at, "parameters"), index)
    return None


def _pointer_ending_in(
    spec: LoadedSpec, suffix: str, value: JsonValue, schemas: frozenset[str] | None = None
) -> str | None:
    """The first pointer of the main document that ends with `suffix` and holds `value` (below one
    of `schemas` when given)."""
    for candidate in spec.source_map.main.positions:
        if candidate.endswith(suffix) and (schemas is None or candidate[: -len(suffix)] in schemas):
            try:
                if resolve_pointer(spec.data, candidate) == value:
                    return candidate
            except KeyError:
                continue
    return None
