"""The machinery behind `client.py`: transport, retries, credentials, request encoding, response parsing.

Private to the package: these names may change whenever the package is regenerated. The
public surface is `Client`, `AsyncClient`, `APIResponse`, `NotGiven`/`NOT_GIVEN` and the
errors, all importable from the package itself. Only the standard library, httpx and
pydantic are used, so the package stays vendorable.

- `config`: what differs between packages (`PackageConfig`), defaults, `NOT_GIVEN`.
- `credentials`: the API key and base URL (argument, environment, spec), redaction.
- `checks`: what the checks of arguments report (`Issue`), the shape of a compiled check.
- `parameters`: path, query, header and cookie arguments and server variables: checks and wire form.
- `bodies`: request bodies: validation, then JSON, form or multipart encoding.
- `directions`: `readOnly`/`writeOnly` members: required in one direction only; refused in requests.
- `parsing`: checked JSON into models, Enums and union type aliases (a cached TypeAdapter); the
  models' `NotNull` marker (optional members that refuse null).
- `responses`: how each status's body is read (validators' verdict, models, bytes, text); `APIResponse`.
- `streaming`: `with_streaming_response`: responses whose body is read as it arrives.
- `events`: server-sent events (`text/event-stream`) and JSON sequences: the parsers, `Stream`, `AsyncStream`.
- `pagination`: `x-sdkgen-pagination`: `SyncPage`, `AsyncPage`, `AsyncPaginator`.
- `webhooks`: what `webhooks.parse_<name>` runs: decode, check, parse a payload the API sent.
- `retries`: which failures are retried, backoff, `Retry-After`.
- `transport`: the sync and async clients' requests, send loops and errors.
"""

from .bodies import RawContent, RawStream, accept_any, form_body, json_body, model_validator, multipart_body, raw_body
from .config import DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven, PackageConfig, SecurityScheme
from .credentials import resolve_api_key, resolve_base_url
from .directions import not_required, without_read_only
from .events import AsyncStream, EventDecoder, EventStream, JsonSequence, JsonSequenceDecoder, ServerSentEvent, Stream
from .pagination import AsyncPage, AsyncPaginator, Pagination, SyncPage
from .parameters import ParamEncoding, check_parameters, check_server_variables, collect, path_segment
from .responses import BYTES, JSON, TEXT, APIResponse, Model, ParseOptions, ResponseSpec
from .retries import DEFAULT_MAX_RETRIES
from .streaming import (
    AsyncStreamedAPIResponse,
    AsyncStreamedResponseContext,
    StreamedAPIResponse,
    StreamedResponseContext,
)
from .transport import AsyncAPIClient, RequestSpec, SyncAPIClient
from .webhooks import parse_webhook

PUBLIC_NAMES = (
    "APIResponse",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AsyncStreamedAPIResponse",
    "NotGiven",
    "NOT_GIVEN",
    "ServerSentEvent",
    "Stream",
    "StreamedAPIResponse",
    "SyncPage",
)
"""Of these, the package's public names: `client` imports them and the package re-exports them."""

__all__ = [
    "BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "JSON",
    "NOT_GIVEN",
    "PUBLIC_NAMES",
    "TEXT",
    "APIResponse",
    "AsyncAPIClient",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AsyncStreamedAPIResponse",
    "AsyncStreamedResponseContext",
    "EventDecoder",
    "EventStream",
    "JsonSequence",
    "JsonSequenceDecoder",
    "Model",
    "NotGiven",
    "PackageConfig",
    "Pagination",
    "ParamEncoding",
    "ParseOptions",
    "RawContent",
    "RawStream",
    "RequestSpec",
    "ResponseSpec",
    "SecurityScheme",
    "ServerSentEvent",
    "Stream",
    "StreamedAPIResponse",
    "StreamedResponseContext",
    "SyncAPIClient",
    "SyncPage",
    "accept_any",
    "check_parameters",
    "check_server_variables",
    "collect",
    "form_body",
    "json_body",
    "model_validator",
    "multipart_body",
    "not_required",
    "parse_webhook",
    "path_segment",
    "raw_body",
    "resolve_api_key",
    "resolve_base_url",
    "without_read_only",
]
