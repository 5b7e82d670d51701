"""`x-rules`: CEL expressions (as Kubernetes' `x-kubernetes-validations` uses them)
compiled to plain Python at generation time.

The expression is parsed with cel-python's Lark grammar, so syntax is exactly CEL's; the
tree is then translated for the subset rules need (`self` field access, `has()`,
comparisons, `&&`/`||`/`!`, ternary, literals, lists, `in`, `size()`, a few string
methods) plus two extension functions CEL lacks: `isoComparable(a, b)` and
`isoInstant(s)` for ISO 8601 date-times that may be naive or carry an offset. Anything
else — an unknown function, a field the schema does not declare, a macro — is refused
with a located error rather than half-supported.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import lark
from celpy.celparser import CELParseError, CELParser

from generator.diagnostics import SpecError
from generator.emit.validators.codetree import If, Node, Try, conjoin, negate
from generator.spec.pointers import join_pointer

JsonValue = Any

_HAS = re.compile(r"^\('[A-Za-z_][A-Za-z0-9_]*' in [A-Za-z_][\w\[\]']*\)$")
_FIELD_PATH = re.compile(r"^(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_RULE_MEMBERS = frozenset({"id", "rule", "message", "severity", "fieldPath", "reason", "description"})
_RELATIONS = {
    "relation_lt": "<",
    "relation_le": "<=",
    "relation_gt": ">",
    "relation_ge": ">=",
    "relation_eq": "==",
    "relation_ne": "!=",
    "relation_in": "in",
}
_ARITHMETIC = {"addition_add": "+", "addition_sub": "-", "multiplication_mul": "*"}
_STRING_METHODS = {"startsWith": "startswith", "endsWith": "endswith"}
# What a failing evaluation can raise: a missing member read without has(), or a value of
# the wrong type (which the schema's own keywords already report).
EVALUATION_ERRORS = "(KeyError, TypeError, ValueError, AttributeError)"


@dataclass
class CompiledRule:
    rule_id: str
    source: str
    expression: str  # Python, over the object `s`
    message: str
    severity: str
    field_path: list[str]  # pointer tokens below the object
    helpers: set[str] = field(default_factory=set)
    errors: str = EVALUATION_ERRORS
    safe: bool = False  # cannot raise on any data: the validator may inline it
    tree: Any = None  # the parsed CEL, for rule_statements()


class _Refusal(Exception):
    """A construct outside the supported subset (turned into a located SpecError)."""


def compile_rule(
    rule: JsonValue, pointer: str, properties: Mapping[str, JsonValue], self_name: str = "s"
) -> CompiledRule:
    """Check one `x-rules` entry and translate its CEL expression to Python."""
    if not isinstance(rule, dict):
        raise SpecError.at("an x-rules entry must be a mapping with id, rule and message", pointer=pointer)
    for key in ("id", "rule", "message"):
        if not isinstance(rule.get(key), str):
            raise SpecError.at(
                f"x-rules entry needs a string {key!r}", pointer=join_pointer(pointer, key) if key in rule else pointer
            )
    unknown = sorted(set(rule) - _RULE_MEMBERS)
    if unknown:
        raise SpecError.at(f"unknown x-rules member {unknown[0]!r}", pointer=join_pointer(pointer, unknown[0]))
    severity = rule.get("severity", "error")
    if severity not in ("error", "warning"):
        raise SpecError.at("severity must be 'error' or 'warning'", pointer=join_pointer(pointer, "severity"))
    field_path: list[str] = []
    if "fieldPath" in rule:
        path = rule["fieldPath"]
        if not isinstance(path, str) or not _FIELD_PATH.match(path):
            raise SpecError.at(
                "fieldPath must look like .member or .member.sub (a path below the object)",
                pointer=join_pointer(pointer, "fieldPath"),
            )
        field_path = path[1:].split(".")
        if field_path[0] not in properties:
            raise SpecError.at(
                f"fieldPath names {field_path[0]!r}, which the schema's properties do not declare",
                pointer=join_pointer(pointer, "fieldPath"),
            )
    source = rule["rule"]
    where = join_pointer(pointer, "rule")
    try:
        tree = CELParser().parse(source)
    except CELParseError as error:
        line, column = error.line or 1, error.column or 1
        lines = source.splitlines() or [""]
        text = lines[min(line, len(lines)) - 1]
        found = repr(text[column - 1]) if 0 < column <= len(text) else "the end of the rule"
        where_in_rule = f"line {line}, column {column}" if len(lines) > 1 else f"column {column}"
        raise SpecError.at(
            f"malformed CEL rule: unexpected {found} at {where_in_rule} of the rule", pointer=where
        ) from None
    translator = _Translator(properties, self_name)
    try:
        expression = translator.expr(tree)
    except _Refusal as error:
        raise SpecError.at(f"CEL rule {rule['id']!r}: {error}", pointer=where) from None
    if expression.startswith("(") and _outer_parens(expression):
        expression = expression[1:-1]
    return CompiledRule(
        rule_id=rule["id"],
        source=" ".join(source.split()),
        expression=expression,
        message=rule["message"],
        severity=str(severity),
        field_path=field_path,
        helpers=translator.helpers,
        safe=not translator.unsafe,
        tree=tree,
    )


def rule_statements(
    compiled: CompiledRule,
    properties: Mapping[str, JsonValue],
    self_name: str,
    fresh: Callable[[str], str],
    failed: list[Node],
) -> tuple[list[Node], set[str]] | None:
    """A safe rule as statements running `failed` when it does not hold, and the helpers they
    need; None when the expression form is as good. Used for a top-level `||` chain with a
    `!isoComparable(a, b)` in it (the shape of every date-order rule): the two instants are
    parsed in place, in a try statement, where the expression form has to call a helper and
    index the pair it returns."""
    if not compiled.safe or compiled.tree is None:
        return None
    disjuncts = _disjuncts(compiled.tree)
    if not any(_iso_guard_arguments(d) is not None for d in disjuncts):
        return None
    translator = _Translator(properties, self_name)
    try:
        nodes = translator.chain(disjuncts, failed, fresh)
    except _Refusal:  # compile_rule() translated the same tree: not expected, but never worse
        return None
    return None if translator.unsafe else (nodes, translator.helpers)


class _Translator:
    """cel-python's parse tree -> a Python expression over `s` (the object the rule is on)."""

    def __init__(self, properties: Mapping[str, JsonValue], self_name: str = "s") -> None:
        self.properties = properties
        self.self_name = self_name
        self.helpers: set[str] = set()
        # Whether evaluation can raise (a member read that no has() guards, an ordering of
        # values of unknown type, ...): such rules run inside try/except in a function.
        self.unsafe = False
        self.known: set[str] = set()  # members a has() guard proves present here
        # isoInstant() arguments an isoComparable() guard proves parse alike -> the instant that
        # guard already parsed (`iso1[0]`): under the guard, nothing is parsed twice.
        self.comparable: dict[str, str] = {}
        self.pairs: dict[tuple[str, str], str] = {}  # isoComparable() arguments -> the variable holding their instants

    def chain(self, disjuncts: list[Any], failed: list[Node], fresh: Callable[[str], str]) -> list[Node]:
        """`failed` under the condition that every disjunct is false, tested in order; at a
        `!isoComparable(a, b)` the rest nests inside the parse of the two instants."""
        conditions: list[str] = []
        for index, disjunct in enumerate(disjuncts):
            arguments = _iso_guard_arguments(disjunct)
            if arguments is None:
                conditions.append(negate(_bare(self.expr(disjunct))))
                self.known = self.known | _has_atoms(disjunct, positive=False)
                continue
            first, second = (self.expr(argument) for argument in arguments)
            first_text, second_text, first_instant, second_instant = (fresh(p) for p in ("t", "t", "i", "i"))
            saved = self.comparable
            self.comparable = saved | {first: first_instant, second: second_instant}
            rest = self.chain(disjuncts[index + 1 :], failed, fresh)
            self.comparable = saved
            self.helpers.add("iso")
            parse = Try(
                [f"{first_instant} = _iso_instant({first_text})", f"{second_instant} = _iso_instant({second_text})"],
                "ValueError",
                [If(f"({first_instant}.tzinfo is None) == ({second_instant}.tzinfo is None)", rest)],
            )
            guard: list[Node] = [
                f"{first_text} = {first}",
                f"{second_text} = {second}",
                If(f"type({first_text}) is str and type({second_text}) is str", [parse]),
            ]
            return [If(conjoin(*conditions), guard)]
        return [If(conjoin(*conditions), failed)]

    def _guarded(self, node: Any, known: set[str], comparable: dict[str, str] | None = None) -> str:
        saved, saved_comparable = self.known, self.comparable
        self.known = saved | known
        self.comparable = saved_comparable | (comparable or {})
        try:
            return self.expr(node)
        finally:
            self.known, self.comparable = saved, saved_comparable

    def expr(self, node: lark.Tree[Any]) -> str:
        method = getattr(self, "t_" + str(node.data), None)
        if method is None:
            raise _Refusal(f"{node.data} is not supported in x-rules")
        result: str = method(node)
        return result

    def _children(self, node: lark.Tree[Any]) -> list[Any]:
        return list(node.children)

    # -- structure -----------------------------------------------------------------

    def t_expr(self, node: lark.Tree[Any]) -> str:
        parts = self._children(node)
        if len(parts) == 1:
            return self.expr(parts[0])
        cond = self.expr(parts[0])
        then = self._guarded(parts[1], _has_atoms(parts[0], positive=True), self._iso_atoms(parts[0], positive=True))
        other = self._guarded(parts[2], _has_atoms(parts[0], positive=False), self._iso_atoms(parts[0], positive=False))
        return f"({then} if {cond} else {other})"

    def t_conditionalor(self, node: lark.Tree[Any]) -> str:
        parts = self._children(node)
        if len(parts) == 1:
            return self.expr(parts[0])
        left = self.expr(parts[0])
        right = self._guarded(parts[1], _has_atoms(parts[0], positive=False), self._iso_atoms(parts[0], positive=False))
        return f"({left} or {right})"

    def t_conditionaland(self, node: lark.Tree[Any]) -> str:
        parts = self._children(node)
        if len(parts) == 1:
            return self.expr(parts[0])
        left = self.expr(parts[0])
        right = self._guarded(parts[1], _has_atoms(parts[0], positive=True), self._iso_atoms(parts[0], positive=True))
        return f"({left} and {right})"

    def t_relation(self, node: lark.Tree[Any]) -> str:
        parts = self._children(node)
        if len(parts) == 1:
            return self.expr(parts[0])
        operator_node, right_node = parts
        operator = _RELATIONS[str(operator_node.data)]
        left_node = operator_node.children[0]
        left, right = self.expr(left_node), self.expr(right_node)
        iso_pair = {left, right} <= set(self.comparable.values())
        if operator not in ("==", "!=") and not (iso_pair and operator != "in"):
            self.unsafe = True  # ordering or membership of values of unknown type can raise
        if operator == "in":
            self.helpers.add("cel")
            return f"_cel_in({left}, {right})"
        if operator in ("==", "!="):
            return self._equality(left, right, negated=operator == "!=")
        return f"({left} {operator} {right})"

    def _equality(self, left: str, right: str, *, negated: bool) -> str:
        for a, b in ((left, right), (right, left)):
            if b in ("True", "False", "None"):
                return f"({a} is {'not ' if negated else ''}{b})"
        if _is_string_literal(left) or _is_string_literal(right):
            return f"({left} {'!=' if negated else '=='} {right})"
        self.helpers.add("equal")
        return f"({'not ' if negated else ''}_equal({left}, {right}))"

    def _binary(self, node: lark.Tree[Any]) -> str:
        parts = self._children(node)
        if len(parts) == 1:
            return self.expr(parts[0])
        operator_node, right_node = parts
        name = str(operator_node.data)
        if name not in _ARITHMETIC:
            raise _Refusal(
                f"operator {name.split('_')[-1]} is not supported "
                "(CEL's integer division and modulo differ from Python's)"
            )
        self.unsafe = True
        return f"({self.expr(operator_node.children[0])} {_ARITHMETIC[name]} {self.expr(right_node)})"

    t_addition = _binary
    t_multiplication = _binary

    def t_unary(self, node: lark.Tree[Any]) -> str:
        parts = self._children(node)
        if len(parts) == 1:
            return self.expr(parts[0])
        operator, operand = parts
        if operator.data == "unary_not":
            inner = self.expr(operand)
            if _HAS.match(inner):
                return inner.replace(" in ", " not in ", 1)
            return f"(not {inner})"
        self.unsafe = True
        return f"(-{self.expr(operand)})"

    def t_member(self, node: lark.Tree[Any]) -> str:
        return self.expr(node.children[0])

    def t_primary(self, node: lark.Tree[Any]) -> str:
        return self.expr(node.children[0])

    def t_paren_expr(self, node: lark.Tree[Any]) -> str:
        return self.expr(node.children[0])

    # -- values --------------------------------------------------------------------

    def t_literal(self, node: lark.Tree[Any]) -> str:
        token = node.children[0]
        text = str(token)
        kind = str(getattr(token, "type", ""))
        if kind == "BOOL_LIT":
            return "True" if text == "true" else "False"
        if kind == "NULL_LIT":
            return "None"
        if kind in ("INT_LIT", "UINT_LIT"):
            return str(int(text.rstrip("uU"), 0))
        if kind == "FLOAT_LIT":
            return repr(float(text))
        if kind in ("STRING_LIT", "MLSTRING_LIT"):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                raise _Refusal(f"string literal {text} uses escapes sdkgen does not translate") from None
            return repr(value)
        raise _Refusal(f"{kind.lower().replace('_lit', '')} literals are not supported")

    def t_list_lit(self, node: lark.Tree[Any]) -> str:
        items = [self.expr(e) for e in node.children[0].children] if node.children else []
        return "(" + "".join(f"{item}, " for item in items) + ")"

    def t_ident(self, node: lark.Tree[Any]) -> str:
        name = str(node.children[0])
        if name != "self":
            raise _Refusal(f"unknown identifier {name!r} (rules see only `self`, the object)")
        return self.self_name

    def t_member_dot(self, node: lark.Tree[Any]) -> str:
        target, name_token = node.children
        name = str(name_token)
        base = self.expr(target)
        if base == self.self_name:
            self._declared(name)
            if name not in self.known:
                self.unsafe = True
        else:
            self.unsafe = True
        return f"{base}[{name!r}]"

    def t_member_index(self, node: lark.Tree[Any]) -> str:
        target, index = node.children
        self.unsafe = True
        return f"{self.expr(target)}[{self.expr(index)}]"

    def _declared(self, name: str) -> None:
        if name not in self.properties:
            close = difflib.get_close_matches(name, list(self.properties), n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "declared: " + (", ".join(sorted(self.properties)) or "none")
            )
            raise _Refusal(f"self.{name}: the schema declares no property {name!r} ({hint})")

    # -- calls ---------------------------------------------------------------------

    def _arguments(self, node: Any) -> list[lark.Tree[Any]]:
        return list(node.children) if node is not None else []

    def t_ident_arg(self, node: lark.Tree[Any]) -> str:
        name = str(node.children[0])
        arguments = self._arguments(node.children[1] if len(node.children) > 1 else None)
        if name == "has":
            return self._has(arguments)
        if name == "size" and len(arguments) == 1:
            self.unsafe = True
            return f"len({self.expr(arguments[0])})"
        if name == "isoComparable" and len(arguments) == 2:
            self.helpers |= {"iso", "iso_pair"}
            pair = (self.expr(arguments[0]), self.expr(arguments[1]))
            variable = self.pairs.setdefault(pair, f"iso{len(self.pairs) + 1}")
            # The walrus keeps both instants for the isoInstant() calls this guards.
            return f"(({variable} := _iso_pair({pair[0]}, {pair[1]})) is not None)"
        if name == "isoInstant" and len(arguments) == 1:
            self.helpers.add("iso")
            argument = self.expr(arguments[0])
            if argument in self.comparable:
                return self.comparable[argument]
            self.unsafe = True  # raises unless an isoComparable() guard proved it parses
            return f"_iso_instant({argument})"
        known = "has, size, isoComparable(a, b), isoInstant(s)"
        raise _Refusal(f"unknown function {name}() with {len(arguments)} argument(s) (supported: {known})")

    def t_member_dot_arg(self, node: lark.Tree[Any]) -> str:
        target, name_token = node.children[0], node.children[1]
        arguments = self._arguments(node.children[2] if len(node.children) > 2 else None)
        name = str(name_token)
        base = self.expr(target)
        self.unsafe = True
        if name == "size" and not arguments:
            return f"len({base})"
        if name in _STRING_METHODS and len(arguments) == 1:
            return f"{base}.{_STRING_METHODS[name]}({self.expr(arguments[0])})"
        if name == "contains" and len(arguments) == 1:
            return f"({self.expr(arguments[0])} in {base})"
        raise _Refusal(f"unknown method .{name}() (supported: size, startsWith, endsWith, contains)")

    def _iso_atoms(self, node: Any, *, positive: bool) -> dict[str, str]:
        """Arguments (as translated) that `isoComparable(a, b)` proves parse, when the
        condition holds (positive) or when it fails (for the right side of `||`), each with
        the expression of its parsed instant."""
        node = _unwrap(node)
        if not isinstance(node, lark.Tree):
            return {}
        joiner = "conditionaland" if positive else "conditionalor"
        if node.data == joiner and len(node.children) == 2:
            left = self._iso_atoms(node.children[0], positive=positive)
            return left | self._iso_atoms(node.children[1], positive=positive)
        if node.data == "unary" and len(node.children) == 2 and node.children[0].data == "unary_not":
            return self._iso_atoms(node.children[1], positive=not positive)
        if positive and node.data == "ident_arg" and str(node.children[0]) == "isoComparable":
            arguments = self._arguments(node.children[1] if len(node.children) > 1 else None)
            if len(arguments) == 2:
                saved = (self.unsafe, set(self.helpers), dict(self.pairs))
                first, second = (self.expr(a) for a in arguments)
                self.unsafe, self.helpers = saved[0], saved[1]
                variable = self.pairs.get((first, second))
                self.pairs = saved[2]
                if variable is None:  # not compiled (a guard seen before its condition): parse again
                    return {}
                return {second: f"{variable}[1]", first: f"{variable}[0]"}
        return {}

    def _has(self, arguments: list[lark.Tree[Any]]) -> str:
        if len(arguments) != 1:
            raise _Refusal("has() takes one field selection, e.g. has(self.name)")
        selection = _unwrap(arguments[0])
        if not isinstance(selection, lark.Tree) or selection.data != "member_dot":
            raise _Refusal("has() takes a field selection, e.g. has(self.name)")
        target, name_token = selection.children
        name = str(name_token)
        base = self.expr(target)  # a nested selection (self.a.b) marks the rule unsafe itself
        inner = _unwrap(target)
        if isinstance(inner, lark.Tree) and inner.data == "ident":
            self._declared(name)
        return f"({name!r} in {base})"


def _has_atoms(node: Any, *, positive: bool) -> set[str]:
    """Members a condition proves present: when it holds (`has(a) && has(b)`), or when it
    fails (`!has(a) || ...`, used for the right side of `||`)."""
    node = _unwrap(node)
    if not isinstance(node, lark.Tree):
        return set()
    joiner = "conditionaland" if positive else "conditionalor"
    if node.data == joiner and len(node.children) == 2:
        return _has_atoms(node.children[0], positive=positive) | _has_atoms(node.children[1], positive=positive)
    if node.data == "unary" and len(node.children) == 2 and node.children[0].data == "unary_not":
        return _has_atoms(node.children[1], positive=not positive)
    if positive and node.data == "ident_arg" and str(node.children[0]) == "has" and len(node.children) > 1:
        selection = _unwrap(node.children[1].children[0])
        if isinstance(selection, lark.Tree) and selection.data == "member_dot":
            target = _unwrap(selection.children[0])
            if isinstance(target, lark.Tree) and target.data == "ident" and str(target.children[0]) == "self":
                return {str(selection.children[1])}
    if node.data == "paren_expr":
        return _has_atoms(node.children[0], positive=positive)
    return set()


def _disjuncts(node: Any) -> list[Any]:
    """The operands of a top-level `||` chain (the node itself when it is not one)."""
    node = _unwrap(node)
    if isinstance(node, lark.Tree) and node.data == "conditionalor" and len(node.children) == 2:
        return _disjuncts(node.children[0]) + _disjuncts(node.children[1])
    return [node]


def _iso_guard_arguments(node: Any) -> list[Any] | None:
    """The two arguments of `!isoComparable(a, b)`, when that is what `node` is."""
    node = _unwrap(node)
    if not (isinstance(node, lark.Tree) and node.data == "unary" and len(node.children) == 2):
        return None
    if node.children[0].data != "unary_not":
        return None
    call = _unwrap(node.children[1])
    if not (isinstance(call, lark.Tree) and call.data == "ident_arg" and str(call.children[0]) == "isoComparable"):
        return None
    arguments = list(call.children[1].children) if len(call.children) > 1 else []
    return arguments if len(arguments) == 2 else None


def _bare(expression: str) -> str:
    """An expression without the parentheses around the whole of it."""
    return expression[1:-1] if expression.startswith("(") and _outer_parens(expression) else expression


def _unwrap(node: Any) -> Any:
    """Descend through single-child wrapper nodes (expr -> ... -> member)."""
    while (
        isinstance(node, lark.Tree)
        and len(node.children) == 1
        and node.data
        in (
            "expr",
            "conditionalor",
            "conditionaland",
            "relation",
            "addition",
            "multiplication",
            "unary",
            "member",
            "primary",
        )
    ):
        node = node.children[0]
    return node


def _is_string_literal(text: str) -> bool:
    return len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]


def _outer_parens(text: str) -> bool:
    """The first "(" closes at the very end (so the pair can be dropped)."""
    depth = 0
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index == len(text) - 1
    return False
