"""Walking a schema and emitting the Python that checks it.

A compiled function takes the value, the JSON pointer where it sits (`p`) and the list
issues go to (`e`), as a hand-written checker would; pointers are concatenated only where an
issue is made or a function is called, so the valid path allocates nothing but the list the
caller returns. For each schema the walker emits, in the keyword table's order, the checks
for any value (enum, const), the in-place applicators, then one branch per instance type
holding that type's keywords (the `type` keyword's check is this dispatch).

The same walk serves three modes: collecting issues; `-> bool` (`boolean`: every failure is
`return False`, for branches whose verdict matters on its own: anyOf/oneOf/not/if/contains);
and annotating, where the names or indexes a schema evaluated are added to a set its
caller passes in, for `unevaluatedProperties`/`unevaluatedItems`. A simple schema's verdict
is a single inline expression instead (`predicate`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.diagnostics import SpecError
from generator.emit.validators import vocabulary
from generator.emit.validators.codetree import If, Node, Scope, conjoin, negate, render, simplify, wrap
from generator.emit.validators.keywords import (
    BY_GROUP,
    IN_PLACE,
    IN_PLACE_AND_OWNED,
    KEYWORDS,
    UNEVALUATED,
    VALUE_CHECKS,
    Keyword,
)
from generator.emit.validators.keywords.base import GROUPS, Ctx, FunctionState, Group, Site
from generator.emit.validators.keywords.values import declared_types, type_message, type_test
from generator.emit.validators.literals import FUNCTION_ROOT, JsonValue, Ptr, py_long_str
from generator.emit.validators.messages import constant_issue, function_doc, issue_statement, not_allowed
from generator.emit.validators.model import Entry, Function
from generator.emit.validators.planning import Plan
from generator.emit.validators.references import Bindings, References, pointer_tokens
from generator.emit.validators.regex import PatternError, translate, uses_properties
from generator.emit.validators.vocabularies import FORMAT_ASSERTION, inactive
from generator.ir.names import snake_case
from generator.spec.pointers import join_pointer

SCALAR_TYPES: dict[str, Group | None] = {
    "string": "string",
    "integer": "number",
    "number": "number",
    "boolean": None,
    "null": None,
}


@dataclass
class Emitter:
    references: References
    plan: Plan
    assert_formats: bool = False
    known_dicts: set[str] = field(default_factory=set)  # variables the code being emitted knows are dicts
    current: str | None = None  # pointer of the function being compiled
    boolean: bool = False  # emitting a `-> bool` function: every failure is `return False`

    # ------------------------------------------------------------------ functions

    def function(self, pointer: str, mode: str, name: str, scope: Bindings = ()) -> Function:
        """The function `name` for the schema at `pointer`, in `mode` (see `Plan.function_for`),
        called in the dynamic scope `scope`."""
        schema = self.references.schema_at(pointer)
        self.plan.scope = self.references.enter(scope, pointer)
        annotating = mode == "annotating"
        ctx = Ctx(FunctionState(name, self.plan.hint(pointer), annotating), track="seen" if annotating else None)
        self.boolean = mode == "boolean"
        self.current = pointer
        try:
            body = self.schema(schema, pointer, "v", FUNCTION_ROOT, ctx)
        finally:
            self.boolean = False
        doc = function_doc(pointer, mode, self.plan.scope)
        if mode == "boolean":
            return Function(name, "(v: Any) -> bool", doc, _verdict_lines(body))
        lines = render(body, 0)
        signature = "(v: Any, p: str, e: list[Issue]" + (", seen: set[Any]" if annotating else "") + ") -> None"
        return Function(name, signature, doc, lines)

    def entry_lines(self, entry: Entry) -> list[str]:
        """A public validator's own body: its schema's checks on `data`, at the document root."""
        schema = self.references.schema_at(entry.pointer)
        ctx = Ctx(FunctionState(entry.function, self.plan.hint(entry.pointer), False))
        self.current = entry.pointer
        self.plan.scope = self.references.enter((), entry.pointer)
        return render(self.schema(schema, entry.pointer, "data", Ptr(), ctx), 0)

    def constant(self, kind: str, code: str, hint: str, annotation: str = "") -> str:
        return self.plan.constant(kind, code, hint, annotation)

    def regex(self, source: str, pointer: str, hint: str) -> str:
        """A module-level compiled regex for an ECMA-262 pattern."""
        try:
            translated = translate(source)
        except PatternError as error:
            raise SpecError.at(f"pattern {source!r}: {error}", pointer=pointer) from None
        self.plan.helpers.add("re")
        if uses_properties(source):
            self.plan.helpers.add("unicode_data")  # the module's header names the Unicode version
        return self.constant("pattern", f"re.compile({py_long_str(translated)}, re.ASCII)", hint)

    # ------------------------------------------------------------------ schemas

    def schema(
        self, node: JsonValue, pointer: str, var: str, at: Ptr, ctx: Ctx, member: str | None = None
    ) -> list[Node]:
        """Checks of `var` (found at `at`) against the schema `node` (at `pointer`)."""
        if not isinstance(node, dict):
            return self._schema(node, pointer, var, at, ctx, member)
        outer, asserting = self.plan.scope, self.assert_formats
        if "$id" in node:
            self.plan.scope = self.references.enter(outer, pointer)  # an embedded resource joins the dynamic scope
        try:
            return self._schema(self.in_dialect(node, pointer), pointer, var, at, ctx, member)
        finally:
            self.plan.scope, self.assert_formats = outer, asserting

    def in_dialect(self, node: Mapping[str, JsonValue], pointer: str) -> Mapping[str, JsonValue]:
        """The schema as its dialect reads it: without the keywords of vocabularies its `$schema`
        leaves out; `format` asserts where the format-assertion vocabulary is in effect."""
        vocabularies = self.references.vocabularies_at(pointer)
        if vocabularies is None:
            return node
        if FORMAT_ASSERTION in vocabularies:
            self.assert_formats = True
        left_out = inactive(vocabularies)
        return {key: value for key, value in node.items() if key not in left_out}

    def _schema(
        self, node: JsonValue, pointer: str, var: str, at: Ptr, ctx: Ctx, member: str | None = None
    ) -> list[Node]:
        if node is True:
            return []
        if node is False:
            return [self.issue(at, "false", not_allowed(member, ctx.note))]
        if not isinstance(node, dict):
            raise SpecError.at("a schema must be an object or a boolean", pointer=pointer)
        self.check_keywords(node, pointer)
        description = node.get("description")
        if isinstance(description, str) and ("then" in node or "else" in node):
            ctx = Ctx(ctx.fn, ctx.track, description.strip())  # says why a `false` branch refuses
        own_track = ctx.track
        setup: list[str] = []
        if own_track is None and any(key in node for key in UNEVALUATED):
            own_track = ctx.fn.var("seen")
            setup.append(f"{own_track}: set[Any] = set()")
        inner = Ctx(ctx.fn, own_track, ctx.note)
        site = Site(self, node, pointer, var, at, inner, inner.fn.hint)
        out = self._checks(site, VALUE_CHECKS)
        if self._object_only(node) and var not in self.known_dicts:
            # Applicators that can only complain about objects go inside `if type(v) is dict:`,
            # where their tests need not check the type again (as a person would write it).
            self.known_dicts.add(var)
            try:
                in_object = self._checks(site, IN_PLACE)
            finally:
                self.known_dicts.discard(var)
            out += self.typed(site, in_object)
        else:
            in_place = self._checks(site, IN_PLACE)
            typed = self.typed(site)
            value_check = _type_implied(site, out, typed) if not in_place else None
            if value_check is not None:
                # every listed value has a declared type: the type can only fail where the
                # enum (or const) does, so it is checked there, not again on valid data
                out = [If(value_check.cond, [*value_check.body, *typed])]
            else:
                out += in_place + typed
        if setup:
            return [Scope(setup, out)]
        return out

    def _checks(self, site: Site, keywords: Sequence[Keyword]) -> list[Node]:
        """The checks of those `keywords` the schema has, in table order."""
        out: list[Node] = []
        for keyword in keywords:
            if keyword.name in site.node:
                out += self.check(keyword, site)
        return out

    def check(self, keyword: Keyword, site: Site) -> list[Node]:
        """One keyword's check: its own statements, or `if <fails>: <issue>`."""
        if keyword.emit is not None:
            return keyword.emit(site)
        condition = keyword.fails(site) if keyword.fails is not None else None
        if condition is None:
            return []
        assert keyword.message is not None, f"{keyword.name}: a one-condition keyword needs a message"
        return [If(condition, [site.issue(keyword.name, keyword.message(site))])]

    def typed(self, site: Site, in_object: Sequence[Node] = ()) -> list[Node]:
        """The `type` keyword, and each instance type's keywords on a branch for that type."""
        var = site.var
        types = declared_types(site)
        groups = [(group, self._group(site, group, in_object if group == "object" else ())) for group in GROUPS]
        if var in self.known_dicts:  # emitted inside `if type(v) is dict:` already
            object_checks = groups[0][1]
            if types is not None and "object" not in types:
                return [self.issue(site.at, "type", type_message(site, types), dynamic=True), *object_checks]
            return object_checks
        type_issue = self.issue(site.at, "type", type_message(site, types), dynamic=True) if types else ""
        chain: list[Node] = []
        handled: set[str] = set()
        branches: list[tuple[str, list[Node]]] = []
        for group, checks in groups:
            if not checks:
                continue
            handled.add(group)
            body: list[Node] = []
            if types is not None:
                if group == "number":
                    handled.add("integer")
                    if "number" not in types and "integer" in types:
                        body.append(If(f"type({var}) is float and not {var}.is_integer()", [type_issue]))
                    elif "number" not in types:
                        body.append(type_issue)
                elif group not in types:
                    body.append(type_issue)
            branches.append((type_test(group, var), body + checks))
        rest: list[Node] = []
        if types is not None:
            remaining = [t for t in types if t not in handled]
            if remaining:
                rest = [If(negate(" or ".join(type_test(t, var) for t in remaining)), [type_issue])]
            else:
                rest = [type_issue]  # none of the branches above matched, and no other type is allowed
        for test, body in reversed(branches):
            chain = [If(test, body, chain or rest)]
            rest = []
        return chain or rest

    def _group(self, site: Site, group: Group, in_object: Sequence[Node]) -> list[Node]:
        """One type's keywords; `in_object` (applicators that only concern objects) goes before
        the `unevaluated*` keywords, which must see what they evaluated."""
        keywords = BY_GROUP[group]
        out = self._checks(site, [k for k in keywords if k.kind != "unevaluated"])
        out += in_object
        out += self._checks(site, [k for k in keywords if k.kind == "unevaluated"])
        return out

    def _object_only(self, node: Mapping[str, JsonValue]) -> bool:
        """`type: object`, and every in-place applicator can only report issues about objects."""
        if node.get("type") not in ("object", ["object"]):
            return False
        applicators = [k for k in IN_PLACE if k.name in node]
        return bool(applicators) and self._vacuous({k: node[k] for k in IN_PLACE_AND_OWNED if k in node})

    def _vacuous(self, node: JsonValue, depth: int = 0) -> bool:
        """Applied in place to a non-object, this schema passes without issues."""
        if node is True:
            return True
        if not isinstance(node, dict) or depth > 8:
            return False
        for key in node:
            keyword = KEYWORDS.get(key)
            if key.startswith("x-") or (keyword is not None and not keyword.checking):
                continue
            if keyword is not None and (keyword.applies_to == "object" or keyword.owner == "if"):
                continue
            if key == "allOf" and isinstance(node[key], list):
                if not all(self._vacuous(sub, depth + 1) for sub in node[key]):
                    return False
            elif key == "anyOf" and isinstance(node[key], list):
                if not any(self._vacuous(sub, depth + 1) for sub in node[key]):
                    return False
            elif key != "if":
                return False
        if "if" in node and not self._vacuous(node["if"], depth + 1):
            branches = [node.get("then", True), node.get("else", True)]
        else:
            branches = [node.get("then", True)] if "if" in node else []
        return all(self._vacuous(b, depth + 1) for b in branches)

    def merge(self, result: str) -> str:
        """Take over the issues a nested check collected apart (or fail, in a boolean function)."""
        return "return False" if self.boolean else f"e.extend({result})"

    def issue(self, at: Ptr, keyword: str, message: str, severity: str | None = None, dynamic: bool = False) -> str:
        if self.boolean:
            return "return False"
        pointer = at.constant()
        if pointer is not None and not dynamic:
            named = re.search(r"'([^']*)'", message) if keyword in ("required", "dependentRequired") else None
            hint = "_".join((*pointer_tokens(pointer), keyword, *([named.group(1)] if named else [])))
            name = self.constant("issue", constant_issue(pointer, keyword, message, severity), snake_case(hint))
            return f"e.append({name})"
        return issue_statement(at, keyword, message, severity, dynamic)

    def check_keywords(self, node: Mapping[str, JsonValue], pointer: str) -> None:
        """Refuse what sdkgen cannot check: unknown keywords (x- extensions aside), other drafts."""
        refused = vocabulary.problems(node, pointer)
        if refused:
            raise SpecError(refused[0])

    # ------------------------------------------------------------------ applying subschemas

    def in_place(self, sub_pointer: str, var: str, at: Ptr, ctx: Ctx, ref_at: str | None = None) -> list[Node]:
        """Apply the schema at `sub_pointer` to `var` through its function (for $ref and annotations)."""
        sub = self.references.schema_at(sub_pointer)
        outer = self.plan.scope
        if isinstance(sub, dict) and _only_ref(sub):
            self.check_keywords(sub, sub_pointer)
            ref_at = ref_at or join_pointer(sub_pointer, "$ref")
            self.plan.scope = self.references.enter(outer, sub_pointer)  # the skipped schema's resource counts
            sub_pointer = self.references.resolve(sub["$ref"], sub_pointer)
            sub = self.references.schema_at(sub_pointer)
        try:
            return self._in_place(sub, sub_pointer, var, at, ctx, ref_at)
        finally:
            self.plan.scope = outer

    def _in_place(
        self, sub: JsonValue, sub_pointer: str, var: str, at: Ptr, ctx: Ctx, ref_at: str | None
    ) -> list[Node]:
        self._in_place_edge(var, sub_pointer, ref_at or sub_pointer)
        if sub is True and ctx.track is None:
            return []
        if ctx.track is None and self.boolean:
            return [If(negate(self.valid(sub, sub_pointer, var)), ["return False"])]
        if ctx.track is None:
            return [f"{self.plan.function_for(sub_pointer)}({var}, {at.code()}, e)"]
        fn = self.plan.function_for(sub_pointer, annotating=True)
        seen, before = ctx.fn.var("seen"), ctx.fn.var("n")
        if self.boolean:
            result = ctx.fn.var("r")
            # A `-> bool` twin has no pointer `p`: only whether issues were found matters.
            return [
                f"{seen}: set[Any] = set()",
                f"{result}: list[Issue] = []",
                f'{fn}({var}, "", {result}, {seen})',
                If(f"{result}", ["return False"]),
                f"{ctx.track} |= {seen}",
            ]
        return [
            f"{seen}: set[Any] = set()",
            f"{before} = len(e)",
            f"{fn}({var}, {at.code()}, e, {seen})",
            If(f"len(e) == {before}", [f"{ctx.track} |= {seen}"]),
        ]

    def annotated_valid(self, fn: str, var: str, seen: str, ctx: Ctx) -> tuple[list[Node], str]:
        """Run an annotating function apart; (setup, condition true when it found nothing)."""
        result = ctx.fn.var("r")
        return [f"{seen}: set[Any] = set()", f"{result}: list[Issue] = []", f'{fn}({var}, "", {result}, {seen})'], (
            f"not {result}"
        )

    def valid(self, sub: JsonValue, sub_pointer: str, var: str) -> str:
        """A condition true when `var` is valid against `sub` (no issues collected)."""
        if sub is True:
            return "True"
        if sub is False:
            return "False"
        outer = self.plan.scope
        if isinstance(sub, dict) and _only_ref(sub):
            ref_at = join_pointer(sub_pointer, "$ref")
            self.plan.scope = self.references.enter(outer, sub_pointer)  # the skipped schema's resource counts
            sub_pointer = self.references.resolve(sub["$ref"], sub_pointer)
            sub = self.references.schema_at(sub_pointer)
            if isinstance(sub, bool):
                self.plan.scope = outer
                return str(sub)
            self._in_place_edge(var, sub_pointer, ref_at)
        try:
            predicate = self.predicate(sub, sub_pointer, var)
            if predicate is not None:
                return predicate
            return f"{self.plan.function_for(sub_pointer, boolean=True)}({var})"
        finally:
            self.plan.scope = outer

    def _in_place_edge(self, var: str, target: str, ref_at: str) -> None:
        """Record that the function being compiled applies `target` to its own value."""
        if var == "v" and self.current is not None:
            self.plan.applies_in_place(self.current, target, ref_at)

    # ------------------------------------------------------------------ single expressions

    def predicate(self, node: JsonValue, pointer: str, var: str) -> str | None:
        """A single expression for simple schemas (no function call needed), else None."""
        if isinstance(node, bool):
            return str(node)
        if not isinstance(node, dict):
            return None
        asserting = self.assert_formats
        try:
            node = self.in_dialect(node, pointer)
            self.check_keywords(node, pointer)
            text = self._predicate(node, pointer, var)
        finally:
            self.assert_formats = asserting
        return text if text is None or len(text) < 400 else None

    def _predicate(self, node: Mapping[str, JsonValue], pointer: str, var: str) -> str | None:
        """Composed from the table: an object's verdict is its object keywords' conjuncts; a
        scalar's is its type test, its type's keywords, then the keywords for any value."""
        checked = [KEYWORDS[k] for k in node if k in KEYWORDS and self._checks_here(KEYWORDS[k])]
        if any(not keyword.predicate for keyword in checked):
            return None
        if not checked:
            return "True"
        hint = self.plan.hint(pointer)
        # An expression makes no variables: the function state is only there to carry the hint.
        site = Site(self, node, pointer, var, Ptr(), Ctx(FunctionState("", hint, False)), hint)
        if len(checked) == 1 and checked[0] in VALUE_CHECKS:
            parts = _conjuncts(checked[0], site)  # a schema of values only (enum or const) is its own test
            return None if parts is None else " and ".join(parts) or "True"
        kind = node.get("type", "object")
        if kind == "object" and all(k.name == "type" or k.applies_to == "object" for k in checked):
            return self._object_predicate(site)
        if not isinstance(kind, str) or kind not in SCALAR_TYPES or any(k.applies_to == "object" for k in checked):
            return None
        parts = [type_test(kind, var)]
        group = SCALAR_TYPES[kind]
        for keyword in (*(BY_GROUP[group] if group else ()), *VALUE_CHECKS):
            conjuncts = _conjuncts(keyword, site) if keyword.name in node else []
            if conjuncts is None:
                return None
            parts += [wrap(c) for c in conjuncts]
        return conjoin(*parts)

    def _object_predicate(self, site: Site) -> str | None:
        parts: list[str] = []
        for keyword in BY_GROUP["object"]:
            if keyword.name in site.node:
                conjuncts = _conjuncts(keyword, site)
                if conjuncts is None:
                    return None
                parts += conjuncts
        inner = conjoin(*parts) if parts else "True"
        var = site.var
        if var in self.known_dicts:
            return inner
        if "type" in site.node:
            return conjoin(f"type({var}) is dict", inner)
        return "True" if inner == "True" else f"type({var}) is not dict or {wrap(inner)}"

    def _checks_here(self, keyword: Keyword) -> bool:
        """Whether the keyword checks anything in this compilation (formats only when asserted)."""
        return keyword.checking or keyword.kind == "extension" or (keyword.kind == "format" and self.assert_formats)


def _conjuncts(keyword: Keyword, site: Site) -> list[str] | None:
    """A keyword's part of a single-expression verdict: its own, or `not fails`."""
    if keyword.expression is not None:
        return keyword.expression(site)
    condition = keyword.fails(site) if keyword.fails is not None else None
    return [] if condition is None else [negate(condition)]


def _verdict_lines(body: list[Node]) -> list[str]:
    """The body of a `-> bool` function; a final `if c: return False` becomes `return not c` (SIM103)."""
    nodes = simplify(body)
    last = nodes[-1] if nodes else None
    if isinstance(last, If) and last.body == ["return False"] and not last.orelse:
        verdict = negate(last.cond)
        if not verdict.startswith("not "):
            verdict = f"bool({verdict})"
        return [*render(nodes[:-1], 0), f"return {verdict}"]
    return [*render(nodes, 0), "return True"]


def _only_ref(node: Mapping[str, JsonValue]) -> bool:
    """A schema that is just a `$ref` (plus documentation): call the target directly."""
    return isinstance(node.get("$ref"), str) and all(
        key == "$ref" or (KEYWORDS[key].kind == "annotation" if key in KEYWORDS else key.startswith("x-"))
        for key in node
    )


def _type_implied(site: Site, value_checks: list[Node], typed: list[Node]) -> If | None:
    """The one value check (`enum` or `const`) when the `type` check (`typed`, a bare test and
    its issue) holds whenever it passes: every value it lists has a declared type."""
    if len(value_checks) != 1 or len(typed) != 1:
        return None
    check, type_check = value_checks[0], typed[0]
    if not (isinstance(check, If) and isinstance(type_check, If)) or check.orelse or type_check.orelse:
        return None
    if len(type_check.body) != 1 or not isinstance(type_check.body[0], str):
        return None  # more than the type's own issue (a keyword of the type's group)
    types = declared_types(site)
    node = site.node
    values = node["enum"] if "enum" in node else [node["const"]] if "const" in node else None
    if types is None or not isinstance(values, list) or not values:
        return None
    return check if all(any(_has_json_type(value, name) for name in types) for value in values) else None


def _has_json_type(value: JsonValue, name: str) -> bool:
    """Whether a value listed in the schema has JSON type `name` (as the compiled tests read it)."""
    if isinstance(value, bool):
        return name == "boolean"
    if isinstance(value, int):
        return name in ("integer", "number")
    if isinstance(value, float):
        return name == "number" or (name == "integer" and value.is_integer())
    kinds: dict[str, type] = {"string": str, "null": type(None), "array": list, "object": dict}
    return name in kinds and isinstance(value, kinds[name])
