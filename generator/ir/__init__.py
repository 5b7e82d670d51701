"""The intermediate representation: the dataclasses (`model`), built from a loaded spec by `parse`,
with the Python names every emitter uses (`names`). Emitters import the dataclasses from here."""

from generator.ir.model import (
    Api,
    Example,
    JsonValue,
    Operation,
    Pagination,
    Parameter,
    RequestBody,
    Response,
    Rule,
    Schema,
    SecurityScheme,
    Server,
    ServerVariable,
    SkippedOperation,
    Webhook,
)

__all__ = [
    "Api",
    "Example",
    "JsonValue",
    "Operation",
    "Pagination",
    "Parameter",
    "RequestBody",
    "Response",
    "Rule",
    "Schema",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "SkippedOperation",
    "Webhook",
]
