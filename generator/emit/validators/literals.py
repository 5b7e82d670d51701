"""Python source text for the values the compiler writes into generated code.

Every emitter spells a string, a JSON value, a set of member names or an issue's pointer
through these functions, so the generated module reads as if one person wrote it (and ruff's
line limit holds without a formatter pass over long literals).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.spec.pointers import escape_token

JsonValue = Any


def py_str(text: str) -> str:
    """A double-quoted Python string literal."""
    body = repr(text)
    if body.startswith("'"):
        body = '"' + body[1:-1].replace('\\"', '"').replace('"', '\\"') + '"'
    return body


def py_text(text: str, width: int = 70) -> str:
    """A string literal, split into implicitly concatenated pieces when long (E501)."""
    if len(text) <= width:
        return py_str(text)
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(?<= )", text):
        if current and len(current) + len(word) > width:
            pieces.append(current)
            current = ""
        current += word
    pieces.append(current)
    return "(" + " ".join(py_str(p) for p in pieces) + ")"


def py_long_str(text: str, width: int = 100) -> str:
    """A string literal; a long one (an expanded Unicode class) as implicitly concatenated
    pieces on lines of their own (E501). Cut anywhere: the pieces add up to the same string."""
    whole = py_str(text)
    if len(whole) <= width:
        return whole
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + width // 2)
        while end < len(text) and len(py_str(text[start : end + 1])) <= width:
            end += 1
        pieces.append(py_str(text[start:end]))
        start = end
    return "(\n    " + "\n    ".join(pieces) + "\n)"


def py_value(value: JsonValue) -> str:
    """A Python literal for a JSON value."""
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{py_str(k)}: {py_value(v)}" for k, v in value.items()) + "}"


def py_frozenset(names: list[str]) -> str:
    """A frozenset literal of strings, in the order given."""
    return "frozenset({" + ", ".join(py_str(n) for n in names) + "})"


@dataclass(frozen=True)
class Ptr:
    """A JSON pointer relative to a compiled function's instance: constant text and
    expressions, turned into a string only where an issue is made (or a function called)."""

    parts: tuple[tuple[str, str], ...] = ()  # (kind, text): kind is "const", "str" or "int"

    def const(self, token: str | int) -> Ptr:
        return Ptr((*self.parts, ("const", "/" + escape_token(str(token)))))

    def key(self, expression: str) -> Ptr:
        """A member whose name is held in a variable (escaped at run time)."""
        return Ptr((*self.parts, ("const", "/"), ("str", f"_esc({expression})")))

    def index(self, expression: str) -> Ptr:
        return Ptr((*self.parts, ("const", "/"), ("int", expression)))

    def constant(self) -> str | None:
        """The pointer's text when nothing in it is known only at run time, else None."""
        if any(kind != "const" for kind, _ in self.parts):
            return None
        return "".join(text for _, text in self.parts)

    def code(self) -> str:
        """Concatenation, not an f-string: `p + "/title"` is cheaper than formatting when `p` is ""."""
        pieces: list[str] = []
        constant = ""
        for kind, text in self.parts:
            if kind == "const":
                constant += text
                continue
            if constant:
                pieces.append(py_str(constant))
                constant = ""
            pieces.append(text if kind == "str" else f"str({text})")
        if constant or not pieces:
            pieces.append(py_str(constant))
        return " + ".join(pieces)


FUNCTION_ROOT = Ptr((("str", "p"),))  # a compiled function's instance is at pointer `p`
