"""Hand-written payloads for both APIs: every rule of API_NOTES.md, valid and invalid.

The validators are compiled from specs/ for each run (the golden copy under generated/
is checked by the golden-file tests).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from .support import api_module, pairs

SESSION: dict[str, Any] = {
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


def session(**changes: Any) -> dict[str, Any]:
    """The valid session with members changed (a value of ... removes the member)."""
    result = copy.deepcopy(SESSION)
    for name, value in changes.items():
        if value is ...:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def body(*sessions: dict[str, Any]) -> dict[str, Any]:
    return {"resource": list(sessions)}


@pytest.fixture(scope="module")
def eventapp() -> Any:
    return api_module("eventapp.yaml")


@pytest.fixture(scope="module")
def zuddl() -> Any:
    return api_module("zuddl.yaml")


def errors(issues: list[Any]) -> list[Any]:
    return [i for i in issues if i.severity == "error"]


# ---------------------------------------------------------------------------- eventapp


def test_eventapp_valid_bodies(eventapp: Any) -> None:
    assert eventapp.validate_create_sessions_request(body(SESSION)) == []
    workshop = session(
        sessiontype="additional",
        tickets_linked="101,102",
        rsvp=True,
        rsvp_capacity="fixed",
        capacity=40,
        wait_list_enabled=True,
        additionalvideo1="https://video.example.com/x",
        restrictstarttime1=True,
    )
    lunch = session(sessiontype="rsvp", rsvp=True)
    assert eventapp.validate("CreateSessionsRequest", body(SESSION, workshop, lunch)) == []
    assert eventapp.validate_session_create(workshop) == []
    assert eventapp.validate_session_create(session(sessiontype="addprivate", tickets_linked="7")) == []


def test_eventapp_spec_examples_are_valid(eventapp: Any) -> None:
    import yaml

    from .support import ROOT

    spec = yaml.safe_load((ROOT / "specs" / "eventapp.yaml").read_text())
    examples = spec["paths"]["/sessions"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    for example in examples.values():
        assert eventapp.validate("CreateSessionsRequest", example["value"]) == []


def test_eventapp_unknown_members_rejected_on_envelope_and_session(eventapp: Any) -> None:
    issues = eventapp.validate_create_sessions_request({"resource": [session(colour="red")], "extra": 1})
    assert pairs(issues) == {("", "additionalProperties"), ("/resource/0", "additionalProperties")}
    messages = {i.pointer: i.message for i in issues}
    assert "'extra'" in messages[""] and "'colour'" in messages["/resource/0"]


def test_eventapp_resource_needs_one_session(eventapp: Any) -> None:
    assert pairs(eventapp.validate_create_sessions_request({"resource": []})) == {("/resource", "minItems")}
    assert pairs(eventapp.validate_create_sessions_request({})) == {("", "required")}
    assert pairs(eventapp.validate_create_sessions_request({"resource": {}})) == {("/resource", "type")}
    assert pairs(eventapp.validate_create_sessions_request([])) == {("", "type")}


def test_eventapp_required_members_point_at_the_session(eventapp: Any) -> None:
    issues = eventapp.validate_create_sessions_request(body(SESSION, session(title=..., colorid=...)))
    assert pairs(issues) == {("/resource/1", "required")}
    assert sorted(i.message for i in issues) == [
        "missing required member 'colorid'",
        "missing required member 'title'",
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("101", True),
        ("101,102", True),
        ("1,2,3", True),
        ("101, 102", False),
        ("", False),
        ("101,", False),
        (",101", False),
        ("１２", False),
        ("12a", False),
        ("101,102\n", False),
    ],
)
def test_eventapp_tickets_linked_pattern(eventapp: Any, value: str, ok: bool) -> None:
    issues = eventapp.validate_session_create(session(sessiontype="additional", tickets_linked=value))
    assert pairs(issues) == (set() if ok else {("/tickets_linked", "pattern")})


@pytest.mark.parametrize("sessiontype", ["general", "private", "rsvp"])
def test_eventapp_tickets_linked_only_for_additional_types(eventapp: Any, sessiontype: str) -> None:
    """API_NOTES: an if/then on sessiontype's enum, so the issue points at sessiontype."""
    issues = eventapp.validate_session_create(session(sessiontype=sessiontype, tickets_linked="101"))
    assert pairs(issues) == {("/sessiontype", "enum")}
    assert issues[0].message == 'must be one of "additional", "addprivate"'
    assert eventapp.validate_session_create(session(sessiontype=sessiontype)) == []


def test_eventapp_enums(eventapp: Any) -> None:
    issues = eventapp.validate_session_create(session(checkintype="qr", sessiontype="GENERAL", rsvp_capacity="all"))
    assert pairs(errors(issues)) == {("/checkintype", "enum"), ("/sessiontype", "enum"), ("/rsvp_capacity", "enum")}


def test_eventapp_integers_follow_json_semantics(eventapp: Any) -> None:
    assert eventapp.validate_session_create(session(eventid=1201.0, colorid=2.0)) == []
    issues = eventapp.validate_session_create(session(eventid=True, apptabid="3301", colorid=2.5, speakerid=None))
    assert pairs(issues) == {("/eventid", "type"), ("/apptabid", "type"), ("/colorid", "type"), ("/speakerid", "type")}
    assert "got boolean" in next(i.message for i in issues if i.pointer == "/eventid")


def test_eventapp_capacity_rules(eventapp: Any) -> None:
    fixed = {"sessiontype": "rsvp", "rsvp": True, "rsvp_capacity": "fixed"}
    assert pairs(eventapp.validate_session_create(session(**fixed))) == {("", "required")}
    assert eventapp.validate_session_create(session(**fixed, capacity=1)) == []
    assert pairs(eventapp.validate_session_create(session(**fixed, capacity=0))) == {("/capacity", "minimum")}
    assert pairs(eventapp.validate_session_create(session(**fixed, capacity=1.5))) == {("/capacity", "type")}
    assert pairs(eventapp.validate_session_create(session(**fixed, capacity=True))) == {("/capacity", "type")}
    # unlimited or no rsvp: capacity is not required
    assert eventapp.validate_session_create(session(rsvp=True, rsvp_capacity="unlimited")) == []
    assert eventapp.validate_session_create(session(rsvp=True)) == []


def test_eventapp_restrictstarttime_requires_additionalvideo(eventapp: Any) -> None:
    issues = eventapp.validate_session_create(session(restrictstarttime1=True, restrictstarttime5=False))
    assert pairs(issues) == {("", "dependentRequired")}
    assert sorted(i.message for i in issues) == [
        "member 'additionalvideo1' is required when 'restrictstarttime1' is present",
        "member 'additionalvideo5' is required when 'restrictstarttime5' is present",
    ]
    # not the reverse
    assert eventapp.validate_session_create(session(additionalvideo3="https://v.example/3")) == []


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("2025-03-14T09:00:00Z", "2025-03-14T10:00:00Z", True),
        ("2025-03-14T10:00:00Z", "2025-03-14T10:00:00Z", False),
        ("2025-03-14T10:00:00Z", "2025-03-14T09:00:00Z", False),
        ("2025-03-14T10:00:00+02:00", "2025-03-14T09:30:00Z", True),  # 08:00Z -> 09:30Z
        ("2025-03-14T10:00:00Z", "2025-03-14T11:00:00+02:00", False),  # 10:00Z -> 09:00Z
        ("2025-03-14T09:00:00", "2025-03-14T08:00:00", False),  # both naive
        ("2025-03-14", "2025-03-15", True),  # dates
        ("2025-03-15", "2025-03-14", False),
        ("2025-03-14", "2025-03-14T08:00:00", True),  # a date is naive midnight
        ("2025-03-14T10:00:00", "2025-03-14T09:00:00Z", True),  # naive vs offset: not comparable
        ("tomorrow", "today", True),  # not ISO 8601: not comparable
        ("", "", True),
    ],
)
def test_eventapp_endtime_after_starttime(eventapp: Any, start: str, end: str, ok: bool) -> None:
    issues = eventapp.validate_session_create(session(starttime=start, endtime=end))
    if ok:
        assert issues == []
    else:
        assert [tuple(i) for i in issues] == [
            ("/endtime", "x-rules/endtime-after-starttime", "endtime must be later than starttime", "error")
        ]


def test_eventapp_endtime_rule_skips_wrong_types(eventapp: Any) -> None:
    issues = eventapp.validate_session_create(session(starttime=5, endtime=None))
    assert pairs(issues) == {("/starttime", "type"), ("/endtime", "type")}


def test_eventapp_warnings_do_not_make_data_invalid(eventapp: Any) -> None:
    issues = eventapp.validate_session_create(session(rsvp_capacity="fixed", capacity=10))
    assert errors(issues) == []
    assert {(i.pointer, i.keyword, i.severity) for i in issues} == {
        ("/rsvp_capacity", "x-rules/rsvp-capacity-needs-rsvp", "warning"),
        ("/capacity", "x-rules/capacity-needs-fixed-rsvp", "warning"),
    }
    issues = eventapp.validate_session_create(session(rsvp=False, rsvp_capacity="unlimited"))
    assert [(i.keyword, i.severity) for i in issues] == [("x-rules/rsvp-capacity-needs-rsvp", "warning")]
    issues = eventapp.validate_session_create(session(rsvp=True, rsvp_capacity="unlimited", capacity=3))
    assert [(i.pointer, i.severity) for i in issues] == [("/capacity", "warning")]


def test_eventapp_many_errors_deep_in_resource(eventapp: Any) -> None:
    bad = session(
        eventid="x",
        title=None,
        endtime="2025-03-14T08:00:00Z",
        checkintype="nope",
        tickets_linked="1 2",
        restrictstarttime2=True,
        capacity=0,
        unknown=1,
    )
    payload = body(SESSION, SESSION, bad, session(sessiontype=...), SESSION)
    issues = eventapp.validate("CreateSessionsRequest", payload)
    assert pairs(issues) == {
        ("/resource/2/eventid", "type"),
        ("/resource/2/title", "type"),
        ("/resource/2/endtime", "x-rules/endtime-after-starttime"),
        ("/resource/2/checkintype", "enum"),
        ("/resource/2/tickets_linked", "pattern"),
        ("/resource/2/sessiontype", "enum"),
        ("/resource/2", "dependentRequired"),
        ("/resource/2/capacity", "minimum"),
        ("/resource/2/capacity", "x-rules/capacity-needs-fixed-rsvp"),
        ("/resource/2", "additionalProperties"),
        ("/resource/3", "required"),
    }
    assert all(i.severity == "error" for i in issues if not i.keyword.startswith("x-rules/capacity"))


def test_eventapp_validators_do_not_change_input(eventapp: Any) -> None:
    payload = body(session(capacity=0, extra=[1, {"a": 2}]), SESSION)
    snapshot = json.dumps(payload, sort_keys=True)
    eventapp.validate_create_sessions_request(payload)
    assert json.dumps(payload, sort_keys=True) == snapshot


def test_validators_keep_no_state_between_calls(eventapp: Any) -> None:
    """No memo caches: a long-running service must not grow or pay cache misses on every new
    date-time (parsing one costs less than a miss)."""
    assert not [name for name, value in vars(eventapp).items() if hasattr(value, "cache_info")]


def test_eventapp_responses(eventapp: Any) -> None:
    assert eventapp.validate("PostPatchResponse", [{"id": 90001}, {"id": 90002}]) == []
    assert pairs(eventapp.validate("PostPatchResponse", [{"id": "a"}, 3])) == {("/0/id", "type"), ("/1", "type")}
    assert eventapp.validate("ErrorResponse", {"is_error": 1, "message": "scheduletrackid is required"}) == []


def test_unknown_schema_name_raises_key_error_naming_known_ones(eventapp: Any) -> None:
    with pytest.raises(KeyError) as raised:
        eventapp.validate("Nope", {})
    assert "CreateSessionsRequest" in str(raised.value) and "SessionCreate" in str(raised.value)


# ---------------------------------------------------------------------------- zuddl

REQUEST: dict[str, Any] = {
    "title": "Maximize Your Potential: Strategies for Success in a Digital World",
    "startDateTime": "2023-11-07T05:31:56Z",
    "endDateTime": "2023-11-07T06:31:56Z",
    "description": "<p>Join us</p>",
    "locationId": "d812a64f-8865-4289-9024-9a120792c3d8",
    "totalCapacity": 100,
    "externalRefId": "d812a64f8865428990249a120792c3d8",
    "tags": ["tag1", "tag2"],
}


def test_zuddl_valid_request(zuddl: Any) -> None:
    assert zuddl.validate_create_session_request(REQUEST) == []
    minimal = {"title": "Office hours", "startDateTime": "x", "endDateTime": "y"}
    assert zuddl.validate("CreateSessionRequest", minimal) == []


def test_zuddl_title_max_length_counts_code_points(zuddl: Any) -> None:
    assert zuddl.validate_create_session_request({**REQUEST, "title": "🎉" * 500}) == []  # 2000 UTF-8 bytes
    assert zuddl.validate_create_session_request({**REQUEST, "title": "é" * 500}) == []
    issues = zuddl.validate_create_session_request({**REQUEST, "title": "a" * 501})
    assert pairs(issues) == {("/title", "maxLength")}


def test_zuddl_times_must_not_be_empty(zuddl: Any) -> None:
    issues = zuddl.validate_create_session_request({**REQUEST, "startDateTime": "", "endDateTime": ""})
    assert pairs(issues) == {("/startDateTime", "minLength"), ("/endDateTime", "minLength")}


def test_zuddl_required_and_types(zuddl: Any) -> None:
    issues = zuddl.validate_create_session_request({"tags": ["a", 1], "totalCapacity": "100", "availableSpots": 1.5})
    assert pairs(issues) == {
        ("", "required"),
        ("/tags/1", "type"),
        ("/totalCapacity", "type"),
        ("/availableSpots", "type"),
    }
    assert sum(1 for i in issues if i.keyword == "required") == 3


def test_zuddl_request_is_open_to_unknown_members(zuddl: Any) -> None:
    assert zuddl.validate_create_session_request({**REQUEST, "somethingNew": {"x": 1}}) == []


def test_zuddl_format_is_an_annotation_unless_asserted(zuddl: Any) -> None:
    assert zuddl.validate_create_session_request({**REQUEST, "locationId": "not-a-uuid"}) == []
    asserting = api_module("zuddl.yaml", assert_formats=True)
    issues = asserting.validate_create_session_request({**REQUEST, "locationId": "not-a-uuid"})
    assert pairs(issues) == {("/locationId", "format")}
    assert asserting.validate_create_session_request(REQUEST) == []


def test_zuddl_event_id_pattern_is_not_a_body_rule(zuddl: Any) -> None:
    """The eventId pattern guards a path parameter: the client checks it, not a schema validator."""
    assert not any("event_id" in name for name in zuddl.__all__)


def test_zuddl_session_response(zuddl: Any) -> None:
    response = {
        "id": "d5e31ba5-2d1e-4918-bb60-dd1514b4b397",
        "title": "x",
        "location": [{"locationId": "1", "locationName": "Main", "type": "STAGE", "link": "l"}],
        "speakers": [{"speakerId": "s", "url": "u"}],
        "totalCapacity": None,
        "remainingCapacity": 75,
        "futureMember": True,
    }
    assert zuddl.validate("Session", response) == []
    bad = {**response, "location": [{"locationId": 1}], "totalCapacity": "many", "speakers": {}}
    assert pairs(zuddl.validate("Session", bad)) == {
        ("/location/0/locationId", "type"),
        ("/totalCapacity", "type"),
        ("/speakers", "type"),
    }
