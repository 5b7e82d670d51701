"""The one-pass YAML loader against the node-tree loader it replaces: equal in everything.

`_EventLoader` (one pass over libyaml's events) must give what `_reference_load` (PyYAML's
node tree, converted) gives: the same JSON data with the same types (True is not 1, 1 is
not 1.0), the same value and key positions, and the same refusal (message and location)
for anything refused. Compared on every YAML and JSON file of the repository and on
generated documents: core-schema scalars of every shape, every quoting style, tags,
nested block and flow collections, anchors and aliases (recursive, undefined, repeated),
merge keys, duplicate and non-scalar keys, several documents and damaged text.
(SDKGEN_FUZZ_EXAMPLES raises the number of generated documents, as for tests/test_fuzz.py.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.spec import yaml_source
from generator.spec.yaml_source import _EventLoader, _reference_load, load_yaml, read_document
from tests.conftest import ROOT
from tests.synthetic_spec import spec_text

EXAMPLES = max(300, int(os.environ.get("SDKGEN_FUZZ_EXAMPLES", "0")) * 25)

pytestmark = pytest.mark.skipif(yaml_source._CParser is None, reason="PyYAML without libyaml: one loader only")


def _outcome(load: Any, text: str) -> tuple[Any, ...]:
    """What a loader makes of `text`, comparable with ==: data by repr (types and member order
    count), positions and key positions in order; or the refusal as it is printed."""
    try:
        data, positions, key_positions = load(text)
    except SpecError as error:
        return ("refused", str(error))
    except Exception as error:  # anything else must at least be the same failure
        return ("raised", type(error).__name__, str(error))
    return ("loaded", repr(data), list(positions.items()), list(key_positions.items()))


def _fast(text: str) -> tuple[Any, ...]:
    return _outcome(lambda t: _EventLoader("f.yaml", t).load(), text)


def _reference(text: str) -> tuple[Any, ...]:
    return _outcome(lambda t: _reference_load(t, "f.yaml"), text)


def _assert_same(text: str) -> None:
    assert _fast(text) == _reference(text), text


# ---------------------------------------------------------------------------- the repository's files


def _repository_files() -> list[Path]:
    folders = [ROOT / "specs", ROOT / "tests" / "bad_specs", ROOT / "tests" / "data"]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in (".yaml", ".yml", ".json"))


def test_every_file_of_the_repository_loads_the_same() -> None:
    files = _repository_files()
    assert len(files) > 100  # specs, bad specs, the corpus, the diff pairs, JSON-Schema-Test-Suite
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # refused before YAML is read (tests/bad_specs/non_utf8.yaml)
        _assert_same(text)


def test_a_large_spec_loads_the_same() -> None:
    _assert_same(spec_text(40))


# ---------------------------------------------------------------------------- chosen cases


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: &x 2\nc: *x\n",  # a repeated anchor
        "a: &x [*x]\n",  # an alias inside its own anchor
        "a: &x {b: *x}\n",
        "a: *y\n",  # an undefined alias
        "a: [" * 300 + "]" * 300,  # past libyaml's own nesting limit
        "a: " + "[" * 210 + "]" * 210,  # past ours
        "a: &d " + "[" * 150 + "]" * 150 + "\nb: " + "[" * 50 + "*d" + "]" * 50 + "\n",
        "a: &s x\nb: " + "[" * 199 + "*s" + "]" * 199 + "\n",  # an alias of a scalar past the nesting limit
        "a: ! 12\nb: ! yes\nc: &q ! 0755\nd: ! '12'\ne: ! .inf\n",  # the non-specific tag: PyYAML's 1.1 reading
        "--- !foo\n",
        "---\n",
        "# only a comment\n",
        "a: 1\n--- *x\n",
        "a: 1\na: 2\n---\nb: [\n",  # a syntax error in a later document comes first
        "a: 1\na: 2\n---\nb: *q\n",
        "a: 1\na: 2\n---\nb: 1\n",  # then a second document, then the duplicate key
        "a: !!merge x\n",
        "=: 1\nb: =\n",
        "a: é\nb: ! 0755\n",
        "%YAML 1.1\n---\na: 1\n...\n",
        "a: !!str\nb: !<tag:yaml.org,2002:int> 3\nc: !!float 1\nd: !!bool yes\ne: !!null x\n",
        "f: !!timestamp 2024-01-01\ng: !!int ''\n",  # a constructor's own failure
        "? [a]\n: 1\n",
        "? {a: 1}\n: 1\n",
        "? \n: 1\n",
        "{a: 1, a: 2}",
        "&k a: 1\nb: *k\n*k : 3\n",  # an anchored key, its alias as a value, then as a duplicate key
        "? &k [a]\n: 1\n",
        "a: &m {x: 1}\n*m : 2\n",
        "<<: {a: 1}\n",
        "a: <<\n",
        "'<<': 1\n",
        "!!merge x: 1\n",
        "! <<: 1\n",
        "a: !!seq [1]\nb: !!map {}\nc: !foo [1]\n",
        "a: !!set {}\n",
        "a: \x01\n",
        "a: [1, &x {b: 1}]\nc: *x\nd: {e: *x, f: &y [*x, *x]}\ng: *y\n",
        '{"a/b": {"c~d": [1, {"": 2}]}, "e": [[], {}]}',
        "~: 1\nnull: 2\n200: x\non: y\n",
        "- 1\n- " + "9" * 5000 + "\n",  # past Python's digit limit for int(): the same failure
        "a:\n\tb: 1\n",
        "a: 'unterminated\n",
        "\ufeffa: 1\n",
        "a: |\n  literal\n  text\nb: >\n  folded\n  text\nc: |-\n  kept\n",
    ],
)
def test_chosen_documents_load_the_same(text: str) -> None:
    _assert_same(text)


def test_an_alias_bomb_is_refused_the_same() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    _assert_same("\n".join(lines) + "\n")
    lines = ["a0: &a0 x"] + [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    _assert_same("\n".join(lines) + "\n")  # the bound reached at an alias of a scalar


def test_many_aliases_of_one_anchor_load_the_same() -> None:
    text = "base: &b {type: object, properties: {id: {type: integer}}}\n" + "".join(f"s{n}: *b\n" for n in range(300))
    _assert_same(text)


# ---------------------------------------------------------------------------- generated documents

_PLAIN = [
    *("", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE"),
    *("yes", "no", "on", "off", "OFF", "On", "y", "n", "Y", "N"),
    *("0", "-0", "+1", "-3", "0755", "08", "0o17", "0o8", "0O17", "0x1F", "0x1f", "0xg", "0b101", "1_000"),
    *("1:20", "190:20:30", "1.5", ".5", "5.", "-.5", "+.5", "1e3", "1E+3", "1.0e-3", "1e", "1.2.3", "."),
    *(".inf", "-.inf", "+.Inf", ".INF", ".nan", ".NaN", ".NAN", "-.nan", "inf", "nan"),
    *("2024-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "12:30"),
    *("<<", "=", "text", "hello world", "a/b", "~x", "x~1", "é", "12abc", "-", "+", "-x", "?x", "x?", "x#y"),
]
_KEYS = ["a", "b", "type", "200", "on", "null", "~", "<<", "=", "a/b", "x~y", "", "1.5", "true", "é"]
_TAGS = [
    *("!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!!merge", "!!value"),
    *("!", "!foo", "!<tag:yaml.org,2002:str>", "!<tag:yaml.org,2002:int>", "!!map", "!!seq"),
]
_FLOW_UNSAFE = set(",[]{}#") | {": "}


class _Emitter:
    """Draws a YAML document as text, piece by piece, so hypothesis shrinks it piece by piece."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.anchors: list[str] = []

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def chance(self, percent: int) -> bool:
        return bool(self.draw(st.integers(0, 99)) < percent)

    def properties(self, collection: bool) -> str:
        """An anchor, a tag, both or neither (written before a node)."""
        parts = []
        if self.chance(12):
            name = self.draw(st.sampled_from([f"a{len(self.anchors)}", *self.anchors[-2:]]))
            self.anchors.append(name)
            parts.append(f"&{name}")
        if self.chance(10):
            tags = [*_TAGS, "!!map" if collection else "!!str"]
            parts.append(self.draw(st.sampled_from(tags)))
        return " ".join(parts)

    def alias(self) -> str | None:
        if self.anchors and self.chance(10):
            return "*" + self.draw(st.sampled_from([*self.anchors, "nowhere"]))
        return None

    def scalar(self, flow: bool, indent: int) -> str:
        style = self.draw(st.sampled_from(["plain", "plain", "plain", "single", "double", "literal", "folded"]))
        if flow and style in ("literal", "folded"):
            style = "double"
        if style == "plain":
            text = self.draw(st.sampled_from(_PLAIN) | st.from_regex(r"[a-z0-9][a-z0-9 ._-]{0,8}", fullmatch=True))
            if flow and any(mark in text for mark in _FLOW_UNSAFE):
                text = "x"
            return text.strip() or "''"
        text = self.draw(st.sampled_from(_PLAIN) | st.text(max_size=8))
        if style == "single":
            return "'" + text.replace("'", "''") + "'"
        if style == "double":
            return json.dumps(text, ensure_ascii=self.chance(50))
        lines = [line for line in text.splitlines() if line.strip()] or ["x"]
        pad = " " * (indent + 2)
        return ("|" if style == "literal" else ">") + "\n" + "\n".join(pad + line.strip() for line in lines)

    def key(self, flow: bool) -> str:
        alias = self.alias()
        if alias is not None:
            return alias + " "  # `*a:` would name the alias `a:`
        if self.chance(4):
            return "? [" + self.scalar(True, 0) + "]\n" if not flow else "[x]"
        props = self.properties(False) if self.chance(30) else ""
        name = self.draw(st.sampled_from(_KEYS))
        quoted = self.chance(20) or (flow and any(mark in name for mark in _FLOW_UNSAFE))
        text = json.dumps(name) if quoted or not name else name
        return f"{props} {text}".strip()

    def flow(self, depth: int) -> str:
        alias = self.alias()
        if alias is not None:
            return alias
        props = self.properties(True)
        kind = self.draw(st.sampled_from(["scalar", "scalar", "seq", "map"])) if depth < 4 else "scalar"
        if kind == "scalar":
            props = self.properties(False)
            body = self.scalar(True, 0)
        elif kind == "seq":
            body = "[" + ", ".join(self.flow(depth + 1) for _ in range(self.draw(st.integers(0, 3)))) + "]"
        else:
            members = [f"{self.key(True)}: {self.flow(depth + 1)}" for _ in range(self.draw(st.integers(0, 3)))]
            body = "{" + ", ".join(members) + "}"
        return f"{props} {body}".strip()

    def block(self, depth: int, indent: int) -> str:
        """A block collection's lines at `indent` (a mapping or a sequence)."""
        pad = " " * indent
        lines = []
        is_map = self.chance(65)
        for _ in range(self.draw(st.integers(1, 4))):
            lead = f"{pad}{self.key(False)}:" if is_map else f"{pad}-"
            lines.append(lead + self.value(depth, indent))
        return "\n".join(lines)

    def value(self, depth: int, indent: int) -> str:
        """What follows `key:` or `-`: a scalar or flow collection on the line, or a nested block."""
        if depth < 4 and self.chance(35):
            props = self.properties(True)
            return (" " + props if props else "") + "\n" + self.block(depth + 1, indent + 2)
        alias = self.alias()
        if alias is not None:
            return " " + alias
        if self.chance(25):
            return " " + self.flow(depth + 1)
        props = self.properties(False)
        return " " + (props + " " if props else "") + self.scalar(False, indent)

    def document(self) -> str:
        text = self.block(0, 0) + "\n" if self.chance(85) else self.flow(0) + "\n"
        if self.chance(8):
            self.anchors = []
            text += "---\n" + (self.block(0, 0) if self.chance(50) else self.flow(0)) + "\n"
        if self.chance(5):
            text = "%YAML 1.2\n---\n" + text
        if self.chance(10):  # damaged: a tab, a stray indicator, a cut
            at = self.draw(st.integers(0, len(text)))
            text = (
                text[:at]
                + self.draw(st.sampled_from(["\t", ":", "[", "]", "'", '"', "&", "*", "!", "\n  ", ""]))
                + (text[at:] if self.chance(80) else "")
            )
        return text


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_documents_load_the_same(data: st.DataObject) -> None:
    _assert_same(_Emitter(data).document())


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=20,
    )
)
def test_dumped_json_data_loads_the_same(value: Any) -> None:
    import yaml

    for style in (False, True, None):
        _assert_same(yaml.safe_dump(value, default_flow_style=style, allow_unicode=True))
    _assert_same(json.dumps(value, allow_nan=True))


# ---------------------------------------------------------------------------- where each runs


def test_read_document_records_positions_as_it_reads(tmp_path: Path) -> None:
    """A finding is located without parsing the file again: the positions come with the data."""
    path = tmp_path / "api.yaml"
    path.write_text("openapi: 3.1.0\npaths:\n  /a/b: {}\n", encoding="utf-8")
    document = read_document(path, "api.yaml")
    assert document._positions is not None and document._key_positions is not None
    assert document.locate_key("/paths/~1a~1b").line == 3
    assert str(document.locate("/paths/~1a~1b")) == "api.yaml:3:9"


def test_without_libyaml_the_reference_loads_and_locates_lazily(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "openapi: 3.1.0\npaths:\n  /a/b: {x: [1, true]}\n"
    expected = load_yaml(text, "api.yaml")
    path = tmp_path / "api.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(yaml_source, "_CParser", None)
    assert load_yaml(text, "api.yaml") == expected
    document = read_document(path, "api.yaml")
    assert document._positions is None  # worked out on the first location asked
    assert (document.data, document.positions, document.key_positions) == expected
