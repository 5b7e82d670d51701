"""Which kind of body each media type is: what a client method takes or returns for it."""

from __future__ import annotations

import pytest

from generator.ir.media import event_data_schema, is_json, media_kind, media_type


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json", "json"),
        ("Application/JSON; charset=utf-8", "json"),
        ("application/vnd.api+json", "json"),
        ("application/problem+json", "json"),
        ("application/x-www-form-urlencoded", "form"),
        ("multipart/form-data", "multipart"),
        ("multipart/mixed", "multipart"),
        ("text/event-stream", "event-stream"),
        ("text/plain", "text"),
        ("text/csv; charset=utf-8", "text"),
        ("application/xml", "text"),
        ("application/atom+xml", "text"),
        ("application/x-yaml", "text"),
        ("application/octet-stream", "binary"),
        ("application/pdf", "binary"),
        ("image/png", "binary"),
        ("image/*", "binary"),
        ("*/*", "binary"),
        ("application/jsonl", "binary"),
    ],
)
def test_media_kinds(content_type: str, kind: str) -> None:
    assert media_kind(content_type) == kind
    assert is_json(content_type) == (kind == "json")


def test_media_type_drops_parameters_and_case() -> None:
    assert media_type(" Text/Plain ; charset=UTF-8") == "text/plain"


TICK = {"$ref": "#/components/schemas/Tick"}


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ({}, None),
        ({"schema": {"type": "string"}}, None),
        ({"schema": TICK}, (TICK, "/m/schema")),
        ({"itemSchema": TICK, "schema": {"type": "string"}}, (TICK, "/m/itemSchema")),
        (
            {"schema": {"type": "object", "properties": {"data": {"type": "string", "contentSchema": TICK}}}},
            (TICK, "/m/schema/properties/data/contentSchema"),
        ),
        ({"schema": {"type": "string", "contentSchema": TICK}}, (TICK, "/m/schema/contentSchema")),
    ],
)
def test_the_schema_of_one_events_data(media: dict[str, object], expected: object) -> None:
    assert event_data_schema(media, "/m") == expected


EVENT_TEXT = {"type": "object", "properties": {"event": {"type": "string"}, "data": {"type": "string"}}}
EVENT_JSON = {"type": "object", "properties": {"data": {"type": "string", "contentSchema": TICK}}}


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ({"itemSchema": EVENT_TEXT}, None),  # the event object, its data plain text
        ({"itemSchema": {"oneOf": [EVENT_TEXT, EVENT_JSON]}}, None),  # events of several shapes
        ({"itemSchema": EVENT_JSON}, (TICK, "/m/itemSchema/properties/data/contentSchema")),
        ({"itemSchema": {"$ref": "#/components/schemas/TextEvent"}}, None),
        (
            {"itemSchema": {"$ref": "#/components/schemas/JsonEvent"}},
            (TICK, "/s/JsonEvent/properties/data/contentSchema"),
        ),
        ({"itemSchema": TICK}, (TICK, "/m/itemSchema")),  # a named model stays named
    ],
)
def test_an_item_schema_of_the_event_object(media: dict[str, object], expected: object) -> None:
    named = {"TextEvent": EVENT_TEXT, "JsonEvent": EVENT_JSON, "Tick": {"type": "object"}}

    def resolve(node: object, pointer: str) -> tuple[object, str]:
        assert isinstance(node, dict)
        name = node["$ref"].rsplit("/", 1)[-1]
        return named[name], f"/s/{name}"

    assert event_data_schema(media, "/m", resolve) == expected
