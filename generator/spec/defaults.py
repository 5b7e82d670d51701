"""Every `default` in the spec is an instance of the schema it sits in, by one rule.

A default becomes the value of a model field, of a method argument, and of what the README
says the server assumes; one that breaks its own schema (an enum default that is not one of
the values, `'12'` on an integer, a date that is no date) makes a package that fails its type
check or its first instantiation. So each one is checked against its schema, wherever the
schema is (components, parameters, headers, inline bodies and responses, `$ref` siblings),
with `$ref`s resolved (`generator.adapters.jsonschema_values`; `format` is an annotation, as
the models read it), and refused at the `default`: `default: null` too,
on a schema that does not accept null (`--lenient` drops such defaults, generator/spec/lenient.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.spec.pointers import JsonValue, join_pointer
from generator.spec.schema_tree import schema_nodes, schema_roots

if TYPE_CHECKING:  # jsonschema loads for the first default it takes to judge (`_plainly_valid`)
    from generator.adapters.jsonschema_values import ValueChecker

# Keywords that say nothing about which values are instances.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "example", "deprecated", "$comment"})
_PLAIN_TYPES: dict[str, type] = {"string": str, "boolean": bool}


def default_problems(document: JsonValue) -> list[tuple[str, str]]:
    """(pointer of the default, why its own schema refuses it) for each such default."""
    found: list[tuple[str, str]] = []
    checker: ValueChecker | None = None
    for root, root_pointer in schema_roots(document):
        for node, pointer in schema_nodes(root, root_pointer):
            if "default" not in node or (node["default"] is None and "nullable" in node):
                continue  # (a 3.1 `nullable` is refused where it is written, not here as well)
            if _plainly_valid(node, node["default"]):
                continue
            if checker is None:
                from generator.adapters.jsonschema_values import ValueChecker

                checker = ValueChecker(document)
            problem = checker.problem(node, node["default"])
            if problem is not None:
                found.append((join_pointer(pointer, "default"), problem))
    return found


def _plainly_valid(node: dict[str, JsonValue], value: JsonValue) -> bool:
    """True when `value` is an instance of `node` without asking a validator: a string or boolean
    schema, of an enum perhaps, with nothing else that constrains. Most defaults are such (a
    status, a flag), and the rest go to jsonschema, whose import costs more than the checks."""
    name = node.get("type")
    kind = _PLAIN_TYPES.get(name) if isinstance(name, str) else None
    if kind is None or type(value) is not kind:
        return False
    if any(key not in _ANNOTATIONS and key not in ("type", "enum") and not key.startswith("x-") for key in node):
        return False
    if "enum" not in node:
        return True
    enum = node["enum"]
    return isinstance(enum, list) and any(type(member) is kind and member == value for member in enum)


def check_defaults(document: JsonValue, fail: Callable[[str, str], None]) -> None:
    """`fail(pointer of the default, message)` for each default its own schema refuses."""
    for pointer, problem in default_problems(document):
        fail(pointer, f"the default value {problem}: a default must be valid against its own schema")
