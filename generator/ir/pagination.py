"""`x-sdkgen-pagination`: how an operation pages through a list, read and checked for the IR.

```yaml
x-sdkgen-pagination:
  style: cursor            # cursor | offset | page | next-url | link-header
  items: /data             # JSON pointer to the items array in the response body ("" = the body)
  cursorParam: cursor      # cursor: the query parameter that takes the cursor
  nextCursor: /next_cursor # cursor: pointer to the next cursor; missing, null or "" ends
  offsetParam: offset      # offset: the query parameter of the first item's index
  pageParam: page          # page: the query parameter of the page number (the first is 1)
  limitParam: limit        # offset, page (optional): the page size; a shorter page is the last
                           # (only for servers that never return fewer items than asked but at the end)
  nextUrl: /links/next     # next-url: pointer to the next page's URL; missing, null or "" ends
  hasMore: /has_more       # optional (not link-header): a boolean; false ends
```

link-header follows the `Link` header's `rel="next"` (RFC 8288). Every mistake is refused,
located at the member at fault: an unknown style or member, a missing member the style
needs, a parameter the operation does not take in its query, a pointer that is not one, an
`items` pointer that does not lead to an array of the response's schema.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import cast

from generator.ir.model import Api, JsonValue, Pagination, PaginationStyle, Parameter, Response
from generator.spec.pointers import join_pointer, resolve_pointer, split_pointer

EXTENSION = "x-sdkgen-pagination"
STYLES: dict[str, tuple[str, ...]] = {
    "cursor": ("cursorParam", "nextCursor"),
    "offset": ("offsetParam",),
    "page": ("pageParam",),
    "next-url": ("nextUrl",),
    "link-header": (),
}
"""Each style and the members it needs besides `items`."""
OPTIONAL: dict[str, tuple[str, ...]] = {
    "cursor": ("hasMore",),
    "offset": ("limitParam", "hasMore"),
    "page": ("limitParam", "hasMore"),
    "next-url": ("hasMore",),
    "link-header": (),
}
PARAMETERS = ("cursorParam", "offsetParam", "pageParam", "limitParam")
POINTERS = ("items", "nextCursor", "nextUrl", "hasMore")
_POINTER = re.compile(r"^(/([^~]|~[01])*)*$")

Fail = Callable[[str, str], None]
Hoist = Callable[[JsonValue, str], str | None]


def read_pagination(
    node: Mapping[str, JsonValue],
    pointer: str,
    parameters: Sequence[Parameter],
    responses: Sequence[Response],
    *,
    fail: Fail,
    schema_of: Callable[[str], JsonValue],
    resolve: Callable[[str], JsonValue],
    hoist: Hoist,
    annotate: Callable[[JsonValue], str],
) -> Pagination | None:
    """The operation's pagination, or None when it has none (or it is wrong: `fail` was told).

    `schema_of` gives a named schema's body, `resolve` a `$ref` target, `hoist` names an inline
    item schema (schema, pointer) -> its schema name, `annotate` types a plain item schema.
    """
    declared = node.get(EXTENSION)
    if declared is None:
        return None
    at = join_pointer(pointer, EXTENSION)
    if not isinstance(declared, dict):
        fail(at, f"{EXTENSION} must be a mapping with a style and an items pointer")
        return None
    style = declared.get("style")
    if style not in STYLES:
        close = difflib.get_close_matches(str(style), list(STYLES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(join_pointer(at, "style") if "style" in declared else at,
             f"{EXTENSION} style must be one of {', '.join(STYLES)}, not {style!r}{hint}")  # fmt: skip
        return None
    allowed = {"style", "items", *STYLES[style], *OPTIONAL[style]}
    ok = True
    for name in declared:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            fail(join_pointer(at, name), f"{EXTENSION}: {name!r} is not a member of the {style!r} style{hint}")
            ok = False
    for name in ("items", *STYLES[style]):
        if name not in declared:
            fail(at, f"{EXTENSION}: the {style!r} style needs {name!r}")
            ok = False
    query = {p.name for p in parameters if p.location == "query"}
    for name in PARAMETERS:
        value = declared.get(name)
        if name in declared and (not isinstance(value, str) or value not in query):
            known = ", ".join(sorted(query)) or "none"
            fail(join_pointer(at, name), f"{EXTENSION}: {name} {value!r} is not a query parameter of the operation "
                                         f"(its query parameters: {known})")  # fmt: skip
            ok = False
    for name in POINTERS:
        value = declared.get(name)
        if name in declared and (not isinstance(value, str) or not _POINTER.match(value)):
            fail(join_pointer(at, name), f"{EXTENSION}: {name} must be a JSON pointer ('' or '/a/b'), not {value!r}")
            ok = False
    if not ok:
        return None
    body = next(
        (r for r in responses if r.status.startswith("2") and r.kind == "json" and r.schema_name is not None), None
    )
    if body is None or body.schema_name is None:
        fail(at, f"{EXTENSION}: the operation has no JSON success response with a schema to find the items in")
        return None
    items_schema = _follow(schema_of(body.schema_name), str(declared["items"]), resolve)
    if isinstance(items_schema, str):
        fail(join_pointer(at, "items"), f"{EXTENSION}: items {declared['items']!r} {items_schema}")
        return None
    item = items_schema.get("items", {}) if isinstance(items_schema, dict) else {}
    item_name = _item_schema_name(item, join_pointer(at, "items"), hoist)
    return Pagination(
        style=cast(PaginationStyle, style),
        items=str(declared["items"]),
        item_schema_name=item_name,
        item_type="Any" if item_name is not None else annotate(item),
        pointer=at,
        cursor_param=declared.get("cursorParam"),
        next_cursor=declared.get("nextCursor"),
        offset_param=declared.get("offsetParam"),
        limit_param=declared.get("limitParam"),
        page_param=declared.get("pageParam"),
        next_url=declared.get("nextUrl"),
        has_more=declared.get("hasMore"),
    )


def _follow(schema: JsonValue, pointer: str, resolve: Callable[[str], JsonValue]) -> JsonValue:
    """The schema of the array `pointer` leads to in instances of `schema`, or why there is none.

    Follows `$ref`s, `properties` and `allOf` parts; a member a schema does not declare but
    may hold (no `properties` of its own, or composition) is taken on trust as `{}`.
    """
    current = _deref(schema, resolve)
    for token in split_pointer(pointer):
        found = _member(current, token, resolve)
        if isinstance(found, str):
            return found
        current = found
    if isinstance(current, dict) and current:
        kind = current.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if kind is not None and "array" not in kinds:
            return f"leads to a {kind} in the response schema, not an array"
    return current


def _member(schema: JsonValue, token: str, resolve: Callable[[str], JsonValue]) -> JsonValue:
    if not isinstance(schema, dict):
        return {}
    if token.isdigit() and ("items" in schema or schema.get("type") == "array"):
        return _deref(schema.get("items", {}), resolve)
    properties = schema.get("properties")
    if isinstance(properties, dict) and token in properties:
        return _deref(properties[token], resolve)
    for part in schema.get("allOf") or []:
        found = _member(_deref(part, resolve), token, resolve)
        if isinstance(found, dict) and found:
            return found
    composed = ("allOf", "anyOf", "oneOf", "additionalProperties", "patternProperties")
    if isinstance(properties, dict) and not any(key in schema for key in composed):
        return f"names no member of the response schema ({token!r} is not one of {', '.join(properties)})"
    return {}


def _deref(schema: JsonValue, resolve: Callable[[str], JsonValue]) -> JsonValue:
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"] not in seen:
        seen.add(schema["$ref"])
        schema = resolve(schema["$ref"])
    return schema


def _item_schema_name(item: JsonValue, pointer: str, hoist: Hoist) -> str | None:
    """The named schema of one item: a component it refers to, or the inline one hoisted; None
    for a schema of plain values (strings, numbers, ...)."""
    if not isinstance(item, dict) or not item:
        return None
    kind = item.get("type")
    plain = kind in ("string", "integer", "number", "boolean") and "enum" not in item
    if plain and not any(key in item for key in ("allOf", "anyOf", "oneOf", "$ref")):
        return None
    return hoist(item, pointer)


# ---------------------------------------------------------------------------- proposals for `sdkgen lint`

# Query parameter names that say what kind of paging an operation does (compared lower-case,
# without `_` and `-`). Only these are trusted: a proposal is never a guess from the body alone.
_CURSOR_NAMES = frozenset({"cursor", "after", "startingafter", "pagetoken", "nexttoken", "continuation",
                           "continuationtoken", "marker", "nextpagetoken"})  # fmt: skip
_OFFSET_NAMES = frozenset({"offset", "skip", "start"})
_PAGE_NAMES = frozenset({"page", "pagenumber", "pageno"})
_LIMIT_NAMES = frozenset({"limit", "perpage", "pagesize", "size", "count", "maxresults", "top"})
_NEXT_CURSOR_NAMES = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken", "cursor", "next", "after")
_ITEMS_NAMES = ("data", "items", "results", "records", "entries", "values", "list")


def propose(api: Api) -> list[tuple[str, str]]:
    """(pointer, message) for each GET operation without `x-sdkgen-pagination` whose query
    parameters and JSON success body look like a common paging shape, with the extension to add.
    """
    found: list[tuple[str, str]] = []

    def resolve(ref: str) -> JsonValue:
        try:
            return resolve_pointer(api.document, ref[1:]) if ref.startswith("#") else {}
        except KeyError:
            return {}

    for op in api.operations:
        if op.pagination is not None or op.method != "get":
            continue
        body = next((r for r in op.responses if r.status.startswith("2") and r.schema_name and r.kind == "json"), None)
        if body is None or body.schema_name is None:
            continue
        operation_id, pointer, parameters = op.operation_id, op.pointer, op.parameters
        by_kind: dict[str, str] = {}
        for parameter in parameters:
            if parameter.location != "query":
                continue
            key = parameter.name.lower().replace("_", "").replace("-", "")
            for kind, names in (("cursor", _CURSOR_NAMES), ("offset", _OFFSET_NAMES), ("page", _PAGE_NAMES),
                                ("limit", _LIMIT_NAMES)):  # fmt: skip
                if key in names:
                    by_kind.setdefault(kind, parameter.name)
        style = next((kind for kind in ("cursor", "offset", "page") if kind in by_kind), None)
        schema = _deref(api.schema(body.schema_name).body, resolve)
        if style is None or not isinstance(schema, dict):
            continue
        items = _items_pointer(schema, resolve)
        if items is None:
            continue
        proposal: dict[str, str] = {"style": style, "items": items}
        if style == "cursor":
            properties = schema.get("properties")
            members = properties if isinstance(properties, dict) else {}
            next_cursor = next((name for name in _NEXT_CURSOR_NAMES if name in members), None)
            if next_cursor is None:
                continue
            proposal |= {"cursorParam": by_kind["cursor"], "nextCursor": "/" + next_cursor}
        else:
            proposal[f"{style}Param"] = by_kind[style]
            if "limit" in by_kind:
                proposal["limitParam"] = by_kind["limit"]
        written = ", ".join(f"{key}: {value or chr(34) * 2}" for key, value in proposal.items())
        found.append(
            (
                pointer,
                f"operation {operation_id!r} looks paginated (query parameter {by_kind[style]!r}, items at "
                f"{items or '(the body)'}); to iterate every page, mark it x-sdkgen-pagination: {{{written}}}",
            )
        )
    return found


def _items_pointer(schema: Mapping[str, JsonValue], resolve: Callable[[str], JsonValue]) -> str | None:
    """Where the items of a page body are: the body itself, or its one array member (or a well-known one)."""
    if schema.get("type") == "array":
        return ""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return None
    arrays = [str(name) for name, sub in properties.items() if _is_array(_deref(sub, resolve))]
    if len(arrays) == 1:
        return "/" + arrays[0].replace("~", "~0").replace("/", "~1")
    named = [name for name in _ITEMS_NAMES if name in arrays]
    return "/" + named[0] if named else None


def _is_array(schema: JsonValue) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "array"
