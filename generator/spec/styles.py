"""OpenAPI's table of parameter styles by location (3.0/3.1 "Style Values", plus 3.2's `cookie`).

Two steps read it: the wording of the spec validator's findings (`generator.spec.validate`:
its own words for a style of another location are "'simple' was expected", or in a 3.0
document "'required' is a required property") and the IR's checks of how a parameter is
serialised (`generator.ir.serialization`).
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.spec.pointers import JsonValue

STYLES: dict[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form", "cookie"),
}


def default_style(location: str) -> str:
    return "form" if location in ("query", "cookie") else "simple"


def style_problem(parameter: Mapping[str, JsonValue]) -> str | None:
    """Why a Parameter Object's `style` does not fit its `in` (None: it does, or it has none)."""
    location = str(parameter.get("in"))
    if "style" not in parameter or location not in STYLES or ("content" in parameter and "schema" not in parameter):
        return None
    style = str(parameter["style"])
    allowed = STYLES[location]
    if style in allowed:
        return None
    return (
        f"parameter {parameter.get('name')!r}: style {style!r} is not defined for an `in: {location}` "
        f"parameter (allowed: {', '.join(allowed)})"
    )
