"""Python values of arguments in their wire form: what a parameter typed `Status | Literal[...]`,
`datetime | str`, `date | str` or `UUID | str` is sent as.

The spec describes strings on the wire; the client also takes the Python types those strings
stand for, and turns them into the strings the spec describes before they are checked and sent:
an enum member into its value, a datetime into RFC 3339 (`2025-01-15T09:30:00+00:00`), a date
into `2025-01-15`, a UUID into its canonical text. Anything else is passed as it is.
"""

from __future__ import annotations

import datetime
import uuid
from enum import Enum


def wire_value(value: object) -> object:
    """The value as the spec describes it on the wire (lists item by item)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [wire_value(item) for item in value]
    return value
