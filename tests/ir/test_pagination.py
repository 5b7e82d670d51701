"""`x-sdkgen-pagination` read into the IR: what each style needs, and every mistake located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import SpecError
from generator.ir.parse import build_api
from generator.spec import load_spec

PAGE = {
    "type": "object",
    "properties": {
        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Todo"}},
        "next": {"type": "string"},
        "count": {"type": "integer"},
    },
}


def spec_with(tmp_path: Path, extension: Any, schema: Any = None) -> Path:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/todos": {
                "get": {
                    "operationId": "listTodos",
                    "parameters": [
                        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "X-Page", "in": "header", "schema": {"type": "string"}},
                    ],
                    "x-sdkgen-pagination": extension,
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": schema or PAGE}}}
                    },
                }
            }
        },
        "components": {"schemas": {"Todo": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
    }
    path = tmp_path / "api.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def errors(tmp_path: Path, extension: Any, schema: Any = None) -> list[str]:
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(spec_with(tmp_path, extension, schema)))
    return [f"{d.location.line}: {d.message}" if d.location else d.message for d in caught.value.diagnostics]


def test_a_cursor_pagination(tmp_path: Path) -> None:
    api = build_api(
        load_spec(
            spec_with(tmp_path, {"style": "cursor", "items": "/data", "cursorParam": "cursor", "nextCursor": "/next"})
        )
    )
    pagination = api.operations[0].pagination
    assert pagination is not None
    assert (pagination.style, pagination.items, pagination.item_schema_name) == ("cursor", "/data", "Todo")
    assert (pagination.cursor_param, pagination.next_cursor, pagination.pointer) == (
        "cursor",
        "/next",
        "/paths/~1todos/get/x-sdkgen-pagination",
    )


def test_an_inline_item_schema_is_hoisted_and_plain_items_are_typed(tmp_path: Path) -> None:
    inline = {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}}
    api = build_api(load_spec(spec_with(tmp_path, {"style": "link-header", "items": ""}, inline)))
    pagination = api.operations[0].pagination
    assert pagination is not None and pagination.item_schema_name == "ListTodosItem"
    assert api.schema("ListTodosItem").synthetic
    strings = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    api = build_api(
        load_spec(spec_with(tmp_path, {"style": "offset", "items": "/tags", "offsetParam": "limit"}, strings))
    )
    pagination = api.operations[0].pagination
    assert pagination is not None and (pagination.item_schema_name, pagination.item_type) == (None, "str")


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        ("cursor", "x-sdkgen-pagination must be a mapping"),
        (
            {"style": "cursr", "items": "/data"},
            "style must be one of cursor, offset, page, next-url, link-header, not 'cursr' (did you mean 'cursor'?)",
        ),
        ({"style": "cursor", "items": "/data", "cursorParam": "cursor"}, "the 'cursor' style needs 'nextCursor'"),
        (
            {"style": "offset", "items": "/data", "offsetParam": "cursor", "nextCursor": "/next"},
            "'nextCursor' is not a member of the 'offset' style",
        ),
        (
            {"style": "page", "items": "/data", "pageParam": "page"},
            "pageParam 'page' is not a query parameter of the operation (its query parameters: cursor, limit)",
        ),
        ({"style": "page", "items": "/data", "pageParam": "X-Page"}, "pageParam 'X-Page' is not a query parameter"),
        (
            {"style": "next-url", "items": "data", "nextUrl": "/next"},
            "items must be a JSON pointer ('' or '/a/b'), not 'data'",
        ),
        (
            {"style": "link-header", "items": "/dta"},
            "items '/dta' names no member of the response schema ('dta' is not one of data, next, count)",
        ),
        (
            {"style": "link-header", "items": "/count"},
            "items '/count' leads to a integer in the response schema, not an array",
        ),
    ],
)
def test_mistakes_are_located(tmp_path: Path, extension: Any, expected: str) -> None:
    found = errors(tmp_path, extension)
    assert len(found) == 1 and expected in found[0], found
    assert found[0].split(":")[0].isdigit()  # located at a line of the spec


def test_several_mistakes_are_all_reported(tmp_path: Path) -> None:
    found = errors(tmp_path, {"style": "cursor", "items": 3, "cursorParam": "nope", "colour": 1})
    assert len(found) == 4, found


def test_a_paginated_operation_needs_a_json_body(tmp_path: Path) -> None:
    path = spec_with(tmp_path, {"style": "link-header", "items": ""})
    text = path.read_text().replace("application/json", "text/csv")
    path.write_text(text)
    with pytest.raises(SpecError, match="no JSON success response with a schema"):
        build_api(load_spec(path))


def test_a_schema_composed_of_parts_is_followed(tmp_path: Path) -> None:
    composed = {
        "allOf": [
            {"$ref": "#/components/schemas/Todo"},
            {"type": "object", "properties": {"rows": {"type": "array", "items": {"type": "integer"}}}},
        ]
    }
    api = build_api(load_spec(spec_with(tmp_path, {"style": "link-header", "items": "/rows"}, composed)))
    pagination = api.operations[0].pagination
    assert pagination is not None and pagination.item_type == "int"
    open_ended = {"type": "object", "additionalProperties": True}
    assert (
        build_api(load_spec(spec_with(tmp_path, {"style": "link-header", "items": "/rows"}, open_ended)))
        .operations[0]
        .pagination
        is not None
    )


def test_lint_proposes_the_extension_for_unmarked_list_operations() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    spec = Path(__file__).resolve().parents[1] / "data" / "client" / "unmarked_pages.yaml"
    result = CliRunner().invoke(main, ["lint", str(spec)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("ok ")
    assert lines[0].endswith(
        ":8:7: info: operation 'listTodos' looks paginated (query parameter 'starting_after', items at /data); to "
        "iterate every page, mark it x-sdkgen-pagination: {style: cursor, items: /data, cursorParam: "
        "starting_after, nextCursor: /next_cursor}"
    )
    assert (
        "'listUsers' looks paginated" in lines[1]
        and '{style: page, items: "", pageParam: page, limitParam: per_page}' in lines[1]
    )


def test_nothing_is_proposed_for_marked_or_unlisted_operations() -> None:
    from generator.ir.pagination import propose

    for spec in ("pages.yaml", "petshop.yaml", "media.yaml"):
        path = Path(__file__).resolve().parents[1] / "data" / "client" / spec
        assert propose(build_api(load_spec(path))) == [], spec
