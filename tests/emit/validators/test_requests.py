"""The request checks: parameters and server variables as synthesized JSON Schemas, compiled
like any body schema (generator/emit/validators/requests.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import SpecError
from generator.emit.validators import render_validators
from generator.emit.validators.requests import (
    CHECKS_ROOT,
    checks_document,
    client_server_variables,
    parameter_schema,
    request_checks,
)
from generator.ir import Api
from generator.ir.parse import build_api
from generator.spec import load_spec

from .support import import_source

SPEC = """
openapi: 3.1.0
info: {title: t, version: '1'}
servers:
  - url: https://{region}.things.test/{version}
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v1}
paths:
  /things/{id}:
    parameters:
      - $ref: '#/components/parameters/Trace'
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
        - {name: id, in: query, x-sdkgen-name: id_filter, schema: {type: integer}}
        - {name: tags, in: query, required: true, schema: {type: array, items: {$ref: '#/components/schemas/Tag'}}}
        - name: filter
          in: query
          content: {application/json: {schema: {type: object, required: [q]}}}
        - {name: free, in: cookie, content: {text/plain: {}}}
      responses:
        '204': {description: ok}
components:
  parameters:
    Trace: {name: X-Trace, in: header, schema: {type: string, maxLength: 4}}
  schemas:
    Tag: {type: string, enum: [a, b]}
    GetThingPathParameters: {type: object}
"""


def api_of(tmp_path: Path, spec: str = SPEC) -> Api:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(spec), encoding="utf-8")
    return build_api(load_spec(path))


def test_one_object_schema_per_location_each_parameter_by_reference(tmp_path: Path) -> None:
    api = api_of(tmp_path)
    [op] = api.operations
    path = [p for p in op.parameters if p.location == "path"]
    query = [p for p in op.parameters if p.location == "query"]
    assert parameter_schema(api.document, path) == {
        "type": "object",
        "properties": {
            # `{` and `}` escaped in the URI fragment; a path segment must not be empty
            "id": {"$ref": "#/paths/~1things~1%7Bid%7D/get/parameters/0/schema", "minLength": 1}
        },
        "required": ["id"],
    }
    assert parameter_schema(api.document, query) == {
        "type": "object",
        "properties": {
            "tags": {"$ref": "#/paths/~1things~1%7Bid%7D/get/parameters/2/schema"},
            "id": {"$ref": "#/paths/~1things~1%7Bid%7D/get/parameters/1/schema"},
            "filter": {"$ref": "#/paths/~1things~1%7Bid%7D/get/parameters/3/content/application~1json/schema"},
        },
        "required": ["tags"],
    }
    cookie = [p for p in op.parameters if p.location == "cookie"]
    assert parameter_schema(api.document, cookie) == {"type": "object", "properties": {"free": True}}


def test_checks_are_named_per_operation_and_location_beside_the_schemas(tmp_path: Path) -> None:
    api = api_of(tmp_path)
    checks = request_checks(api)
    assert [(c.function, c.location) for c in checks] == [
        ("validate_get_thing_path_parameters_2", "path"),  # validate_get_thing_path_parameters is a schema's
        ("validate_get_thing_query_parameters", "query"),
        ("validate_get_thing_header_parameters", "header"),
        ("validate_get_thing_cookie_parameters", "cookie"),
        ("validate_server_variables", "server"),
    ]
    server = checks[-1]
    assert server.schema == {
        "type": "object",
        "properties": {"region": {"type": "string", "enum": ["eu", "us"]}, "version": {"type": "string"}},
    }
    document = checks_document(api.document, checks)
    assert CHECKS_ROOT not in api.document and document[CHECKS_ROOT]["server"] is server.schema
    assert {key for key in document if key != CHECKS_ROOT} == set(api.document)


def test_a_whole_url_server_variable_is_the_base_url_not_a_check(tmp_path: Path) -> None:
    spec = SPEC.replace("https://{region}.things.test/{version}", "'{region}'")
    api = api_of(tmp_path, spec)
    assert client_server_variables(api) == ()
    assert all(check.location != "server" for check in request_checks(api))


def test_a_server_variable_default_outside_its_enum_is_refused_at_the_default(tmp_path: Path) -> None:
    api = api_of(tmp_path, SPEC.replace("{default: eu, enum: [eu, us]}", "{default: mars, enum: [eu, us]}"))
    with pytest.raises(SpecError) as caught:
        request_checks(api)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.pointer == "/servers/0/variables/region/default"
    assert diagnostic.message == (
        "server variable 'region': the default 'mars' is not one of its enum values ('eu', 'us')"
    )


def test_the_compiled_checks_read_like_the_body_checks(tmp_path: Path) -> None:
    api = api_of(tmp_path)
    module = import_source(render_validators(api), "requests")
    check_path = module.validate_get_thing_path_parameters_2
    assert check_path({"id": "abc"}) == []
    assert [(i.pointer, i.keyword) for i in check_path({"id": ""})] == [("/id", "pattern"), ("/id", "minLength")]
    assert [(i.pointer, i.keyword, i.message) for i in check_path({})] == [
        ("", "required", "missing required member 'id'")
    ]
    query = module.validate_get_thing_query_parameters
    assert query({"tags": ["a"], "id": 2, "filter": {"q": 1}}) == []
    assert [(i.pointer, i.keyword, i.message) for i in query({"tags": ["c"], "id": "2", "filter": {}})] == [
        ("/tags/0", "enum", 'must be one of "a", "b"'),
        ("/id", "type", "expected integer, got string"),
        ("/filter", "required", "missing required member 'q'"),
    ]
    assert query({"tags": ["c"]})[0].message == module.validate_tag("c")[0].message  # one wording
    assert [i.keyword for i in module.validate_get_thing_header_parameters({"X-Trace": "12345"})] == ["maxLength"]
    assert [i.pointer for i in module.validate_server_variables({"region": "mars", "version": "v2"})] == ["/region"]
    assert "validate_server_variables" in module.__all__
    assert set(module._VALIDATORS) == {"Tag", "GetThingPathParameters"}  # `validate()` knows the schemas only


def test_parameter_schema_functions_are_named_for_their_parameter(tmp_path: Path) -> None:
    source = render_validators(api_of(tmp_path))
    assert "def _check_get_thing_id(" in source  # the path parameter's pattern
    assert "def _check_x_trace(" in source  # declared for the whole path: named for itself
    assert "#/paths/~1things~1{id}/get/parameters/0/schema" in source  # the docstring says where it comes from


def test_a_refusal_inside_a_parameter_schema_is_located_there(tmp_path: Path) -> None:
    spec = SPEC.replace("{type: string, maxLength: 4}", "{type: string, maxLenght: 4}")
    with pytest.raises(SpecError) as caught:
        render_validators(api_of(tmp_path, spec))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.pointer == "/components/parameters/Trace/schema/maxLenght"
    assert "did you mean 'maxLength'?" in diagnostic.message


@pytest.mark.parametrize("value", ["circle", ["a", "b"], {"k": 1}])
def test_a_check_never_changes_its_input(tmp_path: Path, value: Any) -> None:
    module = import_source(render_validators(api_of(tmp_path)), "requests")
    data = {"tags": [value], "id": value}
    before = repr(data)
    module.validate_get_thing_query_parameters(data)
    assert repr(data) == before
