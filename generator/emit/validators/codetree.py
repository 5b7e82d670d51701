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


@dataclass
class Try:
    """`try: body` / `except <errors>: pass` / `else: orelse`: statements that may raise, and
    what to do when they did not. `body` only binds names, so with nothing left in `orelse`
    the whole statement goes."""

    body: list[str]
    errors: str
    orelse: list[Node]


Node = str | If | For | Scope | Try

_INVERSE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "is": "is not", "in": "not in"}
_INVERSE.update({v: k for k, v in list(_INVERSE.items()) if " " in v})


def negate(cond: str) -> str:
    """The negation of a condition, written the way a person would (ruff's E713/E714/SIM201)."""
    tokens = _top_level_tokens(cond)
    if len(tokens) == 4 and " ".join(tokens[1:3]) in ("is not", "not in"):
        tokens = [tokens[0], " ".join(tokens[1:3]), tokens[3]]
    if len(tokens) == 3 and tokens[1] in _INVERSE and tokens[1] not in ("<", ">", "<=", ">="):
        return f"{tokens[0]} {_INVERSE[tokens[1]]} {tokens[2]}"
    if cond.startswith("not ") and _balanced_atom(cond[4:]):
        inner = cond[4:]
        return inner[1:-1] if inner.startswith("(") and _closing(inner, 0) == len(inner) - 1 else inner
    return f"not {wrap(cond)}"


def _top_level_tokens(text: str) -> list[str]:
    """`text` split at spaces outside brackets and strings."""
    tokens: list[str] = []
    depth = 0
    quote = ""
    start = 0
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
            tokens.append(text[start:i])
            start = i + 1
        i += 1
    tokens.append(text[start:])
    return tokens


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


_ASSIGNMENT = re.compile(r"^(\w+)(: [^=]+)? = ")
_ITEMS_LOOP = re.compile(r"^for (\w+), (\w+) in (.+)\.items\(\)$")
_ENUMERATE_LOOP = re.compile(r"^for (\w+), (\w+) in enumerate\((.+)\)$")


def _uses(nodes: list[Node], name: str) -> bool:
    """Whether already simplified `nodes` mention `name`."""
    return re.search(rf"\b{name}\b", "\n".join(_emit(nodes, 0))) is not None


def _loop_head(head: str, body: list[Node]) -> str:
    """Drop loop variables the body does not use (ruff B007)."""
    for pattern, only_first, only_second in (
        (_ITEMS_LOOP, "for {0} in {2}", "for {1} in {2}.values()"),
        (_ENUMERATE_LOOP, "for {0} in range(len({2}))", "for {1} in {2}"),
    ):
        match = pattern.match(head)
        if match:
            first, second, iterable = match.groups()
            if not _uses(body, second):
                return only_first.format(first, second, iterable)
            if not _uses(body, first):
                return only_second.format(first, second, iterable)
    match = re.match(r"^for (\w+) in (.+)$", head)
    if match and not _uses(body, match.group(1)):
        return f"for _ in {match.group(2)}"
    return head


def simplify(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Scope):
            body = simplify(node.body)
            if body:
                for line in node.setup:
                    match = _ASSIGNMENT.match(line)
                    if match is None or _uses(body, match.group(1)):
                        out.append(line)
                out.extend(body)
        elif isinstance(node, For):
            body = simplify(node.body)
            if body:
                out.append(For(_loop_head(node.head, body), body))
        elif isinstance(node, Try):
            orelse = simplify(node.orelse)
            if orelse:
                out.append(Try(node.body, node.errors, orelse))
        else:
            simplified = _simplify_if(node)
            if simplified is not None and simplified.cond == "True" and not simplified.orelse:
                out.extend(simplified.body)
            elif simplified is not None:
                out.append(simplified)
    return out


def _simplify_if(node: If) -> If | None:
    body = simplify(node.body)
    orelse = simplify(node.orelse)
    cond = node.cond
    if cond == "False":
        body, orelse, cond = orelse, [], "True"
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
    """Source lines (4 spaces per level) of the nodes, simplified."""
    return _emit(simplify(nodes), indent)


def _emit(nodes: list[Node], indent: int) -> list[str]:
    """Source lines of nodes `simplify` returned: every body in them is simplified already,
    so nothing is simplified again (doing so at each level was exponential in the depth)."""
    lines: list[str] = []
    pad = "    " * indent
    for node in nodes:
        if isinstance(node, str):
            lines.extend(pad + line for line in node.split("\n"))
        elif isinstance(node, For):
            lines.append(f"{pad}{node.head}:")
            lines.extend(_emit(node.body, indent + 1))
        elif isinstance(node, If):
            _render_if(node, lines, indent, "if")
        elif isinstance(node, Try):
            lines.append(f"{pad}try:")
            lines.extend(f"{pad}    {line}" for line in node.body)
            lines.extend((f"{pad}except {node.errors}:", f"{pad}    pass", f"{pad}else:"))
            lines.extend(_emit(node.orelse, indent + 1))
    return lines


def _render_if(node: If, lines: list[str], indent: int, word: str) -> None:
    pad = "    " * indent
    if node.cond == "True" and word == "if":
        lines.extend(_emit(node.body, indent))
        return
    lines.append(f"{pad}{word} {node.cond}:")
    lines.extend(_emit(node.body, indent + 1))
    orelse = node.orelse
    if len(orelse) == 1 and isinstance(orelse[0], If):
        _render_if(orelse[0], lines, indent, "elif")
    elif orelse:
        lines.append(f"{pad}else:")
        lines.extend(_emit(orelse, indent + 1))
