"""What generator/adapters/jsonpath.py assumes of jsonpath-rfc9535; each failure names the assumption
an upgrade broke."""

from __future__ import annotations

import pytest

from generator.adapters.jsonpath import QueryError, compile_query

DOCUMENT = {
    "paths": {
        "/pets": {"get": {"parameters": [{"name": "a"}, {"name": "b"}]}, "post": {}},
        "/users": {"get": {"parameters": [{"name": "b"}]}},
    }
}


def test_nodes_come_with_their_normalized_location_in_document_order() -> None:
    found = compile_query("$.paths.*.get.parameters[?@.name == 'b']").find(DOCUMENT)
    assert [location for location, _ in found] == [
        ("paths", "/pets", "get", "parameters", 1),
        ("paths", "/users", "get", "parameters", 0),
    ], "a node's `location` is no longer the tuple of names and indices of its normalized path"
    assert found[0][1] is DOCUMENT["paths"]["/pets"]["get"]["parameters"][1], "a node's `value` is not the node itself"


def test_rfc_9535_selectors_and_functions() -> None:
    assert [loc for loc, _ in compile_query("$..parameters[-1]").find(DOCUMENT)] == [
        ("paths", "/pets", "get", "parameters", 1),
        ("paths", "/users", "get", "parameters", 0),
    ]
    assert [loc for loc, _ in compile_query("$.paths[?length(@.get.parameters) > 1]").find(DOCUMENT)] == [
        ("paths", "/pets")
    ], "RFC 9535 function extensions (length) are not evaluated"
    assert compile_query("$.nothing").find(DOCUMENT) == []


@pytest.mark.parametrize(
    ("query", "offset"),
    [("$.paths[", 8), ("paths.x", 0), ("$.a[?@.b ==]", None)],
)
def test_a_malformed_query_is_refused_with_where(query: str, offset: int | None) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    assert caught.value.message and "line 1" not in caught.value.message
    if offset is not None:
        assert caught.value.offset == offset, "JSONPathError.token.index no longer says where the query broke"


def test_a_query_that_is_not_well_typed_is_refused() -> None:
    with pytest.raises(QueryError):
        compile_query("$[?length(@.a)]")  # a ValueType where a LogicalType is needed (RFC 9535, 2.4.3)
