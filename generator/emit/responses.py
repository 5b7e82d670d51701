"""How a generated client reads each response: the client view's decisions about bodies that
come back (`generator.emit.client` builds its operations from these).

For each documented response, which `_runtime` body parser reads it (a model checked by its
compiled validator, plain JSON, bytes, text, an event stream, a JSON sequence) and what that gives in each
client flavour; and for an operation with `x-sdkgen-pagination`, the `_runtime.Pagination`
that walks its pages and the type of one item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.emit.wire_types import write_only_members
from generator.ir import Api, Operation, Response
from generator.ir.media import sequence_separator


@dataclass(frozen=True, slots=True)
class PaginationView:
    """The `_runtime.Pagination(...)` of a paginated operation, and what one item is."""

    name: str  # the module constant holding it
    source: str  # the `_runtime.Pagination(...)` expression
    item: str  # the annotation of one item
    style: str
    items: str  # the JSON pointer to the items


@dataclass(frozen=True, slots=True)
class Target:
    """How a client reads one documented response: source expressions and the type it yields."""

    parser: str  # a `_runtime` body parser (`ResponseSpec.success`), "None" when there is no body
    annotation: str  # what parsing it yields (the `ResponseSpec`'s type: "Any" for an event stream)
    error: str  # the error model for `ResponseSpec.errors` ("None": kept raw)
    stream_item: str | None = None  # an event stream's item type: `Stream[...]` / `AsyncStream[...]`


NO_BODY = Target("None", "None", "None")


def response_target(api: Api, response: Response, *, directional: bool = True) -> Target:
    """How the client reads a response, by its media type and schema (`directional`: see `model_target`)."""
    if response.kind == "event-stream":
        if response.schema_name is None:
            return Target("_runtime.EventStream()", "Any", "None", "ServerSentEvent")
        model, annotation = model_target(api, response.schema_name, directional=directional)
        return Target(f"_runtime.EventStream({model})", "Any", "None", annotation)
    if response.kind == "json-sequence":
        separator = sequence_separator(response.content_type or "")
        if response.schema_name is None:
            return Target(f"_runtime.JsonSequence(None, {separator!r})", "Any", "None", "Any")
        model, annotation = model_target(api, response.schema_name)
        return Target(f"_runtime.JsonSequence({model}, {separator!r})", "Any", "None", annotation)
    if response.schema_name is not None:
        parser, annotation = model_target(api, response.schema_name, directional=directional)
        return Target(parser, annotation, "_models." + api.schema(response.schema_name).class_name)
    if response.kind is None:
        return NO_BODY
    if response.kind == "json":
        return Target("_runtime.JSON", "Any", '"json"')
    if response.kind == "text":
        return Target("_runtime.TEXT", "str", "None")
    return Target("_runtime.BYTES", "bytes", "None")


def model_target(api: Api, schema_name: str, *, directional: bool = True) -> tuple[str, str]:
    """The `_runtime.Model(...)` parser of a JSON schema's model, and the type it yields. Without
    `directional`, the parser leaves out the `writeOnly` members it unrequires (finding them
    walks the schema): for a caller that reads the type only."""
    schema = api.schema(schema_name)
    model = "_models." + schema.class_name
    value_type = _open_enum_value_type(schema.body)
    validator = f"_validators.validate_{schema.python_name}"
    write_only = write_only_members(api, schema.body) if directional else []
    if write_only:  # a `required` naming one holds for requests only: a response leaves them out
        validator = f"_runtime.not_required({validator}, {tuple(write_only)!r})"
    parser = f"_runtime.Model({model}, {validator})"
    return parser, f"{model} | {value_type}" if value_type else model


def _open_enum_value_type(schema: Any) -> str | None:
    """`str` or `int` for an enum schema whose model is an Enum class that takes unlisted values too."""
    enum = schema.get("enum") if isinstance(schema, dict) else None
    if not isinstance(enum, list) or not enum or "properties" in schema:
        return None
    values = [value for value in enum if value is not None]
    if values and all(isinstance(value, str) for value in values):
        return "str"
    if values and all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return "int"
    return None


def pagination_view(api: Api, op: Operation, *, directional: bool = True) -> PaginationView | None:
    """The `_runtime.Pagination(...)` of an operation with `x-sdkgen-pagination` (`directional`:
    see `model_target`)."""
    pagination = op.pagination
    if pagination is None:
        return None
    arguments = [f"style={pagination.style!r}", f"items={pagination.items!r}"]
    item = pagination.item_type
    if pagination.item_schema_name is not None:
        model, item = model_target(api, pagination.item_schema_name, directional=directional)
        arguments.append(f"item={model}")
    for field in ("cursor_param", "next_cursor", "offset_param", "limit_param", "page_param", "next_url", "has_more"):
        value = getattr(pagination, field)
        if value is not None:
            arguments.append(f"{field}={value!r}")
    source = "_runtime.Pagination(" + ", ".join(arguments) + ")"
    name = f"_{op.python_name.upper()}_PAGINATION"
    return PaginationView(name, source, item, pagination.style, pagination.items)


def parsed(target: Target, stream: str) -> str:
    """What parsing a target yields in a client flavour (`stream`: that flavour's event stream class)."""
    return f"{stream}[{target.stream_item}]" if target.stream_item is not None else target.annotation
