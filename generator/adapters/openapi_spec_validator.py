"""openapi-spec-validator: everything sdkgen knows about its insides, and nothing else does.

What sdkgen relies on here and nowhere else (tests/adapters/test_openapi_spec_validator.py
fails, naming the assumption, when an upgrade breaks one):

- private parts it patches: `SpecValidator.schema_validator` (the whole-document check),
  `keyword_validators["schema"]`, `keyword_validators["mediaType"]` of 3.2 (its
  `itemSchema` is not checked otherwise), `SchemaValidator.visited_schema_ids` and
  `meta_checked_schema_ids`, `OpenAPIV31SchemaValidator._get_schema_checker` and
  `_get_schema_dialect_id`, and `schemas.backend.jsonschema.create_validator`;
- how it reports: the error classes of its own checks, which findings come without a
  path (an `allOf`'s undefined `required`), the
  shape of its meta-schema ("a Schema Object or a Reference Object"), and the English
  messages whose words carry what no attribute does (`_DUPLICATE_OPERATION` and the
  other regexes below).

`check()` runs it and hands back `Finding`s (generator.spec.validate's vocabulary), which
that module locates and words. The findings are openapi-spec-validator's own but one: it
checks a `default` against its schema only in some places (not in request bodies, not beside
a `$ref`), so sdkgen checks every default itself, by one rule (generator.spec.defaults), and
its check is switched off here (`default_validator`). Three things about *how* it runs
change, to make it deterministic and fast on large specs without changing a verdict:

- The whole-document check reports the pure-Python jsonschema backend's findings. Left on
  "auto", openapi-spec-validator switches to jsonschema-rs whenever that happens to be
  installed, and its findings then lose their location (every one at `FILE:1:1`) and gain
  a multi-line dump. jsonschema-rs only answers "valid" here, ~200x faster (`_AcceptFast`);
  a document it does not accept is checked, and reported on, by jsonschema.
- The schema walker remembers the schemas it has seen in sets, not lists (the lists made
  every visit cost a scan of all earlier ones: quadratic in the size of the spec).
- The meta-schema check of each schema (a JSON Schema 2020-12 dialect) is answered from the
  parts of the schema. Validity against the dialect's meta-schema is compositional: every
  subschema position (`properties/*`, `items`, `allOf/*`, ...) is checked against the same
  meta-schema through `$dynamicRef: "#meta"`, independently of its parent. So each schema
  node is checked alone, its subschemas replaced by `{}`, and identical nodes are checked
  once per run (real specs repeat `{type: string}` and friends hundreds of times). Values
  the meta-schema accepts whatever they hold beyond their type (a `description` string,
  an `examples` array, a `default`, an `x-` extension: `_ANY_STRING`, `_ANY_ARRAY`,
  `_ANY_VALUE`) are blanked first, so nodes that differ only there are one check. Only
  a verdict of "valid" is taken from this; when any part fails, the original whole-schema
  check runs and reports exactly what it always reported.
"""

from __future__ import annotations

import ast
import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from jsonschema.exceptions import SchemaError, ValidationError, best_match, relevance
from openapi_schema_validator import OAS31_BASE_DIALECT_ID, OAS32_BASE_DIALECT_ID
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, OpenAPIV32SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31, schema_v32
from openapi_spec_validator.schemas.backend.jsonschema import create_validator
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    OpenAPIValidationError,
    UnresolvableParameterError,
)

from generator.spec.validate import (
    DuplicateOperationId,
    Finding,
    Subject,
    UndefinedRequired,
    UnknownDialect,
    UnresolvedPathParameter,
)

# Dialects whose subschemas are all validated against the dialect's root (via "#meta").
_COMPOSITIONAL_DIALECTS = frozenset(
    {OAS31_BASE_DIALECT_ID, OAS32_BASE_DIALECT_ID, "https://json-schema.org/draft/2020-12/schema"}
)
# Keywords whose value is a schema, a list of schemas, or a map of name -> schema (2020-12).
_SCHEMA_VALUED = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
# What the 2020-12 meta-schemas and the OAS 3.1 base vocabulary ask of these keywords' values:
# `{"type": "string"}` (no format), `{"type": "array", "items": true}`, and `true` (anything).
# x- members are not described at all. So such a value can be replaced by another of its type.
_ANY_STRING = frozenset({"title", "description", "$comment"})
_ANY_ARRAY = frozenset({"examples", "enum"})
_ANY_VALUE = frozenset({"default", "example", "const"})


# The messages of openapi-spec-validator's own checks: the only place their details are.
_DUPLICATE_OPERATION = re.compile(r"Operation ID '(.*)' for '(\w+)' in '(.*)' is not unique")
_UNRESOLVED_PARAMETER = re.compile(r"Path parameter '(.*)' for '(\w+)' operation in '(.*)' was not resolved")
_UNDEFINED_REQUIRED = re.compile(r"Required list has not defined properties: (\[.*\])")
_UNKNOWN_DIALECT = re.compile(r"Unknown JSON Schema dialect: '(.*)'")
_UNEVALUATED = re.compile(r"Unevaluated properties are not allowed \((.*) (?:was|were) unexpected\)")
# What jsonschema puts in `instance` when an error is made without one (the validator's own checks).
_NO_INSTANCE = ValidationError("").instance


# ---------------------------------------------------------------------------- running


class ValidatorStopped(Exception):
    """openapi-spec-validator raised instead of reporting, and the OpenAPI schema alone found nothing."""

    def __init__(self, crash: Exception) -> None:
        super().__init__(str(crash))
        self.crash = crash


def check(document: dict[str, Any], limit: int) -> list[Finding]:
    """The validator's findings on an OpenAPI 3.0, 3.1 or 3.2 document, the first `limit` of them.

    RecursionError propagates (the caller words it); ValidatorStopped when the validator
    crashed and checking the document against the OpenAPI schema alone found nothing.
    """
    validator = _VALIDATORS.get(_minor(document), SpecValidator30)(document)
    errors: list[ValidationError] = []
    try:
        for error in validator.iter_errors():
            errors.append(error)
    except RecursionError:
        raise
    except Exception as crash:  # openapi-spec-validator trips over some malformed documents
        errors.extend(_schema_errors(document))
        if not errors:
            raise ValidatorStopped(crash) from None
    return [_finding(error) for error in errors[:limit]]


def _schema_errors(document: dict[str, Any]) -> list[ValidationError]:
    """The document checked against the OpenAPI JSON Schema alone (no semantic checks)."""
    # The pure-Python backend, as in `_AcceptFast`: findings keep their paths.
    checker = create_validator(_SCHEMAS.get(_minor(document), schema_v30))
    return list(checker.iter_errors(document))


# ---------------------------------------------------------------------------- reading findings


def _finding(error: ValidationError) -> Finding:
    detail = _most_specific(error)
    unknown, known = _members(detail)
    return Finding(
        message=str(detail.message),
        path=tuple(str(token) for token in detail.absolute_path),
        instance=None if detail.instance is _NO_INSTANCE else detail.instance,
        subject=_subject(detail),
        unknown_members=unknown,
        known_members=known,
    )


def _members(error: ValidationError) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """For an object with members its OpenAPI object does not define (`additionalProperties:
    false` beside `^x-` patterns): those members, and the ones it defines."""
    schema, instance = error.schema, error.instance
    if not isinstance(schema, dict) or not isinstance(instance, dict):
        return (), ()
    if error.validator == "unevaluatedProperties" and error.validator_value is False:
        # The 3.1/3.2 schemas close objects this way; only the message names the members.
        named = _UNEVALUATED.fullmatch(str(error.message))
        listed = _literal_list(f"[{named.group(1)}]") if named else ()
        unknown = tuple(name for name in instance if name in listed)
        return (unknown, tuple(schema.get("properties") or ())) if unknown else ((), ())
    if error.validator != "additionalProperties":
        return (), ()
    known = tuple(schema.get("properties") or ())
    patterns = [re.compile(pattern) for pattern in schema.get("patternProperties") or ()]
    unknown = tuple(
        str(name) for name in instance if name not in known and not any(p.search(str(name)) for p in patterns)
    )
    return unknown, known


def _most_specific(error: ValidationError) -> ValidationError:
    """The finding under a failed `oneOf`/`anyOf` that says what is wrong.

    Where the metaschema allows "a Schema Object or a Reference Object", a schema with a
    mistake deep inside also fails the Reference branch ("'$ref' is a required property"),
    which jsonschema's best_match prefers for being shallower. Unless the value has a `$ref`,
    that branch is noise: drop it and follow the other branch down.
    """
    while error.context:
        candidates = [sub for sub in error.context if not _is_reference_branch(sub)]
        if not candidates:
            break
        if len(candidates) == len(error.context):
            error = cast(ValidationError, best_match(candidates))
        else:
            error = max(candidates, key=relevance)  # the shallowest
    return error


def _is_reference_branch(error: ValidationError) -> bool:
    instance = error.instance
    return (
        error.validator == "required"
        and error.validator_value == ["$ref"]
        and not (isinstance(instance, dict) and "$ref" in instance)
    )


def _subject(error: ValidationError) -> Subject | None:
    """What a finding of openapi-spec-validator's own checks is about: only its message tells."""
    message = str(error.message)
    if isinstance(error, DuplicateOperationIDError):
        operation = _DUPLICATE_OPERATION.fullmatch(message)
        if operation:
            _, method, path = operation.groups()
            return DuplicateOperationId(method=method, path=path)
    if isinstance(error, UnresolvableParameterError):
        parameter = _UNRESOLVED_PARAMETER.fullmatch(message)
        if parameter:
            name, method, path = parameter.groups()
            return UnresolvedPathParameter(name=name, method=method, path=path)
    if isinstance(error, ExtraParametersError):
        undefined = _UNDEFINED_REQUIRED.fullmatch(message)
        if undefined:
            return UndefinedRequired(names=_literal_list(undefined.group(1)), listed=undefined.group(1))
    dialect = _UNKNOWN_DIALECT.fullmatch(message)
    if dialect:
        return UnknownDialect(dialect=dialect.group(1))
    return None


def _literal_list(text: str) -> tuple[str, ...]:
    """The names of a list as Python's repr wrote it (`['a', 'b']`), sorted; () if it is not one."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return ()
    return tuple(sorted(str(item) for item in value)) if isinstance(value, list) else ()


# ---------------------------------------------------------------------------- patched validators


class _IdSet(set[int]):
    """A set that openapi-spec-validator can use where it expects a list of ids."""

    def append(self, item: int) -> None:
        self.add(item)


def _split(node: Mapping[str, Any], parts: list[Any]) -> dict[str, Any]:
    """`node` with every subschema that is an object replaced by `{}`; those go to `parts`."""
    shallow = dict(node)
    for key in _SCHEMA_VALUED:
        value = shallow.get(key)
        if isinstance(value, dict):
            parts.append(value)
            shallow[key] = {}
    for key in _SCHEMA_LISTS:
        value = shallow.get(key)
        if isinstance(value, list):
            members = list(value)
            for index, member in enumerate(members):
                if isinstance(member, dict):
                    parts.append(member)
                    members[index] = {}
            shallow[key] = members
    for key in _SCHEMA_MAPS:
        value = shallow.get(key)
        if isinstance(value, dict):
            members_map = dict(value)
            for name, member in members_map.items():
                if isinstance(member, dict):
                    parts.append(member)
                    members_map[name] = {}
            shallow[key] = members_map
    return shallow


def _blank_free_values(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with the values the meta-schema does not look into (beyond their type) blanked."""
    blanked = dict(node)
    for key, value in node.items():
        if key in _ANY_STRING and isinstance(value, str):
            blanked[key] = ""
        elif key in _ANY_ARRAY and isinstance(value, list):
            blanked[key] = []
        elif key in _ANY_VALUE or key.startswith("x-"):
            blanked[key] = None
    return blanked


class _MemoChecker:
    """A meta-schema check that checks each distinct schema node once (see the module doc)."""

    def __init__(self, check: Callable[[Any], None], verdicts: dict[str, bool]) -> None:
        self.check = check
        self.verdicts = verdicts

    def node_valid(self, node: dict[str, Any]) -> bool:
        node = _blank_free_values(node)
        try:
            key = json.dumps(node, sort_keys=True, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return False
        known = self.verdicts.get(key)
        if known is None:
            try:
                self.check(node)
                known = True
            except (SchemaError, ValidationError):
                known = False
            self.verdicts[key] = known
        return known

    def parts_valid(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        todo: list[Any] = [schema]
        seen: set[int] = set()
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if not self.node_valid(_split(node, todo)):
                return False
        return True

    def __call__(self, schema: Any) -> None:
        if not self.parts_valid(schema):
            self.check(schema)  # the original check: raises exactly what it always raised


def _no_findings(schema: Any, value: Any) -> Iterator[ValidationError]:
    return iter(())


class _LocatedNonSchema:
    """A value where a schema belongs (`schema: 42`) reported at its own path.

    openapi-spec-validator's schema pass says so without a path, which read as the whole
    document (`FILE:1:1`), beside the whole-document check's located finding of the same
    value; with the path the two are one finding, at the value's line.
    """

    kinds = "'object', 'boolean'"  # what a schema may be in this OpenAPI version

    def __call__(self, schema: Any, require_properties: bool = True, meta_checked: bool = False) -> Iterator[Any]:
        value = schema.read_value()
        if not isinstance(value, (Mapping, bool)):
            message = f"{value!r} is not of type {self.kinds}"
            yield OpenAPIValidationError(message, path=deque(schema.parts), instance=value, validator="type")
            return
        yield from super().__call__(schema, require_properties, meta_checked)  # type: ignore[misc]


class _SchemaValidator31(_LocatedNonSchema, keywords.OpenAPIV31SchemaValidator):
    # sdkgen checks every default itself, wherever it is (generator.spec.defaults): one rule.
    default_validator = cast(Any, property(lambda self: _no_findings))

    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = cast(Any, _IdSet())
        self.meta_checked_schema_ids = cast(Any, _IdSet())
        self._verdicts: dict[str, dict[str, bool]] = {}

    def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        check = super()._get_schema_checker(schema, schema_value)
        dialect = self._get_schema_dialect_id(schema, schema_value)
        if dialect not in _COMPOSITIONAL_DIALECTS:
            return check
        return _MemoChecker(check, self._verdicts.setdefault(dialect, {}))


class _SchemaValidator30(_LocatedNonSchema, keywords.OpenAPIV30SchemaValidator):
    kinds = "'object'"
    default_validator = cast(Any, property(lambda self: _no_findings))

    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = cast(Any, _IdSet())
        self.meta_checked_schema_ids = cast(Any, _IdSet())


class _AcceptFast:
    """The whole-document check: jsonschema-rs may say "valid"; anything else is jsonschema's.

    jsonschema-rs checks the document against the same OpenAPI schema ~200x faster. Only its
    "valid" is taken (it is never more lenient than jsonschema on these schemas: both follow
    the JSON Schema test suite, and jsonschema-rs asserts formats that jsonschema leaves
    alone, which only sends more documents down the slow path); for any other answer, or
    where jsonschema-rs is not installed, the pure-Python check runs and its findings are
    the ones reported, with their locations.
    """

    def __init__(self, schema: Any) -> None:
        self.python = create_validator(schema)
        self.fast: Any = None
        try:
            import jsonschema_rs

            self.fast = jsonschema_rs.validator_cls_for(dict(schema))(dict(schema))
        except Exception:  # absent, or cannot read this schema: the Python check alone
            self.fast = None

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if self.fast is not None:
            try:
                if self.fast.is_valid(instance):
                    return
            except Exception:  # e.g. a value it cannot convert: decide with the Python check
                pass
        yield from self.python.iter_errors(instance)


class SpecValidator31(OpenAPIV31SpecValidator):
    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "schema": _SchemaValidator31}  # noqa: RUF012

    def __init__(self, schema: Any) -> None:
        super().__init__(schema)
        self.schema_validator = cast(Any, _AcceptFast(schema_v31))


class _MediaTypeValidator32(keywords.MediaTypeValidator):
    """A 3.2 media type's `itemSchema` is a schema too: checked as its `schema` is."""

    def __call__(self, mimetype: str, media_type: Any) -> Iterator[ValidationError]:
        yield from super().__call__(mimetype, media_type)
        if "itemSchema" in media_type:
            yield from self.schema_validator(media_type / "itemSchema")


class _SchemaValidator32(keywords.OpenAPIV32SchemaValidator, _SchemaValidator31):
    """3.1's patches (via the MRO) with 3.2's base dialect and format checker."""


class SpecValidator32(OpenAPIV32SpecValidator):
    keyword_validators = {  # noqa: RUF012
        **OpenAPIV32SpecValidator.keyword_validators,
        "schema": _SchemaValidator32,
        "mediaType": _MediaTypeValidator32,
    }

    def __init__(self, schema: Any) -> None:
        super().__init__(schema)
        self.schema_validator = cast(Any, _AcceptFast(schema_v32))


class SpecValidator30(OpenAPIV30SpecValidator):
    keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators, "schema": _SchemaValidator30}  # noqa: RUF012

    def __init__(self, schema: Any) -> None:
        super().__init__(schema)
        self.schema_validator = cast(Any, _AcceptFast(schema_v30))


def _minor(document: dict[str, Any]) -> str:
    """`3.0`, `3.1` or `3.2`: which OpenAPI schema and checks apply (the version was checked before)."""
    return str(document.get("openapi", ""))[:3]


_VALIDATORS: dict[str, type[SpecValidator30 | SpecValidator31 | SpecValidator32]] = {
    "3.1": SpecValidator31,
    "3.2": SpecValidator32,
}
_SCHEMAS: dict[str, Any] = {"3.1": schema_v31, "3.2": schema_v32}
