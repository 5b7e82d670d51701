"""The exceptions this package raises; catch `SDKError` for all of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, overload

import httpx
from pydantic import BaseModel

ModelT = TypeVar("ModelT", bound=BaseModel)


class IssueLike(Protocol):
    """What a validation issue offers (see validators.Issue)."""

    @property
    def pointer(self) -> str: ...

    @property
    def keyword(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def severity(self) -> str: ...


class SDKError(Exception):
    """Base class of every error raised by this package."""


class RequestValidationError(SDKError, ValueError):
    """An argument breaks the API's documented rules; nothing was sent.

    `issues` lists every problem found (warnings included), each with a JSON pointer into
    the body, or, for a parameter or server variable, into the mapping of those arguments by
    wire name (`/limit`), and then a `location` ("path", "query", "header", "cookie",
    "server") too; `target` says what was checked.
    """

    def __init__(self, issues: Sequence[IssueLike], *, target: str = "request body") -> None:
        self.issues: list[IssueLike] = list(issues)
        self.target = target
        errors = [issue for issue in self.issues if issue.severity == "error"]
        lines = [f"  {_where(issue)}: {issue.message} [{issue.keyword}]" for issue in errors]
        count = len(errors)
        super().__init__(f"{target} is invalid ({count} issue{'s' if count != 1 else ''}):\n" + "\n".join(lines))

    @property
    def errors(self) -> list[IssueLike]:
        """The issues that block the request (warnings left out)."""
        return [issue for issue in self.issues if issue.severity == "error"]


def _where(issue: IssueLike) -> str:
    """Where an issue is, as a message line starts: `/title`, `/limit (query parameter)`."""
    location = getattr(issue, "location", "")
    if not location:
        return issue.pointer or "(root)"
    noun = "server variable" if location == "server" else f"{location} parameter"
    return f"{issue.pointer} ({noun})" if issue.pointer else f"({noun}s)"


class APIConnectionError(SDKError):
    """The request could not be completed: no connection, or it broke before a response."""

    def __init__(self, message: str = "connection error", *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""

    def __init__(self, message: str = "request timed out", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(SDKError):
    """A success response whose body is not JSON, or does not match the documented schema."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.body = body


class APIStatusError(SDKError):
    """The API answered with a non-success status.

    `body` is the decoded JSON body (or the text when it is not JSON); `error` is the
    body parsed into the error model the spec declares for that status, when it matches.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: object, error: BaseModel | None = None) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.error = error

    @overload
    def error_as(self, model: type[ModelT]) -> ModelT | None: ...

    @overload
    def error_as(self, model: object) -> Any: ...

    def error_as(self, model: object) -> Any:
        """The body as `model` (typed so): the model the operation declares for this status (its
        docstring names it under Raises), or any other; None when the body does not match it.

            except NotFoundError as error:
                problem = error.error_as(models.Problem)  # models.Problem | None

        `model` may also be the type alias of a `oneOf`/`anyOf` of models (then the branch's
        model, typed `Any`).
        """
        if isinstance(model, type) and isinstance(self.error, model):
            return self.error
        from ._runtime.parsing import validate_as  # the runtime imports this module first

        try:
            return validate_as(model, self.body)
        except ValueError:
            return None


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized: the credentials are missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden: the credentials lack a permission."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """Any 5xx status."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific APIStatusError subclass for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


class WebhookValidationError(RequestValidationError):
    """A webhook payload (`webhooks.parse_<name>(body)`) is not JSON or breaks its schema.

    `issues` lists every problem, each with a JSON pointer into the payload.
    """
