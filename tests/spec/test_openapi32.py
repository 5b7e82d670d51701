"""OpenAPI 3.2 documents: loaded with 3.1's checks plus 3.2's (its schema, `itemSchema`, the
`query` method, `additionalOperations`, tag parents, `$self`), findings located as for 3.1, and
what sdkgen does not read (`in: querystring`) refused where it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.ir.parse import build_api
from generator.spec import load_spec
from tests.spec.support import error_of, write

HEAD = """\
openapi: 3.2.0
info: {title: t, version: "1"}
"""
TICK = """\
components:
  schemas:
    Tick:
      type: object
      properties:
        price: {type: number}
"""


def _spec(tmp_path: Path, paths: str, extra: str = TICK) -> Path:
    return write(tmp_path, "api.yaml", HEAD + paths + extra)


def test_a_3_2_document_loads_with_its_additions(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        """\
$self: https://example.test/api.yaml
jsonSchemaDialect: https://spec.openapis.org/oas/3.2/dialect/2025-09-17
tags:
  - {name: parent, kind: nav}
  - {name: child, parent: parent}
paths:
  /ticks:
    get:
      operationId: streamTicks
      responses:
        "200":
          summary: the ticks
          description: the ticks
          content:
            text/event-stream:
              itemSchema: {$ref: "https://example.test/api.yaml#/components/schemas/Tick"}
    query:
      operationId: findTicks
      responses:
        "200":
          description: found
          content:
            application/json:
              $ref: "#/components/mediaTypes/Ticks"
    additionalOperations:
      PURGE:
        operationId: purgeTicks
        responses: {"204": {description: gone}}
""",
        TICK + "  mediaTypes:\n    Ticks:\n      schema: {type: array, items: {$ref: '#/components/schemas/Tick'}}\n",
    )
    api = build_api(load_spec(path, path.name))
    by_name = {op.python_name: op for op in api.operations}
    assert (by_name["find_ticks"].method, by_name["purge_ticks"].method) == ("query", "purge")
    assert by_name["purge_ticks"].pointer == "/paths/~1ticks/additionalOperations/PURGE"
    [event] = [r for r in by_name["stream_ticks"].responses if r.status == "200"]
    assert (event.kind, event.schema_name) == ("event-stream", "Tick")  # through `$self`
    [found] = by_name["find_ticks"].responses
    assert found.schema_name == "FindTicksResponse"  # the media type's schema, by its $ref


def test_an_invalid_item_schema_is_located(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        """\
paths:
  /ticks:
    get:
      responses:
        "200":
          description: ok
          content:
            application/jsonl:
              itemSchema: {type: strin}
""",
    )
    message = error_of(path)
    assert message.startswith("api.yaml:11:34: invalid OpenAPI document: 'strin' is not"), message


def test_an_unknown_member_of_a_3_2_media_type_is_named(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        """\
paths:
  /ticks:
    get:
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              itemSchemas: {type: string}
""",
    )
    assert "api.yaml:11:15: invalid OpenAPI document: unknown member 'itemSchemas' here: did you mean 'itemSchema'" in (
        error_of(path)
    )


def test_3_2_checks_of_its_own_run(tmp_path: Path) -> None:
    unknown_parent = _spec(tmp_path, "tags:\n  - {name: child, parent: nowhere}\npaths: {}\n")
    assert "Tag 'child' references unknown parent tag 'nowhere'" in error_of(unknown_parent)
    query_without_parameter = _spec(
        tmp_path,
        'paths:\n  /t/{id}:\n    query:\n      responses: {"200": {description: ok}}\n',
    )
    assert "Path parameter 'id' for 'query' operation in '/t/{id}' was not resolved" in error_of(
        query_without_parameter
    )


def test_a_querystring_parameter_is_refused_where_it_is(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        """\
paths:
  /search:
    get:
      parameters:
        - name: filter
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema: {type: object}
      responses: {"200": {description: ok}}
""",
    )
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(path, path.name))
    assert "api.yaml:8:15: `in: querystring` (OpenAPI 3.2" in str(caught.value)


def test_a_remote_ref_other_than_self_is_still_refused(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        """\
$self: https://example.test/api.yaml
paths:
  /ticks:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "https://example.test/other.yaml#/components/schemas/Tick"}
""",
    )
    assert "a remote reference no ref map covers" in error_of(path)


def test_lenient_mode_skips_a_query_operation_it_cannot_generate(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    path = _spec(
        tmp_path,
        """\
paths:
  /a:
    get:
      operationId: getA
      responses: {"200": {description: ok}}
  /s:
    query:
      operationId: searchS
      parameters:
        - {name: q, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object}}}}
      responses: {"200": {description: ok}}
""",
    )
    result = CliRunner().invoke(main, ["generate", "--lenient", "--out", str(tmp_path / "out"), str(path)])
    assert result.exit_code == 0, result.output
    assert "operation QUERY /s (searchS) skipped" in result.output


def test_a_schema_in_the_3_2_dialect_compiles_with_every_vocabulary(tmp_path: Path) -> None:
    import importlib
    import sys

    from generator.pipeline import generate

    dialect = "https://spec.openapis.org/oas/3.2/dialect/2025-09-17"
    path = write(
        tmp_path,
        "api.yaml",
        HEAD.replace('version: "1"}', 'version: "1", x-sdkgen-package: dialect32}')
        + f"jsonSchemaDialect: {dialect}\npaths: {{}}\ncomponents:\n  schemas:\n    A:\n"
        + f"      $schema: {dialect}\n      type: object\n      properties: {{kind: {{type: string, minLength: 2}}}}\n",
    )
    generate([path], tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        validators = importlib.import_module("dialect32.validators")
        assert [issue.keyword for issue in validators.validate_a({"kind": "x"})] == ["minLength"]
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [m for m in sys.modules if m == "dialect32" or m.startswith("dialect32.")]:
            del sys.modules[name]
