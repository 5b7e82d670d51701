"""Unicode property escapes (`\\p{..}`, `\\P{..}`) -> the code point ranges they stand for.

Python's `re` has no property escapes, so the compiler expands each into an explicit
character class at generation. General categories (`L`, `Letter`, `Lu`, `digit`, ...) and
the binary properties `Any`, `ASCII` and `Assigned` come from the running Python's
`unicodedata`; `Script=`/`Script_Extensions=` (which `unicodedata` lacks) from the Unicode
Character Database table shipped in `unicode/`, used only when its Unicode version is the
running Python's, so a class never mixes two versions. Names follow ECMA-262's tables
(case-sensitive, long names and short aliases); anything else is a `PatternError`, which
the compiler reports located at the pattern.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

Ranges = tuple[tuple[int, int], ...]

UNICODE_VERSION = unicodedata.unidata_version
MAX_CODE_POINT = 0x10FFFF
SCRIPTS_DIR = Path(__file__).resolve().parent / "unicode"

# ECMA-262 "Value aliases and canonical values for General_Category": every name -> its
# one- or two-letter value; a one-letter value covers the two-letter ones it starts.
_CATEGORY_NAMES = {
    "Cased_Letter": "LC",
    "Close_Punctuation": "Pe",
    "Connector_Punctuation": "Pc",
    "Control": "Cc",
    "cntrl": "Cc",
    "Currency_Symbol": "Sc",
    "Dash_Punctuation": "Pd",
    "Decimal_Number": "Nd",
    "digit": "Nd",
    "Enclosing_Mark": "Me",
    "Final_Punctuation": "Pf",
    "Format": "Cf",
    "Initial_Punctuation": "Pi",
    "Letter": "L",
    "Letter_Number": "Nl",
    "Line_Separator": "Zl",
    "Lowercase_Letter": "Ll",
    "Mark": "M",
    "Combining_Mark": "M",
    "Math_Symbol": "Sm",
    "Modifier_Letter": "Lm",
    "Modifier_Symbol": "Sk",
    "Nonspacing_Mark": "Mn",
    "Number": "N",
    "Open_Punctuation": "Ps",
    "Other": "C",
    "Other_Letter": "Lo",
    "Other_Number": "No",
    "Other_Punctuation": "Po",
    "Other_Symbol": "So",
    "Paragraph_Separator": "Zp",
    "Private_Use": "Co",
    "Punctuation": "P",
    "punct": "P",
    "Separator": "Z",
    "Space_Separator": "Zs",
    "Spacing_Mark": "Mc",
    "Surrogate": "Cs",
    "Symbol": "S",
    "Titlecase_Letter": "Lt",
    "Unassigned": "Cn",
    "Uppercase_Letter": "Lu",
}
# The 30 two-letter values (every one has a long name above); LC and the one-letter values group them.
_TWO_LETTER = frozenset(v for v in _CATEGORY_NAMES.values() if len(v) == 2 and v != "LC")
_CATEGORY_VALUES = {**{v: v for v in _TWO_LETTER}, **{v: v for v in ("L", "M", "N", "P", "S", "Z", "C", "LC")}}
_BINARY = ("Any", "ASCII", "Assigned")


class PropertyError(ValueError):
    """A property escape this module cannot expand (unknown, or not computable here)."""


def property_ranges(body: str) -> Ranges:
    """The code points `\\p{body}` matches, as sorted inclusive ranges."""
    name, sep, value = body.partition("=")
    if sep:
        if name in ("General_Category", "gc"):
            return _category(value, body)
        if name in ("Script", "sc", "Script_Extensions", "scx"):
            return _script("sc" if name in ("Script", "sc") else "scx", value, body)
        raise PropertyError(f"\\p{{{body}}}: unknown property {name!r} (General_Category, Script, Script_Extensions)")
    if name in _BINARY:
        return {"Any": ((0, MAX_CODE_POINT),), "ASCII": ((0, 0x7F),), "Assigned": complement(_category("Cn", body))}[
            name
        ]
    if name in _CATEGORY_NAMES or name in _CATEGORY_VALUES:
        return _category(name, body)
    raise PropertyError(
        f"\\p{{{body}}}: property {name!r} is not a general category, and Python's unicodedata "
        f"(Unicode {UNICODE_VERSION}) cannot compute it; sdkgen expands general categories, "
        "Script=, Script_Extensions=, Any, ASCII and Assigned"
    )


def complement(ranges: Ranges) -> Ranges:
    """Every code point not in `ranges`."""
    out: list[tuple[int, int]] = []
    start = 0
    for low, high in ranges:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


def _category(value: str, body: str) -> Ranges:
    code = _CATEGORY_NAMES.get(value, _CATEGORY_VALUES.get(value))
    if code is None:
        raise PropertyError(f"\\p{{{body}}}: {value!r} is not a General_Category value")
    table = _categories()
    if code == "LC":
        return _union(table["Lu"], table["Ll"], table["Lt"])
    if len(code) == 1:
        return _union(*(ranges for two, ranges in table.items() if two[0] == code))
    return table[code]


@functools.cache
def _categories() -> dict[str, Ranges]:
    """Every two-letter general category -> its ranges, from `unicodedata` (one pass, ~0.3 s)."""
    found: dict[str, list[tuple[int, int]]] = {}
    current, start = unicodedata.category(chr(0)), 0
    for code_point in range(1, MAX_CODE_POINT + 2):
        category = unicodedata.category(chr(code_point)) if code_point <= MAX_CODE_POINT else ""
        if category != current:
            found.setdefault(current, []).append((start, code_point - 1))
            current, start = category, code_point
    return {category: tuple(ranges) for category, ranges in found.items()}


def _union(*sets: Ranges) -> Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(r for ranges in sets for r in ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _script(kind: str, value: str, body: str) -> Ranges:
    table = _scripts()
    if table is None:
        shipped = ", ".join(sorted(p.stem.removeprefix("scripts-") for p in SCRIPTS_DIR.glob("scripts-*.txt")))
        raise PropertyError(
            f"\\p{{{body}}}: sdkgen ships the Script property for Unicode {shipped}, but this Python's "
            f"unicodedata is Unicode {UNICODE_VERSION}: run sdkgen under a Python of a shipped version"
        )
    ranges = table.get((kind, value))
    if ranges is None:
        raise PropertyError(f"\\p{{{body}}}: {value!r} is not a Unicode {UNICODE_VERSION} script")
    return ranges


@functools.cache
def _scripts() -> dict[tuple[str, str], Ranges] | None:
    """(sc or scx, script name or code) -> ranges, from the table of this Python's Unicode version."""
    path = SCRIPTS_DIR / f"scripts-{UNICODE_VERSION}.txt"
    if not path.is_file():
        return None
    table: dict[tuple[str, str], Ranges] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line.startswith(("#", "unicode ")) or not line.strip():
            continue
        kind, code, name, *spans = line.split(" ")
        ranges = tuple(_span(span) for span in spans)
        table[(kind, code)] = table[(kind, name)] = ranges
    return table


def _span(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low, 16), int(high or low, 16)


def class_body(ranges: Ranges) -> str:
    """`ranges` as the inside of a Python `re` character class."""
    return "".join(_char(low) if low == high else f"{_char(low)}-{_char(high)}" for low, high in ranges)


def _char(code_point: int) -> str:
    char = chr(code_point)
    if char.isascii() and char.isalnum():
        return char
    if code_point <= 0xFF:
        return f"\\x{code_point:02x}"
    if code_point <= 0xFFFF:
        return f"\\u{code_point:04x}"
    return f"\\U{code_point:08x}"
