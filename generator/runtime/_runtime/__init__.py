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
- `directions`: `readOnly` members of request bodies: refused, never required.
- `responses`: which model each status parses into; the raw `APIResponse`.
- `retries`: which failures are retried, backoff, `Retry-After`.
- `transport`: the sync and async clients' requests, send loops and errors.
"""

from .bodies import accept_any, form_body, json_body, model_validator, multipart_body
from .config import DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven, PackageConfig, SecurityScheme
from .credentials import resolve_api_key, resolve_base_url
from .directions import without_read_only
from .parameters import ParamEncoding, check_parameters, check_server_variables, collect, path_segment
from .responses import APIResponse, ResponseSpec
from .retries import DEFAULT_MAX_RETRIES
from .transport import AsyncAPIClient, RequestSpec, SyncAPIClient

PUBLIC_NAMES = ("APIResponse", "NotGiven", "NOT_GIVEN")
"""Of these, the package's public names: `client` imports them and the package re-exports them."""

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "PUBLIC_NAMES",
    "APIResponse",
    "AsyncAPIClient",
    "NotGiven",
    "PackageConfig",
    "ParamEncoding",
    "RequestSpec",
    "ResponseSpec",
    "SecurityScheme",
    "SyncAPIClient",
    "accept_any",
    "check_parameters",
    "check_server_variables",
    "collect",
    "form_body",
    "json_body",
    "model_validator",
    "multipart_body",
    "path_segment",
    "resolve_api_key",
    "resolve_base_url",
    "without_read_only",
]
