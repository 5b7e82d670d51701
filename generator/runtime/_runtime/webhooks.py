"""Webhooks: a payload the API sent to your server, checked and parsed into its model.

`webhooks.parse_<name>(body)` takes the request body as received (bytes or text: JSON, or a
urlencoded form where the spec says so) or already decoded (a mapping), checks it with the
package's compiled validator for the webhook's schema, and returns its model. The API is the
sender, so like a response a payload that grew is accepted: members a closed object does not
list and enum values the spec does not list are logged as warnings (`strict=True` refuses
them); any other issue raises `WebhookValidationError` with every issue and its pointer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, TypeVar, overload
from urllib.parse import parse_qs

from pydantic import BaseModel, ValidationError

from ..errors import WebhookValidationError
from .checks import Issue, Validator
from .parsing import validate_as
from .responses import ADDITIVE_KEYWORDS, UNKNOWN_MEMBER_KEYWORDS


def decode(body: object, name: str, *, form: bool = False) -> Any:
    """The payload as JSON data: bytes and text decoded (JSON, or a form), a mapping as it is."""
    target = f"the {name} webhook payload"
    if isinstance(body, bytes | bytearray | memoryview):
        try:
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError as error:
            raise WebhookValidationError([Issue("", "type", f"not UTF-8: {error}")], target=target) from None
    if isinstance(body, str):
        if form:
            fields = parse_qs(body, keep_blank_values=True)
            return {key: values[0] if len(values) == 1 else values for key, values in fields.items()}
        try:
            return json.loads(body)
        except ValueError as error:
            raise WebhookValidationError([Issue("", "type", f"not JSON: {error}")], target=target) from None
        except RecursionError:  # a sender's payload nested beyond what Python can decode
            raise WebhookValidationError([Issue("", "x-depth", "nested too deeply to decode")], target=target) from None
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(body, Mapping):
        return dict(body)
    if isinstance(body, list | int | float | bool) or body is None:
        return body
    raise WebhookValidationError(
        [Issue("", "type", f"expected bytes, text or decoded JSON, not {type(body).__name__}")], target=target
    )


M = TypeVar("M", bound=BaseModel)


@overload
def parse_webhook(
    body: object,
    model: type[M],
    validate: Validator,
    name: str,
    logger: logging.Logger,
    *,
    strict: bool = False,
    form: bool = False,
) -> M: ...


@overload
def parse_webhook(
    body: object,
    model: object,  # an Enum class, the type alias of a union of models, or None
    validate: Validator,
    name: str,
    logger: logging.Logger,
    *,
    strict: bool = False,
    form: bool = False,
) -> Any: ...


def parse_webhook(
    body: object,
    model: object,
    validate: Validator,
    name: str,
    logger: logging.Logger,
    *,
    strict: bool = False,
    form: bool = False,
) -> Any:
    """The payload of webhook `name` as its model (plain JSON when the spec gives no schema)."""
    data = decode(body, name, form=form)
    target = f"the {name} webhook payload"
    try:
        issues = [issue for issue in validate(data) if issue.severity == "error"]
    except RecursionError:
        raise WebhookValidationError([Issue("", "x-depth", "nested too deeply to check")], target=target) from None
    blocking = issues if strict else [issue for issue in issues if issue.keyword not in ADDITIVE_KEYWORDS]
    if blocking:
        raise WebhookValidationError(blocking, target=target)
    for issue in issues:
        logger.warning(
            "%s has what the spec does not list: %s: %s [%s] (kept; strict=True makes this an error)",
            target,
            issue.pointer or "(root)",
            issue.message,
            issue.keyword,
        )
    if model is None:
        return data
    try:
        keep_unknown = any(issue.keyword in UNKNOWN_MEMBER_KEYWORDS for issue in issues)
        return validate_as(model, data, keep_unknown=keep_unknown)
    except ValidationError as error:
        raise WebhookValidationError(
            [
                Issue("".join(f"/{part}" for part in item["loc"]), item["type"], item["msg"])
                for item in error.errors(include_url=False)
            ],
            target=target,
        ) from None
