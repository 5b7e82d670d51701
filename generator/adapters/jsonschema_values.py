"""jsonschema at the edge: is a value (a `default`, an example) an instance of a schema of the spec?

sdkgen checks values the spec itself holds against the schema beside them, with `$ref`s
resolved in the bundled document. `format` is an annotation here, as JSON Schema 2020-12 says
and as the models read it (they type every format as the JSON it annotates: a `uri` default is
the string the spec wrote).
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match


class ValueChecker:
    """Checks values against schemas of one (bundled, 2020-12) document."""

    def __init__(self, document: Any) -> None:
        # Rooted at the document, so `#/components/...` resolves from any schema in it.
        self._root = Draft202012Validator(document if isinstance(document, dict) else {})

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
