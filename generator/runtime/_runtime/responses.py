"""Responses: which model each status parses into, and the raw `APIResponse`.

A success body that is not JSON, or does not match the documented schema, raises
`APIResponseValidationError`; the body of an error status is parsed by the transport into
the error model the spec declares for it (`ResponseSpec.error_target`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any, Generic, Literal, TypeVar, cast

import httpx
from pydantic import BaseModel, ValidationError

from ..errors import APIResponseValidationError

T = TypeVar("T")

Target = type[BaseModel] | type[Enum] | Literal["json"] | None
"""What a response body parses into: a model (an Enum for an enum schema), plain JSON, or nothing (no body)."""


class ResponseSpec(Generic[T]):
    """Which model each status parses into (the spec's `responses` of one operation)."""

    __slots__ = ("error_default", "error_ranges", "errors", "fallback", "success")

    def __init__(
        self,
        *,
        success: Mapping[int, Target],
        fallback: Target,
        errors: Mapping[int, Target] | None = None,
        error_ranges: Mapping[int, Target] | None = None,
        error_default: Target = None,
    ) -> None:
        self.success = dict(success)
        self.fallback = fallback
        self.errors = dict(errors or {})
        self.error_ranges = dict(error_ranges or {})
        self.error_default = error_default

    def parse(self, response: httpx.Response) -> T:
        """The success body as the documented model; APIResponseValidationError otherwise."""
        target = self.success.get(response.status_code, self.fallback)
        if target is None:
            return cast(T, None)
        status = response.status_code
        if target == "json":
            try:
                return cast(T, json.loads(response.content))
            except ValueError:
                raise _not_json("body", status, response) from None
        if issubclass(target, Enum):
            return cast(T, _enum_member(target, response, status))
        try:
            return cast(T, target.model_validate_json(response.content))
        except ValidationError as error:
            problems = error.errors(include_url=False)
            if problems and problems[0]["type"] == "json_invalid":
                raise _not_json(target.__name__, status, response) from None
            summary = "; ".join(
                f"{'/'.join(str(p) for p in item['loc']) or '(root)'}: {item['msg']}" for item in problems[:5]
            )
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise APIResponseValidationError(
                f"the {status} response does not match {target.__name__}: {summary}{more}",
                response=response,
                body=json_or_text(response),
            ) from error

    def error_target(self, status: int) -> Target:
        if status in self.errors:
            return self.errors[status]
        return self.error_ranges.get(status // 100, self.error_default)


def _enum_member(target: type[Enum], response: httpx.Response, status: int) -> Enum:
    """The member of an enum schema's class that a JSON response body names."""
    try:
        value = json.loads(response.content)
    except ValueError:
        raise _not_json(target.__name__, status, response) from None
    try:
        return target(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in target)
        raise APIResponseValidationError(
            f"the {status} response does not match {target.__name__}: {value!r} is not one of {allowed}",
            response=response,
            body=value,
        ) from None


def _not_json(what: str, status: int, response: httpx.Response) -> APIResponseValidationError:
    """The error for a success body that is not JSON where the spec documents `what`."""
    return APIResponseValidationError(
        f"expected a JSON {what} with status {status}, got {_describe(response)}",
        response=response,
        body=response.text,
    )


def _describe(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "no content type")
    text = response.text[:80]
    return f"{kind}: {text!r}" if text else f"{kind} and an empty body"


def json_or_text(response: httpx.Response) -> object:
    """The body as JSON, or as text when it is not JSON (what an error's `body` holds)."""
    try:
        return json.loads(response.content)
    except ValueError:
        return response.text


class APIResponse(Generic[T]):
    """A raw response (`client.with_raw_response.<method>(...)`): status, headers, `.parse()`."""

    def __init__(self, http_response: httpx.Response, responses: ResponseSpec[T], retries_taken: int) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._responses = responses

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> T:
        """The body as the model the spec documents for this status."""
        return self._responses.parse(self.http_response)

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.request.method} {self.request.url.path}>"
