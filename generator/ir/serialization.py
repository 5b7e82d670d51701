"""How a parameter is serialised: OpenAPI's style table, and what sdkgen refuses of it.

The runtime (`_runtime/parameters.py`) implements every style the specification defines for
each location; this module reads a Parameter Object's `style`, `explode`, `allowReserved` and
`content` and refuses the combinations the specification leaves undefined or forbids, so a
package never sends a parameter in a form nobody specified: a style of another location
(`deepObject` in a header), `deepObject` not exploded or on a schema that is not an object,
and `content` with more than one media type (which one would be sent?).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.ir.model import JsonValue
from generator.spec.pointers import join_pointer
from generator.spec.styles import default_style, style_problem

# Styles whose `explode` defaults to true; every other style's defaults to false.
EXPLODED_BY_DEFAULT = frozenset({"form", "cookie"})


@dataclass(frozen=True, slots=True)
class Serialization:
    """A parameter's wire form as declared, and the schema its values follow."""

    style: str
    explode: bool
    allow_reserved: bool
    media_type: str | None  # a `content` parameter: its one media type
    schema: JsonValue  # as written (a `$ref` stays one)
    schema_pointer: str  # where that schema is
    example: JsonValue  # the parameter's `example`, else its media type's


def read_serialization(value: Mapping[str, JsonValue], pointer: str, location: str) -> Serialization:
    """The serialisation a Parameter Object declares (checked by `problems`)."""
    content = value.get("content")
    if "schema" not in value and isinstance(content, dict) and content:
        media_type, media = next(iter(content.items()))
        media = media if isinstance(media, dict) else {}
        at = join_pointer(join_pointer(join_pointer(pointer, "content"), media_type), "schema")
        example = value.get("example", media.get("example"))
        return Serialization(default_style(location), False, False, media_type, media.get("schema", {}), at, example)
    style = str(value.get("style", default_style(location)))
    explode = bool(value.get("explode", style in EXPLODED_BY_DEFAULT))
    allow_reserved = location == "query" and value.get("allowReserved") is True
    at = join_pointer(pointer, "schema")
    return Serialization(style, explode, allow_reserved, None, value.get("schema", {}), at, value.get("example"))


def problems(value: Mapping[str, JsonValue], pointer: str, location: str, schema: JsonValue) -> list[tuple[str, str]]:
    """(pointer, message) for each combination sdkgen refuses; `schema` is the parameter's
    schema with its `$ref` followed. (The spec validator refuses the first two too; these hold for a
    document loaded without it.)"""
    found: list[tuple[str, str]] = []
    content = value.get("content")
    if isinstance(content, dict) and len(content) > 1:
        types = ", ".join(map(str, content))
        found.append(
            (
                join_pointer(pointer, "content"),
                f"parameter {value.get('name')!r}: `content` must hold exactly one media type, not {len(content)} "
                f"({types}): which one the client sends would be a guess",
            )
        )
    if "content" in value and "schema" not in value:
        return found  # `style`, `explode` and `allowReserved` apply to `schema` parameters only
    style = str(value.get("style", default_style(location)))
    wrong_place = style_problem(value)
    if wrong_place is not None:
        found.append((join_pointer(pointer, "style"), wrong_place))
    elif style == "deepObject":
        if value.get("explode") is not True:
            where = join_pointer(pointer, "explode") if "explode" in value else join_pointer(pointer, "style")
            found.append(
                (
                    where,
                    f"parameter {value.get('name')!r}: style deepObject needs `explode: true` (with explode false, "
                    "its default, OpenAPI leaves the serialisation undefined)",
                )
            )
        if not _may_be_object(schema):
            found.append(
                (
                    join_pointer(pointer, "style"),
                    f"parameter {value.get('name')!r}: style deepObject serialises an object, but the schema "
                    f"is of type {_types(schema)}",
                )
            )
    return found


def declared_types(schema: JsonValue) -> list[str] | None:
    """The JSON types a schema's `type` names (None: any)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return None


def _may_be_object(schema: JsonValue) -> bool:
    """Whether values of the schema can be objects (no `type`: they can, as far as sdkgen tells)."""
    types = declared_types(schema)
    return types is None or "object" in types


def _types(schema: JsonValue) -> str:
    return " | ".join(declared_types(schema) or ["any"])
