"""Checked JSON into the package's Python types, and the models' marker for members that may be
left out but not be null.

What a schema's JSON becomes is a model class, the Enum class of an enum schema, or, for a
`oneOf`/`anyOf` of models, a type alias of their union (`Shape = TypeAliasType("Shape",
Circle | Square)`): the value is then the `Circle` or the `Square` itself, with no root model
around it. An alias has no `model_validate`: it is read through a pydantic `TypeAdapter`, built
once per alias (building one compiles a validator, too slow for every response).

`NotNull` sits on the model fields of members that are optional but not nullable: such a field
is typed `X | None` (None when the member is absent, so reading it stays simple), and the
marker refuses an explicit None where a value is given, so `TodoUpdate(title=None)` fails when
it is made, not only when it is sent. Leaving the member out still works, and such a member
never appears in `model_dump(exclude_unset=True)`.
"""

from __future__ import annotations

import inspect
from enum import Enum
from typing import Any, cast

from pydantic import BaseModel, BeforeValidator, TypeAdapter

# pydantic 2.12 added `extra=` to validation: a closed model can then keep unknown members too.
VALIDATE_TAKES_EXTRA = "extra" in inspect.signature(BaseModel.model_validate).parameters
ADAPTER_TAKES_EXTRA = "extra" in inspect.signature(TypeAdapter.validate_python).parameters

_ADAPTERS: dict[object, TypeAdapter[Any]] = {}


def type_name(target: object) -> str:
    """The name a message gives a model class, an Enum class or a type alias."""
    name = getattr(target, "__name__", None)
    return name if isinstance(name, str) else repr(target)


def adapter(target: object) -> TypeAdapter[Any]:
    """The `TypeAdapter` of a type that is not a model class (a union alias), made on first use."""
    found = _ADAPTERS.get(target)
    if found is None:
        found = _ADAPTERS.setdefault(target, TypeAdapter(cast(Any, target)))
    return found


def validate_as(target: object, data: Any, *, keep_unknown: bool = False) -> Any:
    """`data` (JSON the schema's validator let through) as `target`'s Python value.

    A value an Enum does not list stays as it is. `keep_unknown`: closed models keep members
    the spec does not list as well (pydantic 2.12 or later). Raises pydantic's ValidationError.
    """
    if isinstance(target, type) and issubclass(target, Enum):
        try:
            return target(data)
        except ValueError:
            return data
    if isinstance(target, type) and issubclass(target, BaseModel):
        if keep_unknown and VALIDATE_TAKES_EXTRA:
            return target.model_validate(data, extra="allow")
        # What model_validate calls, without its argument handling: most responses take this path.
        return target.__pydantic_validator__.validate_python(data)
    checker = adapter(target)
    if keep_unknown and ADAPTER_TAKES_EXTRA:
        return checker.validate_python(data, extra="allow")
    return checker.validate_python(data)


NOT_NULL_MESSAGE = "may be omitted, but not null: leave it out instead of passing None"


def _refuse_null(value: object) -> object:
    if value is None:  # pydantic reports it as "Value error, <message>" at the field
        raise ValueError(NOT_NULL_MESSAGE)
    return value


NotNull = BeforeValidator(_refuse_null)
"""`Annotated[X | None, NotNull] = None`: a member that may be left out, but is never null."""
