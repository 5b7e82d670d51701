"""Keywords for a value of any type: `type`, `enum`, `const`.

`type`'s check is the walker's dispatch on the value's type (`Emitter.typed`), since every
type-specific keyword hangs on one of its branches; this module holds what that dispatch
needs: the test for each type name and the mismatch messages.
"""

from __future__ import annotations

from generator.diagnostics import SpecError
from generator.emit.validators.codetree import negate
from generator.emit.validators.keywords.base import Keyword, Site
from generator.emit.validators.literals import JsonValue, py_str, py_value
from generator.emit.validators.messages import one_of_values, short_json
from generator.ir.names import snake_case
from generator.spec.pointers import join_pointer

TYPE_NAMES = ("null", "boolean", "object", "array", "number", "string", "integer")


def type_test(name: str, var: str) -> str:
    """The condition that `var` has JSON type `name` (1.0 is an integer, True is not a number)."""
    return {
        "object": f"type({var}) is dict",
        "array": f"type({var}) is list",
        "string": f"type({var}) is str",
        "number": f"(type({var}) is int or type({var}) is float)",
        "integer": f"(type({var}) is int or (type({var}) is float and {var}.is_integer()))",
        "boolean": f"type({var}) is bool",
        "null": f"{var} is None",
    }[name]


def declared_types(s: Site) -> list[str] | None:
    """The type names `type` allows (None: any type), refused when unknown."""
    if "type" not in s.node:
        return None
    value = s.node["type"]
    names = value if isinstance(value, list) else [value]
    for index, name in enumerate(names):
        if name not in TYPE_NAMES:
            where = s.where("type")
            raise SpecError.at(
                f"unknown type {name!r} (one of {', '.join(TYPE_NAMES)})",
                pointer=join_pointer(where, index) if isinstance(value, list) else where,
            )
    return [str(n) for n in names]


def _type_message(expected: str, actual: str | None = None) -> str:
    return f"expected {expected}, got {actual}" if actual is not None else f"expected {expected}"


def type_message(s: Site, types: list[str]) -> str:
    """`expected integer, got string`, as code: the messages per actual type are made once, at import."""
    expected = " or ".join(types)
    kinds = {"dict": "object", "list": "array", "str": "string", "int": "integer", "float": "number"}
    kinds |= {"bool": "boolean", "type(None)": "null"}
    allowed = set(types) | ({"integer", "number"} if "number" in types else set())
    entries = ", ".join(f"{k}: {py_str(_type_message(expected, v))}" for k, v in kinds.items() if v not in allowed)
    table = s.emitter.constant(
        "type_messages", "{" + entries + "}", snake_case("not " + "_or_".join(types)), "dict[type, str]"
    )
    return f"{table}.get(type({s.var}), {py_str(_type_message(expected))})"


def in_values(s: Site, values: list[JsonValue]) -> str:
    """A condition true when `s.var` equals (as JSON) one of `values`."""
    var, hint = s.var, s.hint
    strings = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    others = [v for v in values if isinstance(v, list | dict)]
    tests: list[str] = []
    if len(strings) == 1:
        tests.append(f"{var} == {py_str(strings[0])}")
    elif strings:
        name = s.emitter.constant(
            "values", "frozenset({" + ", ".join(py_str(v) for v in dict.fromkeys(strings)) + "})", hint
        )
        tests.append(f"(type({var}) is str and {var} in {name})")
    if numbers:
        number = f"(type({var}) is int or type({var}) is float)"
        if len(numbers) == 1:
            tests.append(f"({number} and {var} == {py_value(numbers[0])})")
        else:
            name = s.emitter.constant("numbers", "frozenset({" + ", ".join(py_value(n) for n in numbers) + "})", hint)
            tests.append(f"({number} and {var} in {name})")
    if any(v is True for v in values):
        tests.append(f"{var} is True")
    if any(v is False for v in values):
        tests.append(f"{var} is False")
    if any(v is None for v in values):
        tests.append(f"{var} is None")
    if others:
        s.emitter.plan.helpers.add("equal")
        if len(others) == 1:
            name = s.emitter.constant("value", py_value(others[0]), hint, "Any")
            tests.append(f"_equal({var}, {name})")
        else:
            name = s.emitter.constant(
                "values", "(" + ", ".join(py_value(o) for o in others) + ",)", hint, "tuple[Any, ...]"
            )
            tests.append(f"any(_equal({var}, c) for c in {name})")
    if not tests:
        return "False"
    return " or ".join(tests)


def _enum_values(s: Site) -> list[JsonValue]:
    values = s.node["enum"]
    if not isinstance(values, list):
        raise SpecError.at("enum must be a list", pointer=s.where("enum"))
    return values


def _enum_message(s: Site) -> str:
    return f"must be one of {one_of_values(s.node['enum'])}"


TYPE = Keyword("type", "assertion", predicate=True, message=_type_message)
ENUM = Keyword(
    "enum",
    "assertion",
    fails=lambda s: negate(in_values(s, _enum_values(s))),
    message=_enum_message,
    predicate=True,
    expression=lambda s: [in_values(s, _enum_values(s))],
)
CONST = Keyword(
    "const",
    "assertion",
    fails=lambda s: negate(in_values(s, [s.node["const"]])),
    message=lambda s: f"must be {short_json(s.node['const'])}",
    predicate=True,
    expression=lambda s: [in_values(s, [s.node["const"]])],
)

KEYWORDS = (TYPE, ENUM, CONST)
