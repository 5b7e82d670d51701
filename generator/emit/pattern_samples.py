"""Strings a regular expression matches, for the README examples' sample values.

A spec's `pattern` is ECMA-262; it is translated to Python's dialect (the validators' own
translation), parsed by Python's regular-expression parser, and walked to build a string. Every
candidate is checked by the compiled pattern, so a sample is never wrong, only sometimes absent.
"""

from __future__ import annotations

import functools
import importlib
import random
import re
from typing import Any

from generator.emit.validators.regex import PatternError, translate

# Python's own regular-expression parser (stdlib, private but stable since 3.11): the translated
# pattern is walked to build a string it matches.
_PARSER: Any = importlib.import_module("re._parser")


@functools.lru_cache(maxsize=1024)
def pattern_sample(pattern: str, least: int = 0, most: int | None = None) -> str | None:
    """A string the ECMA-262 `pattern` matches, within the length bounds (None when none is found).

    The plain walk (first character of each class, first branch) is tried first, so simple
    patterns give plain samples; lookarounds and backreferences it cannot satisfy by
    construction (`^(?=.*[A-Z])(?=.*\\d)\\w{8,}$`) fall back to a seeded, so deterministic,
    search over varied choices, each candidate checked by the compiled pattern.
    """
    try:
        source = translate(pattern)
        compiled = re.compile(source, re.ASCII)
        parsed = _PARSER.parse(source, re.ASCII)
    except (PatternError, re.error, RecursionError):
        return None

    def fits(text: str) -> bool:
        return least <= len(text) and (most is None or len(text) <= most) and compiled.search(text) is not None

    for extra in (0, 1, 2, 4, 8, 16, 32, 64):
        try:
            text = _Walk(extra, None).run(parsed)
        except (ValueError, RecursionError):
            break
        if fits(text):
            return text
        if compiled.search(text) is None or (most is not None and len(text) > most):
            break
    if not _LOOKAROUND.search(source):
        return None  # nothing the plain walk skipped: varying its choices would not help
    classes: dict[tuple[int, int], list[str]] = {}  # a class's characters, by (id, pool): shared by the walks
    for attempt in range(_SEARCH_ATTEMPTS):
        extra = (0, 1, 2, 4, 8, 16)[attempt % 6]
        try:
            pool = _FRIENDLY if attempt < _SEARCH_ATTEMPTS // 2 else _PRINTABLE
            text = _Walk(extra, random.Random(f"{pattern}#{attempt}"), pool, classes).run(parsed)
        except (ValueError, RecursionError):
            return None
        if fits(text):
            return text
    return None


# Candidates the seeded search tries before giving up on a pattern.
_SEARCH_ATTEMPTS = 160

# What the plain walk cannot satisfy by construction: lookarounds and backreferences.
_LOOKAROUND = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")

# Characters a varied walk picks from for `.` and negated classes: letters, digits and common
# punctuation first (samples read well in a README), then any printable ASCII.
_PRINTABLE = [chr(code) for code in range(0x21, 0x7F)]
_FRIENDLY = [char for char in _PRINTABLE if char.isalnum() or char in "-_.!@#$%&*"]


class _Walk:
    """One walk over a parsed pattern building a string; `choices` None is the plain walk."""

    def __init__(
        self,
        extra: int,
        choices: random.Random | None,
        pool: list[str] = _PRINTABLE,
        classes: dict[tuple[int, int], list[str]] | None = None,
    ) -> None:
        self.extra = extra
        self.choices = choices
        self.pool = pool
        self.classes = {} if classes is None else classes
        self.groups: dict[int, str] = {}

    def run(self, items: Any) -> str:
        out: list[str] = []
        for op, value in items:
            out.append(self.item(str(op), value))
        return "".join(out)

    def item(self, name: str, value: Any) -> str:
        if name == "LITERAL":
            return chr(value)
        if name == "NOT_LITERAL":
            return self.pick([char for char in self.pool if ord(char) != value], "a" if chr(value) != "a" else "b")
        if name == "ANY":
            return self.pick(self.pool, "a")
        if name == "IN":
            return self.in_class(value)
        if name == "BRANCH":
            branches = value[1]
            chosen = branches[0] if self.choices is None else self.choices.choice(branches)
            return self.run(chosen)
        if name == "SUBPATTERN":
            group, _, _, inner = value
            text = self.run(inner)
            if group is not None:
                self.groups[group] = text
            return text
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = value
            room = self.extra if self.choices is None else self.choices.randint(0, self.extra)
            count = low + room if high == _PARSER.MAXREPEAT else min(high, low + room)
            return "".join(self.run(inner) for _ in range(count))
        if name == "GROUPREF":
            return self.groups.get(value, "")
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            return ""  # anchors and lookarounds take no characters; the final check decides
        if name == "ATOMIC_GROUP":
            return self.run(value)
        raise ValueError(name)

    def pick(self, pool: list[str], plain: str) -> str:
        return plain if self.choices is None or not pool else self.choices.choice(pool)

    def in_class(self, members: Any) -> str:
        if self.choices is None:
            return _in_class(members)
        key = (id(members), id(self.pool))
        chars = self.classes.get(key)
        if chars is None:
            if members and str(members[0][0]) == "NEGATE":
                chars = [char for char in self.pool if not any(_member_has(member, char) for member in members[1:])]
            else:
                chars = [char for char in _PRINTABLE if any(_member_has(member, char) for member in members)]
            self.classes[key] = chars
        if chars:
            return self.choices.choice(chars)
        if members and str(members[0][0]) == "NEGATE":
            raise ValueError("negated class")
        return _in_class(members)


# What a class escape stands for: a character of each.
_CATEGORIES = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_WORD": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_NOT_SPACE": "a",
}


def _in_class(members: Any) -> str:
    """A character of a `[...]` class (for a negated class, a common one it leaves out)."""
    if members and str(members[0][0]) == "NEGATE":
        excluded = members[1:]
        for candidate in "aA0_-x.":
            if not any(_member_has(member, candidate) for member in excluded):
                return candidate
        raise ValueError("negated class")
    for op, value in members:
        name = str(op)
        if name == "LITERAL":
            return chr(value)
        if name == "RANGE":
            low, high = value
            for candidate in "aA0":
                if low <= ord(candidate) <= high:
                    return candidate
            return chr(low)
        if name == "CATEGORY":
            return _CATEGORIES.get(str(value), "a")
    raise ValueError("empty class")


def _member_has(member: Any, char: str) -> bool:
    op, value = member
    name = str(op)
    if name == "LITERAL":
        return bool(chr(value) == char)
    if name == "RANGE":
        return bool(value[0] <= ord(char) <= value[1])
    if name == "CATEGORY":
        probe = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}.get(str(value))
        if probe is None:
            return True
        return re.fullmatch(probe, char, re.ASCII) is not None
    return True
