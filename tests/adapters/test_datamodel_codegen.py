"""What generator/adapters/datamodel_codegen.py relies on in the pinned datamodel-code-generator.

Each test that runs datamodel-code-generator feeds it a small schema that produces one output
shape the adapter corrects, and fails with a message naming the assumption when an upgrade stops
producing it (then the correction may be wrong, or no longer needed). The others check the
corrections themselves on hand-written sources.
"""

from __future__ import annotations

import ast
import importlib
import sys
import types
import warnings
from typing import Any

import pytest

from generator.adapters import datamodel_codegen as adapter
from generator.diagnostics import SpecError

HEADER = "# header"


def generate(schemas: dict[str, Any]) -> str:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return adapter.generate_models(document, HEADER)


def top_level_classes(source: str) -> list[ast.ClassDef]:
    return [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]


# A component named like an inline model met before it (named after where it sits): the inline one takes the name.
CONTENDED = {
    "EditRequest": {
        "type": "object",
        "properties": {"image": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    },
    "EditRequestImage": {"type": "object", "properties": {"url": {"type": "string"}}},
}


# ---------------------------------------------------------------------------- the call


def test_every_option_passed_is_an_option_of_the_pinned_version() -> None:
    from datamodel_code_generator.config import GenerateConfig

    known = set(GenerateConfig.model_fields)
    unknown = sorted(set(adapter.MODEL_OPTIONS) - known)
    assert not unknown, f"datamodel-code-generator no longer has the options {unknown} that MODEL_OPTIONS passes"
    GenerateConfig.model_validate(adapter.MODEL_OPTIONS)  # and it accepts their values


@pytest.mark.parametrize("module", adapter.PRELOADED_MODULES)
def test_every_preloaded_module_exists(module: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        pytest.fail(f"datamodel-code-generator has no module {module}: PRELOADED_MODULES is stale (preload is slower)")


def test_one_document_gives_one_module_with_the_header() -> None:
    source = generate({"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}})
    assert source.startswith(HEADER + "\n"), "custom_file_header is no longer the first line of its output"
    assert [c.name for c in top_level_classes(source)] == ["Thing"]


def test_its_refusals_become_spec_errors() -> None:
    with pytest.raises(SpecError, match="datamodel-code-generator cannot build models"):
        generate({"Thing": {"type": 5}})


# ---------------------------------------------------------------------------- class names


def test_the_class_line_scan_finds_what_the_parser_finds() -> None:
    """`class_names` reads class lines: every kind of class it emits starts one in column 0."""
    source = generate(
        {
            "Model": {
                "type": "object",
                "description": "doc",
                "properties": {"tags": {"type": "array", "items": {"type": "string"}}},
            },
            "Root": {"type": "integer", "default": 1},
            "Colour": {"type": "string", "enum": ["red", "green"]},
            "Node": {
                "type": "object",
                "properties": {"next": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}},
            },
            "Either": {"oneOf": [{"$ref": "#/components/schemas/Model"}, {"$ref": "#/components/schemas/Node"}]},
        }
    )
    parsed = {c.name for c in top_level_classes(source)}
    assert parsed >= {"Model", "Root", "Colour", "Node", "Either"}
    assert adapter.class_names(source) == parsed, "its class statements no longer start a line as `class Name(`"


def test_an_inline_model_met_first_takes_a_components_name() -> None:
    """The reason for `reserve_component_names`; when this fails the reservation may go."""
    defined = adapter.class_names(generate(CONTENDED))
    assert "EditRequestImage1" in defined, (
        "an inline model no longer takes a component's name: the reservation may be dropped"
    )
    assert adapter.names_contended(defined, {"EditRequest", "EditRequestImage"})


def test_the_reservation_keeps_component_names_and_leaves_no_trace() -> None:
    reserved = generate(adapter.reserve_component_names(CONTENDED))
    classes = top_level_classes(reserved)
    reservation = [c for c in classes if c.name == adapter.RESERVATION]
    assert reservation, "the reservation schema no longer becomes a class of its own"
    base = reservation[0].bases[0]
    assert isinstance(base, ast.Subscript) and ast.unparse(base.value) == "RootModel", "it is no RootModel any more"
    source = adapter.without_reservation(reserved)
    assert adapter.RESERVATION not in source
    assert "RootModel" not in source, "the import only the reservation used stays"
    assert "class EditRequestImage(BaseModel)" in source and "image: EditRequestImage1 | None" in source


def test_the_reservation_comes_before_what_follows_the_last_class() -> None:
    """A self-referencing model gets a `model_rebuild()` call after the classes; it stays."""
    schemas = {
        **CONTENDED,
        "EditRequestImage": {
            "type": "object",
            "properties": {"parent": {"anyOf": [{"$ref": "#/components/schemas/EditRequestImage"}, {"type": "null"}]}},
        },
    }
    source = adapter.without_reservation(generate(adapter.reserve_component_names(schemas)))
    assert source.rstrip().endswith("EditRequestImage.model_rebuild()"), (
        "model_rebuild() calls no longer follow the classes"
    )
    compile(source, "models.py", "exec")


# ---------------------------------------------------------------------------- root-model defaults


def test_a_root_model_property_default_is_still_the_plain_value() -> None:
    """The output shape `root_model_defaults_validated` rewrites."""
    source = generate(
        {
            "Flag": {"type": "boolean", "default": True},
            "Req": {"type": "object", "properties": {"flag": {"$ref": "#/components/schemas/Flag"}}},
        }
    )
    shape = "    flag: Annotated[Flag | None, Field(validate_default=True)] = True"
    assert shape in source, (
        "a root-model property's default is no longer `Annotated[M | None, Field(validate_default=True)] = value`"
    )
    assert "class Flag(RootModel[bool])" in source
    rewritten = adapter.root_model_defaults_validated(source)
    assert rewritten.endswith(
        "    flag: Annotated[Flag | None, Field(validate_default=True)] = Flag.model_validate(True)"
    )


SOURCE_WITH_DEFAULTS = """\
from pydantic import BaseModel, Field, RootModel
from typing import Annotated


class Flag(RootModel[bool]):
    root: bool = True


class Req(BaseModel):
    naïve: Annotated[Flag | None, Field(alias='naïve', validate_default=True)] = True
    plain: Annotated[Flag, Field(validate_default=True)] = False
    unset: Annotated[Flag | None, Field(validate_default=True)] = None
    done: Annotated[Flag | None, Field(validate_default=True)] = Flag.model_validate(True)
    later: Annotated[Later | None, Field(validate_default=True)] = 'x'
    other: Annotated[int | None, Field(validate_default=True)] = 1
    loose: Annotated[Flag | None, Field()] = True


class Later(RootModel[str]):
    root: str = 'x'
"""


def test_root_model_defaults_are_rewritten_only_where_needed() -> None:
    rewritten = adapter.root_model_defaults_validated(SOURCE_WITH_DEFAULTS)
    changed = [line for line in rewritten.splitlines() if line not in SOURCE_WITH_DEFAULTS.splitlines()]
    assert changed == [
        "    naïve: Annotated[Flag | None, Field(alias='naïve', validate_default=True)] = Flag.model_validate(True)",
        "    plain: Annotated[Flag, Field(validate_default=True)] = Flag.model_validate(False)",
    ]
    assert rewritten.count("\n") == SOURCE_WITH_DEFAULTS.count("\n")


def test_a_source_without_the_keyword_is_not_parsed() -> None:
    not_python = "class X(RootModel[int]):\n    root: int = (\n"  # a parse would raise
    assert adapter.root_model_defaults_validated(not_python) == not_python


# ---------------------------------------------------------------------------- descriptions


def test_descriptions_become_docstrings_verbatim() -> None:
    """Trailing blanks of a description reach the output: why `docstring_safe` exists."""
    source = generate({"Thing": {"type": "object", "description": "Line.  ", "properties": {"a": {"type": "string"}}}})
    assert "    Line.  \n" in source, "descriptions no longer become docstrings verbatim: docstring_safe may go"


def test_without_trailing_blanks_in_descriptions_no_line_ends_in_blanks() -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "description": "First.  \n \t\nSecond.\t",
            "properties": {
                "name": {"type": "string", "description": "Name.  \nMore. "},
                "items": {"type": "array", "items": {"type": "object", "description": "Item. ", "properties": {}}},
                "kind": {"type": "string", "enum": ["a", "b"], "description": "Kind.  "},
            },
        }
    }
    source = generate(adapter.docstring_safe(schemas))
    assert [line for line in source.splitlines() if line != line.rstrip()] == [], "blanks from elsewhere end a line"


def test_docstring_safe_copies_only_what_changes() -> None:
    untouched = {"type": "object", "properties": {"a": {"type": "string", "description": "fine"}}}
    schemas: dict[str, Any] = {
        "Clean": untouched,
        "Dirty": {
            "type": "object",
            "description": "top \n",
            "properties": {
                "description": {"type": "string", "description": "a property named description  "},
                "data": {"type": "object", "default": {"description": "data, not a description  "}},
            },
            "allOf": [{"description": "part  "}],
            "$defs": {"Inner": {"description": "inner\t"}},
            "items": {"description": "item "},
        },
    }
    safe = adapter.docstring_safe(schemas)
    assert safe["Clean"] is untouched
    dirty = safe["Dirty"]
    assert dirty["description"] == "top\n"
    assert dirty["properties"]["description"]["description"] == "a property named description"
    assert dirty["properties"]["data"] is schemas["Dirty"]["properties"]["data"]  # a default is data
    assert dirty["allOf"] == [{"description": "part"}]
    assert dirty["$defs"] == {"Inner": {"description": "inner"}}
    assert dirty["items"] == {"description": "item"}
    assert schemas["Dirty"]["description"] == "top \n"  # the input is left as it was
    assert adapter.docstring_safe({"Clean": untouched}) == {"Clean": untouched}


# ---------------------------------------------------------------------------- cutting the reservation


RESERVED_SOURCE = f'''\
from pydantic import RootModel, BaseModel


class A(BaseModel):
    """ünïcode"""
    x: int


class {adapter.RESERVATION}(RootModel[A | B]):
    root: A | B


class B(BaseModel):
    y: int


{adapter.RESERVATION}.model_rebuild()
A.model_rebuild()
'''


def test_without_reservation_cuts_exact_spans() -> None:
    source = adapter.without_reservation(RESERVED_SOURCE)
    assert source == (
        'from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    """ünïcode"""\n    x: int\n\n\n'
        "class B(BaseModel):\n    y: int\n\n\nA.model_rebuild()\n"
    )


def test_without_reservation_keeps_an_import_still_used() -> None:
    source = RESERVED_SOURCE.replace("class B(BaseModel):", "class B(RootModel[int]):")
    assert "from pydantic import RootModel, BaseModel\n" in adapter.without_reservation(source)


def test_a_missing_reservation_is_an_error() -> None:
    with pytest.raises(SpecError, match="dropped sdkgen's name reservation"):
        adapter.without_reservation("class A:\n    pass\n")


# ---------------------------------------------------------------------------- literal defaults


def test_a_default_of_a_typed_format_or_a_model_is_still_the_plain_json_value() -> None:
    source = generate(
        {
            "Inner": {"type": "object", "properties": {"a": {"type": "integer"}}},
            "Thing": {
                "type": "object",
                "properties": {
                    "raw": {"type": "string", "format": "binary", "default": "abc"},
                    "inner": {"$ref": "#/components/schemas/Inner", "default": {"a": 1}},
                },
            },
        }
    )
    assert "raw: bytes | None = 'abc'" in source, (
        "datamodel-code-generator no longer writes a binary default as a plain string; "
        "literal_defaults_validated may no longer be needed"
    )
    assert "Field(validate_default=True)] = {'a': 1}" in source, (
        "datamodel-code-generator no longer writes a model default as a plain dict with validate_default"
    )
    fixed = adapter.literal_defaults_validated(source)
    assert "raw: bytes | None = Field(default='abc', validate_default=True)" in fixed
    assert "inner: Inner | None = Field(default={'a': 1}, validate_default=True)" in fixed
    assert "Annotated" not in fixed  # its only use went with the rewrite, and so did the import


@pytest.mark.parametrize(
    "field",
    [
        'name: str | None = "x"',
        "count: int = 3",
        'tags: list[str] | None = ["a"]',
        'fixed: Literal["x"] = "x"',
        "kind: Kind | None = Kind.CIRCLE",
        "mixed: str | int | None = 3",
        "nothing: AnyUrl | None = None",
        "model: Model | None = Model.model_validate(1)",
    ],
)
def test_literal_defaults_that_type_check_stay_as_they_are(field: str) -> None:
    source = f"from pydantic import BaseModel\n\n\nclass Thing(BaseModel):\n    {field}\n"
    assert adapter.literal_defaults_validated(source) == source


def test_the_field_import_is_added_when_missing() -> None:
    source = 'from pydantic import AnyUrl, BaseModel\n\n\nclass Thing(BaseModel):\n    url: AnyUrl = "about:blank"\n'
    fixed = adapter.literal_defaults_validated(source)
    assert fixed.startswith("from pydantic import AnyUrl, BaseModel, Field\n")
    assert 'url: AnyUrl = Field(default="about:blank", validate_default=True)' in fixed


# ---------------------------------------------------------------------------- open enums


def test_enum_classes_it_makes_and_their_value_types() -> None:
    source = generate(
        {
            "Word": {"type": "string", "enum": ["a", "b"]},
            "Number": {"type": "integer", "enum": [1, 2]},
            "Maybe": {"type": ["string", "null"], "enum": ["x", None]},
            "Mixed": {"enum": [1.5, 2.5]},
        }
    )
    assert adapter.enum_value_types(source) == {"Word": "str", "Number": "int", "Maybe": "str"}, (
        "datamodel-code-generator no longer makes StrEnum/IntEnum/Enum classes as open_enums expects"
    )


OPEN_SOURCE = """\
from __future__ import annotations

from enum import StrEnum
from pydantic import BaseModel, RootModel


class Kind(StrEnum):
    A = 'a'


class Base(BaseModel):
    kind: Literal[Kind.A]
    kinds: list[Kind] | None = None
    maybe: Kind | None = Kind.A


class Kinds(RootModel[list[Kind]]):
    root: list[Kind]
"""


def test_open_enums_rewrites_fields_and_roots_but_not_literals_or_defaults() -> None:
    source = adapter.open_enums(OPEN_SOURCE)
    opened = 'Annotated[Kind | str, Field(union_mode="left_to_right")]'
    assert "    kind: Literal[Kind.A]\n" in source
    assert f"    kinds: list[{opened}] | None = None\n" in source
    assert f"    maybe: {opened} | None = Kind.A\n" in source
    assert f"class Kinds(RootModel[list[{opened}]]):\n    root: list[{opened}]\n" in source
    assert "from typing import Annotated\nfrom pydantic import Field\n" in source
    ast.parse(source)


def test_open_enums_leaves_a_source_without_enums_alone() -> None:
    source = "from __future__ import annotations\n\nclass A(BaseModel):\n    a: int\n"
    assert adapter.open_enums(source) is source


def test_open_enums_adds_no_import_already_there() -> None:
    source = OPEN_SOURCE.replace("from pydantic import BaseModel, RootModel", "from pydantic import BaseModel, Field")
    source = source.replace("from enum import StrEnum", "from enum import StrEnum\nfrom typing import Annotated")
    assert source.count("import Annotated") == adapter.open_enums(source).count("import Annotated") == 1
    assert "from pydantic import Field\n" not in adapter.open_enums(source)


def test_an_open_enum_field_takes_members_first_then_any_value() -> None:
    source = adapter.open_enums(generate({"Kind": {"type": "string", "enum": ["a"]}, "Box": {
        "type": "object", "properties": {"kind": {"$ref": "#/components/schemas/Kind"}}}}))  # fmt: skip
    namespace: dict[str, Any] = {}
    exec(compile(source, "models.py", "exec"), namespace)
    box = namespace["Box"]
    namespace["Box"].model_rebuild(_types_namespace=namespace)
    assert box.model_validate({"kind": "a"}).kind is namespace["Kind"].A
    assert box.model_validate({"kind": "b"}).kind == "b"


# ---------------------------------------------------------------------------- unions as type aliases

SHAPES = {
    "Circle": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "circle"}}},
    "Square": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "square"}}},
    "Shape": {
        "description": "A shape.",
        "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
        "discriminator": {"propertyName": "kind"},
    },
    "Named": {"anyOf": [{"$ref": "#/components/schemas/Circle"}, {"type": "string"}]},
    "Scalar": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
    "Shapes": {"type": "array", "items": {"$ref": "#/components/schemas/Shape"}},
}


def test_a_union_of_models_is_still_a_root_model_before_the_correction() -> None:
    source = generate(SHAPES)
    assert "class Shape(RootModel[Circle | Square]):" in source, "datamodel-code-generator no longer makes a root model"
    assert "class Named(RootModel[Circle | str]):" in source


def test_union_aliases_turns_unions_of_models_into_type_aliases() -> None:
    source = adapter.union_aliases(generate(SHAPES))
    assert "Shape = TypeAliasType(\"Shape\", Annotated[Circle | Square, Field(discriminator='kind')])" in source
    assert 'Named = TypeAliasType("Named", Circle | str)' in source
    assert "class Scalar(RootModel[int | str])" in source  # no model among its members: unchanged
    assert "class Shapes(RootModel[list[Shape]])" in source  # a list, not a union
    assert adapter.union_alias_names(source) == {"Shape", "Named"}
    assert '"""A shape."""' in source.split("Shape = TypeAliasType", 1)[1]  # the docstring follows the alias
    from pydantic import TypeAdapter

    module = types.ModuleType("alias_models")  # a module: pydantic resolves the names in it
    sys.modules[module.__name__] = module
    try:
        exec(compile(source, "models.py", "exec"), module.__dict__)
        assert type(TypeAdapter(module.Shape).validate_python({"kind": "square"})) is module.Square
        assert TypeAdapter(module.Named).validate_python("x") == "x"
    finally:
        del sys.modules[module.__name__]


def test_union_aliases_keeps_a_class_that_is_used_as_one() -> None:
    source = generate(SHAPES)
    used = source + "\n\nclass Special(Shape):\n    pass\n\n\nShape.model_rebuild()\n"
    assert "class Shape(RootModel" in adapter.union_aliases(used)
    rebuilt = source + "\n\nShape.model_rebuild()\n"
    converted = adapter.union_aliases(rebuilt)
    assert "Shape = TypeAliasType" in converted and "Shape.model_rebuild()" not in converted


def test_union_aliases_drops_the_root_model_import_when_unused() -> None:
    source = adapter.union_aliases(generate({name: SHAPES[name] for name in ("Circle", "Square", "Shape")}))
    assert "RootModel" not in source and "from typing_extensions import TypeAliasType" in source
    assert adapter.union_aliases("x = 1\n") == "x = 1\n"


# ---------------------------------------------------------------------------- optional, never null


def test_the_not_null_mark_reaches_the_field() -> None:
    mark = {adapter.NOT_NULL_KEY: True}
    source = generate(
        {
            "T": {
                "type": "object",
                "required": ["req"],
                "properties": {
                    "title": {"type": "string", "minLength": 1, **mark},
                    "plain": {"type": "string", **mark},
                    "req": {"type": "string", **mark},
                    "b64": {"type": "string", "contentEncoding": "base64", **mark},
                },
            }
        }
    )
    assert "title: Annotated[str | None, Field(json_schema_extra={'x-sdkgen-not-null': True}, min_length=1)]" in source
    assert "req: Annotated[str, Field(json_schema_extra={'x-sdkgen-not-null': True})]" in source
    corrected = adapter.not_null_fields(source)
    assert "title: Annotated[str | None, Field(min_length=1), NotNull] = None" in corrected
    assert "plain: Annotated[str | None, NotNull] = None" in corrected
    assert "    req: str\n" in corrected  # required: the mark goes, nothing else
    assert "json_schema_extra={'contentEncoding': 'base64'}), NotNull] = None" in corrected  # other keys stay
    assert adapter.NOT_NULL_IMPORT in corrected and adapter.NOT_NULL_KEY not in corrected


def test_not_null_fields_drops_imports_left_unused() -> None:
    source = (
        "from __future__ import annotations\n\nfrom typing import Annotated\n\n"
        "from pydantic import BaseModel, Field\n\n\n"
        "class T(BaseModel):\n    req: Annotated[str, Field(json_schema_extra={'x-sdkgen-not-null': True})]\n"
    )
    corrected = adapter.not_null_fields(source)
    assert "Annotated" not in corrected and "Field" not in corrected and "NotNull" not in corrected
    assert "    req: str\n" in corrected
    assert adapter.not_null_fields("x = 1\n") == "x = 1\n"


def test_models_with_a_model_field_leave_pydantic_s_protected_namespace() -> None:
    source = (
        "from pydantic import BaseModel, ConfigDict, Field\n\n\n"
        "class Thing(BaseModel):\n"
        "    model_config = ConfigDict(\n"
        "        populate_by_name=True,\n"
        "    )\n"
        "    model_dump_: str | None = Field(None, alias='model_dump')\n\n\n"
        "class Bare(BaseModel):\n"
        "    model_name: str\n\n\n"
        "class Plain(BaseModel):\n"
        "    model_config = ConfigDict(extra='allow')\n"
        "    name: str\n"
    )
    fixed = adapter.unprotected_namespaces(source)
    assert fixed.count("protected_namespaces=()") == 2  # Thing and Bare; Plain has no model_ field
    assert "ConfigDict(extra='allow')" in fixed
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns at class creation without the setting
        exec(compile(fixed, "models.py", "exec"), namespace)
    assert adapter.unprotected_namespaces(fixed) == fixed


# ---------------------------------------------------------------------------- the corrections in a series

MARK = {adapter.NOT_NULL_KEY: True}
SERIES = {
    "Kind": {"type": "string", "enum": ["a", "b"]},
    "Circle": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "circle"}}},
    "Square": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "square"}}},
    "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}]},
    **{
        f"Thing{index}": {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"$ref": "#/components/schemas/Kind"},
                "title": {"type": "string", "minLength": 1, **MARK},
                "circle": {"$ref": "#/components/schemas/Circle", "default": {"kind": "circle"}, **MARK},
                "shape": {"$ref": "#/components/schemas/Shape"},
                "model_name": {"type": "string"},
            },
        }
        for index in range(8)
    },
}


def _one_by_one(source: str) -> str:
    for correction in (
        adapter.not_null_fields,
        adapter.union_aliases,
        adapter.root_model_defaults_validated,
        adapter.literal_defaults_validated,
        adapter.open_enums,
        adapter.unprotected_namespaces,
    ):
        source = correction(source)
    return source


def test_the_corrections_in_a_series_make_what_they_make_one_by_one() -> None:
    source = generate(SERIES)
    corrected = adapter.corrected(source)
    assert corrected == _one_by_one(source)
    for made in ("NotNull] = None", 'TypeAliasType("Shape"', "validate_default=True)", "union_mode=", "protected_"):
        assert made in corrected, made  # every correction had something to do
    ast.parse(corrected)


def test_the_corrections_parse_the_module_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing a large models module costs more than the corrections themselves: they share one
    parse, and parse again only the statements a correction changed (each much shorter)."""
    source = generate(SERIES)
    parsed: list[str] = []
    parse = ast.parse

    def counting(text: str, *args: Any, **kwargs: Any) -> ast.Module:
        parsed.append(text)
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    adapter.corrected(source)
    assert len(parsed) > 1  # the parts edited were read again
    assert parsed.count(source) == 1
    assert all(len(text) < len(source) / 4 for text in parsed if text is not source)
