"""Python values of parameters in their wire form (generator/runtime/_runtime/parameters.py):
an Enum member, a datetime, a date or a UUID is checked and sent as the string the spec describes."""

from __future__ import annotations

import datetime
import uuid
from enum import Enum, IntEnum, StrEnum

import pytest

from generator.runtime._runtime.parameters import json_value, path_segment, to_text


class Status(StrEnum):
    OPEN = "open"


class Level(IntEnum):
    ONE = 1


class Plain(Enum):
    A = "a"


AT = datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)
ID = uuid.UUID("3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21")


@pytest.mark.parametrize(
    ("value", "data", "text"),
    [
        (Status.OPEN, "open", "open"),
        (Level.ONE, 1, "1"),
        (Plain.A, "a", "a"),
        (AT, "2025-01-15T09:30:00+00:00", "2025-01-15T09:30:00+00:00"),
        (datetime.date(2025, 1, 15), "2025-01-15", "2025-01-15"),
        (ID, str(ID), str(ID)),
    ],
)
def test_python_values_are_checked_and_sent_as_the_spec_describes(value: object, data: object, text: str) -> None:
    assert json_value(value) == data and type(json_value(value)) is type(data)
    assert to_text(value) == text


def test_lists_of_them_too() -> None:
    assert json_value([Status.OPEN, AT]) == ["open", "2025-01-15T09:30:00+00:00"]
    assert path_segment(ID) == str(ID)
