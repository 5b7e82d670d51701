"""The machinery behind `client.py`: transport, retries, credentials, request encoding, response parsing.

Private to the package: these names may change whenever the package is regenerated. The
public surface is `Client`, `AsyncClient`, `APIResponse`, `NotGiven`/`NOT_GIVEN` and the
errors, all importable from the package itself. Only the standard library, httpx and
pydantic are used, so the package stays vendorable.

- `config`: what differs between packages (`PackageConfig`), defaults, `NOT_GIVEN`.
- `credentials`: the API key and base URL (argument, environment, spec), redaction.
- `parameters`: path, query, header and cookie arguments: checks and wire form.
- `bodies`: request bodies: validation, then JSON, form or multipart encoding.
- `responses`: which model each status parses into; the raw `APIResponse`.
- `retries`: which failures are retried, backoff, `Retry-After`.
- `transport`: the sync and async clients' requests, send loops and errors.
"""

from .bodies import accept_any, form_body, json_body, model_validator, multipart_body
from .config import DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven, PackageConfig, SecurityScheme
from .credentials import resolve_api_key, resolve_base_url
from .parameters import ParamRule, collect, path_segment
from .responses import BYTES, JSON, TEXT, APIResponse, Model, ParseOptions, ResponseSpec
from .retries import DEFAULT_MAX_RETRIES
from .transport import AsyncAPIClient, RequestSpec, SyncAPIClient

PUBLIC_NAMES = ("APIResponse", "NotGiven", "NOT_GIVEN")
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
    "Model",
    "NotGiven",
    "PackageConfig",
    "ParamRule",
    "ParseOptions",
    "RequestSpec",
    "ResponseSpec",
    "SecurityScheme",
    "SyncAPIClient",
    "accept_any",
    "collect",
    "form_body",
    "json_body",
    "model_validator",
    "multipart_body",
    "path_segment",
    "resolve_api_key",
    "resolve_base_url",
]
