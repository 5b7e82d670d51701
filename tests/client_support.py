"""Shared helpers of the client tests: the generated packages on sys.path, example data.

Not a conftest on purpose: the client tests import it by name, so it cannot collide with
fixtures other parts of the suite define.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

import eventapp  # noqa: E402
import zuddl  # noqa: E402

EVENT_ID = "3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21"
SESSION_ID = "d5e31ba5-2d1e-4918-bb60-dd1514b4b397"
ZUDDL_BODY: dict[str, Any] = {
    "title": "Office hours",
    "startDateTime": "2025-03-14T05:55:00Z",
    "endDateTime": "2025-03-14T06:55:00Z",
}
EVENTAPP_SESSION: dict[str, Any] = {
    "eventid": 1201,
    "apptabid": 3301,
    "scheduledateid": 5501,
    "scheduletrackid": 7701,
    "title": "Opening keynote",
    "starttime": "2025-03-14T09:00:00Z",
    "endtime": "2025-03-14T10:00:00Z",
    "colorid": 2,
    "checkintype": "showqr",
    "sessiontype": "general",
}
EVENTAPP_BODY: dict[str, Any] = {"resource": [EVENTAPP_SESSION]}
SESSION_JSON: dict[str, Any] = {"id": SESSION_ID, "title": "Office hours", "totalCapacity": None}

Handler = Callable[[httpx.Request], httpx.Response]


@contextlib.contextmanager
def generated_package(spec: Path, out: Path, name: str) -> Iterator[ModuleType]:
    """Generate `spec` into `out`, import package `name` from there, forget it afterwards."""
    from generator.pipeline import generate

    generate([spec], out)
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module(name)
        package.out_dir = out  # type: ignore[attr-defined]
        yield package
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


FLAVOURS = ("sync", "async")


def call(
    flavour: str,
    package: ModuleType,
    method: str,
    *,
    handler: Handler | None = None,
    raw: bool = False,
    client_options: Mapping[str, Any] | None = None,
    **arguments: Any,
) -> Any:
    """Build a Client or AsyncClient on a MockTransport, make one call, close it.

    The same test body thus covers both flavours.
    """
    options = dict(client_options or {})
    if handler is not None:
        transport = httpx.MockTransport(handler)
        options["http_client"] = httpx.Client(transport=transport) if flavour == "sync" else None
        if flavour == "async":
            options["http_client"] = httpx.AsyncClient(transport=transport)
    if flavour == "sync":
        with package.Client(**options) as client:
            target = client.with_raw_response if raw else client
            return getattr(target, method)(**arguments)

    async def main() -> Any:
        async with package.AsyncClient(**options) as client:
            target = client.with_raw_response if raw else client
            return await getattr(target, method)(**arguments)

    return asyncio.run(main())


def zuddl_call(flavour: str, handler: Handler | None = None, *, raw: bool = False, **overrides: Any) -> Any:
    """`create_session` with the test defaults (key, event id, minimal body), overridable."""
    client_options = {"api_key": "zk-secret-123", **overrides.pop("client_options", {})}
    arguments = {"event_id": EVENT_ID, "body": ZUDDL_BODY, **overrides}
    return call(flavour, zuddl, "create_session", handler=handler, raw=raw, client_options=client_options, **arguments)


def eventapp_call(flavour: str, handler: Handler | None = None, *, raw: bool = False, **overrides: Any) -> Any:
    client_options = {"base_url": "https://events.test/v4", **overrides.pop("client_options", {})}
    arguments = {"body": EVENTAPP_BODY, **overrides}
    return call(
        flavour, eventapp, "create_sessions", handler=handler, raw=raw, client_options=client_options, **arguments
    )


def reply(status: int = 200, **kwargs: Any) -> Callable[[], httpx.Response]:
    """A response factory for `Recorder` (httpx.Response objects are not reusable)."""
    return lambda: httpx.Response(status, **kwargs)


class Recorder:
    """A MockTransport handler answering from a script, keeping every request it saw.

    Each step is a `reply(...)` or an exception to raise; the last step repeats.
    """

    def __init__(self, *script: Callable[[], httpx.Response] | Exception) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step()
