"""JSON pointers (RFC 6901) and plain JSON data: the one vocabulary every step shares.

A place in a spec is named by a JSON pointer from loading to the last diagnostic: the
source map is keyed by pointers, the IR keeps the pointer of what it was built from, and
every refusal carries one until it is located. These helpers are kept apart from YAML,
bundling and validation so that the later steps (IR, emitters) can import them without
pulling in any of the load step's dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

JsonValue = Any  # None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]

# Objects whose member names are free (a property may be called "$ref"): a `$ref` key
# directly inside one of them is a name, not a reference.
_NAME_MAPS = ("/properties", "/patternProperties", "/$defs", "/definitions", "/examples")


def escape_token(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """The member name or index a reference token stands for (the inverse of `escape_token`)."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, token: str | int) -> str:
    """`pointer` extended by one member name or array index."""
    # (Every walker calls this for every node: the rare token that needs escaping is the slow path.)
    text = token if isinstance(token, str) else str(token)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{text}"


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of `pointer`; the root ("") has none."""
    return [unescape_token(t) for t in pointer.split("/")[1:]] if pointer else []


def copy_json(value: JsonValue) -> JsonValue:
    """A deep copy of JSON data (`copy.deepcopy` without its bookkeeping: several times faster)."""
    # str, int, float, bool and None are immutable: kept, without a call for each
    if isinstance(value, dict):
        return {key: copy_json(member) if isinstance(member, (dict, list)) else member for key, member in value.items()}
    if isinstance(value, list):
        return [copy_json(item) if isinstance(item, (dict, list)) else item for item in value]
    return value


def resolve_pointer(document: JsonValue, pointer: str) -> JsonValue:
    """The value at `pointer`; KeyError when there is none."""
    value = document
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(pointer)
    return value


def is_name_map(pointer: str) -> bool:
    """True where `$ref` is a member *name* (a property called "$ref"), not a reference."""
    return pointer.endswith(_NAME_MAPS)


def iter_refs(node: JsonValue, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every (pointer of the `$ref` member, target) below `node`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not is_name_map(pointer):
            yield join_pointer(pointer, "$ref"), ref
        for key, value in node.items():
            if key != "$ref":
                yield from iter_refs(value, join_pointer(pointer, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_refs(item, join_pointer(pointer, index))


def every_pointer(value: JsonValue, pointer: str = "") -> Iterator[str]:
    """`pointer` and the pointer of every value inside `value`, depth first."""
    yield pointer
    if isinstance(value, dict):
        for key, member in value.items():
            yield from every_pointer(member, join_pointer(pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from every_pointer(item, join_pointer(pointer, index))
