# Over 600 lines: every correction of datamodel-code-generator's output, in one place, so that none overlaps another.
"""datamodel-code-generator at the edge: the options it is run with, the call, and every
correction of its input or output that its behaviour makes necessary.

The models emitter (`generator.emit.models`) decides what the models are; this module knows how
datamodel-code-generator must be asked and what it gets wrong for a `mypy --strict` package.
Everything it relies on is checked by tests/adapters/test_datamodel_codegen.py against the pinned
version, so an upgrade that changes one of these behaviours fails there, by name.

Its output is corrected through Python's syntax tree (`ast`), cutting or replacing exact source
spans; the one regular expression left reads class names (see `class_names`). The corrections
run as a series (`corrected`) over one parse of the module (`generator.adapters.module_parts`):
parsing a large models module again for each of them cost more than all of them together.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import inspect
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from generator.adapters.module_parts import ModuleParts, Part, Spans
from generator.diagnostics import SpecError
from generator.spec.pointers import JsonValue, escape_token
from generator.spec.schema_tree import SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, SUBSCHEMA_SINGLES

_SCHEMAS = "#/components/schemas/"

# Formats kept as the JSON type they annotate: a model holds the value exactly as it came, so it
# goes out again unchanged (`format` is an annotation, as the validators read it). pydantic's
# types for these rewrite the value: UUID lower-cases, datetime drops offsets' spelling and
# precision, AnyUrl adds a slash, IPv6Address compresses, Decimal dumps as a string, Base64Str
# decodes. `binary` stays `bytes`: it is what a multipart file part holds.
FORMATS_AS_WRITTEN: dict[str, tuple[str, ...]] = {
    "string": (
        "byte", "date", "date-time", "timestamp with time zone", "date-time-local", "duration", "time",
        "time-local", "path", "uuid", "uuid1", "uuid2", "uuid3", "uuid4", "uuid5", "uri", "hostname", "ipv4",
        "ipv4-network", "ipv6", "ipv6-network", "decimal", "integer", "unixtime",
    ),
    "integer": ("date-time",),
    "number": ("date-time", "time", "time-delta", "decimal", "unixtime"),
}  # fmt: skip

# The extension the models emitter marks optional members that refuse null with, carried into
# their fields (`Field(json_schema_extra=...)`) by the `field_extra_keys` option below.
NOT_NULL_KEY = "x-sdkgen-not-null"

# What makes its output `mypy --strict` clean without a plugin (annotated constraints, enum
# defaults as members) and deterministic (no timestamp). Formatting is left to the one ruff
# pass over every emitted file (`generator.output.format`), much faster than its black/isort pass.
MODEL_OPTIONS: dict[str, Any] = {
    "use_annotated": True,
    "field_constraints": True,
    "set_default_enum_member": True,
    "disable_timestamp": True,
    "formatters": [],
    "use_schema_description": True,
    "use_field_description": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "capitalise_enum_members": True,
    "snake_case_field": True,
    "allow_population_by_field_name": True,
    # A subclass's discriminator value as a member of the base's enum, not a bare string
    # Literal: mypy --strict refuses the narrower override otherwise.
    "use_enum_values_in_discriminator": True,
    # Inline models datamodel-code-generator names itself (a union branch, a constrained
    # position) are named after the model they sit in, not numbered (`EditRequestImage`).
    "parent_scoped_naming": True,
    # A property's default stays on the property: without this the default of an anyOf/oneOf
    # property is copied onto the root model made of each branch (`RootModel[int]` with
    # `= "auto"`, OpenAI's `batch_size`), which mypy --strict refuses.
    "keep_field_defaults_off_branch_roots": True,
    # The emitter's mark of optional members that refuse null, carried into their fields for
    # `not_null_fields` (the models emitter marks them, see models_input.mark_not_null).
    "field_extra_keys": {NOT_NULL_KEY},
    # Formats whose pydantic types need a package beyond pydantic (email-validator,
    # python-ulid) or change the value on the wire (SecretStr dumps as "**********"), and every
    # format whose pydantic type rewrites the value (see FORMATS_AS_WRITTEN).
    "type_mappings": [
        "string+email=string",
        "string+idn-email=string",
        "string+ulid=string",
        "string+password=string",
        *(f"{kind}+{name}={kind}" for kind, names in FORMATS_AS_WRITTEN.items() for name in names),
    ],
}

# What datamodel-code-generator imports on its first call (0.3 s at start-up): a child that will
# run it imports them while the spec is loaded. Only speed depends on this list.
PRELOADED_MODULES = (
    "datamodel_code_generator",
    "datamodel_code_generator.config",
    "datamodel_code_generator.parser.openapi",
    "datamodel_code_generator.parser._passes.settle",
    "datamodel_code_generator.parser._passes.structure",
    "datamodel_code_generator.model.pydantic_v2",
    "datamodel_code_generator.model.pydantic_v2.base_model",
    "datamodel_code_generator.model.pydantic_v2.root_model",
    "datamodel_code_generator.model.scalar",
    "datamodel_code_generator.model.union",
    "datamodel_code_generator.model._compiled_templates.registry",
)

# The schema `reserve_component_names` adds; its class is cut from the output again.
RESERVATION = "SdkgenReservesComponentNames"


# ---------------------------------------------------------------------------- the call


def preload() -> None:
    """Import what `generate_models` needs (in a child forked before the spec is loaded)."""
    import importlib

    for module in PRELOADED_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cycle collector off while datamodel-code-generator runs.

    It allocates millions of long-lived objects; each full collection walks all of them, so the
    collector's share grows with the spec. Reference counting still frees everything else; the
    output is the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate_models(document: JsonValue, header: str) -> str:
    """datamodel-code-generator on an OpenAPI document: the source of one models module, or SpecError."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    try:
        with warnings.catch_warnings(), _no_cyclic_gc():
            warnings.simplefilter("ignore")
            source = generate(
                document,
                input_file_type=InputFileType.OpenAPI,
                output_model_type=DataModelType.PydanticV2BaseModel,
                target_python_version=PythonVersion.PY_311,
                custom_file_header=header.rstrip("\n"),
                **MODEL_OPTIONS,
            )
    except RecursionError:
        raise SpecError.at("datamodel-code-generator: schemas nest too deeply", pointer="/components/schemas") from None
    except Exception as error:  # its errors have no common base class
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SpecError.at(
            f"datamodel-code-generator cannot build models: {message}", pointer="/components/schemas"
        ) from None
    if not isinstance(source, str):
        raise SpecError.at("datamodel-code-generator produced several modules; expected one", pointer="/components")
    return source


# ---------------------------------------------------------------------------- its input


def docstring_safe(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The schemas with no description line ending in spaces or tabs.

    Descriptions become docstrings verbatim; a line of one ending in spaces (OpenAI's spec has 85)
    is trailing whitespace ruff refuses (W291/W293) and its formatter leaves in place. Only the
    schemas that change are copied.
    """
    changed = {name: _docstring_safe(body) for name, body in schemas.items()}
    return changed if any(changed[name] is not schemas[name] for name in schemas) else schemas


# Spaces or tabs that end a line of a description (spec text, before datamodel-code-generator).
_TRAILING_BLANK = re.compile(r"[ \t]+$", re.MULTILINE)
# How each keyword that holds subschemas holds them (schema_tree's table, looked up per key).
_NESTING = {
    **dict.fromkeys(SUBSCHEMA_MAPS, "map"),
    **dict.fromkeys(SUBSCHEMA_LISTS, "list"),
    **dict.fromkeys(SUBSCHEMA_SINGLES, "single"),
}


def _docstring_safe(schema: JsonValue) -> JsonValue:
    if not isinstance(schema, dict):
        return schema
    updates: dict[str, JsonValue] = {}
    for key, value in schema.items():
        nesting = _NESTING.get(key)
        if nesting is None:
            if key == "description" and isinstance(value, str) and _TRAILING_BLANK.search(value):
                updates[key] = _TRAILING_BLANK.sub("", value)
        elif nesting == "map" and isinstance(value, dict):
            members = {name: _docstring_safe(sub) for name, sub in value.items()}
            if any(members[name] is not value[name] for name in value):
                updates[key] = members
        elif nesting == "list" and isinstance(value, list):
            items = [_docstring_safe(sub) for sub in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                updates[key] = items
        elif nesting == "single":
            new = _docstring_safe(value)
            if new is not value:
                updates[key] = new
    return {**schema, **updates} if updates else schema


def reserve_component_names(schemas: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The schemas behind a first one that refers to every component.

    datamodel-code-generator names a model the first time it meets it, so an inline model met
    earlier (OpenAI's `image` property of CreateImageEditRequest) can take a component's name
    (`Image`), leaving `Image1` to the component: `models.Image` was silently another model. Met
    through these refs first, every component keeps its name. `without_reservation` cuts the
    reservation's class from the output.
    """
    return {RESERVATION: {"anyOf": [{"$ref": _SCHEMAS + escape_token(name)} for name in schemas]}, **schemas}


# ---------------------------------------------------------------------------- its output

# A class statement in column 0 (its output is unformatted: one header line per class).
_CLASS_LINE = re.compile(r"^class ([^(\n]*)\(", re.MULTILINE)


def class_names(source: str) -> set[str]:
    """The names of the classes the module defines.

    A scan of its class lines rather than a parse, because this runs on every module and parsing
    a large one costs a noticeable share of the call while the scan costs next to nothing; both
    give the same names (tests/adapters/test_datamodel_codegen.py checks it).
    """
    return set(_CLASS_LINE.findall(source))


def names_contended(defined: set[str], components: set[str]) -> bool:
    """Whether a model other than a component's took, or was pushed off, that component's class
    name: a class of `defined` named like one of `components` plus digits (`Image1`) that is no
    component's own. Without one, `reserve_component_names` would name everything the same."""
    return any(name not in components and name.rstrip("0123456789") in components for name in defined)


def without_reservation(source: str) -> str:
    """The source without the class of `RESERVATION`, its `model_rebuild()` call, and the import
    of `RootModel` when only that class used it. What follows the class (the `model_rebuild()`
    calls of self-referencing models after the last class) stays."""
    tree = ast.parse(source)
    spans = Spans(source)
    cut: list[ast.stmt] = []
    for index, statement in enumerate(tree.body):
        if isinstance(statement, ast.ClassDef) and statement.name == RESERVATION:
            cut.append(statement)
            # The class and the blank lines after it, up to the next statement.
            following = tree.body[index + 1] if index + 1 < len(tree.body) else None
            last = following.lineno - 1 if following is not None else len(spans.starts) - 1
            spans.cut_lines(statement.lineno, last)
        elif _calls_method_of(statement, RESERVATION):
            cut.append(statement)
            assert statement.end_lineno is not None
            spans.cut_lines(statement.lineno, statement.end_lineno)
    if not any(isinstance(statement, ast.ClassDef) for statement in cut):
        raise SpecError.at("datamodel-code-generator dropped sdkgen's name reservation", pointer="/components/schemas")
    kept = [statement for statement in tree.body if statement not in cut and not _imports_from_pydantic(statement)]
    if not any(isinstance(node, ast.Name) and node.id == "RootModel" for s in kept for node in ast.walk(s)):
        pydantic = _first_import_from("pydantic", tree.body)
        if pydantic is not None:
            _drop_import("RootModel", pydantic, spans)
    return spans.result()


def _calls_method_of(statement: ast.stmt, name: str) -> bool:
    """`name.method(...)` as a statement of its own."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and isinstance(statement.value.func.value, ast.Name)
        and statement.value.func.value.id == name
    )


def _imports_from_pydantic(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "pydantic" and statement.level == 0


def _first_import_from(module: str, statements: Iterable[ast.stmt]) -> ast.ImportFrom | None:
    """The first `from <module> import ...` (absolute) of `statements`."""
    return next((s for s in statements if isinstance(s, ast.ImportFrom) and s.module == module and s.level == 0), None)


def _module_import_from(module: str, parts: ModuleParts) -> tuple[Part, ast.ImportFrom] | None:
    """The first `from <module> import ...` of the module, with the part that holds it."""
    for part, statement in parts.statements():
        if isinstance(statement, ast.ImportFrom) and statement.module == module and statement.level == 0:
            return part, statement
    return None


def _drop_import(name: str, statement: ast.ImportFrom, spans: Spans) -> None:
    """`name` cut from an import statement (with its comma) when it is listed there among others."""
    if len(statement.names) < 2:
        return
    names = statement.names
    for index, alias in enumerate(names):
        if alias.name == name and alias.asname is None:
            assert alias.end_lineno is not None and alias.end_col_offset is not None
            if index == 0:  # "RootModel, " up to the next name
                start, end = spans.at(alias.lineno, alias.col_offset), spans.at(names[1].lineno, names[1].col_offset)
            else:  # ", RootModel" from the end of the name before
                before = names[index - 1]
                assert before.end_lineno is not None and before.end_col_offset is not None
                start = spans.at(before.end_lineno, before.end_col_offset)
                end = spans.at(alias.end_lineno, alias.end_col_offset)
            spans.replace(start, end, "")
            return


def _drop_module_import(name: str, parts: ModuleParts, module: str = "pydantic") -> None:
    """`name` cut from the module's first `from <module> import ...` (with its comma) when it is
    listed there among others."""
    found = _module_import_from(module, parts)
    if found is not None:
        _drop_import(name, found[1], parts.spans(found[0]))


# ---------------------------------------------------------------------------- the corrections, in a series


def corrected(source: str) -> str:
    """datamodel-code-generator's models module with every correction made, in `CORRECTIONS`' order.

    The corrections share one parse of the module (`ModuleParts`): each sees the module as the
    ones before it left it, and only the statements they changed are parsed again.
    """
    parts = ModuleParts(source)
    for correction in CORRECTIONS:
        correction(parts)
    return parts.text()


def _alone(source: str, correction: Callable[[ModuleParts], None]) -> str:
    parts = ModuleParts(source)
    correction(parts)
    return parts.text()


def root_model_defaults_validated(source: str) -> str:
    """`root_model_defaults` on a module of its own."""
    return _alone(source, root_model_defaults)


def root_model_defaults(parts: ModuleParts) -> None:
    """Defaults of root-model-typed properties given as the model, not the plain value.

    `name: Annotated[Model | None, Field(..., validate_default=True)] = <plain value>`: a property
    whose type is a root model (a `$ref` to a primitive schema with a default, OpenAI's
    `parallel_tool_calls`) gets the plain value as its default, which pydantic turns into the
    model but mypy --strict refuses; `= Model.model_validate(<plain value>)` says the same to
    both (the constructor would not: a root of nested root models is typed narrower than what it
    accepts). Only for a model defined above: the default is evaluated when the class body runs.
    """
    # Without both no property can need it, and reading the module's statements is not free.
    text = parts.text()
    if "validate_default=True" not in text or "(RootModel[" not in text:
        return
    root_models: set[str] = set()
    for part, statement in parts.statements():
        if not isinstance(statement, ast.ClassDef):
            continue
        if any(isinstance(base, ast.Subscript) and _is_name(base.value, "RootModel") for base in statement.bases):
            root_models.add(statement.name)
        for field in statement.body:
            if not isinstance(field, ast.AnnAssign) or field.value is None or not isinstance(field.target, ast.Name):
                continue
            model = _validated_model(field.annotation)
            if model is None or model not in root_models:
                continue
            spans = parts.spans(part)
            default = spans.text(field.value)
            if default == "None" or default.startswith(f"{model}."):
                continue
            spans.replace_node(field.value, f"{model}.model_validate({default})")
    parts.commit()


def literal_defaults_validated(source: str) -> str:
    """`literal_defaults` on a module of its own."""
    return _alone(source, literal_defaults)


def literal_defaults(parts: ModuleParts) -> None:
    """Literal defaults of fields typed otherwise given as `Field(default=..., validate_default=True)`.

    datamodel-code-generator writes a property's default as the JSON value it is: `"about:blank"`
    for an `AnyUrl` field (`format: uri`), `"2024-01-02"` for a `date`, `{"a": 1}` for a model.
    mypy --strict refuses the assignment, and pydantic leaves an unvalidated default as it is
    (a `str` where the type says `AnyUrl`). Validated, the default becomes the field's type when
    a model is made, and `Field(..., validate_default=True)` is typed `Any`: both agree. The
    spec's defaults are instances of their schemas (generator.spec.defaults), so the validation
    succeeds. Literals that are already of the field's type (`"x"` for `str | Model`, `[1]` for
    `list[int]`) and non-literal defaults (enum members, `Model.model_validate(...)`) stay as
    they are.
    """
    if "= " not in parts.text():
        return
    changed = False
    annotated = False  # whether a field keeps an `Annotated[...]` (its import is then still used)
    for part, statement in parts.statements():
        if not isinstance(statement, ast.ClassDef):
            continue
        for field in statement.body:
            if not isinstance(field, ast.AnnAssign):
                continue
            keeps_annotated = _is_annotated(field.annotation)
            value = field.value
            if (
                value is None
                or not isinstance(field.target, ast.Name)
                or _is_none(value)
                or not _is_literal(value)
                or _literal_fits(value, field.annotation)
            ):
                annotated = annotated or keeps_annotated
                continue
            spans = parts.spans(part)
            spans.replace_node(value, f"Field(default={spans.text(value)}, validate_default=True)")
            kind = _only_validating_default(field.annotation)
            if kind is not None:  # `Annotated[T, Field(validate_default=True)]` says nothing more: T
                spans.replace_node(field.annotation, spans.text(kind))
                keeps_annotated = False
            annotated = annotated or keeps_annotated
            changed = True
    if not changed:
        parts.commit()
        return
    _ensure_pydantic_import("Field", parts)
    parts.commit()
    if not annotated:  # no field proved `Annotated` still in use: look everywhere
        _without_unused(parts, ("typing", "Annotated"))


def _is_annotated(annotation: ast.expr) -> bool:
    return isinstance(annotation, ast.Subscript) and _is_name(annotation.value, "Annotated")


def _without_unused(parts: ModuleParts, *imports: tuple[str, str]) -> None:
    """Each `(module, name)` cut from its `from <module> import ...` when nothing else uses it
    (each name from another module)."""
    used = {
        node.id
        for _, statement in parts.statements()
        if not isinstance(statement, ast.ImportFrom)
        for node in ast.walk(statement)
        if isinstance(node, ast.Name)
    }
    for module, name in imports:
        if name in used:
            continue
        found = _module_import_from(module, parts)
        if found is not None:
            spans = parts.spans(found[0])
            before = len(spans.edits)
            _drop_import(name, found[1], spans)
            if len(spans.edits) > before:
                continue
        for part, statement in parts.statements():  # the only name of its import: the whole statement goes
            if not isinstance(statement, ast.ImportFrom) or statement.module != module:
                continue
            if [alias.name for alias in statement.names] == [name]:
                assert statement.end_lineno is not None
                parts.spans(part).cut_lines(statement.lineno, statement.end_lineno)
    parts.commit()


def _only_validating_default(annotation: ast.expr) -> ast.expr | None:
    """T of `Annotated[T, Field(validate_default=True)]` (no other metadata), else None."""
    if not (isinstance(annotation, ast.Subscript) and _is_name(annotation.value, "Annotated")):
        return None
    parts = annotation.slice
    if not isinstance(parts, ast.Tuple) or len(parts.elts) != 2:
        return None
    field = parts.elts[1]
    if not (isinstance(field, ast.Call) and _is_name(field.func, "Field")) or field.args:
        return None
    keywords = field.keywords
    if len(keywords) != 1 or keywords[0].arg != "validate_default" or not _is_true(keywords[0].value):
        return None
    return parts.elts[0]


def _is_literal(node: ast.expr) -> bool:
    """A JSON value written as a Python literal (numbers, strings, booleans, None, lists, dicts)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.List | ast.Tuple):
        return all(_is_literal(item) for item in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is not None and _is_literal(key) for key in node.keys) and all(
            _is_literal(item) for item in node.values
        )
    return False


def _literal_fits(value: ast.expr, annotation: ast.expr) -> bool:
    """Whether mypy takes the literal `value` for the field's type (inside `Annotated[...]`)."""
    if isinstance(annotation, ast.Subscript) and _is_name(annotation.value, "Annotated"):
        parts = annotation.slice
        annotation = parts.elts[0] if isinstance(parts, ast.Tuple) and parts.elts else parts
    return _fits(value, annotation)


# The builtin types a JSON scalar literal is an instance of, by its Python type.
_SCALAR_TYPES = {str: ("str",), bool: ("bool",), int: ("int", "float"), float: ("float",)}


def _fits(value: ast.expr, kind: ast.expr) -> bool:
    if isinstance(kind, ast.BinOp) and isinstance(kind.op, ast.BitOr):
        return _fits(value, kind.left) or _fits(value, kind.right)
    if _is_name(kind, "Any"):
        return True
    if isinstance(kind, ast.Constant) and kind.value is None:
        return _is_none(value)
    if isinstance(value, ast.UnaryOp):  # -1
        value = value.operand
    if isinstance(kind, ast.Name) and isinstance(value, ast.Constant):
        return kind.id in _SCALAR_TYPES.get(type(value.value), ())
    if not isinstance(kind, ast.Subscript) or not isinstance(kind.value, ast.Name):
        return False
    arguments = kind.slice.elts if isinstance(kind.slice, ast.Tuple) else [kind.slice]
    if kind.value.id == "Literal":
        return isinstance(value, ast.Constant) and any(
            isinstance(option, ast.Constant) and option.value == value.value for option in arguments
        )
    if kind.value.id == "list" and isinstance(value, ast.List) and len(arguments) == 1:
        return all(_fits(item, arguments[0]) for item in value.elts)
    if kind.value.id == "dict" and isinstance(value, ast.Dict) and len(arguments) == 2:
        return all(_fits(item, arguments[1]) for item in value.values)
    return False


def _ensure_pydantic_import(name: str, parts: ModuleParts) -> None:
    """`name` added to the first `from pydantic import ...` when it is not imported there."""
    found = _module_import_from("pydantic", parts)
    if found is None:
        raise SpecError.at("datamodel-code-generator's models import nothing from pydantic", pointer="/components")
    part, statement = found
    if any(alias.name == name and alias.asname is None for alias in statement.names):
        return
    last = statement.names[-1]
    assert last.end_lineno is not None and last.end_col_offset is not None
    spans = parts.spans(part)
    end = spans.at(last.end_lineno, last.end_col_offset)
    spans.replace(end, end, f", {name}")  # the format step sorts the names


def _validated_model(annotation: ast.expr) -> str | None:
    """`Model` of `Annotated[Model, Field(..., validate_default=True, ...)]` (or `Model | None`)."""
    if not (isinstance(annotation, ast.Subscript) and _is_name(annotation.value, "Annotated")):
        return None
    parts = annotation.slice
    if not isinstance(parts, ast.Tuple) or len(parts.elts) < 2:
        return None
    kind, field = parts.elts[0], parts.elts[1]
    if isinstance(kind, ast.BinOp) and isinstance(kind.op, ast.BitOr) and _is_none(kind.right):
        kind = kind.left
    if not isinstance(kind, ast.Name):
        return None
    if not (isinstance(field, ast.Call) and _is_name(field.func, "Field")):
        return None
    if not any(k.arg == "validate_default" and _is_true(k.value) for k in field.keywords):
        return None
    return kind.id


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


# ---------------------------------------------------------------------------- open enums

# How an enum-typed value is annotated once open: its class first (so a known value becomes the
# member), else the plain value. Smart-mode unions would take the plain `str` for every value.
OPEN_ENUM = 'Annotated[{name} | {value}, Field(union_mode="left_to_right")]'
_ENUM_VALUE_TYPES = {"StrEnum": "str", "IntEnum": "int"}


def enum_value_types(source: str) -> dict[str, str]:
    """The enum classes of a models module whose values are all strings or all integers (a null
    member aside), each with that value type (`str` or `int`); other enums are left out."""
    return _enum_value_types(ast.parse(source).body)


def _enum_value_types(statements: Iterable[ast.stmt]) -> dict[str, str]:
    found: dict[str, str] = {}
    for statement in statements:
        if not isinstance(statement, ast.ClassDef):
            continue
        bases = [base.id for base in statement.bases if isinstance(base, ast.Name)]
        if any(base in _ENUM_VALUE_TYPES for base in bases):
            found[statement.name] = next(_ENUM_VALUE_TYPES[b] for b in bases if b in _ENUM_VALUE_TYPES)
        elif bases == ["Enum"]:
            values = [
                node.value.value
                for node in statement.body
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            ]
            kinds = {type(value) for value in values if value is not None}
            if kinds == {str}:
                found[statement.name] = "str"
            elif kinds == {int}:
                found[statement.name] = "int"
    return found


def open_enums(source: str) -> str:
    """`open_enum_fields` on a module of its own."""
    return _alone(source, open_enum_fields)


def open_enum_fields(parts: ModuleParts) -> None:
    """Every field (and root model) typed by an enum class also takes a value the enum does not list.

    `kind: Kind` becomes `kind: Annotated[Kind | str, Field(union_mode="left_to_right")]`: a
    listed value still parses into its member (so code that compares members keeps narrowing),
    a value added to the API later stays the plain string it came as, instead of failing the
    whole model. Whether such a value is acceptable is the validators' verdict (requests are
    refused, responses warn). Names inside `Literal[...]` (discriminator values) stay as they are.
    """
    enums = _enum_value_types(statement for _, statement in parts.statements())
    if not enums:
        return
    for part, statement in parts.statements():
        alias = _alias_value(statement)
        if alias is not None:  # a union of models (`union_aliases`)
            annotations = [alias]
        elif not isinstance(statement, ast.ClassDef) or statement.name in enums:
            continue
        else:
            roots = [base for base in statement.bases if isinstance(base, ast.Subscript)]
            annotations = [base.slice for base in roots if _is_name(base.value, "RootModel")]
            annotations += [field.annotation for field in statement.body if isinstance(field, ast.AnnAssign)]
        for annotation in annotations:
            for name in _enum_names(annotation, enums):
                spans = parts.spans(part)
                start = spans.at(name.lineno, name.col_offset)
                end = spans.at(name.lineno, name.end_col_offset or name.col_offset)
                spans.replace(start, end, OPEN_ENUM.format(name=name.id, value=enums[name.id]))
    if parts.commit():
        _with_imports(parts, typing={"Annotated"}, pydantic={"Field"})


def _enum_names(annotation: ast.expr, enums: dict[str, str]) -> list[ast.Name]:
    """The names of enum classes in an annotation, outside `Literal[...]`."""
    found: list[ast.Name] = []
    stack: list[ast.AST] = [annotation]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Subscript) and _is_name(node.value, "Literal"):
            continue
        if isinstance(node, ast.Call | ast.Attribute):  # `Field(...)` metadata, `Kind.A` values
            continue
        if isinstance(node, ast.Name) and node.id in enums:
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _with_imports(parts: ModuleParts, **modules: set[str]) -> None:
    """`from <module> import ...` lines (`typing=`, `pydantic=`, ...) for the names the module
    lacks, after `from __future__ import annotations` (the formatter's import sort merges them)."""
    imported = {
        (statement.module, alias.asname or alias.name)
        for statement in _header(parts.text()).body
        if isinstance(statement, ast.ImportFrom) and statement.level == 0
        for alias in statement.names
    }
    lines = [
        f"from {module} import {name}\n"
        for module, names in modules.items()
        for name in sorted(names)
        if (module, name) not in imported
    ]
    _after_future_import(parts, "".join(lines))


def _after_future_import(parts: ModuleParts, lines: str) -> None:
    """`lines` (import statements) inserted after `from __future__ import annotations`, or at the
    top without one; the formatter's import sort puts them in place."""
    parts.insert_after("from __future__ import annotations\n", lines)


def _header(source: str) -> ast.Module:
    """The statements before the module's first class: its imports, parsed without the rest
    (a large models module takes a third of a second to parse; its imports, a millisecond)."""
    first_class = source.find("\nclass ")
    if first_class >= 0:
        try:
            return ast.parse(source[:first_class])
        except SyntaxError:  # not cut between statements after all: read the whole module
            pass
    return ast.parse(source)


# ---------------------------------------------------------------------------- unions as type aliases

# How a union of models is written: a type alias, so a value of it is one of its models (no
# `.root` to reach it), and the name is kept at run time (`Shape.__name__`) for messages.
UNION_ALIAS = '{name} = TypeAliasType("{name}", {value})'


# A class line of a root model whose type has a union in it (datamodel-code-generator writes the
# class statement on one line).
_UNION_ROOT_LINE = re.compile(r"^class \w+\(RootModel\[.*\|", re.MULTILINE)


def union_aliases(source: str) -> str:
    """`union_alias_models` on a module of its own."""
    return _alone(source, union_alias_models)


def union_alias_models(parts: ModuleParts) -> None:
    """Root models of a union with a model among its members become type aliases.

    `class Shape(RootModel[Circle | Square]): root: Annotated[Circle | Square, Field(...)]` becomes
    `Shape = TypeAliasType("Shape", Annotated[Circle | Square, Field(...)])`: a `oneOf`/`anyOf` of
    object schemas (a primitive or null may be among them) is a plain union of its models, so
    what an operation returns is a `Circle` or a `Square`, narrowed by `isinstance`, and a body
    takes either. datamodel-code-generator's `use_type_alias` would make every root model an
    alias (lists, tuples, constrained scalars); only unions are meant here. pydantic reads the
    alias wherever it is used (fields, `TypeAdapter`), `typing_extensions` (a dependency of
    pydantic) has `TypeAliasType` for Python 3.11. A class docstring stays, as the alias's.
    A root model with a default, other members, or used as a class (a base, `Shape.x`) stays.
    """
    if _UNION_ROOT_LINE.search(parts.text()) is None:  # no root model of a union: no tree needed
        return
    body = list(parts.statements())
    part_of = {id(statement): part for part, statement in body}
    statements = [statement for _, statement in body]
    models: set[str] = set()
    candidates: dict[str, tuple[ast.ClassDef, ast.AnnAssign]] = {}
    for statement in statements:
        if not isinstance(statement, ast.ClassDef):
            continue
        bases = [base.id for base in statement.bases if isinstance(base, ast.Name)]
        if any(base == "BaseModel" or base in models for base in bases):
            models.add(statement.name)
            continue
        root = _union_root(statement)
        if root is not None and any(
            isinstance(member, ast.Name) and (member.id in models or member.id in candidates)
            for member in _union_members(root.annotation)
        ):
            candidates[statement.name] = (statement, root)
    if not candidates:
        return
    rebuilds: list[ast.stmt] = []
    for statement in statements:
        for name in candidates:
            if _calls_method_of(statement, name):
                rebuilds.append(statement)
    kept = [statement for statement in statements if statement not in rebuilds]
    for node in (node for statement in kept for node in ast.walk(statement)):
        if isinstance(node, ast.ClassDef):  # a subclass of the root model needs the class
            for base in node.bases:
                if isinstance(base, ast.Name):
                    candidates.pop(base.id, None)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            candidates.pop(node.value.id, None)  # `Shape.model_validate(...)`: a class is needed
    if not candidates:
        return
    for name, (statement, root) in candidates.items():
        spans = parts.spans(part_of[id(statement)])
        text = UNION_ALIAS.format(name=name, value=spans.text(root.annotation)) + "\n"
        docstring = next((found for item in statement.body if (found := _docstring_of(item))), None)
        if docstring:
            escaped = docstring.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
            text += f'"""{escaped}"""\n' if "\n" not in escaped else f'"""\n{escaped}\n"""\n'
        assert statement.end_lineno is not None
        spans.replace(spans.at(statement.lineno), spans.at(statement.end_lineno + 1), text)
    for statement in rebuilds:
        if any(_calls_method_of(statement, name) for name in candidates):
            assert statement.end_lineno is not None
            parts.spans(part_of[id(statement)]).cut_lines(statement.lineno, statement.end_lineno)
    remaining = [s for s in statements if not (isinstance(s, ast.ClassDef) and s.name in candidates)]
    if not any(isinstance(node, ast.Name) and node.id == "RootModel" for s in remaining for node in ast.walk(s)):
        _drop_module_import("RootModel", parts)
    parts.commit()
    _with_imports(parts, typing_extensions={"TypeAliasType"})


# An alias statement in column 0, as `union_aliases` writes it (one line each before formatting).
_ALIAS_LINE = re.compile(r'^(\w+) = TypeAliasType\("', re.MULTILINE)


def union_alias_names(source: str) -> set[str]:
    """The names `union_aliases` made type aliases in a models module (a scan, like `class_names`)."""
    return set(_ALIAS_LINE.findall(source))


def _alias_value(statement: ast.stmt) -> ast.expr | None:
    """The value of `Name = TypeAliasType("Name", value)`; None for any other statement."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(statement.value, ast.Call)
        and _is_name(statement.value.func, "TypeAliasType")
        and len(statement.value.args) == 2
    ):
        return statement.value.args[1]
    return None


def _union_root(statement: ast.ClassDef) -> ast.AnnAssign | None:
    """The `root` field of a `RootModel[...]` class holding nothing else (a docstring and a
    `model_config` aside), when its type is a union and it has no default."""
    if not any(isinstance(base, ast.Subscript) and _is_name(base.value, "RootModel") for base in statement.bases):
        return None
    if statement.decorator_list or statement.keywords or len(statement.bases) != 1:
        return None
    root: ast.AnnAssign | None = None
    for item in statement.body:
        if _docstring_of(item) is not None:
            continue  # the class's or the root's
        if isinstance(item, ast.Assign) and [_target_name(t) for t in item.targets] == ["model_config"]:
            continue
        if isinstance(item, ast.AnnAssign) and _target_name(item.target) == "root" and item.value is None:
            root = item
            continue
        return None
    if root is None or len(_union_members(root.annotation)) < 2:
        return None
    return root


def _docstring_of(statement: ast.stmt) -> str | None:
    """The text of a string statement (a docstring), cleaned as `ast.get_docstring` cleans it."""
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        value = statement.value.value
        if isinstance(value, str):
            return inspect.cleandoc(value)
    return None


def _target_name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _union_members(annotation: ast.expr) -> list[ast.expr]:
    """The members of a `A | B | ...` annotation (inside `Annotated[...]`); one for anything else."""
    if isinstance(annotation, ast.Subscript) and _is_name(annotation.value, "Annotated"):
        parts = annotation.slice
        annotation = parts.elts[0] if isinstance(parts, ast.Tuple) and parts.elts else parts
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _union_members(annotation.left) + _union_members(annotation.right)
    return [annotation]


# ---------------------------------------------------------------------------- optional, never null

# How the models import the runtime's marker.
NOT_NULL_IMPORT = "from ._runtime.parsing import NotNull\n"


def not_null_fields(source: str) -> str:
    """`not_null_marks` on a module of its own."""
    return _alone(source, not_null_marks)


def not_null_marks(parts: ModuleParts) -> None:
    """`NOT_NULL_KEY` marks turned into the runtime's `NotNull` on the fields that default to None.

    The emitter marks each optional member whose schema refuses null; datamodel-code-generator
    writes it `title: Annotated[str | None, Field(json_schema_extra={...: True}, min_length=1)] =
    None`. The mark goes, and a field that defaults to None gets `NotNull` instead:
    `Annotated[str | None, Field(min_length=1), NotNull] = None`, so an explicit None is refused
    when the model is made while an absent member still reads as None. A field with another
    default loses `None` from its type (`str = "about:blank"`: it is never None); a required
    field the mark reached loses the mark and nothing else.
    """
    text = parts.text()
    if NOT_NULL_KEY not in text:
        return
    done: set[int] = set()
    uses = dropped = False
    still_used: set[str] = set()  # of Annotated and Field, seen in a field as the pass leaves it
    for part, statement in parts.statements():
        if not isinstance(statement, ast.ClassDef):
            continue
        for field in statement.body:
            if not isinstance(field, ast.AnnAssign):
                continue
            if field.value is not None and isinstance(field.value, ast.Call) and _is_name(field.value.func, "Field"):
                still_used.add("Field")
            annotation = field.annotation
            if not (isinstance(annotation, ast.Subscript) and _is_name(annotation.value, "Annotated")):
                continue
            elements = annotation.slice
            if not isinstance(elements, ast.Tuple) or len(elements.elts) < 2:
                continue
            marks = [meta for meta in elements.elts[1:] if _not_null_mark(meta) is not None]
            if not marks:
                still_used.add("Annotated")
                if any(isinstance(meta, ast.Call) and _is_name(meta.func, "Field") for meta in elements.elts[1:]):
                    still_used.add("Field")
                continue
            spans = parts.spans(part)
            metadata = [_without_mark(meta, spans) if meta in marks else spans.text(meta) for meta in elements.elts[1:]]
            dropped = dropped or "Field()" in metadata  # its import may be left unused
            metadata = [text for text in metadata if text != "Field()"]
            if any(text.startswith("Field(") for text in metadata):
                still_used.add("Field")
            kind = spans.text(elements.elts[0])
            if field.value is not None and _is_none(field.value):
                metadata.append("NotNull")
                uses = True
            elif field.value is not None and not isinstance(field.value, ast.Call):
                kind = _without_none(elements.elts[0], spans)  # a default: the field is never None
            if metadata:
                still_used.add("Annotated")
            spans.replace_node(annotation, f"Annotated[{', '.join([kind, *metadata])}]" if metadata else kind)
            done.update(id(meta) for meta in marks)
    # A mark anywhere else (nested in a type): only the mark goes. Rare, and a walk of every node
    # of a large module is not free: only when marks are left.
    if text.count(NOT_NULL_KEY) > len(done):
        for part, statement in parts.statements():
            for node in ast.walk(statement):
                if not isinstance(node, ast.Call) or id(node) in done or _not_null_mark(node) is None:
                    continue
                spans = parts.spans(part)
                if not any(start <= spans.at(node.lineno, node.col_offset) < end for start, end, _ in spans.edits):
                    spans.replace_node(node, _without_mark(node, spans))
                    dropped = True
    parts.commit()
    if NOT_NULL_KEY in parts.text():
        raise SpecError.at("sdkgen could not place a not-null mark in the models", pointer="/components/schemas")
    if uses:
        _after_future_import(parts, NOT_NULL_IMPORT)
    # Only what no field showed in use is looked for everywhere (a walk of the module).
    unproven = [
        (module, name) for module, name in (("typing", "Annotated"), ("pydantic", "Field")) if name not in still_used
    ]
    if dropped and unproven:
        _without_unused(parts, *unproven)


def _without_none(kind: ast.expr, spans: Spans) -> str:
    """A union type's source without its `None` member (`str | None` -> `str`)."""
    members: list[ast.expr] = []
    stack = [kind]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            stack += [node.right, node.left]
        else:
            members.append(node)
    kept = [member for member in members if not _is_none(member)]
    return " | ".join(spans.text(member) for member in kept) if kept else spans.text(kind)


def _not_null_mark(node: ast.expr) -> ast.keyword | None:
    """The `json_schema_extra={..., NOT_NULL_KEY: True}` keyword of a `Field(...)` call, if it has one."""
    if not (isinstance(node, ast.Call) and _is_name(node.func, "Field")):
        return None
    for keyword in node.keywords:
        value = keyword.value
        if (
            keyword.arg == "json_schema_extra"
            and isinstance(value, ast.Dict)
            and any(isinstance(key, ast.Constant) and key.value == NOT_NULL_KEY for key in value.keys)
        ):
            return keyword
    return None


def _without_mark(call: ast.expr, spans: Spans) -> str:
    """A marked `Field(...)` call's source without the mark (other extra keys stay)."""
    assert isinstance(call, ast.Call)
    mark = _not_null_mark(call)
    arguments = [spans.text(argument) for argument in call.args]
    for keyword in call.keywords:
        if keyword is not mark:
            arguments.append(f"{keyword.arg}={spans.text(keyword.value)}" if keyword.arg else spans.text(keyword.value))
            continue
        assert isinstance(keyword.value, ast.Dict)
        items = [
            f"{spans.text(key)}: {spans.text(value)}"
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True)
            if key is not None and not (isinstance(key, ast.Constant) and key.value == NOT_NULL_KEY)
        ]
        if items:
            arguments.append(f"json_schema_extra={{{', '.join(items)}}}")
    return f"Field({', '.join(arguments)})"


def unprotected_namespaces(source: str) -> str:
    """`unprotected_model_fields` on a module of its own."""
    return _alone(source, unprotected_model_fields)


def unprotected_model_fields(parts: ModuleParts) -> None:
    """`protected_namespaces=()` in the config of every model with a field named `model_...`.

    A spec member named `model_dump` becomes the field `model_dump_`, which pydantic warns about
    at import ("conflicts with protected namespace 'model_'"): a vendored package must import
    silently. Only such models change; their field names cannot shadow pydantic's methods, which
    the generator already renames away (`model_dump` -> `model_dump_`).
    """
    if "    model_" not in parts.text().replace("    model_config =", ""):
        return
    for part, statement in parts.statements():
        if not isinstance(statement, ast.ClassDef):
            continue
        fields = [
            item
            for item in statement.body
            if isinstance(item, ast.AnnAssign)
            and isinstance(item.target, ast.Name)
            and item.target.id.startswith("model_")
        ]
        if not fields:
            continue
        spans = parts.spans(part)
        config = next(
            (
                item.value
                for item in statement.body
                if isinstance(item, ast.Assign)
                and [_target_name(target) for target in item.targets] == ["model_config"]
                and isinstance(item.value, ast.Call)
            ),
            None,
        )
        if isinstance(config, ast.Call) and config.end_lineno is not None and config.end_col_offset is not None:
            if any(keyword.arg == "protected_namespaces" for keyword in config.keywords):
                continue
            last = (config.args + [keyword.value for keyword in config.keywords])[-1:]
            if last and last[0].end_lineno is not None and last[0].end_col_offset is not None:
                end = spans.at(last[0].end_lineno, last[0].end_col_offset)  # after its last argument
                spans.replace(end, end, ", protected_namespaces=()")
            else:
                end = spans.at(config.end_lineno, config.end_col_offset) - 1  # before its closing bracket
                spans.replace(end, end, "protected_namespaces=()")
        else:
            line = spans.at(fields[0].lineno)
            spans.replace(line, line, "    model_config = ConfigDict(protected_namespaces=())\n")
            _ensure_pydantic_import("ConfigDict", parts)
    parts.commit()


# The corrections `corrected` makes, in this order: each sees the module as the ones before left it.
CORRECTIONS: tuple[Callable[[ModuleParts], None], ...] = (
    not_null_marks,
    union_alias_models,
    root_model_defaults,
    literal_defaults,
    open_enum_fields,
    unprotected_model_fields,
)
