"""Models step: pydantic v2 models for every named schema, by datamodel-code-generator.

Called in-process through its Python API. The options below are what make its output
`mypy --strict` clean without a plugin (annotated constraints, enum defaults as members)
and deterministic (no timestamp); formatting is left to the one ruff pass over every
emitted file (`generator.format`), which is much faster than its black/isort pass.
"""

from __future__ import annotations

import copy
import re
import warnings
from typing import Any

from generator.diagnostics import SpecError
from generator.ir import Api, JsonValue
from generator.load import escape_token, split_pointer

_SCHEMAS = "#/components/schemas/"

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
    # Formats whose pydantic types need a package beyond pydantic (email-validator,
    # python-ulid) or change the value on the wire (SecretStr dumps as "**********").
    "type_mappings": ["string+email=string", "string+idn-email=string", "string+ulid=string", "string+password=string"],
}


def render_models(api: Api, header: str) -> str:
    """The source of models.py (unformatted); SpecError if the generator refuses the schemas."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    if not api.schemas:  # datamodel-code-generator refuses a document without schemas
        return header.rstrip("\n") + '\n"""The spec declares no schemas, so there are no models."""\n'
    document = _document_for_models(api)
    try:
        with warnings.catch_warnings():
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
    for schema in api.schemas:
        if not re.search(rf"^class {re.escape(schema.class_name)}\(", source, re.MULTILINE):
            raise SpecError.at(
                f"datamodel-code-generator did not name the model of {schema.name!r} {schema.class_name!r}; "
                "give the schema an x-sdkgen-name",
                pointer=schema.pointer,
            )
    return source


def _document_for_models(api: Api) -> JsonValue:
    """The document datamodel-code-generator reads: component schemas named by their class names."""
    renames = {s.name: s.class_name for s in api.schemas if s.name != s.class_name}
    schemas: dict[str, JsonValue] = dict(api.document.get("components", {}).get("schemas", {}))
    if renames:
        schemas = {renames.get(name, name): body for name, body in copy.deepcopy(schemas).items()}
        _rename_refs(schemas, renames)
    return {
        "openapi": "3.1.0",  # parse.py normalised 3.0 schemas to 2020-12
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _rename_refs(node: JsonValue, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMAS):
            tokens = split_pointer(ref[1:])
            if len(tokens) >= 3 and tokens[2] in renames:
                tokens[2] = renames[tokens[2]]
                node["$ref"] = "#" + "".join("/" + escape_token(t) for t in tokens)
        for value in node.values():
            _rename_refs(value, renames)
    elif isinstance(node, list):
        for item in node:
            _rename_refs(item, renames)
