"""jsonpath-rfc9535: RFC 9535 JSONPath, the query language of OpenAPI Overlay targets.

Overlay targets are evaluated by a library that implements the RFC (and is tested against
its compliance suite), not by a subset of our own: a vendor's overlay written for another
tool must select the same nodes here. What sdkgen relies on, and nothing else does
(tests/adapters/test_jsonpath.py names each assumption): `compile()` raises `JSONPathError`
on a malformed query, with the offending `token.index` when it knows one; a compiled query's
`find()` yields nodes whose `location` is the tuple of member names and array indices of
the normalized path to the node, in document order, and whose `value` is the node itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jsonpath_rfc9535

# The library appends where in the query it stopped ("..., line 1, column 4"); sdkgen says
# where itself (a query is one line of a YAML value).
_WHERE = re.compile(r",? line \d+, column \d+$")


class QueryError(Exception):
    """A query that is not RFC 9535 JSONPath; `offset` counts characters from 0 when known."""

    def __init__(self, message: str, offset: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


Location = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled JSONPath query."""

    text: str
    _compiled: Any

    def find(self, document: Any) -> list[tuple[Location, Any]]:
        """(normalized location, value) of every node the query selects, in document order."""
        return [(tuple(node.location), node.value) for node in self._compiled.find(document)]


def compile_query(text: str) -> Query:
    """`text` compiled; QueryError when it is not a well-formed, well-typed RFC 9535 query."""
    try:
        return Query(text, jsonpath_rfc9535.compile(text))
    except jsonpath_rfc9535.JSONPathError as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        token = getattr(error, "token", None)
        offset = getattr(token, "index", None)
        raise QueryError(_WHERE.sub("", first), offset if isinstance(offset, int) else None) from None
    except RecursionError:
        raise QueryError("the query nests too deeply", None) from None
