"""Which schemas become functions, what they are called, and what the module shares.

A schema gets a function of its own when something applies it by reference (a `$ref`
target, a branch whose verdict matters on its own, a schema feeding
`unevaluatedProperties`); everything else is inlined into its parent. A function exists in
up to three modes: collecting issues, collecting issues and the names (or indexes) it
evaluated ("annotating"), or a bare `-> bool` verdict. Constants (compiled regexes, sets of
names, message tables) are shared when equal. A public validator whose schema function
nothing else calls holds the checks itself.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator.diagnostics import SpecError
from generator.emit.validators.model import Constant, Entry, Function
from generator.emit.validators.references import Bindings, pointer_tokens
from generator.emit.validators.requests import CHECKS_ROOT
from generator.ir.names import snake_case

_CALL = re.compile(r"\b(\w+)\(")


@dataclass
class Plan:
    constants: dict[tuple[str, str], Constant] = field(default_factory=dict)
    constant_names: set[str] = field(default_factory=set)
    # (pointer, mode, dynamic scope) -> name
    functions: dict[tuple[str, str, Bindings], str] = field(default_factory=dict)
    function_names: set[str] = field(default_factory=set)
    queue: list[tuple[str, str, str, Bindings]] = field(default_factory=list)  # (pointer, mode, name, scope) to compile
    # The dynamic scope ($dynamicAnchor bindings) where code is being emitted: a function is
    # compiled once per scope it is called in, so every `$dynamicRef` resolves at generation.
    scope: Bindings = ()
    compiled: list[Function] = field(default_factory=list)
    rule_functions: dict[str, str] = field(default_factory=dict)  # x-rules rule pointer -> function
    helpers: set[str] = field(default_factory=set)  # runtime helpers (and imports) the module needs
    edges: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # in-place applications
    hints: dict[str, str] = field(default_factory=dict)  # pointer -> name stem, where the pointer says little

    def function_for(
        self, pointer: str, *, annotating: bool = False, boolean: bool = False, hint: str | None = None
    ) -> str:
        """The function compiled for a schema: issues (default), issues + annotations, or a bare verdict."""
        mode = "annotating" if annotating else ("boolean" if boolean else "issues")
        known = self.functions.get((pointer, mode, self.scope))
        if known is not None:
            return known
        base = hint or self.hint(pointer)
        prefix = "_is_" if boolean else "_check_"
        name = self.unique_function(prefix + base + ("_annotated" if annotating else ""))
        self.functions[(pointer, mode, self.scope)] = name
        self.queue.append((pointer, mode, name, self.scope))
        return name

    def hint(self, pointer: str) -> str:
        """The stem of names made for the schema at `pointer`: the one given for it, else `hint_for`."""
        return self.hints.get(pointer) or hint_for(pointer)

    def unique_function(self, name: str) -> str:
        candidate, counter = name, 2
        while candidate in self.function_names:
            candidate = f"{name}_{counter}"
            counter += 1
        self.function_names.add(candidate)
        return candidate

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

    def applies_in_place(self, source: str, target: str, ref_at: str) -> None:
        """Record that the schema at `source` applies `target` to its own value (not to a member or item)."""
        self.edges.setdefault(source, []).append((target, ref_at))

    def check_cycles(self) -> None:
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

    def inline_entries(
        self, public: list[Entry], body_of: Callable[[Entry], list[str]], drain: Callable[[], None]
    ) -> None:
        """Give each public validator whose schema function nothing else calls the checks
        themselves (`body_of`, compiled for the document root, so pointers are literals):
        one function, as a person writes it."""
        # (Counted in place: a Counter's `+=` and `-=` scan every name each time, for each entry.)
        counts = calls(line for fn in self.compiled for line in fn.lines)
        counts.update(calls(line for other in public for line in other.lines or ()))
        targets = collections.Counter(entry.target for entry in public)
        for entry in public:
            if counts[entry.target] > 0 or targets[entry.target] > 1:
                continue
            new = len(self.compiled)  # what is compiled from here on (`x-rules` functions too)
            entry.lines = body_of(entry)
            removed = [fn for fn in self.compiled if fn.name == entry.target]
            if removed:
                new -= sum(1 for fn in self.compiled[:new] if fn.name == entry.target)
                self.compiled = [fn for fn in self.compiled if fn.name != entry.target]
            for fn in removed:
                for name, count in calls(fn.lines).items():
                    counts[name] -= count
                    if counts[name] <= 0:
                        del counts[name]
            counts.update(calls(entry.lines))
            drain()  # nothing new is expected: every function it calls exists already
            counts.update(calls(line for fn in self.compiled[new:] for line in fn.lines))


def calls(lines: Iterable[str]) -> collections.Counter[str]:
    """How often each name is called in these lines of code."""
    found: collections.Counter[str] = collections.Counter()
    for line in lines:
        found.update(_CALL.findall(line))
    return found


def hint_for(pointer: str) -> str:
    """A readable stem for names made for the schema at `pointer` (its component, its last members)."""
    tokens = pointer_tokens(pointer)
    if pointer and not pointer.startswith("/"):  # in another document: named after its file
        stem = pointer.partition("#")[0].rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
        meaningful = [t for t in tokens if not t.isdigit()]
        return snake_case("_".join([stem, *meaningful[-2:]])) or "schema"
    if not tokens:
        return "root"
    named = 2 if tokens[:2] == ["components", "schemas"] else 1 if tokens[0] == CHECKS_ROOT else None
    if named is not None and len(tokens) > named:
        skipped = ("properties", "items", "$defs", "allOf")
        rest = [t for t in tokens[named + 1 :] if not t.isdigit() and t not in skipped]
        return snake_case("_".join([tokens[named], *rest[-2:]])) or "schema"
    meaningful = [t for t in tokens if not t.isdigit()]
    return snake_case("_".join(meaningful[-2:])) or "schema"
