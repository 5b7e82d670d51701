"""A tiny tree of Python statements, so the compiler can emit code without worrying about
empty branches, nested `if`s that ruff's SIM102 would flag, or setup lines that end up
unused: `render` simplifies the tree first, then indents it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class If:
    cond: str
    body: list[Node]
    orelse: list[Node] = field(default_factory=list)


@dataclass
class For:
    head: str  # e.g. "for k in v" (no colon)
    body: list[Node]


@dataclass
class Scope:
    """Setup lines that only make sense if `body` has anything left after simplification."""

    setup: list[str]
    body: list[Node]


Node = str | If | For | Scope

_SIMPLE_NEGATIONS = (
    (re.compile(r"^(\w+) is None$"), r"\1 is not None"),
    (re.compile(r"^(\w+) is not None$"), r"\1 is None"),
    (re.compile(r"^(\w+) is not (\w+)$"), r"\1 is \2"),
    (re.compile(r"^type\((\w+)\) is (\w+)$"), r"type(\1) is not \2"),
)


def negate(cond: str) -> str:
    """The negation of a condition, written the way a person would."""
    for pattern, replacement in _SIMPLE_NEGATIONS:
        if pattern.match(cond):
            return pattern.sub(replacement, cond)
    if cond.startswith("not ") and _balanced_atom(cond[4:]):
        return cond[4:].removeprefix("(").removesuffix(")") if cond[4:].startswith("(") else cond[4:]
    return f"not {wrap(cond)}"


def wrap(cond: str) -> str:
    """Parenthesise a condition unless it is a single atom."""
    return cond if _balanced_atom(cond) else f"({cond})"


def _balanced_atom(text: str) -> bool:
    """True when `text` has no operator at the top level (outside brackets and strings)."""
    if text.startswith("(") and _closing(text, 0) == len(text) - 1:
        return True
    depth = 0
    quote = ""
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == " " and depth == 0:
            return False
        i += 1
    return True


def _closing(text: str, start: int) -> int:
    depth = 0
    quote = ""
    i = start
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def conjoin(*conds: str) -> str:
    parts = [c for c in conds if c != "True"]
    if not parts:
        return "True"
    return " and ".join(c if " or " not in c and " if " not in c else f"({c})" for c in parts)


def simplify(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Scope):
            body = simplify(node.body)
            if body:
                out.extend(node.setup)
                out.extend(body)
        elif isinstance(node, For):
            body = simplify(node.body)
            if body:
                out.append(For(node.head, body))
        else:
            simplified = _simplify_if(node)
            if simplified is not None:
                out.append(simplified)
    return out


def _simplify_if(node: If) -> If | None:
    body = simplify(node.body)
    orelse = simplify(node.orelse)
    cond = node.cond
    if not body and not orelse:
        return None
    if not body:
        cond, body, orelse = negate(cond), orelse, []
    if cond == "True" and not orelse:
        return If("True", body)
    while not orelse and len(body) == 1 and isinstance(body[0], If) and not body[0].orelse:
        inner = body[0]
        cond, body = conjoin(cond, inner.cond), inner.body
    return If(cond, body, orelse)


def render(nodes: list[Node], indent: int = 1) -> list[str]:
    """Source lines (4 spaces per level) of simplified nodes."""
    lines: list[str] = []
    pad = "    " * indent
    for node in simplify(nodes):
        if isinstance(node, str):
            lines.extend(pad + line for line in node.split("\n"))
        elif isinstance(node, For):
            lines.append(f"{pad}{node.head}:")
            lines.extend(render(node.body, indent + 1))
        elif isinstance(node, If):
            _render_if(node, lines, indent, "if")
    return lines


def _render_if(node: If, lines: list[str], indent: int, word: str) -> None:
    pad = "    " * indent
    if node.cond == "True" and word == "if":
        lines.extend(render(node.body, indent))
        return
    lines.append(f"{pad}{word} {node.cond}:")
    lines.extend(render(node.body, indent + 1))
    orelse = simplify(node.orelse)
    if len(orelse) == 1 and isinstance(orelse[0], If):
        _render_if(orelse[0], lines, indent, "elif")
    elif orelse:
        lines.append(f"{pad}else:")
        lines.extend(render(orelse, indent + 1))
