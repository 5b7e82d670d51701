"""ECMA-262 regular expressions (JSON Schema's `pattern`) -> Python `re` syntax.

Python's `re` reads several ECMA constructs differently: `\\d` and `\\w` match non-ASCII
digits and letters, `$` matches before a trailing newline, `.` matches `\\r`, and `\\s`
covers a slightly different set. Each is rewritten to an explicit class here; what has
no faithful translation (`\\D`/`\\W`/`\\S` inside a class, a property Python's
`unicodedata` cannot compute, identity escapes of letters, Python-only syntax) is refused,
never guessed. Unicode property escapes become explicit classes (`properties.py`).
The translated pattern is compiled with `re.ASCII` so that `\\b` uses ASCII word
characters, as ECMA does.
"""

from __future__ import annotations

import re

from generator.emit.validators.properties import PropertyError, class_body, complement, property_ranges

_ECMA_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASS_ESCAPES = {"d": "0-9", "w": "a-zA-Z0-9_", "s": _ECMA_SPACE}
_OUTSIDE_ESCAPES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[a-zA-Z0-9_]",
    "W": "[^a-zA-Z0-9_]",
    "s": f"[{_ECMA_SPACE}]",
    "S": f"[^{_ECMA_SPACE}]",
}
_SIMPLE_ESCAPES = {"n": "\\n", "r": "\\r", "t": "\\t", "f": "\\x0c", "v": "\\x0b"}
_HEX = re.compile(r"[0-9A-Fa-f]+")
_PROPERTY = re.compile(r"(?<!\\)(?:\\\\)*\\[pP]\{")


class PatternError(ValueError):
    """The pattern is not ECMA-262, or Python cannot read it the same way."""


def translate(pattern: str) -> str:
    """The Python `re` source (to compile with `re.ASCII`) matching what ECMA-262 matches."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            text, i = _escape(pattern, i, in_class=False)
            out.append(text)
        elif char == "[":
            text, i = _char_class(pattern, i)
            out.append(text)
        elif char == "(":
            text, i = _group_open(pattern, i)
            out.append(text)
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
            i += 1
        elif char == "$":
            out.append("\\Z")  # end of input only, not also before a final newline
            i += 1
        elif char in "*+?}" and i + 1 < n and pattern[i + 1] == "+":
            raise PatternError(f"possessive quantifier {char}+ is not ECMA-262 syntax")
        else:
            out.append(char)
            i += 1
    translated = "".join(out)
    try:
        re.compile(translated, re.ASCII)
    except re.error as error:
        raise PatternError(f"not a supported regular expression: {error}") from None
    return translated


def _group_open(pattern: str, i: int) -> tuple[str, int]:
    rest = pattern[i + 1 : i + 4]
    if not rest.startswith("?"):
        return "(", i + 1
    if rest.startswith(("?:", "?=", "?!", "?<=", "?<!")):
        return "(", i + 1
    if rest.startswith("?<"):
        return "(?P<", i + 3
    raise PatternError(f"group syntax {pattern[i : i + 3]!r} is not ECMA-262")


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    """One escape sequence starting at pattern[i] == '\\'; returns (python text, next index)."""
    if i + 1 >= len(pattern):
        raise PatternError("pattern ends with a lone backslash")
    char = pattern[i + 1]
    after = i + 2
    if char in _CLASS_ESCAPES and in_class:
        return _CLASS_ESCAPES[char], after
    if char in "DWS" and in_class:
        raise PatternError(f"\\{char} inside a character class has no faithful Python translation")
    if char in _OUTSIDE_ESCAPES:
        return _OUTSIDE_ESCAPES[char], after
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char], after
    if char in "bB":
        return ("\\x08", after) if in_class and char == "b" else ("\\" + char, after)
    if char == "0" and not pattern[after : after + 1].isdigit():
        return "\\x00", after
    if char.isdigit():
        if in_class:
            raise PatternError(f"\\{char} inside a character class is not supported")
        end = after
        while end < len(pattern) and pattern[end].isdigit():
            end += 1
        return "\\" + pattern[i + 1 : end], end
    if char == "c" and after < len(pattern) and pattern[after].isascii() and pattern[after].isalpha():
        return f"\\x{ord(pattern[after]) % 32:02x}", after + 1
    if char == "x":
        digits = pattern[after : after + 2]
        if len(digits) == 2 and _HEX.fullmatch(digits):
            return "\\x" + digits, after + 2
        raise PatternError("\\x must be followed by two hex digits")
    if char == "u":
        digits = pattern[after : after + 4]
        if len(digits) == 4 and _HEX.fullmatch(digits):
            return "\\u" + digits, after + 4
        raise PatternError("\\u must be followed by four hex digits")
    if char == "k" and not in_class and pattern[after : after + 1] == "<":
        end = pattern.find(">", after)
        if end < 0:
            raise PatternError("unterminated \\k<name>")
        return f"(?P={pattern[after + 1 : end]})", end + 1
    if char in "pP":
        return _property(pattern, i, in_class=in_class)
    if char.isascii() and char.isalnum():
        raise PatternError(f"escape \\{char} is not supported (ECMA-262 and Python read it differently)")
    return re.escape(char), after


def _property(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    """`\\p{..}` or `\\P{..}` at pattern[i]: the code points it stands for, as a class (or, inside
    a class, as part of its body)."""
    negated = pattern[i + 1] == "P"
    end = pattern.find("}", i + 3)
    if pattern[i + 2 : i + 3] != "{" or end < 0:
        raise PatternError(f"\\{pattern[i + 1]} must be followed by {{property}}")
    try:
        ranges = property_ranges(pattern[i + 3 : end])
    except PropertyError as error:
        raise PatternError(str(error)) from None
    if in_class:
        return class_body(complement(ranges) if negated else ranges), end + 1
    return ("[^" if negated else "[") + class_body(ranges) + "]", end + 1


def uses_properties(pattern: str) -> bool:
    """Whether the pattern has a Unicode property escape (its class depends on the Unicode version)."""
    return _PROPERTY.search(pattern) is not None


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """A character class starting at pattern[i] == '['."""
    j = i + 1
    negated = pattern[j : j + 1] == "^"
    if negated:
        j += 1
    parts: list[str] = []
    while True:
        if j >= len(pattern):
            raise PatternError("unterminated character class")
        char = pattern[j]
        if char == "]":
            j += 1
            break
        if char == "\\":
            text, j = _escape(pattern, j, in_class=True)
            parts.append(text)
        elif char in "[&~|" or (char == "-" and pattern[j + 1 : j + 2] == "-"):
            parts.append("\\" + char)  # Python reserves these for future set operations
            j += 1
        else:
            parts.append(char)
            j += 1
    body = "".join(parts)
    if not body:
        return ("[\\s\\S]" if negated else "(?!)"), j  # ECMA: [^] matches anything, [] nothing
    return ("[^" if negated else "[") + body + "]", j
