"""Keywords for arrays: items by position and the rest, `contains` with its bounds, sizes,
uniqueness, and `unevaluatedItems`."""

from __future__ import annotations

from generator.diagnostics import SpecError
from generator.emit.validators.codetree import For, If, Node, Scope
from generator.emit.validators.keywords.base import Ctx, Keyword, Site
from generator.emit.validators.messages import plural
from generator.spec.pointers import join_pointer


def _prefix(s: Site) -> list[object]:
    prefix = s.node.get("prefixItems", [])
    if not isinstance(prefix, list):
        raise SpecError.at("prefixItems must be a list of schemas", pointer=s.where("prefixItems"))
    return prefix


def _prefix_items(s: Site) -> list[Node]:
    prefix = _prefix(s)
    out: list[Node] = []
    for position, sub in enumerate(prefix):
        sub_pointer = join_pointer(s.where("prefixItems"), position)
        value = s.fresh("x")
        checks = s.emitter.schema(sub, sub_pointer, value, s.at.const(position), s.ctx.apart())
        out.append(If(f"len({s.var}) > {position}", [Scope([f"{value} = {s.var}[{position}]"], checks)]))
    if prefix and s.ctx.track is not None:
        out.append(f"{s.ctx.track}.update(range(min(len({s.var}), {len(prefix)})))")
    return out


def _at_most(count: int) -> str:
    return f"must have at most {plural(count, 'item')}"


def _items(s: Site) -> list[Node]:
    """The items after `prefixItems` (all of them, without it)."""
    sub = s.node["items"]
    start = len(_prefix(s))
    var = s.var
    out: list[Node] = []
    if sub is False:
        out.append(If(f"len({var}) > {start}", [s.issue("items", _at_most(start))]))
    else:
        index, value = s.fresh("i"), s.fresh("x")
        checks = s.emitter.schema(sub, s.where("items"), value, s.at.index(index), s.ctx.apart())
        if start == 0 and s.emitter.boolean:
            out.append(For(f"for {value} in {var}", checks))
        elif start == 0:
            out.append(For(f"for {index}, {value} in enumerate({var})", checks))
        else:
            out.append(
                For(f"for {index} in range({start}, len({var}))", [Scope([f"{value} = {var}[{index}]"], checks)])
            )
    if s.ctx.track is not None:
        out.append(f"{s.ctx.track}.update(range(len({var})))")
    return out


def _min_contains(s: Site) -> str:
    return f"must contain at least {s.count('minContains')} matching items"


def _max_contains(s: Site) -> str:
    return f"must contain at most {s.count('maxContains')} matching items"


def _no_match(s: Site) -> str:
    return "must contain an item matching the schema under 'contains'"


def _contains(s: Site) -> list[Node]:
    """`contains`, bounded by `minContains` (default 1) and `maxContains`."""
    least = s.count("minContains") if "minContains" in s.node else 1
    most = s.count("maxContains") if "maxContains" in s.node else None
    if least == 0 and most is None and s.ctx.track is None:
        return []
    count, index, value = s.fresh("n"), s.fresh("i"), s.fresh("x")
    test = s.emitter.valid(s.node["contains"], s.where("contains"), value)
    body: list[Node] = [f"{count} += 1"]
    if s.ctx.track is not None:
        body.append(f"{s.ctx.track}.add({index})")
    head = f"for {index}, {value} in enumerate({s.var})" if s.ctx.track is not None else f"for {value} in {s.var}"
    out: list[Node] = [f"{count} = 0", For(head, [If(test, body)])]
    if least > 0:
        fewer: list[Node] = [If(f"{count} < {least}", [s.issue("minContains", _min_contains(s))])] if least > 1 else []
        out.append(If(f"{count} == 0", [s.issue("contains", _no_match(s))], fewer))
    if most is not None:
        out.append(If(f"{count} > {most}", [s.issue("maxContains", _max_contains(s))]))
    return out


def _unique_items(s: Site) -> str | None:
    if s.node["uniqueItems"] is not True:
        return None
    s.emitter.plan.helpers.add("unique")
    return f"not _unique({s.var})"


def _unevaluated_items(s: Site) -> list[Node]:
    sub = s.node["unevaluatedItems"]
    track, var = s.ctx.track, s.var
    assert track is not None  # the walker tracks evaluated items wherever this keyword is
    index = s.fresh("i")
    checks: list[Node]
    if sub is False:
        checks = [s.issue("unevaluatedItems", f'f"unexpected item at index {{{index}}}"', dynamic=True)]
    else:
        value = s.fresh("x")
        nested = s.emitter.schema(sub, s.where("unevaluatedItems"), value, s.at.index(index), Ctx(s.ctx.fn))
        checks = [Scope([f"{value} = {var}[{index}]"], nested)]
    out: list[Node] = [For(f"for {index} in range(len({var}))", [If(f"{index} not in {track}", checks)])]
    if track == "seen":
        out.append(f"seen.update(range(len({var})))")
    return out


KEYWORDS = (
    Keyword("prefixItems", "applicator", "array", emit=_prefix_items),
    Keyword("items", "applicator", "array", emit=_items, message=_at_most),
    Keyword("contains", "applicator", "array", emit=_contains, message=_no_match),
    Keyword("minContains", "assertion", "array", message=_min_contains, owner="contains"),
    Keyword("maxContains", "assertion", "array", message=_max_contains, owner="contains"),
    Keyword(
        "minItems",
        "assertion",
        "array",
        fails=lambda s: f"len({s.var}) < {s.count('minItems')}",
        message=lambda s: f"must have at least {plural(s.count('minItems'), 'item')}",
    ),
    Keyword(
        "maxItems",
        "assertion",
        "array",
        fails=lambda s: f"len({s.var}) > {s.count('maxItems')}",
        message=lambda s: _at_most(s.count("maxItems")),
    ),
    Keyword("uniqueItems", "assertion", "array", fails=_unique_items, message=lambda s: "items must be unique"),
    Keyword("unevaluatedItems", "unevaluated", "array", emit=_unevaluated_items),
)
