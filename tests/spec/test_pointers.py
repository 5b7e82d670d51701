"""JSON pointers (RFC 6901) and JSON copies: the helpers every step names places with."""

from __future__ import annotations

import pytest

from generator.spec.pointers import (
    copy_json,
    escape_token,
    is_name_map,
    iter_refs,
    join_pointer,
    resolve_pointer,
    split_pointer,
    unescape_token,
)


@pytest.mark.parametrize(("token", "escaped"), [("a", "a"), ("a/b", "a~1b"), ("~x", "~0x"), ("~1", "~01"), ("", "")])
def test_tokens_escape_and_unescape(token: str, escaped: str) -> None:
    assert escape_token(token) == escaped
    assert unescape_token(escaped) == token


def test_join_and_split_are_inverse() -> None:
    pointer = join_pointer(join_pointer(join_pointer("", "paths"), "/things/{id}"), 0)
    assert pointer == "/paths/~1things~1{id}/0"
    assert split_pointer(pointer) == ["paths", "/things/{id}", "0"]
    assert split_pointer("") == []
    assert split_pointer("/") == [""]


def test_resolve_pointer() -> None:
    document = {"a": [{"b/c": 1}, None], "": {"~": 2}}
    assert resolve_pointer(document, "") is document
    assert resolve_pointer(document, "/a/0/b~1c") == 1
    assert resolve_pointer(document, "/a/1") is None
    assert resolve_pointer(document, "//~0") == 2
    for missing in ("/b", "/a/2", "/a/x", "/a/-1", "/a/0/b~1c/d"):
        with pytest.raises(KeyError):
            resolve_pointer(document, missing)


def test_copy_json_shares_nothing_mutable() -> None:
    original = {"a": [{"b": 1}], "c": "text"}
    copied = copy_json(original)
    assert copied == original
    copied["a"][0]["b"] = 2
    copied["a"].append(3)
    assert original == {"a": [{"b": 1}], "c": "text"}


def test_iter_refs_finds_references_not_member_names() -> None:
    schema = {
        "properties": {"$ref": {"type": "string"}, "x": {"$ref": "#/components/schemas/X"}},
        "allOf": [{"$ref": "other.yaml#/Y"}],
        "$ref": "#/components/schemas/Base",
    }
    assert sorted(iter_refs(schema, "/s")) == [
        ("/s/$ref", "#/components/schemas/Base"),
        ("/s/allOf/0/$ref", "other.yaml#/Y"),
        ("/s/properties/x/$ref", "#/components/schemas/X"),
    ]
    assert is_name_map("/s/properties") and is_name_map("/x/examples")
    assert not is_name_map("/s/properties/x")
