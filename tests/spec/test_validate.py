"""Spec validation: openapi-spec-validator's findings located and worded, unsupported versions refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.spec import load_spec
from tests.conftest import SPECS
from tests.spec.support import MINIMAL, error_of, write


def test_swagger_2_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "old.yaml", 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n')
    assert "old.yaml:1:10: Swagger 2.0 is not supported" in error_of(path)


def test_spec_validator_findings_are_located(tmp_path: Path) -> None:
    text = (SPECS / "zuddl.yaml").read_text().replace("kind:\n          type: string", "kind:\n          type: strng")
    path = write(tmp_path, "z.yaml", text)
    message = error_of(path)
    assert message.startswith("z.yaml:175:17: invalid OpenAPI document:"), message
    assert "strng" in message


def test_a_mistake_deep_in_a_schema_is_reported_not_the_reference_branch(tmp_path: Path) -> None:
    # Each schema is "a Schema Object or a Reference Object": the finding to show is the
    # one inside the schema, not "'$ref' is a required property" at the schema's top.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            Things:
              type: array
              items:
                type: object
                properties:
                  meta:
                    anyOf:
                      - type: string
                      - type: 'null'
        """,
    )
    message = error_of(path)
    assert "'$ref' is a required property" not in message
    assert "api.yaml:14:23: invalid OpenAPI document: 'null' is not one of" in message
    assert "OpenAPI 3.0 has no 'null' type: write `nullable: true`" in message


@pytest.mark.parametrize(
    ("dialect", "refused"),
    [
        ("http://json-schema.org/draft-04/schema#", True),
        ("https://json-schema.org/draft/2019-09/schema", True),
        ("https://json-schema.org/draft/2020-12/schema", False),
        ("https://spec.openapis.org/oas/3.1/dialect/base", False),
    ],
)
def test_a_json_schema_dialect_other_than_2020_12_is_refused(tmp_path: Path, dialect: str, refused: bool) -> None:
    path = write(tmp_path, "api.yaml", MINIMAL + f"jsonSchemaDialect: '{dialect}'\n")
    if refused:
        assert f"api.yaml:6:20: jsonSchemaDialect {dialect!r} is not supported" in error_of(path)
    else:
        load_spec(path)


def test_an_unknown_schema_local_dialect_is_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api.yaml",
        MINIMAL
        + "components:\n"
        + "  schemas:\n"
        + "    Thing:\n"
        + "      $schema: 'https://json-schema.org/draft-05/schema#'\n"
        + "      type: object\n",
    )
    message = error_of(path)
    assert "api.yaml:9:16: invalid OpenAPI document: Unknown JSON Schema dialect" in message, message


def test_an_undefined_required_property_under_allof_is_located(tmp_path: Path) -> None:
    # openapi-spec-validator reports this with no path (it was FILE:1:1); Azure OpenAI's spec has it.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths: {}
        components:
          schemas:
            Base: {type: object, properties: {role: {type: string}}}
            Message:
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  properties:
                    content: {type: string}
              required:
                - content
                - function_call_id
        """,
    )
    message = error_of(path)
    assert message.startswith(
        "api.yaml:15:11: required property 'function_call_id' is defined neither in properties nor in any"
    ), message
    assert "define it or drop it from required" in message


def test_a_boolean_exclusive_minimum_in_3_1_says_how_to_write_it(tmp_path: Path) -> None:
    # OpenAI's 3.1 spec keeps the 3.0 spelling `minimum: 0, exclusiveMinimum: true`.
    path = write(
        tmp_path,
        "api.yaml",
        MINIMAL
        + "components:\n  schemas:\n    Temp:\n      type: number\n      minimum: 0\n      exclusiveMinimum: true\n",
    )
    message = error_of(path)
    assert message.startswith("api.yaml:11:25: invalid OpenAPI document: True is not of type 'number'"), message
    assert "in 3.1 write `exclusiveMinimum: <limit>` in place of `minimum: <limit>, exclusiveMinimum: true`" in message


@pytest.mark.parametrize(("version", "shown"), [("2.0", "2.0"), ("3.3.0", "'3.3.0'"), ("'3.1'", "'3.1'"), ("3", "3")])
def test_an_unsupported_openapi_version_is_refused(tmp_path: Path, version: str, shown: str) -> None:
    path = write(tmp_path, "api.yaml", MINIMAL.replace("openapi: 3.1.0", f"openapi: {version}"))
    expected = f"api.yaml:1:10: unsupported OpenAPI version {shown}: sdkgen reads 3.0.x and 3.1.x (and 3.2.x)"
    assert error_of(path) == expected


def test_a_duplicate_operation_id_is_located_at_the_second_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /a:
            get: {operationId: same, responses: {"200": {description: ok}}}
          /b/{id}:
            put:
              operationId: same
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses: {"200": {description: ok}}
        """,
    )
    assert error_of(path) == (
        "api.yaml:8:20: invalid OpenAPI document: Operation ID 'same' for 'put' in '/b/{id}' is not unique"
    )


def test_an_undeclared_path_parameter_is_located_at_its_path_template(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /things/{thingId}:
            get:
              parameters: [{name: other, in: path, required: true, schema: {type: string}}]
              responses: {"200": {description: ok}}
        """,
    )
    message = error_of(path)
    # the path template (the key of its path item), and the parameter's declaration
    assert "api.yaml:4:3: invalid OpenAPI document: Path parameter 'thingId' for 'get' operation" in message
    assert "the path template names {thingId}" in message
    assert "api.yaml:6:20: invalid OpenAPI document: Path parameter 'other' for 'get' operation" in message


def test_a_path_parameter_finding_about_an_operation_that_is_no_mapping_is_located(tmp_path: Path) -> None:
    # The finding names the operation whose parameters to look through: it may be any value.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /things/{thingId}:
            put: text
        """,
    )
    assert error_of(path).splitlines() == [
        "api.yaml:4:3: invalid OpenAPI document: Path parameter 'thingId' for 'put' operation in "
        "'/things/{thingId}' was not resolved (the path template names {thingId}; declare it as an `in: path` "
        "parameter of the operation or its path item, or fix the template)",
        "api.yaml:5:10: invalid OpenAPI document: 'text' is not of type 'object'",
    ]
