"""Media types: which kind of body each one is, decided once for the IR and every emitter.

The kind says how a body travels and what a client method takes or returns for it: JSON is
parsed into models, forms and multipart are encoded from a mapping, event streams are read
event by event, text is `str` and everything else is `bytes`, sent or returned as it is. A
JSON sequence (JSON lines, json-seq) whose media object gives OpenAPI 3.2's `itemSchema` is
read record by record (`json-sequence`); without one it stays text or bytes, as before 3.2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from generator.spec.pointers import join_pointer

MediaKind = Literal["json", "form", "multipart", "event-stream", "json-sequence", "text", "binary"]

_JSON = re.compile(r"^application/([A-Za-z0-9.!#$&^_-]*\+)?json$")
# Text that is not under text/: read as `str` all the same.
_TEXT_APPLICATIONS = frozenset(
    {"application/xml", "application/yaml", "application/x-yaml", "application/javascript", "application/x-ndjson"}
)


def media_type(content_type: str) -> str:
    """The bare media type, lower case: `Application/JSON; charset=utf-8` -> `application/json`."""
    return content_type.split(";")[0].strip().lower()


def media_kind(content_type: str) -> MediaKind:
    """What kind of body a media type (or range) carries."""
    media = media_type(content_type)
    if _JSON.match(media):
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("multipart/"):
        return "multipart"
    if media == "text/event-stream":
        return "event-stream"
    if media.startswith("text/") or media in _TEXT_APPLICATIONS or media.endswith("+xml"):
        return "text"
    return "binary"


# The media types of JSON sequences, with what ends a record: LF, or RS (RFC 7464's json-seq).
JSON_SEQUENCES = {
    "application/jsonl": "\n",
    "application/x-jsonlines": "\n",
    "application/x-ndjson": "\n",
    "application/json-seq": "\x1e",
}


def sequence_separator(content_type: str) -> str | None:
    """What ends one record of a JSON-sequence media type; None for any other media type."""
    return JSON_SEQUENCES.get(media_type(content_type))


def is_json(content_type: str) -> bool:
    return media_kind(content_type) == "json"


def event_data_schema(
    media: Mapping[str, Any], pointer: str, resolve: Callable[[Any, str], tuple[Any, str]] | None = None
) -> tuple[Any, str] | None:
    """The schema of one event's data in a `text/event-stream` media object, with its pointer.

    OpenAPI 3.2's `itemSchema` (one event) or the media's `schema`; an event object whose
    `data` member names a `contentSchema` (3.2's way to say "JSON of this schema") gives that.
    None when there is none, or it is a bare string (the stream's text), or an `itemSchema`
    describes the event object without saying what its data holds (a string `data`, or events
    of several shapes under oneOf/anyOf): events stay `ServerSentEvent`s. `resolve` follows a
    `$ref` (value and pointer), so an event object kept in components is read as one.
    """
    for key in ("itemSchema", "schema"):
        schema = media.get(key)
        if not isinstance(schema, dict):
            continue
        at = join_pointer(pointer, key)
        if resolve is not None and isinstance(schema.get("$ref"), str):
            target, target_at = resolve(schema, at)
            if isinstance(target, dict) and _is_event_object(target):
                schema, at = target, target_at  # a named schema of another kind stays named
        if key == "itemSchema" and _is_event_object(schema) and not _data_schema(schema):
            return None
        data = schema.get("properties", {}).get("data") if isinstance(schema.get("properties"), dict) else None
        if isinstance(data, dict) and isinstance(data.get("contentSchema"), dict):
            return data["contentSchema"], join_pointer(
                join_pointer(join_pointer(at, "properties"), "data"), "contentSchema"
            )
        if schema.get("type") == "string" and "contentSchema" not in schema:
            return None
        if isinstance(schema.get("contentSchema"), dict):
            return schema["contentSchema"], join_pointer(at, "contentSchema")
        return schema, at
    return None


# The fields of one server-sent event, as OpenAPI 3.2's `itemSchema` describes an event.
_EVENT_FIELDS = frozenset({"event", "data", "id", "retry"})


def _is_event_object(schema: Mapping[str, Any]) -> bool:
    """An object schema of event fields only, or a oneOf/anyOf of such (one per event type)."""
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return all(isinstance(branch, dict) and _is_event_object(branch) for branch in branches)
    properties = schema.get("properties")
    return isinstance(properties, dict) and "data" in properties and set(properties) <= _EVENT_FIELDS


def _data_schema(schema: Mapping[str, Any]) -> bool:
    """Whether an event object's `data` names the schema of its JSON (`contentSchema`)."""
    properties = schema.get("properties")
    data = properties.get("data") if isinstance(properties, dict) else None
    return isinstance(data, dict) and isinstance(data.get("contentSchema"), dict)
