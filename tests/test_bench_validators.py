"""Smoke test of the validators benchmark (`make bench-validators` runs it in full): its
reference checks must still find what the generated validators find, and its harness must run."""

from __future__ import annotations

import copy
from typing import Any

from benchmarks import bench_validators as bench


def test_reference_checks_agree_with_the_generated_validators() -> None:
    bench.check_agreement()


def test_floor_is_a_verdict_on_errors_only() -> None:
    """The verdict-only floor says "valid" exactly when sdkgen finds no error (warnings aside),
    including on payloads the timed set does not hold."""
    from eventapp import validators

    session = copy.deepcopy(bench.SESSION)
    cases: list[Any] = [
        {"resource": [session | {"rsvp": False}]},  # warnings only: still valid
        {"resource": [session | {"eventid": 3.0}]},  # an integral float is an integer (floor says no: conservative)
        {"resource": [session | {"tickets_linked": "1,2", "sessiontype": "general"}]},
        {"resource": [session | {"starttime": "2025-03-14", "endtime": "2025-03-14T10:00:00+01:00"}]},
        {"resource": []},
        [],
    ]
    for payload in cases:
        errors = [i for i in validators.validate_create_sessions_request(payload) if i.severity == "error"]
        verdict = bench.floor_eventapp(payload)
        if verdict:
            assert not errors, payload
        elif payload != cases[1]:
            assert errors, payload


def test_harness_runs_every_available_peer() -> None:
    checks = bench.peers("zuddl.yaml", "CreateSessionRequest", "zuddl", "CreateSessionRequest")
    available = {name: check for name, check in checks.items() if check is not None}
    samples = bench.timings_us(available, bench.zuddl_payloads()["valid"], repeats=1, seconds=0.001)
    assert set(samples) == set(available) and all(len(v) == 1 and v[0] > 0 for v in samples.values())
