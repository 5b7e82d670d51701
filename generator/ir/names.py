"""Python names for wire names, by the rules users rely on (CONTRACT.md, "Python names")."""

from __future__ import annotations

import keyword
import re
import unicodedata

_LOWER_TO_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ACRONYM_TO_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM_RUN = re.compile(r"[^A-Za-z0-9]+")


def snake_case(wire_name: str) -> str:
    """`createSession` -> `create_session`, `HTTPResponse` -> `http_response`.

    Accents are folded to ASCII first (`café` -> `cafe`) so names stay typeable; a
    keyword gets a trailing `_`. The result may still be empty or start with a digit:
    callers decide whether to refuse it (see `is_identifier`).
    """
    ascii_name = unicodedata.normalize("NFKD", wire_name).encode("ascii", "ignore").decode("ascii")
    spaced = _ACRONYM_TO_WORD.sub("_", _LOWER_TO_UPPER.sub("_", ascii_name))
    name = _NON_ALNUM_RUN.sub("_", spaced).strip("_").lower()
    if keyword.iskeyword(name):
        name += "_"
    return name


def is_identifier(name: str) -> bool:
    """A name Python accepts as a variable (and that is not a keyword)."""
    return name.isidentifier() and not keyword.iskeyword(name)


def package_name_for_stem(stem: str) -> str:
    """The package a spec file's stem implies: `event-app` -> `event_app`."""
    return snake_case(stem)
