"""What single keywords of a JSON Schema say, read the same way for OLD and NEW.

Small pure functions the schema comparison (`generator.diff.schemas`) and the SDK-surface
rules build on: a schema's types and nullability, its allowed values, its numeric bounds,
how open an object is, which components a schema references, and which components are
unchanged between two documents (most of a spec is, and the comparison skips them).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from generator.diff.sources import JsonValue

SCHEMAS = "/components/schemas/"
LENGTH_BOUNDS = (("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties"))
FORMAT_TYPES = frozenset({"string", "number", "integer"})
_SCHEMA_REF = "#" + SCHEMAS


def components(document: JsonValue) -> dict[str, JsonValue]:
    components = document.get("components") if isinstance(document, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return schemas if isinstance(schemas, dict) else {}


def ref_names(node: JsonValue) -> set[str] | None:
    """The component schemas `node` references; None when it references anything else."""
    names: set[str] = set()
    pending = [node]
    push = pending.append  # (plain loops: the rules ask this of every member they compare)
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith(_SCHEMA_REF):
                    return None
                names.add(ref[len(_SCHEMA_REF) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~"))
            for value in item.values():
                if isinstance(value, (dict, list)):
                    push(value)
        elif isinstance(item, list):
            for value in item:
                if isinstance(value, (dict, list)):
                    push(value)
    return names


class Unchanged:
    """Which schemas of OLD and NEW are known equal, down to every component they reference.

    Made once per pair of documents and shared by the wire and SDK-surface rules (each made
    its own before). `ref_names` is not remembered: the rules ask it of about as many
    distinct small schemas as there are (members of the changed components, each once), where
    a memo by identity measured slower than reading each again.
    """

    def __init__(self, old: JsonValue, new: JsonValue) -> None:
        self.components = unchanged_components(old, new)

    def __call__(self, old: JsonValue, new: JsonValue) -> bool:
        """True when two schemas are equal, and so is every component they reference."""
        if old != new:
            return False
        names = ref_names(new)
        return names is not None and names <= self.components


def unchanged_components(old: JsonValue, new: JsonValue) -> set[str]:
    """Component schemas equal in OLD and NEW, down to every component they reference."""
    before, after = components(old), components(new)
    same = {name for name, body in after.items() if name in before and before[name] == body}
    refs = {name: ref_names(after[name]) for name in same}
    dependents: dict[str, list[str]] = {}
    for name, names in refs.items():
        for target in names or ():
            dependents.setdefault(target, []).append(name)
    changed = [name for name, names in refs.items() if names is None or not names <= same]
    changed += [name for name in set(before) | set(after) if name not in same]
    while changed:
        name = changed.pop()
        same.discard(name)
        changed.extend(d for d in dependents.pop(name, ()) if d in same)
    return same


def component_name(pointer: str) -> str:
    return pointer[len(SCHEMAS) :].replace("~1", "/").replace("~0", "~")


def types(node: dict[str, JsonValue]) -> tuple[frozenset[str] | None, bool]:
    kind = node.get("type")
    names: Iterable[Any] = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else ()
    found = {name for name in names if isinstance(name, str)}
    nullable = "null" in found or node.get("nullable") is True
    if not isinstance(kind, (str, list)):
        return None, nullable
    return frozenset(found - {"null"}), nullable


def covers(types: frozenset[str], kind: str) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


def type_text(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    return "|".join(sorted(types)) or "none"


def may_be(types: frozenset[str] | None, kind: str) -> bool:
    """Whether a value of these types may be of `kind` (an integer is a number)."""
    return types is None or kind in types or (kind == "number" and "integer" in types)


def may_have_format(types: frozenset[str] | None) -> bool:
    return types is None or bool(types & FORMAT_TYPES)


def enum(node: dict[str, JsonValue]) -> dict[str, JsonValue] | None:
    """The allowed values (`enum`, or `const`) keyed by their JSON text; null is nullability's."""
    if "const" in node:
        values = [node["const"]]
    elif isinstance(node.get("enum"), list):
        values = node["enum"]
    else:
        return None
    return {json.dumps(v, sort_keys=True): v for v in values if v is not None}


def values(values: dict[str, JsonValue]) -> str:
    texts = list(values)
    shown = ", ".join(texts[:5])
    return shown + (f" and {len(texts) - 5} more" if len(texts) > 5 else "")


def integer(value: JsonValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def number(value: JsonValue) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def divides(small: float, big: float) -> bool:
    """True when every multiple of `big` is a multiple of `small`."""
    quotient = big / small
    return small != 0 and abs(quotient - round(quotient)) < 1e-9


Bound = tuple[float, bool] | None  # (value, exclusive)


def lower(node: dict[str, JsonValue]) -> Bound:
    found = [(v, False) for v in [number(node.get("minimum"))] if v is not None]
    found += [(v, True) for v in [number(node.get("exclusiveMinimum"))] if v is not None]
    return max(found) if found else None


def upper(node: dict[str, JsonValue]) -> Bound:
    found = [(v, False) for v in [number(node.get("maximum"))] if v is not None]
    found += [(v, True) for v in [number(node.get("exclusiveMaximum"))] if v is not None]
    return min(found, key=lambda bound: (bound[0], not bound[1])) if found else None


def bound_narrowed(old: Bound, new: Bound, sign: int) -> bool:
    """Whether `new` allows less than `old`; sign 1 for a lower bound, -1 for an upper one."""
    if old is None or new is None:
        return old is None
    if old[0] != new[0]:
        return (new[0] - old[0]) * sign > 0
    return new[1] and not old[1]


def bound_text(bound: Bound | float | None) -> str:
    if bound is None:
        return "none"
    if isinstance(bound, tuple):
        return f"{bound[0]:g} (exclusive)" if bound[1] else f"{bound[0]:g}"
    return f"{bound:g}"


def openness(node: dict[str, JsonValue]) -> str:
    value = node.get("additionalProperties", True)
    if value is True or value == {}:
        return "open"
    return "closed" if value is False else "schema"


def mapping(discriminator: dict[str, JsonValue]) -> dict[str, str]:
    mapping = discriminator.get("mapping")
    if not isinstance(mapping, dict):
        return {}
    return {str(k): str(v).rsplit("/", 1)[-1] for k, v in mapping.items()}


def rules(node: dict[str, JsonValue]) -> dict[str, tuple[int, dict[str, JsonValue]]]:
    declared = node.get("x-rules")
    if not isinstance(declared, list):
        return {}
    return {
        entry["id"]: (index, entry)
        for index, entry in enumerate(declared)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str)
    }
