"""The generated client's own overhead per call, next to raw httpx doing the same work.

Both sides send the same example body to the same in-process `httpx.MockTransport`,
validate it with the package's compiled validator first and parse the answer into the
response model, so the difference is what the client adds: argument checks, header and
credential layout, the retry loop, logging guards and error mapping. Target: the client
within 1.5x of raw httpx plus validation.

The last rows time the response parse alone: the client's (the body decoded, checked by the
compiled validator, a response that grew kept with a warning, then built into the model) next
to pydantic's `model_validate_json`, which is all a client that trusts the server does.

Run standalone: `.venv/bin/python benchmarks/bench_client.py` (`--quick` for a smoke run).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated"))

import eventapp  # noqa: E402
import zuddl  # noqa: E402

TARGET = 1.5
EVENT_ID = "3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21"
ZUDDL_BODY = {
    "title": "Maximize Your Potential: Strategies for Success in a Digital World",
    "startDateTime": "2023-11-07T05:31:56Z",
    "endDateTime": "2023-11-07T06:31:56Z",
    "description": "<p>Join us for an engaging online session.</p>",
    "locationId": "d812a64f-8865-4289-9024-9a120792c3d8",
    "totalCapacity": 100,
    "externalRefId": "d812a64f8865428990249a120792c3d8",
    "tags": ["tag1", "tag2"],
}
SESSION = {"id": "d5e31ba5-2d1e-4918-bb60-dd1514b4b397", "title": ZUDDL_BODY["title"], "totalCapacity": 100}
EVENTAPP_SESSION = {
    "eventid": 1201,
    "apptabid": 3301,
    "scheduledateid": 5501,
    "scheduletrackid": 7701,
    "title": "Hands-on workshop",
    "starttime": "2025-03-14T11:00:00Z",
    "endtime": "2025-03-14T12:30:00Z",
    "colorid": 4,
    "checkintype": "scanqr",
    "sessiontype": "additional",
    "tickets_linked": "101,102",
    "rsvp": True,
    "rsvp_capacity": "fixed",
    "capacity": 40,
}
EVENTAPP_BODY = {"resource": [EVENTAPP_SESSION, {**EVENTAPP_SESSION, "scheduletrackid": 7702}]}


def _transport(status: int, payload: object) -> httpx.MockTransport:
    content = json.dumps(payload).encode()
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(lambda request: httpx.Response(status, content=content, headers=headers))


def _pair(ours: Callable[[], object], theirs: Callable[[], object], number: int, repeat: int) -> tuple[float, float]:
    """Best seconds per call of each (timeit-style), the two timed in alternation so noise hits both."""
    for _ in range(min(number, 200)):
        ours()
        theirs()
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for index, call in enumerate((ours, theirs)):
            started = time.perf_counter()
            for _ in range(number):
                call()
            runs[index].append((time.perf_counter() - started) / number)
    return min(runs[0]), min(runs[1])


def _pair_async(
    ours: Callable[[], Awaitable[object]], theirs: Callable[[], Awaitable[object]], number: int, repeat: int
) -> tuple[float, float]:
    async def batch(call: Callable[[], Awaitable[object]], count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            await call()
        return (time.perf_counter() - started) / count

    async def main() -> tuple[float, float]:
        await batch(ours, min(number, 200))
        await batch(theirs, min(number, 200))
        runs: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeat):
            runs[0].append(await batch(ours, number))
            runs[1].append(await batch(theirs, number))
        return min(runs[0]), min(runs[1])

    return asyncio.run(main())


def _raw_zuddl(http: httpx.Client) -> Callable[[], object]:
    """What a careful hand-written call does: validate, POST with the key, check, parse."""
    url = f"https://api.zuddl.com/v1/events/{EVENT_ID}/sessions"
    headers = {"Authorization": "key", "User-Agent": "bench"}

    def call() -> object:
        issues = zuddl.validators.validate_create_session_request(ZUDDL_BODY)
        if any(issue.severity == "error" for issue in issues):
            raise ValueError(issues)
        response = http.post(url, json=ZUDDL_BODY, headers=headers)
        response.raise_for_status()
        return zuddl.models.Session.model_validate_json(response.content)

    return call


def _raw_zuddl_async(http: httpx.AsyncClient) -> Callable[[], Awaitable[object]]:
    url = f"https://api.zuddl.com/v1/events/{EVENT_ID}/sessions"
    headers = {"Authorization": "key", "User-Agent": "bench"}

    async def call() -> object:
        issues = zuddl.validators.validate_create_session_request(ZUDDL_BODY)
        if any(issue.severity == "error" for issue in issues):
            raise ValueError(issues)
        response = await http.post(url, json=ZUDDL_BODY, headers=headers)
        response.raise_for_status()
        return zuddl.models.Session.model_validate_json(response.content)

    return call


def _raw_eventapp(http: httpx.Client) -> Callable[[], object]:
    def call() -> object:
        issues = eventapp.validators.validate_create_sessions_request(EVENTAPP_BODY)
        if any(issue.severity == "error" for issue in issues):
            raise ValueError(issues)
        response = http.post("https://events.test/sessions", json=EVENTAPP_BODY, headers={"User-Agent": "bench"})
        response.raise_for_status()
        return eventapp.models.PostPatchResponse.model_validate_json(response.content)

    return call


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    number, repeat = (200, 3) if quick else (3000, 7)
    rows: list[tuple[str, float, float]] = []

    z_transport = _transport(201, SESSION)
    client = zuddl.Client(api_key="key", http_client=httpx.Client(transport=z_transport))
    raw = httpx.Client(transport=z_transport)
    rows.append(
        (
            "zuddl create_session (sync)",
            *_pair(lambda: client.create_session(event_id=EVENT_ID, body=ZUDDL_BODY), _raw_zuddl(raw), number, repeat),
        )
    )

    aclient = zuddl.AsyncClient(api_key="key", http_client=httpx.AsyncClient(transport=z_transport))
    araw_call = _raw_zuddl_async(httpx.AsyncClient(transport=z_transport))
    rows.append(
        (
            "zuddl create_session (async)",
            *_pair_async(lambda: aclient.create_session(event_id=EVENT_ID, body=ZUDDL_BODY), araw_call, number, repeat),
        )
    )

    e_transport = _transport(200, [{"id": 90001}, {"id": 90002}])
    eclient = eventapp.Client(base_url="https://events.test", http_client=httpx.Client(transport=e_transport))
    eraw = httpx.Client(transport=e_transport)
    rows.append(
        (
            "eventapp create_sessions, 2 sessions (sync)",
            *_pair(lambda: eclient.create_sessions(body=EVENTAPP_BODY), _raw_eventapp(eraw), number, repeat),
        )
    )

    print(f"{'per call':46} {'client':>10} {'raw httpx':>10} {'ratio':>7}   (raw httpx includes the same validation)")
    worst = 0.0
    for label, ours, theirs in rows:
        ratio = ours / theirs
        worst = max(worst, ratio)
        print(f"{label:46} {ours * 1e6:8.1f}us {theirs * 1e6:8.1f}us {ratio:6.2f}x")
    verdict = "within" if worst <= TARGET else "OVER"
    print(f"worst ratio {worst:.2f}x: {verdict} the {TARGET}x target")
    print()
    print(f"{'response parse':46} {'client':>10} {'pydantic':>10} {'ratio':>7}   (pydantic: model_validate_json only)")
    for label, ours, theirs in _parse_rows(number * 4, repeat):
        print(f"{label:46} {ours * 1e6:8.1f}us {theirs * 1e6:8.1f}us {ours / theirs:6.2f}x")
    return 0


def _parse_rows(number: int, repeat: int) -> list[tuple[str, float, float]]:
    """The client's parse of one response next to `model_validate_json` of the same bytes."""
    request = httpx.Request("POST", "https://bench.test/")
    session = httpx.Response(201, json=SESSION, request=request)
    sessions = httpx.Response(200, json=[{"id": 90001}, {"id": 90002}], request=request)
    options = zuddl._runtime.ParseOptions()
    z_spec = zuddl.client._CREATE_SESSION_RESPONSES
    e_spec = eventapp.client._CREATE_SESSIONS_RESPONSES
    z_model, e_model = zuddl.models.Session, eventapp.models.PostPatchResponse
    return [
        (
            "zuddl Session",
            *_pair(
                lambda: z_spec.parse(session, options),
                lambda: z_model.model_validate_json(session.content),
                number,
                repeat,
            ),
        ),
        (
            "eventapp PostPatchResponse (2 items)",
            *_pair(
                lambda: e_spec.parse(sessions, options),
                lambda: e_model.model_validate_json(sessions.content),
                number,
                repeat,
            ),
        ),
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
