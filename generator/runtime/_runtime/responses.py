"""Responses: what each status's body is read as, how strictly, and the raw `APIResponse`.

A JSON success body is checked by the package's compiled validator for its schema (the
spec's verdict), then parsed into the model. Servers add members and enum values without
notice, so by default those two mismatches (keywords in `ADDITIVE_KEYWORDS`) are logged as
warnings and the body still parses: the unknown members are kept on the model
(`model_extra`), an unknown enum value stays the plain value. Every other mismatch raises
`APIResponseValidationError`; with `strict_responses=True` every mismatch does. Bodies of
other media types are `bytes` or `str`; event streams are in `events`. The body of an error
status is parsed by the transport into the error model the spec declares for it
(`ResponseSpec.error_target`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Literal, TypeVar, cast

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import APIResponseValidationError, IssueLike
from .checks import Validator
from .parsing import type_name, validate_as

T = TypeVar("T")

ADDITIVE_KEYWORDS = frozenset({"enum", "additionalProperties", "unevaluatedProperties"})
"""The issues an API that grows causes: a value an enum does not list, a member a closed object does not list."""
UNKNOWN_MEMBER_KEYWORDS = frozenset({"additionalProperties", "unevaluatedProperties"})

ErrorTarget = type[BaseModel] | type[Enum] | object | Literal["json"] | None
"""What an error body parses into: a model, the type alias of a union of models (an `object`
here: `typing_extensions.TypeAliasType`, not imported so that the runtime needs only httpx and
pydantic), plain JSON, or nothing."""


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """How a response is read: strictly or not, where warnings go, for which client flavour."""

    strict: bool = False
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger(__name__.split(".")[0]))
    asynchronous: bool = False


class BodyParser:
    """How a success body is read (one per documented media type)."""

    streams = False
    """Whether the body is read while it arrives (an event stream), not before the call returns."""

    def parse(self, response: httpx.Response, options: ParseOptions) -> Any:
        raise NotImplementedError


class Model(BodyParser):
    """A JSON body checked by the schema's compiled validator, then parsed into its model.

    The model is a pydantic model, the Enum class of an enum schema (a value the enum does not
    list is returned as it is, when lenient), or the type alias of a `oneOf`/`anyOf` of models
    (the value is the branch's model, read through a cached `TypeAdapter`).
    """

    __slots__ = ("model", "name", "validate")

    def __init__(self, model: object, validate: Validator) -> None:
        self.model = model
        self.name = type_name(model)
        self.validate = validate

    def __repr__(self) -> str:
        return f"Model({self.name})"

    def parse(self, response: httpx.Response, options: ParseOptions) -> Any:
        return self.build(_json(response, self.name), response, options)

    def build(self, data: Any, response: httpx.Response, options: ParseOptions, *, where: str = "") -> Any:
        """The model of already decoded JSON (`where`: what part of the response it is, for messages)."""
        issues = self._issues(data, response, where)
        if not issues:  # the usual case: the spec's verdict is "valid", nothing to weigh or report
            return self.construct(data, response, where=where)
        unknown_members = self.check(data, response, options, where=where, found=issues)
        return self.construct(data, response, unknown_members, where=where)

    def check(
        self,
        data: Any,
        response: httpx.Response,
        options: ParseOptions,
        *,
        where: str = "",
        found: Sequence[IssueLike] | None = None,
    ) -> bool:
        """The validator's verdict on `data` (`found`: its issues when already asked):
        APIResponseValidationError for a mismatch that blocks, warnings for the rest; whether a
        closed object has members the spec does not list."""
        if found is None:
            found = self._issues(data, response, where)
        issues = [issue for issue in found if issue.severity == "error"]
        if not issues:
            return False
        blocking = issues if options.strict else [i for i in issues if i.keyword not in ADDITIVE_KEYWORDS]
        if blocking:
            raise _mismatch(self.name, blocking, response, data, where)
        _warn(options.logger, response, issues, where)
        return any(issue.keyword in UNKNOWN_MEMBER_KEYWORDS for issue in issues)

    def _issues(self, data: Any, response: httpx.Response, where: str) -> Sequence[IssueLike]:
        """The validator's issues; data nested beyond what the recursion limit lets it walk (a
        hostile or broken server) is an APIResponseValidationError, not a RecursionError."""
        try:
            return self.validate(data)
        except RecursionError:
            raise APIResponseValidationError(
                f"the {response.status_code} response{where} is nested too deeply to check against {self.name}",
                response=response,
                body=None,
            ) from None

    def construct(self, data: Any, response: httpx.Response, unknown_members: bool = False, *, where: str = "") -> Any:
        """The model of data the validator let through (`unknown_members`: closed models keep them too)."""
        try:
            return validate_as(self.model, data, keep_unknown=unknown_members)
        except ValidationError as error:
            problems = error.errors(include_url=False)
            summary = "; ".join(
                f"{'/'.join(str(p) for p in item['loc']) or '(root)'}: {item['msg']}" for item in problems[:5]
            )
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise APIResponseValidationError(
                f"the {response.status_code} response{where} does not match {self.name}: {summary}{more}",
                response=response,
                body=data,
            ) from error


class AnyJSON(BodyParser):
    """A JSON body the spec gives no schema: whatever it holds."""

    def parse(self, response: httpx.Response, options: ParseOptions) -> Any:
        return _json(response, "body")


class Bytes(BodyParser):
    """A binary body (application/octet-stream, images, PDFs, ...): its bytes."""

    def parse(self, response: httpx.Response, options: ParseOptions) -> bytes:
        return response.content


class Text(BodyParser):
    """A text body (text/*): decoded by its charset, UTF-8 when it names none."""

    def parse(self, response: httpx.Response, options: ParseOptions) -> str:
        return response.text


JSON = AnyJSON()
BYTES = Bytes()
TEXT = Text()


# pydantic's JSON parser (pydantic-core's), reached through pydantic's public API: a validator
# of `Any` hands back the JSON values as they are.
_JSON_VALUES = TypeAdapter(Any).validator.validate_json


def loads(content: bytes | str) -> Any:
    """JSON text as Python values, exactly as `json.loads` gives them.

    pydantic's parser reads a body several times faster than the json module; where it
    refuses what json accepts (a byte-order mark, UTF-16, a lone surrogate escape, nesting
    deeper than its limit) json.loads decides, so values and verdicts stay json's.
    """
    try:
        return _JSON_VALUES(content)
    except ValueError:  # pydantic's ValidationError included
        try:
            return json.loads(content)
        except RecursionError:
            raise TooDeep("JSON nested too deeply to decode (beyond Python's recursion limit)") from None


class TooDeep(ValueError):
    """JSON nested beyond what the recursion limit lets Python decode: refused as a ValueError,
    as text that is not JSON is, so no caller meets a RecursionError."""


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return loads(response.content)
    except TooDeep as error:
        raise APIResponseValidationError(
            f"the {response.status_code} response ({what}): {error}", response=response, body=None
        ) from None
    except ValueError:
        raise _not_json(what, response.status_code, response) from None


def _mismatch(
    what: str, issues: Sequence[IssueLike], response: httpx.Response, data: Any, where: str
) -> APIResponseValidationError:
    summary = "; ".join(f"{issue.pointer or '(root)'}: {issue.message} [{issue.keyword}]" for issue in issues[:5])
    more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
    return APIResponseValidationError(
        f"the {response.status_code} response{where} does not match {what}: {summary}{more}",
        response=response,
        body=data,
    )


def _warn(logger: logging.Logger, response: httpx.Response, issues: Sequence[IssueLike], where: str) -> None:
    request = response.request
    for issue in issues:
        logger.warning(
            "%s %s: the %d response%s has what the spec does not list: %s: %s [%s] (kept; "
            "strict_responses=True makes this an error)",
            request.method,
            request.url.path,
            response.status_code,
            where,
            issue.pointer or "(root)",
            issue.message,
            issue.keyword,
        )


class ResponseSpec(Generic[T]):
    """How each status of one operation is read (the spec's `responses`), and what it accepts."""

    __slots__ = ("accept", "error_default", "error_ranges", "errors", "fallback", "streams", "success")

    def __init__(
        self,
        *,
        success: Mapping[int, BodyParser | None],
        fallback: BodyParser | None,
        errors: Mapping[int, ErrorTarget] | None = None,
        error_ranges: Mapping[int, ErrorTarget] | None = None,
        error_default: ErrorTarget = None,
        accept: str = "application/json",
    ) -> None:
        self.success = dict(success)
        self.fallback = fallback
        self.errors = dict(errors or {})
        self.error_ranges = dict(error_ranges or {})
        self.error_default = error_default
        self.accept = accept
        self.streams = any(target is not None and target.streams for target in (*self.success.values(), fallback))

    def parse(self, response: httpx.Response, options: ParseOptions | None = None) -> T:
        """The success body as the spec documents it; APIResponseValidationError otherwise."""
        target = self.success.get(response.status_code, self.fallback)
        if target is None:
            return cast(T, None)
        return cast(T, target.parse(response, options or ParseOptions()))

    def error_target(self, status: int) -> ErrorTarget:
        if status in self.errors:
            return self.errors[status]
        return self.error_ranges.get(status // 100, self.error_default)


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
        return loads(response.content)
    except ValueError:
        return response.text


class APIResponse(Generic[T]):
    """A raw response (`client.with_raw_response.<method>(...)`): status, headers, `.parse()`."""

    def __init__(
        self,
        http_response: httpx.Response,
        responses: ResponseSpec[T],
        retries_taken: int,
        options: ParseOptions | None = None,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._responses = responses
        self._options = options or ParseOptions()
        self._parsed: list[T] = []

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
        """The body as the spec documents it for this status (parsed once, then remembered)."""
        if not self._parsed:
            self._parsed.append(self._responses.parse(self.http_response, self._options))
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.request.method} {self.request.url.path}>"
