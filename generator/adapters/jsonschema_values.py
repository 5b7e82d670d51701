"""jsonschema at the edge: is a value (a `default`, an example) an instance of a schema of the spec?

sdkgen checks values the spec itself holds against the schema beside them, with `$ref`s
resolved in the bundled document. A value that passes must also be one the generated models
accept: datamodel-code-generator gives some string formats a Python type (`format: uri` is
pydantic's `AnyUrl`, `date` a `datetime.date`, ...), and the models validate such a default
when they are instantiated. So those formats are asserted here, each by the pydantic type it
becomes (`MODEL_FORMATS`; tests/adapters/test_jsonschema_values.py checks the table against
datamodel-code-generator's output), and every other format stays an annotation, as JSON
Schema says.
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from pydantic import AnyUrl, AwareDatetime, NaiveDatetime, TypeAdapter

# Formats whose model type is not `str`, and that type (what a value must convert to).
MODEL_FORMATS: dict[str, Any] = {
    "date": datetime.date,
    "date-time": AwareDatetime,
    "date-time-local": NaiveDatetime,
    "time": datetime.time,
    "duration": datetime.timedelta,
    "uuid": uuid.UUID,
    "uri": AnyUrl,
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
    "decimal": decimal.Decimal,
}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, kind in MODEL_FORMATS.items():
        adapter: TypeAdapter[Any] = TypeAdapter(kind)

        def check(value: object, adapter: TypeAdapter[Any] = adapter) -> bool:
            if not isinstance(value, str):
                return True  # a format constrains strings only
            try:
                adapter.validate_python(value)
            except ValueError:
                return False
            return True

        checker.checks(name)(check)
    return checker


class ValueChecker:
    """Checks values against schemas of one (bundled, 2020-12) document."""

    def __init__(self, document: Any) -> None:
        # Rooted at the document, so `#/components/...` resolves from any schema in it.
        self._root = Draft202012Validator(document if isinstance(document, dict) else {}, format_checker=_CHECKER)

    def problem(self, schema: Any, value: Any) -> str | None:
        """Why `value` is not an instance of `schema` (the most telling reason), or None when it is."""
        if not isinstance(schema, dict | bool):
            return None
        try:
            errors = list(self._root.evolve(schema=schema).iter_errors(value))
        except Exception as error:  # an unresolvable $ref, a malformed keyword: reported elsewhere
            return None if not isinstance(error, ValidationError) else error.message
        if not errors:
            return None
        worst = best_match(errors)
        where = "".join(f"/{token}" for token in worst.absolute_path)
        return f"{worst.message} (at {where})" if where else worst.message


_CHECKER = _format_checker()
