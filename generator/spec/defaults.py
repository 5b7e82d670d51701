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

from generator.adapters.jsonschema_values import ValueChecker
from generator.spec.pointers import JsonValue, join_pointer
from generator.spec.schema_tree import schema_nodes, schema_roots


def default_problems(document: JsonValue) -> list[tuple[str, str]]:
    """(pointer of the default, why its own schema refuses it) for each such default."""
    found: list[tuple[str, str]] = []
    checker: ValueChecker | None = None
    for root, root_pointer in schema_roots(document):
        for node, pointer in schema_nodes(root, root_pointer):
            if "default" not in node or (node["default"] is None and "nullable" in node):
                continue  # (a 3.1 `nullable` is refused where it is written, not here as well)
            checker = checker or ValueChecker(document)
            problem = checker.problem(node, node["default"])
            if problem is not None:
                found.append((join_pointer(pointer, "default"), problem))
    return found


def check_defaults(document: JsonValue, fail: Callable[[str, str], None]) -> None:
    """`fail(pointer of the default, message)` for each default its own schema refuses."""
    for pointer, problem in default_problems(document):
        fail(pointer, f"the default value {problem}: a default must be valid against its own schema")
