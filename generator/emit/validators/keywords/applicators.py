"""Keywords that apply subschemas to the value itself: `$ref`, `$dynamicRef`, `allOf`, `anyOf`, `oneOf`,
`not`, `if`/`then`/`else`, and OpenAPI's `discriminator`, which `anyOf`/`oneOf` consult.

Where a branch's verdict matters on its own (anyOf, oneOf, not, if) it is asked through
`Emitter.valid`: an inline expression when simple, else a `-> bool` twin. When the value's
evaluated members or items are tracked (for `unevaluated*`), branches run through their
annotating functions instead, and only a passing branch's annotations count.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.diagnostics import SpecError
from generator.emit.validators.codetree import If, Node, Scope, conjoin, negate, wrap
from generator.emit.validators.keywords.base import Keyword, Site
from generator.emit.validators.literals import py_str
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
    if s.ctx.track is None:
        dispatched = _discriminated(s, "anyOf", pointers)
        tests = [negate(s.emitter.valid(s.node["anyOf"][i], p, s.var)) for i, p in enumerate(pointers)]
        fallback: list[Node] = [If(conjoin(*(wrap(t) for t in tests)), [s.issue("anyOf", message)])]
        return dispatched(fallback) if dispatched else fallback
    count = s.fresh("n")
    out: list[Node] = [f"{count} = 0"]
    for sub_pointer in pointers:
        fn = s.emitter.plan.function_for(sub_pointer, annotating=True)
        seen = s.fresh("seen")
        setup, passed = s.emitter.annotated_valid(fn, s.var, seen, s.ctx)
        out += setup
        out.append(If(passed, [f"{count} += 1", f"{s.ctx.track} |= {seen}"]))
    out.append(If(f"{count} == 0", [s.issue("anyOf", message)]))
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
    report = If(f"{count} != 1", [s.issue("oneOf", message, dynamic=True)])
    if s.ctx.track is None:
        tests = [s.emitter.valid(s.node["oneOf"][i], p, s.var) for i, p in enumerate(pointers)]
        fallback: list[Node] = [f"{count} = " + " + ".join(f"({t})" for t in tests), report]
        if len(pointers) == 1:
            fallback = [If(negate(tests[0]), [s.issue("oneOf", _ONE_OF_SINGLE)])]
        dispatched = _discriminated(s, "oneOf", pointers)
        return dispatched(fallback) if dispatched else fallback
    matched = s.fresh("seen")
    out: list[Node] = [f"{count} = 0", f"{matched}: set[Any] = set()"]
    for sub_pointer in pointers:
        fn = s.emitter.plan.function_for(sub_pointer, annotating=True)
        seen = s.fresh("seen")
        setup, passed = s.emitter.annotated_valid(fn, s.var, seen, s.ctx)
        out += setup
        out.append(If(passed, [f"{count} += 1", f"{matched} |= {seen}"]))
    out.append(If(f"{count} == 1", [f"{s.ctx.track} |= {matched}"], [report]))
    return out


def _discriminated(s: Site, keyword: str, pointers: list[str]) -> Callable[[list[Node]], list[Node]] | None:
    """OpenAPI `discriminator`: try the branch the property names first; the verdict
    stays the JSON Schema one (other branches are consulted when it matters)."""
    spec = s.node.get("discriminator")
    if spec is None or s.emitter.boolean:
        return None
    where = s.where("discriminator")
    if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
        raise SpecError.at("discriminator needs a propertyName", pointer=where)
    resolve = s.emitter.references.resolve
    mapping: dict[str, str] = {}
    branches = s.node[keyword]
    by_target: dict[str, int] = {}
    for index, sub in enumerate(branches):
        if isinstance(sub, dict) and isinstance(sub.get("$ref"), str):
            target = resolve(sub["$ref"], pointers[index])
            by_target[target] = index
            mapping.setdefault(target.rsplit("/", 1)[-1], str(index))
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
        mapping[value] = str(by_target[target])
    tag = s.fresh("tag")
    property_name = spec["propertyName"]
    var = s.var

    def wrap_fallback(fallback: list[Node]) -> list[Node]:
        chain: list[Node] = fallback
        for value, index_text in reversed(list(mapping.items())):
            index = int(index_text)
            fn = s.emitter.plan.function_for(pointers[index])
            result = s.fresh("r")
            others = [s.emitter.valid(branches[i], pointers[i], var) for i in range(len(branches)) if i != index]
            body: list[Node] = [f"{result}: list[Issue] = []", f"{fn}({var}, {s.at.code()}, {result})"]
            if keyword == "oneOf" and others:
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
        return [Scope([f"{tag} = {var}.get({py_str(property_name)}) if type({var}) is dict else None"], chain)]

    return wrap_fallback


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
    Keyword("discriminator", "hint"),
)
