"""What a check of the caller's arguments reports: the package's compiled validators, for
bodies and parameters alike, and the few problems the runtime finds itself (a body that is
not JSON). Errors stop the request with `RequestValidationError`; warnings are logged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import IssueLike

Validator = Callable[[Any], Sequence[IssueLike]]
"""A compiled check: the issues it finds in JSON data (warnings included), none when it is valid."""


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with an argument, shaped like the validators' issues.

    `location` says where the value travels: "path", "query", "header" or "cookie" for a
    parameter (its `pointer` then starts with the parameter's wire name), "server" for a
    server variable, "" for a body.
    """

    pointer: str
    keyword: str
    message: str
    severity: str = "error"
    location: str = ""
