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

from collections.abc import Callable, Iterator

from generator.adapters.jsonschema_values import ValueChecker
from generator.spec.pointers import JsonValue, join_pointer
from generator.spec.schema_tree import subschemas

# Members of OpenAPI objects that hold data, not OpenAPI objects or schemas.
_DATA_MEMBERS = frozenset({"example", "examples", "default", "const", "enum", "value"})


def schema_roots(document: JsonValue) -> Iterator[tuple[JsonValue, str]]:
    """Every schema of an OpenAPI document that is not inside another schema, with its pointer.

    Component schemas, and the `schema` member of any OpenAPI object (parameters, headers,
    media types, wherever they sit: paths, components, callbacks, webhooks).
    """
    if not isinstance(document, dict):
        return
    components = document.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        for name, schema in components["schemas"].items():
            yield schema, join_pointer("/components/schemas", name)
    stack: list[tuple[JsonValue, str]] = [(document, "")]
    while stack:
        node, pointer = stack.pop()
        children: list[tuple[JsonValue, str]] = []
        if isinstance(node, dict):
            for key, value in node.items():
                at = join_pointer(pointer, key)
                if key == "schema" and isinstance(value, dict | bool):
                    yield value, at
                elif not (key in _DATA_MEMBERS or key.startswith("x-") or at == "/components/schemas"):
                    children.append((value, at))
        elif isinstance(node, list):
            children = [(value, join_pointer(pointer, index)) for index, value in enumerate(node)]
        stack.extend(reversed(children))  # depth first, in document order


def schema_nodes(schema: JsonValue, pointer: str) -> Iterator[tuple[dict[str, JsonValue], str]]:
    """The schema and every schema nested in it (object schemas only), with their pointers."""
    stack = [(schema, pointer)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            yield node, at
            stack.extend(reversed(list(subschemas(node, at))))


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
