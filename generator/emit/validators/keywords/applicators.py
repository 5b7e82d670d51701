"""Keywords that apply subschemas to the value itself: `$ref`, `$dynamicRef`, `allOf`, `anyOf`, `oneOf`,
`not`, `if`/`then`/`else`, and OpenAPI's `discriminator`, which `anyOf`/`oneOf` consult.

A discriminator speeds up and sharpens the reporting, never the verdict: the branch its
value names is checked first (its issues are the ones reported), and when the alternatives
fail for an object whose discriminator member is missing or names none of them, the one
issue reported is at that member, naming it, its value and the values allowed.

Where a branch's verdict matters on its own (anyOf, oneOf, not, if) it is asked through
`Emitter.valid`: an inline expression when simple, else a `-> bool` twin. When the value's
evaluated members or items are tracked (for `unevaluated*`), branches run through their
annotating functions instead, and only a passing branch's annotations count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.diagnostics import SpecError
from generator.emit.validators.codetree import If, Node, Scope, conjoin, negate, wrap
from generator.emit.validators.keywords.base import Keyword, Site
from generator.emit.validators.literals import py_frozenset, py_str
from generator.emit.validators.messages import one_of_values
from generator.spec.pointers import escape_token, join_pointer


def _ref(s: Site) -> list[Node]:
    ref = s.node["$ref"]
    if not isinstance(ref, str):
        raise SpecError.at("$ref must be a string", pointer=s.where("$ref"))
    target = s.emitter.references.resolve(ref, s.pointer)
    return s.emitter.in_place(target, s.var, s.at, s.ctx, ref_at=s.where("$ref"))


def _dynamic_ref(s: Site) -> list[Node]:
    """`$dynamicRef`: its target in the dynamic scope this code is emitted in (see `references`)."""
    ref = s.node["$dynamicRef"]
    if not isinstance(ref, str):
        raise SpecError.at("$dynamicRef must be a string", pointer=s.where("$dynamicRef"))
    target = s.emitter.references.resolve_dynamic(ref, s.pointer, s.emitter.plan.scope)
    return s.emitter.in_place(target, s.var, s.at, s.ctx, ref_at=s.where("$dynamicRef"))


def _all_of(s: Site) -> list[Node]:
    out: list[Node] = []
    for index, sub_pointer in enumerate(s.schema_list("allOf")):
        sub = s.node["allOf"][index]
        if s.ctx.track is None:
            out += s.emitter.schema(sub, sub_pointer, s.var, s.at, s.ctx.apart())
        else:
            out += s.emitter.in_place(sub_pointer, s.var, s.at, s.ctx)
    return out


def _any_of_message(alternatives: int) -> str:
    return f"must match at least one of the {alternatives} alternatives under 'anyOf'"


def _any_of(s: Site) -> list[Node]:
    pointers = s.schema_list("anyOf")
    message = _any_of_message(len(pointers))
    discriminator = _discriminator(s, "anyOf", pointers)
    if s.ctx.track is None:
        tests = [negate(s.emitter.valid(s.node["anyOf"][i], p, s.var)) for i, p in enumerate(pointers)]
        report = _report(s, discriminator, s.issue("anyOf", message), dispatched=True)
        if discriminator is None:
            report = _tolerating(s, pointers, report)
        fallback: list[Node] = [If(conjoin(*(wrap(t) for t in tests)), report)]
        return _dispatch(s, discriminator, fallback) if discriminator else fallback
    count = s.fresh("n")
    out: list[Node] = [f"{count} = 0"]
    for sub_pointer in pointers:
        fn = s.emitter.plan.function_for(sub_pointer, annotating=True)
        seen = s.fresh("seen")
        setup, passed = s.emitter.annotated_valid(fn, s.var, seen, s.ctx)
        out += setup
        out.append(If(passed, [f"{count} += 1", f"{s.ctx.track} |= {seen}"]))
    out.append(If(f"{count} == 0", _report(s, discriminator, s.issue("anyOf", message), dispatched=False)))
    return out


def _one_of_message(alternatives: int, matched: str) -> str:
    """`matched`: how many branches matched, as the message's code spells it (an f-string field)."""
    return f"must match exactly one of the {alternatives} alternatives under 'oneOf', matched {matched}"


_ONE_OF_SINGLE = "must match the schema under 'oneOf'"  # a oneOf of one branch
_ONE_OF_MORE = "must match exactly one alternative under 'oneOf', matched more"  # the discriminated branch and others


def _one_of(s: Site) -> list[Node]:
    pointers = s.schema_list("oneOf")
    count = s.fresh("n")
    message = 'f"' + _one_of_message(len(pointers), f"{{{count}}}") + '"'
    generic = s.issue("oneOf", message, dynamic=True)
    discriminator = _discriminator(s, "oneOf", pointers)
    if s.ctx.track is None:
        tests = [s.emitter.valid(s.node["oneOf"][i], p, s.var) for i, p in enumerate(pointers)]
        failed = _report(s, discriminator, generic, dispatched=True)
        if discriminator is None:
            failed = [If(f"{count} == 0", _tolerating(s, pointers, failed), failed)]
        report = If(f"{count} != 1", failed)
        fallback: list[Node] = [f"{count} = " + " + ".join(f"({t})" for t in tests), report]
        if len(pointers) == 1:
            single = _report(s, discriminator, s.issue("oneOf", _ONE_OF_SINGLE), dispatched=True)
            if discriminator is None:
                single = _tolerating(s, pointers, single)
            fallback = [If(negate(tests[0]), single)]
        return _dispatch(s, discriminator, fallback) if discriminator else fallback
    matched = s.fresh("seen")
    out: list[Node] = [f"{count} = 0", f"{matched}: set[Any] = set()"]
    for sub_pointer in pointers:
        fn = s.emitter.plan.function_for(sub_pointer, annotating=True)
        seen = s.fresh("seen")
        setup, passed = s.emitter.annotated_valid(fn, s.var, seen, s.ctx)
        out += setup
        out.append(If(passed, [f"{count} += 1", f"{matched} |= {seen}"]))
    failed = _report(s, discriminator, generic, dispatched=False)
    out.append(If(f"{count} == 1", [f"{s.ctx.track} |= {matched}"], failed))
    return out


def _tolerating(s: Site, pointers: list[str], failed: list[Node]) -> list[Node]:
    """When no alternative matches: the issues of the one alternative that fails only by an enum
    value or a member the spec does not list (`_tolerated`), else `failed`.

    The verdict stays JSON Schema's (those issues are errors); what changes is what is
    reported: the enum value or the member, not the `anyOf`/`oneOf`, so a client that takes an
    API's additions in its responses (an enum value added in one branch) can tell them from a
    value that matches no branch, and pick that branch. Without a discriminator only (one picks
    the branch itself), and not in a `-> bool` function, where only the verdict counts.
    """
    if s.emitter.boolean:
        return failed
    s.emitter.plan.helpers.add("tolerated")
    results: list[str] = []
    body: list[Node] = []
    for pointer in pointers:
        result = s.fresh("r")
        results.append(result)
        body += [
            f"{result}: list[Issue] = []",
            f"{s.emitter.plan.function_for(pointer)}({s.var}, {s.at.code()}, {result})",
        ]
    kept = s.fresh("t")
    body.append(f"{kept} = _tolerated({', '.join(results)})")
    return [*body, If(f"{kept} is not None", [s.emitter.merge(kept)], failed)]


@dataclass(frozen=True)
class _Discriminator:
    """OpenAPI's `discriminator` of an anyOf/oneOf: which branch each value of the member names."""

    keyword: str  # anyOf or oneOf
    property_name: str
    branches: dict[str, int]  # every value that names a branch (explicit and implicit) -> its index
    allowed: tuple[str, ...]  # the values a message lists: the mapping's, then the unmapped branches' names


def _discriminator(s: Site, keyword: str, pointers: list[str]) -> _Discriminator | None:
    """The `discriminator` beside this anyOf/oneOf, when it has one that names a branch
    (refused when malformed); None in a `-> bool` function, where only the verdict counts."""
    spec = s.node.get("discriminator")
    if spec is None or s.emitter.boolean:
        return None
    where = s.where("discriminator")
    if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
        raise SpecError.at("discriminator needs a propertyName", pointer=where)
    resolve = s.emitter.references.resolve
    branches: dict[str, int] = {}
    by_target: dict[str, int] = {}
    implicit: dict[int, str] = {}
    for index, sub in enumerate(s.node[keyword]):
        if isinstance(sub, dict) and isinstance(sub.get("$ref"), str):
            target = resolve(sub["$ref"], pointers[index])
            by_target[target] = index
            name = target.rsplit("/", 1)[-1]
            if name not in branches:
                branches[name] = index
                implicit[index] = name
    explicit = spec.get("mapping", {})
    if not isinstance(explicit, dict):
        raise SpecError.at("discriminator mapping must be an object", pointer=join_pointer(where, "mapping"))
    for value, ref in explicit.items():
        ref_text = str(ref) if str(ref).startswith("#") else "#/components/schemas/" + escape_token(str(ref))
        target = resolve(ref_text, s.pointer)
        if target not in by_target:
            raise SpecError.at(
                f"discriminator mapping {value!r} names a schema that is not one of the {keyword} branches",
                pointer=join_pointer(join_pointer(where, "mapping"), value),
            )
        branches[value] = by_target[target]
    if not branches:
        return None
    mapped = {branches[value] for value in explicit}
    allowed = (*explicit, *(name for index, name in implicit.items() if index not in mapped))
    return _Discriminator(keyword, spec["propertyName"], branches, tuple(dict.fromkeys(allowed)))


def _dispatch(s: Site, d: _Discriminator, fallback: list[Node]) -> list[Node]:
    """Check the branch the discriminator names first; the verdict stays JSON Schema's (other
    branches are consulted where it matters). Any other value goes to `fallback`."""
    tag = s.fresh("tag")
    var = s.var
    branches = s.node[d.keyword]
    pointers = s.schema_list(d.keyword)
    chain: list[Node] = fallback
    for value, index in reversed(list(d.branches.items())):
        fn = s.emitter.plan.function_for(pointers[index])
        result = s.fresh("r")
        others = [s.emitter.valid(branches[i], pointers[i], var) for i in range(len(branches)) if i != index]
        body: list[Node] = [f"{result}: list[Issue] = []", f"{fn}({var}, {s.at.code()}, {result})"]
        if d.keyword == "oneOf" and others:
            count = s.fresh("n")
            body.append(f"{count} = " + " + ".join(f"({t})" for t in others))
            more: list[Node] = [s.issue("oneOf", _ONE_OF_MORE)]
            body.append(
                If(f"not {result}", [If(f"{count} > 0", more)], [If(f"{count} != 1", [s.emitter.merge(result)])])
            )
        elif others:
            body.append(If(f"{result} and not ({' or '.join(map(wrap, others))})", [s.emitter.merge(result)]))
        else:
            body.append(s.emitter.merge(result))
        chain = [If(f"{tag} == {py_str(value)}", body, chain)]
    return [Scope([f"{tag} = {var}.get({py_str(d.property_name)}) if type({var}) is dict else None"], chain)]


def _report(s: Site, d: _Discriminator | None, generic: str, *, dispatched: bool) -> list[Node]:
    """The issue when the alternatives fail: for an object whose discriminator member is missing
    or names no alternative, one issue at that member (at the object when missing), naming
    the member, its value and the allowed ones; else `generic`, the anyOf/oneOf one.

    `dispatched`: reached only for values the discriminator names no branch for (`_dispatch`).
    """
    if d is None:
        return [generic]
    var, name = s.var, py_str(d.property_name)
    missing = s.issue("discriminator", _discriminator_message(d.property_name, d.allowed, present=False))
    s.emitter.plan.helpers.add("json_text")
    text = py_str(_discriminator_message(d.property_name, d.allowed, present=True))
    member = s.at.const(d.property_name)
    unknown = s.issue("discriminator", f"{text} + _json_text({var}[{name}])", dynamic=True, at=member)
    applies = "True" if var in s.emitter.known_dicts else f"type({var}) is dict"
    if not dispatched:
        known = s.emitter.constant("discriminator_values", py_frozenset(list(d.branches)), s.hint)
        applies = conjoin(applies, f"(type({var}.get({name})) is not str or {var}[{name}] not in {known})")
    return [If(applies, [If(f"{name} in {var}", [unknown], [missing])], [generic])]


def _discriminator_message(property_name: str, allowed: Sequence[str], *, present: bool) -> str:
    """A discriminator member that names no alternative. When `present`, the text ends where
    the member's value (as JSON, known only at run time) follows."""
    values = one_of_values(list(allowed))
    if not present:
        return f"missing discriminator member {property_name!r} (one of {values})"
    return f"discriminator member {property_name!r} must be one of {values}, got "


def _if_then_else(s: Site) -> list[Node]:
    if_pointer = s.where("if")
    then_nodes: list[Node] = []
    else_nodes: list[Node] = []
    for key, target in (("then", then_nodes), ("else", else_nodes)):
        if key in s.node:
            sub_pointer = s.where(key)
            if s.ctx.track is None:
                target += s.emitter.schema(s.node[key], sub_pointer, s.var, s.at, s.ctx.apart())
            else:
                target += s.emitter.in_place(sub_pointer, s.var, s.at, s.ctx)
    if s.ctx.track is None:
        if not then_nodes and not else_nodes:
            return []
        return [If(s.emitter.valid(s.node["if"], if_pointer, s.var), then_nodes, else_nodes)]
    fn = s.emitter.plan.function_for(if_pointer, annotating=True)
    seen = s.fresh("seen")
    setup, passed = s.emitter.annotated_valid(fn, s.var, seen, s.ctx)
    return [*setup, If(passed, [f"{s.ctx.track} |= {seen}", *then_nodes], else_nodes)]


KEYWORDS = (
    Keyword("$ref", "applicator", emit=_ref),
    Keyword("$dynamicRef", "applicator", emit=_dynamic_ref),
    Keyword("allOf", "applicator", emit=_all_of),
    Keyword("anyOf", "applicator", emit=_any_of, message=_any_of_message),
    Keyword("oneOf", "applicator", emit=_one_of, message=_one_of_message),
    Keyword(
        "not",
        "applicator",
        fails=lambda s: s.emitter.valid(s.node["not"], s.where("not"), s.var),
        message=lambda s: "must not match the schema under 'not'",
    ),
    Keyword("if", "applicator", emit=_if_then_else),
    Keyword("then", "applicator", owner="if"),
    Keyword("else", "applicator", owner="if"),
    Keyword("discriminator", "hint", message=_discriminator_message),
)
