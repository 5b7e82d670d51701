"""Keywords for objects: members, their names and counts, dependencies, `x-rules` and
`unevaluatedProperties`.

They run inside the walker's `type(v) is dict` branch, in this table's order; the walker
puts the in-place applicators' checks between them and `unevaluatedProperties`, which must
see what those evaluated.
"""

from __future__ import annotations

from generator.diagnostics import SpecError
from generator.emit.validators import cel
from generator.emit.validators.codetree import For, If, Node, Scope, conjoin, negate, wrap
from generator.emit.validators.keywords.base import Ctx, Keyword, Site
from generator.emit.validators.literals import py_frozenset, py_str
from generator.emit.validators.messages import unexpected_member
from generator.emit.validators.model import Function
from generator.ir.names import snake_case
from generator.spec.pointers import join_pointer


def _missing(name: str) -> str:
    return f"missing required member {name!r}"


def _required_names(s: Site) -> list[str]:
    required = s.node["required"]
    if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
        raise SpecError.at("required must be a list of member names", pointer=s.where("required"))
    return list(dict.fromkeys(required))


# Up to this many names, one `in` per name beats `v.keys() >= {...}` (a method call and a view
# compared against a set): measured 34 vs 98 ns for two names, 70 vs 131 ns for five.
_LOOKUPS_PER_NAME = 8


def _required(s: Site) -> list[Node]:
    # members `properties` declares are reported by its walk (the `else` of its lookup: no cost
    # on valid data), so this checks the others
    declared = _property_schemas(s)
    names = [n for n in _required_names(s) if n not in declared]
    var = s.var
    if not names:
        return []
    if s.emitter.boolean:
        return [If(negate(_all_present(s, names)), ["return False"])]
    if len(names) <= _LOOKUPS_PER_NAME:
        return [If(f"{py_str(n)} not in {var}", [s.issue("required", _missing(n))]) for n in names]
    # (name, message) pairs in the spec's order: the messages are made once, at import
    pairs = ", ".join(f"({py_str(n)}, {py_str(_missing(n))})" for n in names)
    ordered = s.emitter.constant("required_messages", f"({pairs},)", s.hint)
    report = For(
        f"for name, message in {ordered}", [If(f"name not in {var}", [s.issue("required", "message", dynamic=True)])]
    )
    return [If(negate(_all_present(s, names)), [report])]


def _all_present(s: Site, names: list[str]) -> str:
    """The condition that every one of `names` is a member of the object."""
    if len(names) <= _LOOKUPS_PER_NAME:
        return " and ".join(f"{py_str(n)} in {s.var}" for n in names)
    return f"{s.var}.keys() >= {s.emitter.constant('required', py_frozenset(names), s.hint)}"


def _required_expression(s: Site) -> list[str] | None:
    required = s.node["required"]
    if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
        return None
    return [_all_present(s, list(dict.fromkeys(required)))] if required else []


def _property_schemas(s: Site) -> dict[str, object]:
    """The `properties` keyword's members and their schemas ({} when the schema has none)."""
    if "properties" not in s.node:
        return {}
    properties = s.node["properties"]
    if not isinstance(properties, dict):
        raise SpecError.at("properties must be an object", pointer=s.where("properties"))
    return properties


def _properties(s: Site) -> list[Node]:
    properties = _property_schemas(s)
    required = set(_required_names(s)) if "required" in s.node else set()
    out: list[Node] = []
    for name, sub in properties.items():
        sub_pointer = join_pointer(s.where("properties"), name)
        value = s.fresh("x")
        checks = s.emitter.schema(sub, sub_pointer, value, s.at.const(name), s.ctx.apart(), member=name)
        # a required member's absence is the `else` of the lookup the walk makes anyway
        missing: list[Node] = [s.issue("required", _missing(name))] if name in required else []
        # `in` + subscript beats `.get(name, sentinel)`: no method call, and absent members cost one lookup
        out.append(If(f"{py_str(name)} in {s.var}", [Scope([f"{value} = {s.var}[{py_str(name)}]"], checks)], missing))
    names = _declared(s)
    if s.ctx.track is not None and names:
        out.append(f"{s.ctx.track}.update({s.var}.keys() & {names})")
    return out


def _declared(s: Site) -> str | None:
    """The constant naming the `properties` members, when something needs it: the tracked
    annotations, or `additionalProperties` (which checks the other members)."""
    properties = s.node.get("properties", {})
    needed = s.ctx.track is not None or s.node.get("additionalProperties", True) is not True
    return s.emitter.constant("properties", py_frozenset(list(properties)), s.hint) if properties and needed else None


def _properties_expression(s: Site) -> list[str] | None:
    properties = s.node["properties"]
    if not isinstance(properties, dict):
        return None
    required = s.node.get("required", [])
    parts: list[str] = []
    for name, sub in properties.items():
        sub_pointer = join_pointer(s.where("properties"), name)
        test = s.emitter.predicate(sub, sub_pointer, f"{s.var}[{py_str(name)}]")
        if test is None:
            return None
        if test != "True" and name in required:
            parts.append(wrap(test))
        elif test != "True":
            parts.append(f"({py_str(name)} not in {s.var} or {wrap(test)})")
    return parts


def _patterns(s: Site) -> dict[str, object]:
    patterns = s.node.get("patternProperties", {})
    if not isinstance(patterns, dict):
        raise SpecError.at("patternProperties must be an object", pointer=s.where("patternProperties"))
    return patterns


def _pattern_regexes(s: Site) -> list[str]:
    """The compiled `patternProperties` regexes (constants, made once)."""
    where = s.where("patternProperties")
    return [s.emitter.regex(source, join_pointer(where, source), s.hint) for source in _patterns(s)]


def _pattern_properties(s: Site) -> list[Node]:
    patterns = _patterns(s)
    if not patterns:
        return []
    key, value = s.fresh("k"), s.fresh("x")
    loop: list[Node] = []
    for source, sub in patterns.items():
        where = join_pointer(s.where("patternProperties"), source)
        regex = s.emitter.regex(source, where, s.hint)
        checks = s.emitter.schema(sub, where, value, s.at.key(key), s.ctx.apart())
        if s.ctx.track is not None:
            checks = [f"{s.ctx.track}.add({key})", *checks]
        loop.append(If(f"{regex}.search({key}) is not None", checks))
    return [For(f"for {key}, {value} in {s.var}.items()", loop)]


def _additional_properties(s: Site) -> list[Node]:
    sub = s.node["additionalProperties"]
    names, patterns = _declared(s), _pattern_regexes(s)
    key, value = s.fresh("k"), s.fresh("x")
    var = s.var
    tests = ([f"{key} not in {names}"] if names else []) + [f"{p}.search({key}) is None" for p in patterns]
    out: list[Node] = []
    if sub is False:
        checks: list[Node] = [s.issue("additionalProperties", unexpected_member(key), dynamic=True)]
        loop = For(f"for {key} in {var}", [If(conjoin(*tests), checks)] if tests else checks)
        if names and not patterns:
            # the subset test runs in C (a set's issuperset of the dict: cheaper than comparing
            # its keys view); the loop (members in input order) only when it fails
            out.append(If(f"not {names}.issuperset({var})", ["return False"] if s.emitter.boolean else [loop]))
        else:
            out.append(loop)
    else:
        checks = s.emitter.schema(sub, s.where("additionalProperties"), value, s.at.key(key), s.ctx.apart())
        out.append(For(f"for {key}, {value} in {var}.items()", [If(conjoin(*tests), checks)] if tests else checks))
    if s.ctx.track is not None:
        out.append(f"{s.ctx.track}.update({var})")
    return out


def _property_names(s: Site) -> list[Node]:
    key = s.fresh("k")
    checks = s.emitter.schema(s.node["propertyNames"], s.where("propertyNames"), key, s.at, Ctx(s.ctx.fn))
    return [For(f"for {key} in {s.var}", checks)]


def _dependent_message(other: str, name: str) -> str:
    return f"member {other!r} is required when {name!r} is present"


def _dependent_required(s: Site) -> list[Node]:
    dependent = s.node["dependentRequired"]
    where = s.where("dependentRequired")
    if not isinstance(dependent, dict):
        raise SpecError.at("dependentRequired must be an object", pointer=where)
    out: list[Node] = []
    for name, needed in dependent.items():
        if not isinstance(needed, list) or not all(isinstance(n, str) for n in needed):
            raise SpecError.at(
                "dependentRequired values must be lists of member names", pointer=join_pointer(where, name)
            )
        checks: list[Node] = [
            If(f"{py_str(other)} not in {s.var}", [s.issue("dependentRequired", _dependent_message(other, name))])
            for other in needed
        ]
        out.append(If(f"{py_str(name)} in {s.var}", checks))
    return out


def _dependent_schemas(s: Site) -> list[Node]:
    dependent = s.node["dependentSchemas"]
    if not isinstance(dependent, dict):
        raise SpecError.at("dependentSchemas must be an object", pointer=s.where("dependentSchemas"))
    out: list[Node] = []
    for name, sub in dependent.items():
        sub_pointer = join_pointer(s.where("dependentSchemas"), name)
        if s.ctx.track is None:
            checks = s.emitter.schema(sub, sub_pointer, s.var, s.at, s.ctx.apart())
        else:
            checks = s.emitter.in_place(sub_pointer, s.var, s.at, s.ctx)
        out.append(If(f"{py_str(name)} in {s.var}", checks))
    return out


def _rules(s: Site) -> list[Node]:
    """`x-rules`: CEL expressions (see cel.py). One that cannot raise is inlined; others get a
    function that treats an evaluation error as "not this rule's business"."""
    rules = s.node["x-rules"]
    where = s.where("x-rules")
    if not isinstance(rules, list):
        raise SpecError.at("x-rules must be a list of rules", pointer=where)
    properties = s.node.get("properties", {})
    plan = s.emitter.plan
    out: list[Node] = []
    for index, rule in enumerate(rules):
        rule_pointer = join_pointer(where, index)
        compiled = cel.compile_rule(rule, rule_pointer, properties)
        if s.emitter.boolean and compiled.severity != "error":
            continue  # a warning never makes the value invalid
        target = s.at
        for token in compiled.field_path:
            target = target.const(token)
        issue = s.issue(f"x-rules/{compiled.rule_id}", compiled.message, compiled.severity, at=target)
        statements = cel.rule_statements(compiled, properties, s.var, s.fresh, [issue])
        if statements is not None:
            nodes, helpers = statements
            plan.helpers |= helpers
            out.extend(nodes)
            continue
        if compiled.safe:  # cannot raise: inline it, as a person would
            inline = cel.compile_rule(rule, rule_pointer, properties, self_name=s.var)
            plan.helpers |= inline.helpers
            out.append(If(negate(inline.expression), [issue]))
            continue
        fn = plan.rule_functions.get(rule_pointer)
        if fn is None:
            plan.helpers |= compiled.helpers
            fn = plan.unique_function("_rule_" + snake_case(s.hint) + "_" + snake_case(compiled.rule_id))
            plan.rule_functions[rule_pointer] = fn
            lines = [
                "try:",
                f"    return bool({compiled.expression})",
                f"except {compiled.errors}:",
                "    return True  # not evaluable on this data: the schema's own checks say why",
            ]
            doc = f"x-rules/{compiled.rule_id}: {compiled.source}"
            plan.compiled.append(Function(fn, "(s: dict[str, Any]) -> bool", doc, lines))
        out.append(If(f"not {fn}({s.var})", [issue]))
    return out


def _unevaluated_properties(s: Site) -> list[Node]:
    sub = s.node["unevaluatedProperties"]
    key, value = s.fresh("k"), s.fresh("x")
    track, var = s.ctx.track, s.var
    assert track is not None  # the walker tracks evaluated members wherever this keyword is
    out: list[Node] = []
    checks: list[Node]
    if sub is False:
        checks = [s.issue("unevaluatedProperties", unexpected_member(key), dynamic=True)]
        out.append(For(f"for {key} in {var}", [If(f"{key} not in {track}", checks)]))
    else:
        sub_pointer = s.where("unevaluatedProperties")
        checks = s.emitter.schema(sub, sub_pointer, value, s.at.key(key), Ctx(s.ctx.fn))
        out.append(For(f"for {key}, {value} in {var}.items()", [If(f"{key} not in {track}", checks)]))
    if track == "seen":
        out.append(f"seen.update({var})")
    return out


KEYWORDS = (
    Keyword(
        "required",
        "assertion",
        "object",
        emit=_required,
        message=_missing,
        predicate=True,
        expression=_required_expression,
    ),
    Keyword("properties", "applicator", "object", emit=_properties, predicate=True, expression=_properties_expression),
    Keyword("patternProperties", "applicator", "object", emit=_pattern_properties),
    Keyword("additionalProperties", "applicator", "object", emit=_additional_properties, message=unexpected_member),
    Keyword("propertyNames", "applicator", "object", emit=_property_names),
    Keyword(
        "minProperties",
        "assertion",
        "object",
        fails=lambda s: f"len({s.var}) < {s.count('minProperties')}",
        message=lambda s: f"must have at least {s.count('minProperties')} members",
    ),
    Keyword(
        "maxProperties",
        "assertion",
        "object",
        fails=lambda s: f"len({s.var}) > {s.count('maxProperties')}",
        message=lambda s: f"must have at most {s.count('maxProperties')} members",
    ),
    Keyword("dependentRequired", "assertion", "object", emit=_dependent_required, message=_dependent_message),
    Keyword("dependentSchemas", "applicator", "object", emit=_dependent_schemas),
    Keyword("x-rules", "extension", "object", emit=_rules),
    Keyword("unevaluatedProperties", "unevaluated", "object", emit=_unevaluated_properties, message=unexpected_member),
)
