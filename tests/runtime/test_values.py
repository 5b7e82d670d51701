"""Python values of arguments in their wire form (generator/runtime/_runtime/values.py)."""

from __future__ import annotations

import datetime
import uuid
from enum import Enum, IntEnum, StrEnum

import pytest

from generator.runtime._runtime.values import wire_value


class Status(StrEnum):
    OPEN = "open"


class Level(IntEnum):
    ONE = 1


class Plain(Enum):
    A = "a"


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (Status.OPEN, "open"),
        (Level.ONE, 1),
        (Plain.A, "a"),
        (datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC), "2025-01-15T09:30:00+00:00"),
        (datetime.date(2025, 1, 15), "2025-01-15"),
        (uuid.UUID("3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21"), "3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21"),
        ([Status.OPEN, "done"], ["open", "done"]),
        ("as is", "as is"),
        (None, None),
    ],
)
def test_wire_value(value: object, wire: object) -> None:
    assert wire_value(value) == wire
    assert type(wire_value(value)) is type(wire)
