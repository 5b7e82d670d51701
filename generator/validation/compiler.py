"""JSON Schema 2020-12 (as OpenAPI 3.1 uses it) -> plain Python validator functions.

Every schema reached from an entry is turned into straight-line checks: one function per
`$ref` target, everything else inlined into its parent. A compiled function takes the
value, the JSON pointer where it sits (`p`) and the list issues go to (`e`), as a
hand-written checker would; pointers are concatenated only where an issue is made or a
function is called, so the valid path allocates nothing but the list the caller returns.
Branches whose verdict matters on its own (anyOf/oneOf/not/if/contains) get a `-> bool`
twin that stops at the first failure, or a single inline expression when simple.
`unevaluatedProperties`/`unevaluatedItems` are the one place where annotations matter:
schemas that feed them are compiled again in "annotating" mode, adding the names (or
indexes) they evaluated to a set the caller passes in.

Refusals are `SpecError`s located at the offending keyword; annotation keywords are
ignored, anything unknown is refused.
"""

from __future__ import annotations

import collections
import difflib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin

from generator.diagnostics import Diagnostic, SpecError
from generator.names import snake_case
from generator.spec.pointers import escape_token, join_pointer, resolve_pointer
from generator.spec.schema_tree import subschemas
from generator.spec.validate import boolean_exclusive_hint
from generator.validation import cel
from generator.validation.codetree import For, If, Node, Scope, conjoin, negate, render, simplify, wrap
from generator.validation.regex import PatternError, translate

JsonValue = Any

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_BASE = "https://sdkgen.invalid/document.json"
# Formats `--assert-formats` checks, and what each one's check needs besides its own helper.
FORMATS: dict[str, tuple[str, ...]] = {
    "date": ("re",),
    "date-time": ("re",),
    "time": ("re",),
    "duration": ("re",),
    "uuid": ("re",),
    "email": ("re", "format_ipv4", "format_ipv6"),
    "uri": ("re", "format_ipv6"),
    "uri-reference": ("re", "format_ipv6"),
    "ipv4": (),
    "ipv6": (),
    "json-pointer": ("re",),
    "relative-json-pointer": ("re",),
}
# Formats JSON Schema 2020-12 defines that sdkgen cannot check faithfully: asserting them is
# refused (the specification requires that of an implementation), never silently skipped.
# Formats neither list names (int64, password, ...) stay annotations, as the specification says.
UNCHECKED_FORMATS = frozenset(
    {"hostname", "idn-hostname", "idn-email", "iri", "iri-reference", "uri-template", "regex"}
)

ANNOTATION_KEYWORDS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "example",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "xml",
        "externalDocs",
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$defs",
        "definitions",
        "format",
        "discriminator",
        "x-rules",
    }
)
ASSERTION_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "required",
        "dependentRequired",
        "dependentSchemas",
        "items",
        "prefixItems",
        "contains",
        "minContains",
        "maxContains",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
        "unevaluatedItems",
        "$ref",
    }
)
REFUSED_HINTS = {
    "$dynamicRef": "$dynamicRef is not supported: use $ref",
    "$recursiveRef": "$recursiveRef (draft 2019-09) is not supported: use $ref",
    "$vocabulary": "custom vocabularies ($vocabulary) are not supported",
    "dependencies": "`dependencies` is not a 2020-12 keyword: use dependentRequired or dependentSchemas",
    "additionalItems": "`additionalItems` is not a 2020-12 keyword: use prefixItems and items",
    "nullable": "`nullable` is OpenAPI 3.0: in 3.1 write type: [..., 'null']",
}
TYPE_NAMES = ("null", "boolean", "object", "array", "number", "string", "integer")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


# ---------------------------------------------------------------------------- output model


@dataclass
class Constant:
    name: str
    code: str
    annotation: str = ""


@dataclass
class Function:
    name: str
    signature: str
    doc: str
    lines: list[str]


@dataclass
class Entry:
    schema_name: str
    function: str  # public name: validate_<snake>
    target: str  # compiled function for the schema
    doc: str
    pointer: str = ""
    lines: list[str] | None = None  # the checks inline, when nothing else calls the target


@dataclass
class Module:
    """Everything the template lays out; Python made every decision."""

    entries: list[Entry]
    constants: list[Constant]
    functions: list[Function]
    helpers: set[str]


# ---------------------------------------------------------------------------- pointers


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

    def code(self) -> str:
        """Concatenation, not an f-string: `p + "/title"` is 3x faster when `p` is ""."""
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


def short_json(value: JsonValue, limit: int = 60) -> str:
    """A JSON value for a message, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------- the compiler


FUNCTION_ROOT = Ptr((("str", "p"),))  # a compiled function's instance is at pointer `p`


@dataclass
@dataclass
class _FunctionState:
    name: str
    hint: str
    annotating: bool
    counter: int = 0

    def var(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


@dataclass
class _Ctx:
    """Where the code being emitted sits: its function, and what it must record."""

    fn: _FunctionState
    track: str | None = None  # set collecting evaluated names/indexes of this instance
    note: str | None = None  # why a `false` subschema refuses, when the spec says


@dataclass
class Compiler:
    document: JsonValue
    assert_formats: bool = False
    constants: dict[tuple[str, str], Constant] = field(default_factory=dict)
    constant_names: set[str] = field(default_factory=set)
    functions: dict[tuple[str, str], str] = field(default_factory=dict)
    function_names: set[str] = field(default_factory=set)
    compiled: list[Function] = field(default_factory=list)
    queue: list[tuple[str, str, str]] = field(default_factory=list)
    rule_functions: dict[str, str] = field(default_factory=dict)
    known_dicts: set[str] = field(default_factory=set)  # variables the code being emitted knows are dicts
    edges: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # in-place applications
    current: str | None = None  # pointer of the function being compiled
    boolean: bool = False  # emitting a `-> bool` function: every failure is `return False`
    helpers: set[str] = field(default_factory=set)
    bases: dict[str, str] = field(default_factory=dict)  # schema pointer -> base URI
    resources: dict[str, str] = field(default_factory=dict)  # URI (no fragment) -> pointer
    anchors: dict[str, str] = field(default_factory=dict)  # URI#anchor -> pointer
    indexed: set[str] = field(default_factory=set)

    # ------------------------------------------------------------------ entry points

    def compile(self, entries: Sequence[tuple[str, str, str]]) -> Module:
        """Compile (schema name, pointer, python name) entries into a module."""
        self.resources[DEFAULT_BASE] = ""
        self._index(self.document, "", DEFAULT_BASE)
        public: list[Entry] = []
        for schema_name, pointer, python_name in entries:
            try:
                resolve_pointer(self.document, pointer)
            except KeyError:
                raise SpecError.at(f"no schema at {pointer or '/'}", pointer=pointer) from None
            self._ensure_indexed(pointer)
            target = self.function_for(pointer, hint=python_name)
            public.append(Entry(schema_name, "validate_" + python_name, target, _entry_doc(schema_name), pointer))
        self._drain()
        self._check_cycles()
        self._inline_entries(public)
        return Module(public, list(self.constants.values()), self.compiled, self.helpers)

    def _drain(self) -> None:
        """Compile every queued function; the refusals of all of them are raised together, so a
        spec with several unsupported constructs is told about each in one run."""
        refused: list[Diagnostic] = []
        while self.queue:
            pointer, mode, name = self.queue.pop(0)
            try:
                self.compiled.append(self._compile_function(pointer, mode, name))
            except SpecError as error:
                refused.extend(d for d in error.diagnostics if d not in refused)
        if refused:
            raise SpecError(refused)

    def _inline_entries(self, public: list[Entry]) -> None:
        """A public validator whose schema function nothing else calls holds the checks itself,
        compiled for the document root (pointers are literals): one function, as a person writes."""
        called = re.compile(r"\b(\w+)\(")

        def names(lines: Any) -> collections.Counter[str]:
            found: collections.Counter[str] = collections.Counter()
            for line in lines:
                found.update(called.findall(line))
            return found

        counts = names(line for fn in self.compiled for line in fn.lines)
        counts += names(line for other in public for line in other.lines or ())
        for entry in public:
            if counts[entry.target] > 0:
                continue
            if any(other is not entry and other.target == entry.target for other in public):
                continue
            before = {id(fn) for fn in self.compiled}
            schema = resolve_pointer(self.document, entry.pointer)
            ctx = _Ctx(_FunctionState(entry.function, _hint_for(entry.pointer), False))
            self.current = entry.pointer
            body = self.schema(schema, entry.pointer, "data", Ptr(), ctx)
            entry.lines = render(body, 0)
            removed = [fn for fn in self.compiled if fn.name == entry.target]
            self.compiled = [fn for fn in self.compiled if fn.name != entry.target]
            for fn in removed:
                counts -= names(fn.lines)
            counts += names(entry.lines)
            self._drain()  # nothing new is expected: every function it calls exists already
            counts += names(line for fn in self.compiled if id(fn) not in before for line in fn.lines)

    # ------------------------------------------------------------------ $id / $anchor index

    def _index(self, node: JsonValue, pointer: str, base: str) -> None:
        """Record the base URI of every schema and the resources/anchors they declare."""
        if pointer in self.indexed:
            return
        self.indexed.add(pointer)
        if not isinstance(node, dict):
            self.bases[pointer] = base
            return
        declared = node.get("$id")
        if isinstance(declared, str):
            base = _join_uri(base, declared).split("#", 1)[0]
            self.resources.setdefault(base, pointer)
        self.bases[pointer] = base
        for key in ("$anchor", "$dynamicAnchor"):
            anchor = node.get(key)
            if isinstance(anchor, str):
                self.anchors.setdefault(f"{base}#{anchor}", pointer)
        for sub, sub_pointer in subschemas(node, pointer):
            self._index(sub, sub_pointer, base)

    def _ensure_indexed(self, pointer: str) -> None:
        if pointer not in self.indexed:
            self._index(resolve_pointer(self.document, pointer), pointer, DEFAULT_BASE)

    def _resolve_ref(self, ref: str, pointer: str) -> str:
        """The document pointer a `$ref` (found in the schema at `pointer`) designates."""
        at = join_pointer(pointer, "$ref")
        uri = _join_uri(self.bases.get(pointer, DEFAULT_BASE), ref)
        resource_uri, _, fragment = uri.partition("#")
        resource = self.resources.get(resource_uri)
        if resource is None:
            raise SpecError.at(
                f"$ref {ref!r} points outside this document ({resource_uri}); remote references are not supported",
                pointer=at,
            )
        if fragment and not fragment.startswith("/"):
            target = self.anchors.get(f"{resource_uri}#{fragment}")
            if target is None:
                raise SpecError.at(f"$ref {ref!r}: no $anchor {fragment!r} in {resource_uri}", pointer=at)
            return target
        target = resource + "".join("/" + escape_token(token) for token in _pointer_tokens(unquote(fragment)))
        try:
            resolve_pointer(self.document, target)
        except KeyError:
            raise SpecError.at(f"unresolvable $ref {ref!r}: nothing at {target or '/'}", pointer=at) from None
        self._ensure_indexed(target)
        return target

    # ------------------------------------------------------------------ functions

    def function_for(
        self, pointer: str, *, annotating: bool = False, boolean: bool = False, hint: str | None = None
    ) -> str:
        """The function compiled for a schema: issues (default), issues + annotations, or a bare verdict."""
        mode = "annotating" if annotating else ("boolean" if boolean else "issues")
        known = self.functions.get((pointer, mode))
        if known is not None:
            return known
        base = hint or _hint_for(pointer)
        prefix = "_is_" if boolean else "_check_"
        name = self._unique_function(prefix + base + ("_annotated" if annotating else ""))
        self.functions[(pointer, mode)] = name
        self.queue.append((pointer, mode, name))
        return name

    def _unique_function(self, name: str) -> str:
        candidate, counter = name, 2
        while candidate in self.function_names:
            candidate = f"{name}_{counter}"
            counter += 1
        self.function_names.add(candidate)
        return candidate

    def _compile_function(self, pointer: str, mode: str, name: str) -> Function:
        schema = resolve_pointer(self.document, pointer)
        annotating = mode == "annotating"
        state = _FunctionState(name, _hint_for(pointer), annotating)
        ctx = _Ctx(state, track="seen" if annotating else None)
        self.boolean = mode == "boolean"
        self.current = pointer
        try:
            body = self.schema(schema, pointer, "v", FUNCTION_ROOT, ctx)
        finally:
            self.boolean = False
        where = f"#{pointer}" if pointer else "the document root"
        if mode == "boolean":
            doc = f"Whether the value is valid against {where} (stops at the first failure)."
            return Function(name, "(v: Any) -> bool", doc, _verdict_lines(body))
        lines = render(body, 0)
        signature = "(v: Any, p: str, e: list[Issue]" + (", seen: set[Any]" if annotating else "") + ") -> None"
        doc = f"Add to `e` the issues of `v` (found at pointer `p`) against {where}" + (
            ", recording in `seen` what it evaluated." if annotating else "."
        )
        return Function(name, signature, doc, lines)

    def constant(self, kind: str, code: str, hint: str, annotation: str = "") -> str:
        """A module-level constant (regex, frozenset, ...), shared when equal."""
        key = (kind, code)
        known = self.constants.get(key)
        if known is not None:
            return known.name
        base = "_" + re.sub(r"[^A-Z0-9]+", "_", f"{hint}_{kind}".upper()).strip("_")
        name, counter = base, 2
        while name in self.constant_names:
            name = f"{base}_{counter}"
            counter += 1
        self.constant_names.add(name)
        self.constants[key] = Constant(name, code, annotation)
        return name

    # ------------------------------------------------------------------ schemas

    def schema(
        self, node: JsonValue, pointer: str, var: str, at: Ptr, ctx: _Ctx, member: str | None = None
    ) -> list[Node]:
        """Checks of `var` (found at `at`) against the schema `node` (at `pointer`)."""
        if node is True:
            return []
        if node is False:
            return [self.issue(at, "false", self._false_message(member, ctx))]
        if not isinstance(node, dict):
            raise SpecError.at("a schema must be an object or a boolean", pointer=pointer)
        self._check_keywords(node, pointer)
        if "description" in node and isinstance(node["description"], str) and ("then" in node or "else" in node):
            ctx = _Ctx(ctx.fn, ctx.track, node["description"].strip())
        own_track = ctx.track
        out: list[Node] = []
        setup: list[str] = []
        if ("unevaluatedProperties" in node or "unevaluatedItems" in node) and own_track is None:
            own_track = ctx.fn.var("seen")
            setup.append(f"{own_track}: set[Any] = set()")
        inner = _Ctx(ctx.fn, own_track, ctx.note)
        out += self._generic(node, pointer, var, at, inner)
        if self._object_only(node) and var not in self.known_dicts:
            # Applicators that can only complain about objects go inside `if type(v) is dict:`,
            # where their tests need not check the type again (as a person would write it).
            self.known_dicts.add(var)
            try:
                in_object = self._applicators(node, pointer, var, at, inner)
            finally:
                self.known_dicts.discard(var)
            out += self._typed(node, pointer, var, at, inner, in_object)
        else:
            out += self._applicators(node, pointer, var, at, inner)
            out += self._typed(node, pointer, var, at, inner)
        if setup:
            return [Scope(setup, out)]
        return out

    def _object_only(self, node: Mapping[str, JsonValue]) -> bool:
        """`type: object`, and every applicator can only report issues about objects."""
        if node.get("type") not in ("object", ["object"]):
            return False
        applicators = [k for k in ("allOf", "anyOf", "oneOf", "not", "if", "$ref") if k in node]
        return bool(applicators) and self._vacuous({k: node[k] for k in (*applicators, "then", "else") if k in node})

    def _vacuous(self, node: JsonValue, depth: int = 0) -> bool:
        """Applied in place to a non-object, this schema passes without issues."""
        if node is True:
            return True
        if not isinstance(node, dict) or depth > 8:
            return False
        object_keywords = {
            "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
            "minProperties", "maxProperties", "dependentRequired", "dependentSchemas",
            "unevaluatedProperties", "x-rules", "discriminator",
        }  # fmt: skip
        for key in node:
            if (key in ANNOTATION_KEYWORDS and key not in ("x-rules", "discriminator")) or key.startswith("x-"):
                continue
            if key in object_keywords or key in ("then", "else"):
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

    def _false_message(self, member: str | None, ctx: _Ctx) -> str:
        what = f"member {member!r}" if member is not None else "this value"
        return f"{what} is not allowed here" + (f": {ctx.note}" if ctx.note else "")

    def merge(self, result: str) -> str:
        """Take over the issues a nested check collected apart (or fail, in a boolean function)."""
        return "return False" if self.boolean else f"e.extend({result})"

    def issue(self, at: Ptr, keyword: str, message: str, severity: str | None = None, dynamic: bool = False) -> str:
        if self.boolean:
            return "return False"
        text = message if dynamic else py_text(message)
        return f"e.append(_new_issue(Issue, ({at.code()}, {py_str(keyword)}, {text}, {py_str(severity or 'error')})))"

    def _check_keywords(self, node: Mapping[str, JsonValue], pointer: str) -> None:
        for key in node:
            if key in ASSERTION_KEYWORDS or key in ANNOTATION_KEYWORDS or key.startswith("x-"):
                continue
            hint = REFUSED_HINTS.get(key)
            if hint is not None:
                raise SpecError.at(hint, pointer=join_pointer(pointer, key))
            close = difflib.get_close_matches(key, sorted(ASSERTION_KEYWORDS | ANNOTATION_KEYWORDS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise SpecError.at(
                f"unknown JSON Schema keyword {key!r}: {hint}sdkgen refuses keywords it cannot check "
                "(prefix extensions with x-)",
                pointer=join_pointer(pointer, key),
            )
        schema_uri = node.get("$schema")
        if schema_uri is not None and str(schema_uri).rstrip("#") != DRAFT_2020_12:
            raise SpecError.at(
                f"$schema {schema_uri!r}: only JSON Schema 2020-12 is supported",
                pointer=join_pointer(pointer, "$schema"),
            )

    # ------------------------------------------------------------------ type-independent keywords

    def _generic(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        out: list[Node] = []
        if "enum" in node:
            values = node["enum"]
            if not isinstance(values, list):
                raise SpecError.at("enum must be a list", pointer=join_pointer(pointer, "enum"))
            listed = ", ".join(short_json(v, 30) for v in values[:8]) + (", ..." if len(values) > 8 else "")
            out.append(
                If(
                    negate(self.in_values(values, var, ctx.fn.hint)),
                    [self.issue(at, "enum", f"must be one of {listed}")],
                )
            )
        if "const" in node:
            value = node["const"]
            out.append(
                If(
                    negate(self.in_values([value], var, ctx.fn.hint)),
                    [self.issue(at, "const", f"must be {short_json(value)}")],
                )
            )
        return out

    def in_values(self, values: list[JsonValue], var: str, hint: str) -> str:
        """A condition true when `var` equals (as JSON) one of `values`."""
        strings = [v for v in values if isinstance(v, str)]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        others = [v for v in values if isinstance(v, list | dict)]
        tests: list[str] = []
        if len(strings) == 1:
            tests.append(f"{var} == {py_str(strings[0])}")
        elif strings:
            name = self.constant(
                "values", "frozenset({" + ", ".join(py_str(s) for s in dict.fromkeys(strings)) + "})", hint
            )
            tests.append(f"(type({var}) is str and {var} in {name})")
        if numbers:
            number = f"(type({var}) is int or type({var}) is float)"
            if len(numbers) == 1:
                tests.append(f"({number} and {var} == {py_value(numbers[0])})")
            else:
                name = self.constant("numbers", "frozenset({" + ", ".join(py_value(n) for n in numbers) + "})", hint)
                tests.append(f"({number} and {var} in {name})")
        if any(v is True for v in values):
            tests.append(f"{var} is True")
        if any(v is False for v in values):
            tests.append(f"{var} is False")
        if any(v is None for v in values):
            tests.append(f"{var} is None")
        if others:
            self.helpers.add("equal")
            if len(others) == 1:
                name = self.constant("value", py_value(others[0]), hint, "Any")
                tests.append(f"_equal({var}, {name})")
            else:
                name = self.constant(
                    "values", "(" + ", ".join(py_value(o) for o in others) + ",)", hint, "tuple[Any, ...]"
                )
                tests.append(f"any(_equal({var}, c) for c in {name})")
        if not tests:
            return "False"
        return " or ".join(tests)

    # ------------------------------------------------------------------ applicators

    def _applicators(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        out: list[Node] = []
        if "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                raise SpecError.at("$ref must be a string", pointer=join_pointer(pointer, "$ref"))
            target = self._resolve_ref(ref, pointer)
            out += self.in_place(target, var, at, ctx, ref_at=join_pointer(pointer, "$ref"))
        if "allOf" in node:
            for index, sub_pointer in enumerate(self._list(node, "allOf", pointer)):
                sub = node["allOf"][index]
                if ctx.track is None:
                    out += self.schema(sub, sub_pointer, var, at, _Ctx(ctx.fn, None, ctx.note))
                else:
                    out += self.in_place(sub_pointer, var, at, ctx)
        if "anyOf" in node:
            out += self._any_of(node, pointer, var, at, ctx)
        if "oneOf" in node:
            out += self._one_of(node, pointer, var, at, ctx)
        if "not" in node:
            test = self.valid(node["not"], join_pointer(pointer, "not"), var)
            out.append(If(test, [self.issue(at, "not", "must not match the schema under 'not'")]))
        if "if" in node:
            out += self._if_then_else(node, pointer, var, at, ctx)
        return out

    def in_place(self, sub_pointer: str, var: str, at: Ptr, ctx: _Ctx, ref_at: str | None = None) -> list[Node]:
        """Apply the schema at `sub_pointer` to `var` through its function (for $ref and annotations)."""
        sub = resolve_pointer(self.document, sub_pointer)
        if isinstance(sub, dict) and _only_ref(sub):
            self._check_keywords(sub, sub_pointer)
            ref_at = ref_at or join_pointer(sub_pointer, "$ref")
            sub_pointer = self._resolve_ref(sub["$ref"], sub_pointer)
            sub = resolve_pointer(self.document, sub_pointer)
        self._in_place_edge(var, sub_pointer, ref_at or sub_pointer)
        if sub is True and ctx.track is None:
            return []
        if ctx.track is None and self.boolean:
            return [If(negate(self.valid(sub, sub_pointer, var)), ["return False"])]
        if ctx.track is None:
            return [f"{self.function_for(sub_pointer)}({var}, {at.code()}, e)"]
        fn = self.function_for(sub_pointer, annotating=True)
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

    def _annotated_valid(self, fn: str, var: str, seen: str, ctx: _Ctx) -> tuple[list[Node], str]:
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
        if isinstance(sub, dict) and _only_ref(sub):
            ref_at = join_pointer(sub_pointer, "$ref")
            sub_pointer = self._resolve_ref(sub["$ref"], sub_pointer)
            sub = resolve_pointer(self.document, sub_pointer)
            if isinstance(sub, bool):
                return str(sub)
            self._in_place_edge(var, sub_pointer, ref_at)
        predicate = self.predicate(sub, sub_pointer, var)
        if predicate is not None:
            return predicate
        return f"{self.function_for(sub_pointer, boolean=True)}({var})"

    def _in_place_edge(self, var: str, target: str, ref_at: str) -> None:
        """Record that the function being compiled applies `target` to its own value."""
        if var == "v" and self.current is not None:
            self.edges.setdefault(self.current, []).append((target, ref_at))

    def _check_cycles(self) -> None:
        """A `$ref` cycle that never descends into the value would recurse forever: refuse it."""
        state: dict[str, int] = {}

        def visit(node: str) -> None:
            state[node] = 1
            for target, ref_at in self.edges.get(node, []):
                if state.get(target) == 1:
                    raise SpecError.at(
                        "cyclic $ref: this schema applies itself to the same value without descending into "
                        "a member or item, so validation would never end",
                        pointer=ref_at,
                    )
                if target not in state:
                    visit(target)
            state[node] = 2

        for node in list(self.edges):
            if node not in state:
                visit(node)

    def _list(self, node: Mapping[str, JsonValue], key: str, pointer: str) -> list[str]:
        value = node[key]
        if not isinstance(value, list) or not value:
            raise SpecError.at(f"{key} must be a non-empty list of schemas", pointer=join_pointer(pointer, key))
        return [join_pointer(join_pointer(pointer, key), index) for index in range(len(value))]

    def _any_of(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        pointers = self._list(node, "anyOf", pointer)
        message = f"must match at least one of the {len(pointers)} alternatives under 'anyOf'"
        if ctx.track is None:
            dispatched = self._discriminated(node, pointer, "anyOf", pointers, var, at, ctx)
            tests = [negate(self.valid(node["anyOf"][i], p, var)) for i, p in enumerate(pointers)]
            fallback: list[Node] = [If(conjoin(*(wrap(t) for t in tests)), [self.issue(at, "anyOf", message)])]
            return dispatched(fallback) if dispatched else fallback
        count = ctx.fn.var("n")
        out: list[Node] = [f"{count} = 0"]
        for sub_pointer in pointers:
            fn = self.function_for(sub_pointer, annotating=True)
            seen = ctx.fn.var("seen")
            setup, passed = self._annotated_valid(fn, var, seen, ctx)
            out += setup
            out.append(If(passed, [f"{count} += 1", f"{ctx.track} |= {seen}"]))
        out.append(If(f"{count} == 0", [self.issue(at, "anyOf", message)]))
        return out

    def _one_of(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        pointers = self._list(node, "oneOf", pointer)
        count = ctx.fn.var("n")
        message = f"f\"must match exactly one of the {len(pointers)} alternatives under 'oneOf', matched {{{count}}}\""
        report = If(f"{count} != 1", [self.issue(at, "oneOf", message, dynamic=True)])
        if ctx.track is None:
            tests = [self.valid(node["oneOf"][i], p, var) for i, p in enumerate(pointers)]
            fallback: list[Node] = [f"{count} = " + " + ".join(f"({t})" for t in tests), report]
            if len(pointers) == 1:
                fallback = [If(negate(tests[0]), [self.issue(at, "oneOf", "must match the schema under 'oneOf'")])]
            dispatched = self._discriminated(node, pointer, "oneOf", pointers, var, at, ctx)
            return dispatched(fallback) if dispatched else fallback
        matched = ctx.fn.var("seen")
        out: list[Node] = [f"{count} = 0", f"{matched}: set[Any] = set()"]
        for sub_pointer in pointers:
            fn = self.function_for(sub_pointer, annotating=True)
            seen = ctx.fn.var("seen")
            setup, passed = self._annotated_valid(fn, var, seen, ctx)
            out += setup
            out.append(If(passed, [f"{count} += 1", f"{matched} |= {seen}"]))
        out.append(If(f"{count} == 1", [f"{ctx.track} |= {matched}"], [report]))
        return out

    def _discriminated(
        self,
        node: Mapping[str, JsonValue],
        pointer: str,
        keyword: str,
        pointers: list[str],
        var: str,
        at: Ptr,
        ctx: _Ctx,
    ) -> Callable[[list[Node]], list[Node]] | None:
        """OpenAPI `discriminator`: try the branch the property names first; the verdict
        stays the JSON Schema one (other branches are consulted when it matters)."""
        spec = node.get("discriminator")
        if spec is None or self.boolean:
            return None
        where = join_pointer(pointer, "discriminator")
        if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
            raise SpecError.at("discriminator needs a propertyName", pointer=where)
        mapping: dict[str, str] = {}
        branches = node[keyword]
        by_target: dict[str, int] = {}
        for index, sub in enumerate(branches):
            if isinstance(sub, dict) and isinstance(sub.get("$ref"), str):
                target = self._resolve_ref(sub["$ref"], pointers[index])
                by_target[target] = index
                mapping.setdefault(target.rsplit("/", 1)[-1], str(index))
        explicit = spec.get("mapping", {})
        if not isinstance(explicit, dict):
            raise SpecError.at("discriminator mapping must be an object", pointer=join_pointer(where, "mapping"))
        for value, ref in explicit.items():
            ref_text = str(ref) if str(ref).startswith("#") else "#/components/schemas/" + escape_token(str(ref))
            target = self._resolve_ref(ref_text, pointer)
            if target not in by_target:
                raise SpecError.at(
                    f"discriminator mapping {value!r} names a schema that is not one of the {keyword} branches",
                    pointer=join_pointer(join_pointer(where, "mapping"), value),
                )
            mapping[value] = str(by_target[target])
        tag = ctx.fn.var("tag")
        property_name = spec["propertyName"]

        def wrap_fallback(fallback: list[Node]) -> list[Node]:
            chain: list[Node] = fallback
            for value, index_text in reversed(list(mapping.items())):
                index = int(index_text)
                fn = self.function_for(pointers[index])
                result = ctx.fn.var("r")
                others = [self.valid(branches[i], pointers[i], var) for i in range(len(branches)) if i != index]
                body: list[Node] = [f"{result}: list[Issue] = []", f"{fn}({var}, {at.code()}, {result})"]
                if keyword == "oneOf" and others:
                    count = ctx.fn.var("n")
                    body.append(f"{count} = " + " + ".join(f"({t})" for t in others))
                    body.append(
                        If(
                            f"not {result}",
                            [
                                If(
                                    f"{count} > 0",
                                    [
                                        self.issue(
                                            at,
                                            "oneOf",
                                            "must match exactly one alternative under 'oneOf', matched more",
                                        )
                                    ],
                                )
                            ],
                            [If(f"{count} != 1", [self.merge(result)])],
                        )
                    )
                elif others:
                    body.append(If(f"{result} and not ({' or '.join(map(wrap, others))})", [self.merge(result)]))
                else:
                    body.append(self.merge(result))
                chain = [If(f"{tag} == {py_str(value)}", body, chain)]
            return [Scope([f"{tag} = {var}.get({py_str(property_name)}) if type({var}) is dict else None"], chain)]

        return wrap_fallback

    def _if_then_else(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        if_pointer = join_pointer(pointer, "if")
        then_nodes: list[Node] = []
        else_nodes: list[Node] = []
        for key, target in (("then", then_nodes), ("else", else_nodes)):
            if key in node:
                sub_pointer = join_pointer(pointer, key)
                if ctx.track is None:
                    target += self.schema(node[key], sub_pointer, var, at, _Ctx(ctx.fn, None, ctx.note))
                else:
                    target += self.in_place(sub_pointer, var, at, ctx)
        if ctx.track is None:
            if not then_nodes and not else_nodes:
                return []
            return [If(self.valid(node["if"], if_pointer, var), then_nodes, else_nodes)]
        fn = self.function_for(if_pointer, annotating=True)
        seen = ctx.fn.var("seen")
        setup, passed = self._annotated_valid(fn, var, seen, ctx)
        return [*setup, If(passed, [f"{ctx.track} |= {seen}", *then_nodes], else_nodes)]

    # ------------------------------------------------------------------ predicates

    def predicate(self, node: JsonValue, pointer: str, var: str) -> str | None:
        """A single expression for simple schemas (no function call needed), else None."""
        if isinstance(node, bool):
            return str(node)
        if not isinstance(node, dict):
            return None
        self._check_keywords(node, pointer)
        text = self._predicate(node, pointer, var)
        return text if text is None or len(text) < 400 else None

    def _predicate(self, node: Mapping[str, JsonValue], pointer: str, var: str) -> str | None:
        relevant = {k for k in node if k not in ANNOTATION_KEYWORDS and not k.startswith("x-")}
        if "x-rules" in node or ("format" in node and self.assert_formats):
            return None
        if not relevant:
            return "True"
        if relevant <= {"enum", "const"}:
            values = node["enum"] if "enum" in node else [node["const"]]
            if "enum" in node and "const" in node:
                return None
            if not isinstance(values, list):
                raise SpecError.at("enum must be a list", pointer=join_pointer(pointer, "enum"))
            return self.in_values(values, var, _hint_for(pointer))
        if node.get("type", "object") == "object" and relevant <= {"type", "required", "properties"}:
            return self._object_predicate(node, pointer, var)
        return self._scalar_predicate(node, pointer, var)

    def _object_predicate(self, node: Mapping[str, JsonValue], pointer: str, var: str) -> str | None:
        parts: list[str] = []
        required = node.get("required", [])
        if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
            return None
        if len(required) == 1:
            parts.append(f"{py_str(required[0])} in {var}")
        elif required:
            names = self.constant("required", _frozenset(list(dict.fromkeys(required))), _hint_for(pointer))
            parts.append(f"{var}.keys() >= {names}")
        properties = node.get("properties", {})
        if not isinstance(properties, dict):
            return None
        for name, sub in properties.items():
            sub_pointer = join_pointer(join_pointer(pointer, "properties"), name)
            test = self.predicate(sub, sub_pointer, f"{var}[{py_str(name)}]")
            if test is None:
                return None
            if test != "True" and name in required:
                parts.append(wrap(test))
            elif test != "True":
                parts.append(f"({py_str(name)} not in {var} or {wrap(test)})")
        inner = conjoin(*parts) if parts else "True"
        if var in self.known_dicts:
            return inner
        if "type" in node:
            return conjoin(f"type({var}) is dict", inner)
        return "True" if inner == "True" else f"type({var}) is not dict or {wrap(inner)}"

    def _scalar_predicate(self, node: Mapping[str, JsonValue], pointer: str, var: str) -> str | None:
        allowed = {"type", "enum", "const", "minLength", "maxLength", "pattern", "minimum", "maximum"}
        allowed |= {"exclusiveMinimum", "exclusiveMaximum"}
        relevant = [k for k in node if k not in ANNOTATION_KEYWORDS and not k.startswith("x-")]
        if "format" in node and self.assert_formats:
            return None
        kind = node.get("type")
        if any(k not in allowed for k in relevant) or kind not in ("string", "integer", "number", "boolean", "null"):
            return None
        parts = [_type_test(str(kind), var)]
        hint = _hint_for(pointer)
        if kind == "string":
            parts += [wrap(negate(c)) for c in self._string_failures(node, pointer, var, hint).values()]
        elif kind in ("integer", "number"):
            parts += [wrap(negate(c)) for c in self._number_failures(node, pointer, var).values()]
        if "enum" in node and isinstance(node["enum"], list):
            parts.append(wrap(self.in_values(node["enum"], var, hint)))
        if "const" in node:
            parts.append(wrap(self.in_values([node["const"]], var, hint)))
        return conjoin(*parts)

    # ------------------------------------------------------------------ type-specific keywords

    def _typed(
        self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx, in_object: Sequence[Node] = ()
    ) -> list[Node]:
        types = self._types(node, pointer)
        groups: list[tuple[str, list[Node]]] = [
            ("object", self._object(node, pointer, var, at, ctx, in_object)),
            ("array", self._array(node, pointer, var, at, ctx)),
            ("string", self._string(node, pointer, var, at, ctx)),
            ("number", self._number(node, pointer, var, at, ctx)),
        ]
        if var in self.known_dicts:  # emitted inside `if type(v) is dict:` already
            object_checks = groups[0][1]
            if types is not None and "object" not in types:
                return [self.issue(at, "type", self._type_message(types, var), dynamic=True), *object_checks]
            return object_checks
        type_issue = self.issue(at, "type", self._type_message(types, var), dynamic=True) if types else ""
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
            branches.append((_type_test(group, var), body + checks))
        rest: list[Node] = []
        if types is not None:
            remaining = [t for t in types if t not in handled]
            if remaining:
                rest = [If(negate(" or ".join(_type_test(t, var) for t in remaining)), [type_issue])]
            else:
                rest = [type_issue]  # none of the branches above matched, and no other type is allowed
        for test, body in reversed(branches):
            chain = [If(test, body, chain or rest)]
            rest = []
        return chain or rest

    def _type_message(self, types: list[str], var: str) -> str:
        """`expected integer, got string`: the messages per actual type are made once, at import."""
        expected = " or ".join(types)
        kinds = {"dict": "object", "list": "array", "str": "string", "int": "integer", "float": "number"}
        kinds |= {"bool": "boolean", "type(None)": "null"}
        allowed = set(types) | ({"integer", "number"} if "number" in types else set())
        entries = ", ".join(
            f"{k}: {py_str(f'expected {expected}, got {v}')}" for k, v in kinds.items() if v not in allowed
        )
        table = self.constant(
            "type_messages", "{" + entries + "}", snake_case("not " + "_or_".join(types)), "dict[type, str]"
        )
        return f"{table}.get(type({var}), {py_str(f'expected {expected}')})"

    def _types(self, node: Mapping[str, JsonValue], pointer: str) -> list[str] | None:
        if "type" not in node:
            return None
        value = node["type"]
        names = value if isinstance(value, list) else [value]
        for index, name in enumerate(names):
            if name not in TYPE_NAMES:
                where = join_pointer(pointer, "type")
                raise SpecError.at(
                    f"unknown type {name!r} (one of {', '.join(TYPE_NAMES)})",
                    pointer=join_pointer(where, index) if isinstance(value, list) else where,
                )
        return [str(n) for n in names]

    def _count(self, node: Mapping[str, JsonValue], key: str, pointer: str) -> int:
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != int(value):
            raise SpecError.at(f"{key} must be a non-negative integer", pointer=join_pointer(pointer, key))
        return int(value)

    def _object(
        self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx, in_object: Sequence[Node] = ()
    ) -> list[Node]:
        """Object keywords; `in_object` (applicators that only concern objects) goes before
        `unevaluatedProperties`, which must see what they evaluated."""
        out: list[Node] = []
        checks: list[Node]
        hint = ctx.fn.hint
        properties = node.get("properties", {})
        if not isinstance(properties, dict):
            raise SpecError.at("properties must be an object", pointer=join_pointer(pointer, "properties"))
        if "required" in node:
            out += self._required(node, pointer, var, at, hint)
        for name, sub in properties.items():
            sub_pointer = join_pointer(join_pointer(pointer, "properties"), name)
            value = ctx.fn.var("x")
            checks = self.schema(sub, sub_pointer, value, at.const(name), _Ctx(ctx.fn, None, ctx.note), member=name)
            # `in` + subscript beats `.get(name, sentinel)`: no method call, and absent members cost one lookup
            out.append(If(f"{py_str(name)} in {var}", [Scope([f"{value} = {var}[{py_str(name)}]"], checks)]))
        needs_names = ctx.track is not None or node.get("additionalProperties", True) is not True
        names = self.constant("properties", _frozenset(list(properties)), hint) if properties and needs_names else None
        if ctx.track is not None and names:
            out.append(f"{ctx.track}.update({var}.keys() & {names})")
        patterns = node.get("patternProperties", {})
        if not isinstance(patterns, dict):
            raise SpecError.at(
                "patternProperties must be an object", pointer=join_pointer(pointer, "patternProperties")
            )
        compiled_patterns: list[str] = []
        if patterns:
            key, value = ctx.fn.var("k"), ctx.fn.var("x")
            loop: list[Node] = []
            for source, sub in patterns.items():
                where = join_pointer(join_pointer(pointer, "patternProperties"), source)
                regex = self.regex(source, where, hint)
                compiled_patterns.append(regex)
                checks = self.schema(sub, where, value, at.key(key), _Ctx(ctx.fn, None, ctx.note))
                if ctx.track is not None:
                    checks = [f"{ctx.track}.add({key})", *checks]
                loop.append(If(f"{regex}.search({key}) is not None", checks))
            out.append(For(f"for {key}, {value} in {var}.items()", loop))
        if "additionalProperties" in node:
            out += self._additional(node, pointer, var, at, ctx, names, compiled_patterns)
        if "propertyNames" in node:
            key = ctx.fn.var("k")
            checks = self.schema(node["propertyNames"], join_pointer(pointer, "propertyNames"), key, at, _Ctx(ctx.fn))
            out.append(For(f"for {key} in {var}", checks))
        if "minProperties" in node:
            limit = self._count(node, "minProperties", pointer)
            out.append(
                If(f"len({var}) < {limit}", [self.issue(at, "minProperties", f"must have at least {limit} members")])
            )
        if "maxProperties" in node:
            limit = self._count(node, "maxProperties", pointer)
            out.append(
                If(f"len({var}) > {limit}", [self.issue(at, "maxProperties", f"must have at most {limit} members")])
            )
        if "dependentRequired" in node:
            out += self._dependent_required(node, pointer, var, at)
        if "dependentSchemas" in node:
            dependent = node["dependentSchemas"]
            if not isinstance(dependent, dict):
                raise SpecError.at(
                    "dependentSchemas must be an object", pointer=join_pointer(pointer, "dependentSchemas")
                )
            for name, sub in dependent.items():
                sub_pointer = join_pointer(join_pointer(pointer, "dependentSchemas"), name)
                if ctx.track is None:
                    checks = self.schema(sub, sub_pointer, var, at, _Ctx(ctx.fn, None, ctx.note))
                else:
                    checks = self.in_place(sub_pointer, var, at, ctx)
                out.append(If(f"{py_str(name)} in {var}", checks))
        if "x-rules" in node:
            out += self._rules(node, pointer, var, at, properties, hint)
        out += in_object
        if "unevaluatedProperties" in node:
            sub = node["unevaluatedProperties"]
            key, value = ctx.fn.var("k"), ctx.fn.var("x")
            assert ctx.track is not None
            if sub is False:
                checks = [self.issue(at, "unevaluatedProperties", f'f"unexpected member {{{key}!r}}"', dynamic=True)]
                out.append(For(f"for {key} in {var}", [If(f"{key} not in {ctx.track}", checks)]))
            else:
                sub_pointer = join_pointer(pointer, "unevaluatedProperties")
                checks = self.schema(sub, sub_pointer, value, at.key(key), _Ctx(ctx.fn))
                out.append(For(f"for {key}, {value} in {var}.items()", [If(f"{key} not in {ctx.track}", checks)]))
            if ctx.track == "seen":
                out.append(f"seen.update({var})")
        return out

    def _required(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, hint: str) -> list[Node]:
        required = node["required"]
        where = join_pointer(pointer, "required")
        if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
            raise SpecError.at("required must be a list of member names", pointer=where)
        names = list(dict.fromkeys(required))
        if not names:
            return []
        if self.boolean:
            return [If(f"not {var}.keys() >= {self.constant('required', _frozenset(names), hint)}", ["return False"])]
        if len(names) <= 3:
            return [
                If(f"{py_str(n)} not in {var}", [self.issue(at, "required", f"missing required member {n!r}")])
                for n in names
            ]
        every = self.constant("required", _frozenset(names), hint)
        # (name, message) pairs in the spec's order: the messages are made once, at import
        pairs = ", ".join(f"({py_str(n)}, {py_str(f'missing required member {n!r}')})" for n in names)
        ordered = self.constant("required_messages", f"({pairs},)", hint)
        return [
            If(
                f"not {var}.keys() >= {every}",
                [
                    For(
                        f"for name, message in {ordered}",
                        [If(f"name not in {var}", [self.issue(at, "required", "message", dynamic=True)])],
                    )
                ],
            )
        ]

    def _dependent_required(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr) -> list[Node]:
        dependent = node["dependentRequired"]
        where = join_pointer(pointer, "dependentRequired")
        if not isinstance(dependent, dict):
            raise SpecError.at("dependentRequired must be an object", pointer=where)
        out: list[Node] = []
        for name, needed in dependent.items():
            if not isinstance(needed, list) or not all(isinstance(n, str) for n in needed):
                raise SpecError.at(
                    "dependentRequired values must be lists of member names", pointer=join_pointer(where, name)
                )
            checks: list[Node] = [
                If(
                    f"{py_str(other)} not in {var}",
                    [self.issue(at, "dependentRequired", f"member {other!r} is required when {name!r} is present")],
                )
                for other in needed
            ]
            out.append(If(f"{py_str(name)} in {var}", checks))
        return out

    def _additional(
        self,
        node: Mapping[str, JsonValue],
        pointer: str,
        var: str,
        at: Ptr,
        ctx: _Ctx,
        names: str | None,
        patterns: list[str],
    ) -> list[Node]:
        sub = node["additionalProperties"]
        key, value = ctx.fn.var("k"), ctx.fn.var("x")
        tests = ([f"{key} not in {names}"] if names else []) + [f"{p}.search({key}) is None" for p in patterns]
        out: list[Node] = []
        if sub is False:
            checks: list[Node] = [
                self.issue(at, "additionalProperties", f'f"unexpected member {{{key}!r}}"', dynamic=True)
            ]
            loop = For(f"for {key} in {var}", [If(conjoin(*tests), checks)] if tests else checks)
            if names and not patterns:
                # the subset test runs in C; the loop (members in input order) only when it fails
                out.append(If(f"not {var}.keys() <= {names}", ["return False"] if self.boolean else [loop]))
            else:
                out.append(loop)
        else:
            sub_pointer = join_pointer(pointer, "additionalProperties")
            checks = self.schema(sub, sub_pointer, value, at.key(key), _Ctx(ctx.fn, None, ctx.note))
            out.append(For(f"for {key}, {value} in {var}.items()", [If(conjoin(*tests), checks)] if tests else checks))
        if ctx.track is not None:
            out.append(f"{ctx.track}.update({var})")
        return out

    def _rules(
        self,
        node: Mapping[str, JsonValue],
        pointer: str,
        var: str,
        at: Ptr,
        properties: Mapping[str, JsonValue],
        hint: str,
    ) -> list[Node]:
        rules = node["x-rules"]
        where = join_pointer(pointer, "x-rules")
        if not isinstance(rules, list):
            raise SpecError.at("x-rules must be a list of rules", pointer=where)
        out: list[Node] = []
        for index, rule in enumerate(rules):
            rule_pointer = join_pointer(where, index)
            compiled = cel.compile_rule(rule, rule_pointer, properties)
            if self.boolean and compiled.severity != "error":
                continue  # a warning never makes the value invalid
            target = at
            for token in compiled.field_path:
                target = target.const(token)
            issue = self.issue(target, f"x-rules/{compiled.rule_id}", compiled.message, compiled.severity)
            if compiled.safe:  # cannot raise: inline it, as a person would
                inline = cel.compile_rule(rule, rule_pointer, properties, self_name=var)
                self.helpers |= inline.helpers
                out.append(If(negate(inline.expression), [issue]))
                continue
            fn = self.rule_functions.get(rule_pointer)
            if fn is None:
                self.helpers |= compiled.helpers
                fn = self._unique_function("_rule_" + snake_case(hint) + "_" + snake_case(compiled.rule_id))
                self.rule_functions[rule_pointer] = fn
                lines = [
                    "try:",
                    f"    return bool({compiled.expression})",
                    f"except {compiled.errors}:",
                    "    return True  # not evaluable on this data: the schema's own checks say why",
                ]
                doc = f"x-rules/{compiled.rule_id}: {compiled.source}"
                self.compiled.append(Function(fn, "(s: dict[str, Any]) -> bool", doc, lines))
            out.append(If(f"not {fn}({var})", [issue]))
        return out

    def _array(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        out: list[Node] = []
        checks: list[Node]
        prefix = node.get("prefixItems", [])
        if not isinstance(prefix, list):
            raise SpecError.at("prefixItems must be a list of schemas", pointer=join_pointer(pointer, "prefixItems"))
        for position, sub in enumerate(prefix):
            sub_pointer = join_pointer(join_pointer(pointer, "prefixItems"), position)
            value = ctx.fn.var("x")
            checks = self.schema(sub, sub_pointer, value, at.const(position), _Ctx(ctx.fn, None, ctx.note))
            out.append(If(f"len({var}) > {position}", [Scope([f"{value} = {var}[{position}]"], checks)]))
        if prefix and ctx.track is not None:
            out.append(f"{ctx.track}.update(range(min(len({var}), {len(prefix)})))")
        if "items" in node:
            sub = node["items"]
            start = len(prefix)
            if sub is False:
                noun = "item" if start == 1 else "items"
                out.append(If(f"len({var}) > {start}", [self.issue(at, "items", f"must have at most {start} {noun}")]))
            else:
                index, value = ctx.fn.var("i"), ctx.fn.var("x")
                checks = self.schema(
                    sub, join_pointer(pointer, "items"), value, at.index(index), _Ctx(ctx.fn, None, ctx.note)
                )
                if start == 0 and self.boolean:
                    out.append(For(f"for {value} in {var}", checks))
                elif start == 0:
                    out.append(For(f"for {index}, {value} in enumerate({var})", checks))
                else:
                    out.append(
                        For(
                            f"for {index} in range({start}, len({var}))", [Scope([f"{value} = {var}[{index}]"], checks)]
                        )
                    )
            if ctx.track is not None:
                out.append(f"{ctx.track}.update(range(len({var})))")
        if "contains" in node:
            out += self._contains(node, pointer, var, at, ctx)
        if "minItems" in node:
            limit = self._count(node, "minItems", pointer)
            out.append(
                If(
                    f"len({var}) < {limit}",
                    [self.issue(at, "minItems", f"must have at least {limit} item{'s' * (limit != 1)}")],
                )
            )
        if "maxItems" in node:
            limit = self._count(node, "maxItems", pointer)
            out.append(
                If(
                    f"len({var}) > {limit}",
                    [self.issue(at, "maxItems", f"must have at most {limit} item{'s' * (limit != 1)}")],
                )
            )
        if node.get("uniqueItems") is True:
            self.helpers.add("unique")
            out.append(If(f"not _unique({var})", [self.issue(at, "uniqueItems", "items must be unique")]))
        if "unevaluatedItems" in node:
            sub = node["unevaluatedItems"]
            assert ctx.track is not None
            index = ctx.fn.var("i")
            if sub is False:
                checks = [self.issue(at, "unevaluatedItems", f'f"unexpected item at index {{{index}}}"', dynamic=True)]
            else:
                value = ctx.fn.var("x")
                sub_pointer = join_pointer(pointer, "unevaluatedItems")
                checks = [
                    Scope(
                        [f"{value} = {var}[{index}]"],
                        self.schema(sub, sub_pointer, value, at.index(index), _Ctx(ctx.fn)),
                    )
                ]
            out.append(For(f"for {index} in range(len({var}))", [If(f"{index} not in {ctx.track}", checks)]))
            if ctx.track == "seen":
                out.append(f"seen.update(range(len({var})))")
        return out

    def _contains(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        sub_pointer = join_pointer(pointer, "contains")
        least = self._count(node, "minContains", pointer) if "minContains" in node else 1
        most = self._count(node, "maxContains", pointer) if "maxContains" in node else None
        if least == 0 and most is None and ctx.track is None:
            return []
        count, index, value = ctx.fn.var("n"), ctx.fn.var("i"), ctx.fn.var("x")
        test = self.valid(node["contains"], sub_pointer, value)
        body: list[Node] = [f"{count} += 1"]
        if ctx.track is not None:
            body.append(f"{ctx.track}.add({index})")
        head = f"for {index}, {value} in enumerate({var})" if ctx.track is not None else f"for {value} in {var}"
        out: list[Node] = [f"{count} = 0", For(head, [If(test, body)])]
        if least > 0:
            out.append(
                If(
                    f"{count} == 0",
                    [self.issue(at, "contains", "must contain an item matching the schema under 'contains'")],
                    [
                        If(
                            f"{count} < {least}",
                            [self.issue(at, "minContains", f"must contain at least {least} matching items")],
                        )
                    ]
                    if least > 1
                    else [],
                )
            )
        if most is not None:
            out.append(
                If(f"{count} > {most}", [self.issue(at, "maxContains", f"must contain at most {most} matching items")])
            )
        return out

    def _string(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        failures = self._string_failures(node, pointer, var, ctx.fn.hint)
        out: list[Node] = []
        for keyword, cond in failures.items():
            out.append(If(cond, [self.issue(at, keyword.split(":")[0], self._string_message(node, keyword))]))
        return out

    def _string_failures(self, node: Mapping[str, JsonValue], pointer: str, var: str, hint: str) -> dict[str, str]:
        failures: dict[str, str] = {}
        if "minLength" in node:
            limit = self._count(node, "minLength", pointer)
            if limit > 0:
                # `== ""`, not `not v`: negated into a predicate, `v` would be a str, not a bool, and a
                # oneOf adds its branches' verdicts up (`"" + False` raised TypeError).
                failures["minLength"] = f"len({var}) < {limit}" if limit > 1 else f'{var} == ""'
        if "maxLength" in node:
            failures["maxLength"] = f"len({var}) > {self._count(node, 'maxLength', pointer)}"
        if "pattern" in node:
            source = node["pattern"]
            if not isinstance(source, str):
                raise SpecError.at("pattern must be a string", pointer=join_pointer(pointer, "pattern"))
            regex = self.regex(source, join_pointer(pointer, "pattern"), hint)
            failures["pattern"] = f"{regex}.search({var}) is None"
        fmt = node.get("format")
        if self.assert_formats and isinstance(fmt, str) and fmt in FORMATS:
            helper = "format_" + fmt.replace("-", "_")
            self.helpers.update((helper, *FORMATS[fmt]))
            failures["format"] = f"not _is_{fmt.replace('-', '_')}({var})"
        elif self.assert_formats and isinstance(fmt, str) and fmt in UNCHECKED_FORMATS:
            raise SpecError.at(
                f"format {fmt!r} cannot be asserted: sdkgen checks {', '.join(FORMATS)}; generate without "
                "--assert-formats to keep formats as annotations",
                pointer=join_pointer(pointer, "format"),
            )
        return failures

    def _string_message(self, node: Mapping[str, JsonValue], keyword: str) -> str:
        if keyword == "minLength":
            limit = int(node["minLength"])
            return "must not be empty" if limit == 1 else f"must be at least {limit} characters long"
        if keyword == "maxLength":
            return f"must be at most {int(node['maxLength'])} characters long"
        if keyword == "pattern":
            return f"must match the pattern {node['pattern']}"
        return f"must be a valid {node['format']}"

    def regex(self, source: str, pointer: str, hint: str) -> str:
        """A module-level compiled regex for an ECMA-262 pattern."""
        try:
            translated = translate(source)
        except PatternError as error:
            raise SpecError.at(f"pattern {source!r}: {error}", pointer=pointer) from None
        self.helpers.add("re")
        return self.constant("pattern", f"re.compile({py_str(translated)}, re.ASCII)", hint)

    def _number(self, node: Mapping[str, JsonValue], pointer: str, var: str, at: Ptr, ctx: _Ctx) -> list[Node]:
        failures = self._number_failures(node, pointer, var)
        messages = {
            "minimum": "must be >= {}",
            "maximum": "must be <= {}",
            "exclusiveMinimum": "must be > {}",
            "exclusiveMaximum": "must be < {}",
            "multipleOf": "must be a multiple of {}",
        }
        return [
            If(cond, [self.issue(at, keyword, messages[keyword].format(_number_text(node[keyword])))])
            for keyword, cond in failures.items()
        ]

    def _number_failures(self, node: Mapping[str, JsonValue], pointer: str, var: str) -> dict[str, str]:
        failures: dict[str, str] = {}
        operators = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}
        for keyword, operator in operators.items():
            if keyword in node:
                limit = node[keyword]
                if isinstance(limit, bool) and keyword.startswith("exclusive"):
                    raise SpecError.at(
                        f"{keyword} must be a number: {boolean_exclusive_hint(keyword)}",
                        pointer=join_pointer(pointer, keyword),
                    )
                if isinstance(limit, bool) or not isinstance(limit, int | float) or not math.isfinite(limit):
                    raise SpecError.at(f"{keyword} must be a number", pointer=join_pointer(pointer, keyword))
                failures[keyword] = f"{var} {operator} {py_value(limit)}"
        if "multipleOf" in node:
            factor = node["multipleOf"]
            if isinstance(factor, bool) or not isinstance(factor, int | float) or not factor > 0:
                raise SpecError.at("multipleOf must be a number > 0", pointer=join_pointer(pointer, "multipleOf"))
            self.helpers.add("multiple")
            if isinstance(factor, int):
                failures["multipleOf"] = (
                    f"(type({var}) is int and {var} % {factor}) "
                    f"or (type({var}) is float and not _multiple({var}, {factor}))"
                )
            else:
                failures["multipleOf"] = f"not _multiple({var}, {py_value(factor)})"
        return failures


# ---------------------------------------------------------------------------- helpers


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
    """A schema that is just a `$ref` (plus annotations): call the target directly."""
    return isinstance(node.get("$ref"), str) and all(
        k == "$ref"
        or (
            k in ANNOTATION_KEYWORDS
            and k
            not in (
                "$id",
                "$schema",
                "x-rules",
                "$anchor",
                "$dynamicAnchor",
                "$defs",
                "definitions",
                "format",
                "discriminator",
            )
        )
        or (k.startswith("x-") and k != "x-rules")
        for k in node
    )


def _type_test(name: str, var: str) -> str:
    return {
        "object": f"type({var}) is dict",
        "array": f"type({var}) is list",
        "string": f"type({var}) is str",
        "number": f"(type({var}) is int or type({var}) is float)",
        "integer": f"(type({var}) is int or (type({var}) is float and {var}.is_integer()))",
        "boolean": f"type({var}) is bool",
        "null": f"{var} is None",
    }[name]


def _number_text(value: JsonValue) -> str:
    return repr(value)


def _frozenset(names: list[str]) -> str:
    return "frozenset({" + ", ".join(py_str(n) for n in names) + "})"


def _entry_doc(schema_name: str) -> str:
    return f"Every issue of `data` against the schema {schema_name}; [] when it is valid (warnings aside)."


def _hint_for(pointer: str) -> str:
    tokens = _pointer_tokens(pointer)
    if not tokens:
        return "root"
    if len(tokens) >= 3 and tokens[:2] == ["components", "schemas"]:
        rest = [t for t in tokens[3:] if not t.isdigit() and t not in ("properties", "items", "$defs", "allOf")]
        return snake_case("_".join([tokens[2], *rest[-2:]])) or "schema"
    meaningful = [t for t in tokens if not t.isdigit()]
    return snake_case("_".join(meaningful[-2:])) or "schema"


def _pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _join_uri(base: str, ref: str) -> str:
    if _URI_SCHEME.match(ref):
        return ref
    if ref.startswith("#"):
        return base.split("#", 1)[0] + ref
    return urljoin(base, ref)
