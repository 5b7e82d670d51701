"""Every `default` in the spec is an instance of the schema it sits in, by one rule.

A default becomes the value of a model field, of a method argument, and of what the README
says the server assumes; one that breaks its own schema (an enum default that is not one of
the values, `'12'` on an integer, a date that is no date) makes a package that fails its type
check or its first instantiation. So each one is checked against its schema, wherever the
schema is (components, parameters, headers, inline bodies and responses, `$ref` siblings),
with `$ref`s resolved and the formats the models type strictly asserted
(`generator.adapters.jsonschema_values`), and refused at the `default`. `default: null` is
read as "no default" (real specs write it on optional members that are not nullable, and an
optional member's field is `None` until set anyway).
"""

from __future__ import annotations

from collections.abc import Callable

from generator.adapters.jsonschema_values import ValueChecker
from generator.spec.pointers import JsonValue, join_pointer
from generator.spec.schema_tree import schema_nodes, schema_roots


def check_defaults(document: JsonValue, fail: Callable[[str, str], None]) -> None:
    """`fail(pointer of the default, message)` for each default its own schema refuses."""
    checker: ValueChecker | None = None
    for root, root_pointer in schema_roots(document):
        for node, pointer in schema_nodes(root, root_pointer):
            if node.get("default") is None:
                continue  # none, or `default: null`: the common way of saying "no default"
            checker = checker or ValueChecker(document)
            problem = checker.problem(node, node["default"])
            if problem is not None:
                fail(
                    join_pointer(pointer, "default"),
                    f"the default value {problem}: a default must be valid against its own schema",
                )
