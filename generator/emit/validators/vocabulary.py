"""Which keywords a schema may use: the ones the validators can check, `x-` extensions, and nothing else.

The compiler refuses a schema it cannot check as it compiles it, one refusal per function;
this module states the rule once, for one schema node (`problems`), and applies it to every
schema the package depends on (`refusals`), parameter schemas included (they are not
compiled), so that a run reports every such keyword, each at its own line, located at the
keyword's name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from generator.diagnostics import Diagnostic
from generator.emit.validators.keywords import KEYWORDS, REFUSED
from generator.emit.validators.literals import JsonValue
from generator.spec.pointers import join_pointer
from generator.spec.schema_tree import schema_nodes


def problems(node: Mapping[str, JsonValue], pointer: str) -> list[Diagnostic]:
    """Every keyword of one schema node (not its subschemas) that sdkgen cannot check."""
    found: list[Diagnostic] = []
    for key in node:
        if key in KEYWORDS or key.startswith("x-"):
            continue
        hint = REFUSED.get(key)
        if hint is None:
            close = difflib.get_close_matches(key, sorted(KEYWORDS), n=1)
            hint = (
                f"unknown JSON Schema keyword {key!r}: "
                + (f"did you mean {close[0]!r}? " if close else "")
                + "sdkgen refuses keywords it cannot check (prefix extensions with x-)"
            )
        found.append(Diagnostic(hint, pointer=join_pointer(pointer, key), key=True))
    schema_uri = node.get("$schema")
    if schema_uri is not None and not isinstance(schema_uri, str):
        found.append(Diagnostic("$schema must be a URI", pointer=join_pointer(pointer, "$schema")))
    return found


def refusals(schemas: Iterable[tuple[JsonValue, str]]) -> list[Diagnostic]:
    """Every keyword sdkgen cannot check in these schemas and the schemas inside them."""
    return [found for root in schemas for node, at in schema_nodes(*root) for found in problems(node, at)]
