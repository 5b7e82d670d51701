"""The keyword table: every JSON Schema keyword sdkgen knows, one entry each.

An entry (`base.Keyword`) holds the keyword's kind, the instance type it checks, its check,
whether it can serve in a single-expression verdict, and its message. The table's order is
the order checks are emitted in: keywords for any value, then in-place applicators, then
each type's keywords. Everything the compiler needs to know about keywords as a set (which
are known, which make a value invalid, which apply in place) is derived from the table here.

Adding a keyword means adding one entry to the module of the type it checks (one condition
and a message, or an `emit` function beside it).

Example entry (keywords/scalars.py):

    Keyword(
        "maxLength",
        "assertion",
        "string",
        fails=lambda s: f"len({s.var}) > {s.count('maxLength')}",
        message=lambda s: f"must be at most {s.count('maxLength')} characters long",
        predicate=True,
    )
"""

from __future__ import annotations

from generator.emit.validators.keywords import applicators, arrays, metadata, objects, scalars, values
from generator.emit.validators.keywords.base import GROUPS, Group, Keyword

TABLE: tuple[Keyword, ...] = (
    *values.KEYWORDS,
    *applicators.KEYWORDS,
    *objects.KEYWORDS,
    *arrays.KEYWORDS,
    *scalars.STRING_KEYWORDS,
    *scalars.NUMBER_KEYWORDS,
    *metadata.KEYWORDS,
)
KEYWORDS: dict[str, Keyword] = {keyword.name: keyword for keyword in TABLE}
assert len(KEYWORDS) == len(TABLE), "a keyword has two entries"

# Keywords that can make a value invalid: JSON Schema's assertions and applicators.
ASSERTION_KEYWORDS = frozenset(k.name for k in TABLE if k.checking)
# Checked for a value of any type, before the applicators (enum, const).
VALUE_CHECKS = tuple(k for k in TABLE if k.applies_to is None and k.kind == "assertion" and k.has_check)
# Applicators applying subschemas to the value itself ($ref, allOf, ..., if), in emission order.
IN_PLACE = tuple(k for k in TABLE if k.applies_to is None and k.kind == "applicator" and k.has_check)
# The same, with the keywords they own (then, else): what `type: object` may stand beside.
IN_PLACE_AND_OWNED = tuple(
    k.name for k in TABLE if k in IN_PLACE or (k.owner is not None and KEYWORDS[k.owner] in IN_PLACE)
)
# Keywords that read what the applicators evaluated: where they are, evaluated members or items are tracked.
UNEVALUATED = tuple(k.name for k in TABLE if k.kind == "unevaluated")
# Each type's keywords, in emission order.
BY_GROUP: dict[Group, tuple[Keyword, ...]] = {g: tuple(k for k in TABLE if k.applies_to == g) for g in GROUPS}

# Keywords of other drafts or features sdkgen refuses, with what to write instead.
REFUSED = {
    "$recursiveRef": "$recursiveRef (draft 2019-09) is not supported: use $ref",
    "dependencies": "`dependencies` is not a 2020-12 keyword: use dependentRequired or dependentSchemas",
    "additionalItems": "`additionalItems` is not a 2020-12 keyword: use prefixItems and items",
    "nullable": "`nullable` is OpenAPI 3.0: in 3.1 write type: [..., 'null']",
}

__all__ = [
    "ASSERTION_KEYWORDS",
    "BY_GROUP",
    "IN_PLACE",
    "IN_PLACE_AND_OWNED",
    "KEYWORDS",
    "REFUSED",
    "TABLE",
    "UNEVALUATED",
    "VALUE_CHECKS",
    "Keyword",
]
