"""Unicode property escapes: the classes computed at generation, and the header that says from which Unicode."""

from __future__ import annotations

import re
import unicodedata

import pytest

from generator.emit.validators import compile_schemas, properties
from generator.emit.validators.properties import PropertyError, complement, property_ranges

from .support import import_source

HEADER = f"# Unicode property escapes (\\p{{..}}) in patterns: expanded from Unicode {unicodedata.unidata_version}"


def _members(ranges: properties.Ranges) -> set[int]:
    return {code_point for low, high in ranges for code_point in range(low, high + 1)}


def test_general_categories_are_unicodedatas() -> None:
    letters = _members(property_ranges("L"))
    assert letters == _members(property_ranges("Letter"))
    sample = range(0, 0x30000, 7)
    assert {c for c in sample if unicodedata.category(chr(c)).startswith("L")} == letters & set(sample)
    cased = _members(property_ranges("LC"))
    assert {c for c in sample if unicodedata.category(chr(c)) in ("Lu", "Ll", "Lt")} == cased & set(sample)
    assert property_ranges("digit") == property_ranges("Nd") == property_ranges("gc=Decimal_Number")


def test_complement_covers_every_other_code_point() -> None:
    upper = property_ranges("Lu")
    assert _members(upper) | _members(complement(upper)) == set(range(0x110000))
    assert not _members(upper) & _members(complement(upper))


def test_the_shipped_script_table_agrees_with_this_pythons_unicodedata() -> None:
    """Unknown is exactly the unassigned, private-use and surrogate code points (UAX #24)."""
    table = properties._scripts()
    if table is None:
        pytest.skip(f"no Script table for Unicode {unicodedata.unidata_version}")
    unassigned = _members(property_ranges("Cn"))
    assert _members(table[("sc", "Unknown")]) == unassigned | _members(property_ranges("Co")) | _members(
        property_ranges("Cs")
    )
    greek = _members(property_ranges("Script=Greek"))
    assert 0x03A9 in greek and 0x2126 in greek and 0x00B5 not in greek  # OHM SIGN is Greek; MICRO SIGN Common
    assert not greek & unassigned


def test_a_script_escape_under_another_unicode_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(properties, "UNICODE_VERSION", "99.0.0")
    properties._scripts.cache_clear()
    try:
        with pytest.raises(PropertyError, match="run sdkgen under a Python of a shipped version"):
            property_ranges("Script=Greek")
    finally:
        monkeypatch.undo()
        properties._scripts.cache_clear()


def test_the_header_names_the_unicode_version_only_when_a_pattern_uses_properties() -> None:
    with_property = compile_schemas({"pattern": "^\\p{Lu}\\p{Ll}+$"}, [("root", "")])
    assert with_property.startswith(HEADER)
    module = import_source(with_property, "unicode")
    assert module.validate_root("Émile") == []
    assert [i.keyword for i in module.validate_root("émile")] == ["pattern"]
    plain = compile_schemas({"pattern": "^[A-Z]\\\\p$"}, [("root", "")])  # an escaped backslash, then p
    assert "Unicode" not in plain.split('"""', 1)[0]


def test_long_classes_are_split_into_lines_ruff_accepts() -> None:
    source = compile_schemas({"pattern": "^\\p{L}+$"}, [("root", "")])
    assert max(len(line) for line in source.splitlines()) <= 120
    pattern = import_source(source, "letters")
    assert pattern.validate_root("Ωmega") == []
    assert re.search(r"re\.compile\(\(\n", source)
