"""What generator/adapters/openapi_spec_validator.py assumes of openapi-spec-validator, checked.

The adapter patches private parts of openapi-spec-validator (and leans on jsonschema and
jsonschema-rs) and reads some of its English messages. A pinned upgrade that renames a
private part, changes a signature or rewords a message would not fail loudly by itself:
findings would quietly lose their location or the run its speed. Each test here names
the assumption it checks, so an upgrade that breaks one says which.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas.backend import jsonschema as schemas_backend
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    UnresolvableParameterError,
)

from generator.adapters import openapi_spec_validator as adapter
from generator.spec.validate import (
    DuplicateOperationId,
    Finding,
    UndefinedRequired,
    UnknownDialect,
    UnresolvedPathParameter,
)


def document(version: str = "3.1.0", **members: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}, **members}


def schemas(version: str, **named: Any) -> dict[str, Any]:
    return document(version, components={"schemas": named})


def raw_errors(data: dict[str, Any]) -> list[ValidationError]:
    """openapi-spec-validator's own errors, unpatched."""
    validator = OpenAPIV31SpecValidator if data["openapi"].startswith("3.1") else OpenAPIV30SpecValidator
    return list(validator(data).iter_errors())


def signature_names(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


# ---------------------------------------------------------------------------- private parts patched


@pytest.mark.parametrize(
    ("owner", "name", "expected"),
    [
        (keywords.OpenAPIV31SchemaValidator, "_get_schema_checker", ["self", "schema", "schema_value"]),
        (keywords.OpenAPIV31SchemaValidator, "_get_schema_dialect_id", ["self", "schema", "schema_value"]),
        (keywords.OpenAPIV30SchemaValidator, "__init__", ["self", "registry"]),
        (keywords.OpenAPIV31SchemaValidator, "__init__", ["self", "registry"]),
        (OpenAPIV31SpecValidator, "__init__", ["self", "schema", "base_uri", "spec_url"]),
        (OpenAPIV30SpecValidator, "__init__", ["self", "schema", "base_uri", "spec_url"]),
        (schemas_backend, "create_validator", ["schema"]),
    ],
)
def test_the_private_methods_the_adapter_overrides_keep_their_signatures(
    owner: Any, name: str, expected: list[str]
) -> None:
    method = getattr(owner, name, None)
    assert callable(method), f"openapi-spec-validator: {owner.__name__}.{name} is gone; the adapter overrides it"
    assert signature_names(method) == expected, (
        f"openapi-spec-validator: {owner.__name__}.{name}{inspect.signature(method)} changed; "
        f"the adapter calls it as ({', '.join(expected)})"
    )


@pytest.mark.parametrize("spec_validator", [OpenAPIV30SpecValidator, OpenAPIV31SpecValidator])
def test_the_spec_validators_keep_a_schema_keyword_validator_and_a_whole_document_check(spec_validator: type) -> None:
    registered = spec_validator.keyword_validators.get("schema")
    assert isinstance(registered, type) and issubclass(registered, keywords.SchemaValidator), (
        f"openapi-spec-validator: {spec_validator.__name__}.keyword_validators['schema'] is no longer a "
        "SchemaValidator class; the adapter registers its own subclass there"
    )
    assert hasattr(spec_validator, "schema_validator"), (
        f"openapi-spec-validator: {spec_validator.__name__}.schema_validator (the whole-document check) is gone; "
        "the adapter replaces it with _AcceptFast"
    )


def test_the_schema_walker_keeps_its_visited_id_lists() -> None:
    registry = OpenAPIV31SpecValidator(document()).keyword_validators_registry
    walker = registry["schema"]
    for attribute in ("visited_schema_ids", "meta_checked_schema_ids"):
        assert isinstance(getattr(walker, attribute, None), list), (
            f"openapi-spec-validator: SchemaValidator.{attribute} is no longer a list set up in __init__; "
            "the adapter swaps it for a set with append()"
        )


def test_the_patched_parts_are_the_ones_that_run() -> None:
    data = schemas(
        "3.1.0",
        A={"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}, "c": {"type": "string"}}},
        B={"type": "array", "items": {"type": "string"}},
        Bad={"type": "strng"},
    )
    validator = adapter.SpecValidator31(data)
    whole = validator.schema_validator
    assert isinstance(whole, adapter._AcceptFast)
    checked: list[Any] = []
    original = whole.iter_errors

    def spy(instance: Any) -> Iterator[Any]:
        checked.append(instance)
        return original(instance)

    whole.iter_errors = spy  # type: ignore[method-assign]
    findings = list(validator.iter_errors())
    assert checked == [data], (
        "openapi-spec-validator: SpecValidator.iter_errors no longer calls self.schema_validator.iter_errors("
        "document); the adapter's whole-document check (_AcceptFast) is not used"
    )
    walker = validator.keyword_validators_registry["schema"]
    assert isinstance(walker, adapter._SchemaValidator31), "keyword_validators['schema'] is not the adapter's"
    assert walker.visited_schema_ids and walker.meta_checked_schema_ids, (
        "openapi-spec-validator: the schema walker no longer records schemas in visited_schema_ids / "
        "meta_checked_schema_ids; the adapter's sets are never filled"
    )
    verdicts = walker._verdicts.get("https://spec.openapis.org/oas/3.1/dialect/base", {})
    assert True in verdicts.values() and False in verdicts.values(), (
        "openapi-spec-validator: OpenAPIV31SchemaValidator._get_schema_checker is no longer how each schema's "
        "meta-schema check is made, or its checker no longer raises SchemaError/ValidationError: the "
        "adapter's memo saw no verdicts"
    )
    assert any("strng" in str(error.message) for error in findings), "the memo hid a real finding"


def test_jsonschema_rs_offers_the_fast_whole_document_check() -> None:
    import jsonschema_rs

    assert callable(getattr(jsonschema_rs, "validator_cls_for", None)), (
        "jsonschema-rs: validator_cls_for is gone; _AcceptFast would silently fall back to the slow check"
    )
    from openapi_spec_validator.schemas import schema_v31

    checker = adapter._AcceptFast(schema_v31)
    assert checker.fast is not None, "jsonschema-rs cannot read the OpenAPI 3.1 schema any more"
    assert checker.fast.is_valid(document()) and not checker.fast.is_valid({"openapi": 3})


def test_jsonschema_errors_made_without_an_instance_share_one_marker() -> None:
    assert ValidationError("a").instance is ValidationError("b").instance is adapter._NO_INSTANCE, (
        "jsonschema: an error made from a message alone no longer carries one shared 'unset' instance; "
        "the adapter reads it as 'no instance'"
    )


# ---------------------------------------------------------------------------- what the findings look like


def only(findings: list[Finding], kind: type) -> Finding:
    matching = [finding for finding in findings if isinstance(finding.subject, kind)]
    assert len(matching) == 1, [finding.message for finding in findings]
    return matching[0]


def assert_message_shape(errors: list[ValidationError], error_class: type, pattern: re.Pattern[str]) -> None:
    messages = [str(error.message) for error in errors if isinstance(error, error_class)]
    assert messages, (
        f"openapi-spec-validator no longer reports this as {error_class.__name__}; "
        f"got {[(type(e).__name__, e.message) for e in errors]}"
    )
    for message in messages:
        assert pattern.fullmatch(message), (
            f"openapi-spec-validator's {error_class.__name__} message {message!r} no longer matches "
            f"{pattern.pattern!r}, which the adapter reads it with"
        )


def test_a_duplicate_operation_id_is_read_from_its_message() -> None:
    operation = {"operationId": "same", "responses": {"200": {"description": "ok"}}}
    data = document("3.0.3", paths={"/a": {"get": operation}, "/b": {"put": operation}})
    assert_message_shape(raw_errors(data), DuplicateOperationIDError, adapter._DUPLICATE_OPERATION)
    finding = only(adapter.check(data, limit=50), DuplicateOperationId)
    assert finding.subject == DuplicateOperationId(method="put", path="/b")


def test_an_unresolved_path_parameter_is_read_from_its_message() -> None:
    operation = {"responses": {"200": {"description": "ok"}}}
    data = document("3.1.0", paths={"/things/{thingId}": {"get": operation}})
    assert_message_shape(raw_errors(data), UnresolvableParameterError, adapter._UNRESOLVED_PARAMETER)
    finding = only(adapter.check(data, limit=50), UnresolvedPathParameter)
    assert finding.subject == UnresolvedPathParameter(name="thingId", method="get", path="/things/{thingId}")


def test_an_undefined_required_property_is_read_from_its_message() -> None:
    data = schemas(
        "3.0.3",
        Message={
            "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
            "required": ["a", "zeta", "beta"],
        },
    )
    assert_message_shape(raw_errors(data), ExtraParametersError, adapter._UNDEFINED_REQUIRED)
    finding = only(adapter.check(data, limit=50), UndefinedRequired)
    assert isinstance(finding.subject, UndefinedRequired)
    assert finding.subject.names == ("beta", "zeta")


def test_an_unknown_schema_dialect_is_read_from_its_message() -> None:
    dialect = "https://json-schema.org/draft-05/schema#"
    data = schemas("3.1.0", Thing={"$schema": dialect, "type": "object"})
    messages = [str(error.message) for error in raw_errors(data)]
    assert any(adapter._UNKNOWN_DIALECT.fullmatch(message) for message in messages), (
        f"openapi-spec-validator's unknown-dialect message no longer matches {adapter._UNKNOWN_DIALECT.pattern!r} "
        f"(got {messages}); the adapter reads the dialect from it"
    )
    assert only(adapter.check(data, limit=50), UnknownDialect).subject == UnknownDialect(dialect=dialect)


def test_its_default_check_is_switched_off() -> None:
    # sdkgen checks every default itself (generator.spec.defaults); the validator's own check,
    # which misses defaults in request bodies and beside a `$ref`, would report some twice.
    schema = {"type": "integer", "default": "12"}
    data = schemas("3.0.3", Page={"type": "object", "properties": {"size": schema}})
    assert any(error.instance == "12" for error in raw_errors(data)), "openapi-spec-validator no longer checks defaults"
    assert "default_validator" in vars(keywords.SchemaValidator), (
        "openapi-spec-validator no longer runs its default check through SchemaValidator.default_validator"
    )
    assert adapter.check(data, limit=50) == []


def test_the_reference_branch_is_passed_over_for_the_finding_inside_the_schema() -> None:
    data = schemas(
        "3.0.3",
        Things={"type": "array", "items": {"properties": {"meta": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}},
    )
    from openapi_spec_validator.schemas import schema_v30

    # The whole-document check's findings, from the pure-Python backend the adapter uses.
    todo = list(schemas_backend.create_validator(schema_v30).iter_errors(data))
    nested: list[ValidationError] = []
    while todo:
        error = todo.pop()
        nested.append(error)
        todo.extend(error.context or [])
    assert any(error.validator == "required" and error.validator_value == ["$ref"] for error in nested), (
        "openapi-spec-validator's OpenAPI schema no longer offers 'a Schema Object or a Reference Object' as a "
        "branch whose failure is required: ['$ref']; the adapter skips that branch (_is_reference_branch)"
    )
    messages = [finding.message for finding in adapter.check(data, limit=50)]
    assert messages and all("'$ref' is a required property" not in message for message in messages), messages
    assert any(message.startswith("'null' is not one of") for message in messages), messages


def test_findings_keep_the_offending_value_and_where_it_is() -> None:
    data = document("3.1.0", paths={"/a": {"get": {"operationId": 12, "responses": {"200": {"description": "ok"}}}}})
    (finding,) = adapter.check(data, limit=50)
    assert finding.path == ("paths", "/a", "get", "operationId")
    assert finding.instance == 12
    assert finding.subject is None


def test_findings_are_capped() -> None:
    data = schemas("3.1.0", **{f"S{index}": {"type": "strng"} for index in range(5)})
    assert len(adapter.check(data, limit=50)) == 5
    assert len(adapter.check(data, limit=2)) == 2


# ---------------------------------------------------------------------------- when the validator crashes


def test_a_crash_falls_back_to_the_openapi_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Any) -> Iterator[Any]:
        raise TypeError("tripped")
        yield  # pragma: no cover

    monkeypatch.setattr(adapter.SpecValidator31, "iter_errors", crash)
    broken = document("3.1.0", info={"title": "t"})
    (finding,) = adapter.check(broken, limit=50)
    assert finding.message == "'version' is a required property"
    with pytest.raises(adapter.ValidatorStopped) as stopped:
        adapter.check(document("3.1.0"), limit=50)
    assert isinstance(stopped.value.crash, TypeError)


def test_an_unknown_member_finding_names_the_members_and_the_allowed_ones() -> None:
    # In 3.0 a Schema Object allows only its own fields and x- extensions (additionalProperties: false).
    data = schemas("3.0.3", Thing={"type": "string", "maxLenght": 3, "examples": ["a"], "x-ok": 1})
    findings = adapter.check(data, limit=50)
    assert len(findings) == 1, f"openapi-spec-validator no longer refuses unknown schema members once: {findings}"
    (finding,) = findings
    assert finding.unknown_members == ("maxLenght", "examples")
    assert {"maxLength", "example", "nullable"} <= set(finding.known_members)


# ---------------------------------------------------------------------------- OpenAPI 3.2


def _media(**media: Any) -> dict[str, Any]:
    content = {"application/jsonl": media}
    return document("3.2.0", paths={"/t": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}})


def test_its_3_2_media_type_check_looks_at_schema_only() -> None:
    """The reason for `_MediaTypeValidator32`: unpatched, a broken `itemSchema` passes."""
    from openapi_spec_validator import OpenAPIV32SpecValidator

    assert "mediaType" in OpenAPIV32SpecValidator.keyword_validators
    assert list(OpenAPIV32SpecValidator(_media(itemSchema={"type": "strin"})).iter_errors()) == []
    [finding] = adapter.check(_media(itemSchema={"type": "strin"}), limit=5)
    assert finding.instance == "strin"


def test_3_2_documents_get_3_2_checks() -> None:
    assert adapter.check(_media(itemSchema={"type": "string"}), limit=5) == []
    [finding] = adapter.check(document("3.2.0", tags=[{"name": "a", "parent": "b"}]), limit=5)
    assert "references unknown parent tag 'b'" in finding.message


def test_an_unevaluated_member_is_named_from_the_message() -> None:
    """The 3.1/3.2 schemas close objects with `unevaluatedProperties: false`; only the message names the member."""
    [finding] = adapter.check(_media(itemSchemas={}), limit=5)
    assert finding.unknown_members == ("itemSchemas",)
    assert "itemSchema" in finding.known_members
