"""The API keeps the same hearing rules as the panel, and returns the rate with its breakdown."""

from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.api.auth import issue_token
from bot.app import create_app
from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Role, Staff
from bot.preferences import service as preferences
from bot.sick_notices.models import Cancellation
from tests.absences.conftest import STARTED


@pytest.fixture
def api(engine, settings, now):
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with time_machine.travel(now + timedelta(days=1), tick=False), TestClient(app) as client:
        yield client


def _token(engine, now, role: Role, name: str) -> tuple[dict[str, str], int]:
    with Session(engine) as s:
        staff = Staff(name=name, email=f"{name}@kommune.dk", role=role)
        s.add(staff)
        s.flush()
        value = issue_token(s, staff_id=staff.id, now=now)
        s.commit()
        return {"Authorization": f"Bearer {value}"}, staff.id


def _cancelled_and_marked_without_notice(engine, world, now) -> None:
    with Session(engine) as s:
        s.add(Cancellation(reference="A-2026-000045", citizen_id=world.citizen.id,
                           appointment_id=world.klass.id, received_at=now + timedelta(minutes=30)))
        attendance.mark_many(s, appointment_ids=[world.klass.id, world.internship.id],
                             outcome=Outcome.absent_without_notice, now=now + STARTED, staff_id=None)
        s.commit()


def test_the_api_refuses_a_cancelled_absence_without_a_reason_and_keeps_the_reason(api, engine, world, now):
    _cancelled_and_marked_without_notice(engine, world, now)
    caseworker, caseworker_id = _token(engine, now, Role.caseworker, "birte")
    body = {"citizen_id": world.citizen.id, "appointment_ids": [world.klass.id, world.internship.id]}
    refused = api.post("/api/v1/hearings", headers=caseworker, json=body)
    assert refused.status_code == 422
    problem = refused.json()["detail"][0]
    assert problem["field"] == "overrides"
    assert problem["message"] == (
        f"the absence on 2026-11-24 09:00 (appointment {world.klass.id}) has A-2026-000045 on record; "
        f"to include it anyway, give the reason in overrides[{world.klass.id}]")
    opened = api.post("/api/v1/hearings", headers=caseworker,
                      json={**body, "overrides": {str(world.klass.id): "Afbud efter start"}})
    assert opened.status_code == 201, opened.text
    case = opened.json()
    klass = next(a for a in case["absences"] if a["appointment_id"] == world.klass.id)
    assert (klass["override_reason"], klass["overridden_by_id"]) == ("Afbud efter start", caseworker_id)
    assert [n["reference"] for n in klass["notices_on_record"]] == ["A-2026-000045"]
    internship = next(a for a in case["absences"] if a["appointment_id"] == world.internship.id)
    assert (internship["override_reason"], internship["notices_on_record"]) == (None, [])
    assert [(n["kind"], n["reference"], n["appointment_ids"]) for n in case["notices"]] == [
        ("cancellation", "A-2026-000045", [world.klass.id])]
    again = api.post("/api/v1/hearings", headers=caseworker,
                     json={"citizen_id": world.citizen.id, "appointment_ids": [world.internship.id]})
    assert again.status_code == 422
    assert again.json()["detail"][0] == {
        "field": "appointment_ids",
        "message": f"the absence on 2026-11-24 12:00 (appointment {world.internship.id}) is already in the "
        f"open hearing case {case['reference']}",
    }


def test_the_rate_comes_with_its_breakdown_and_follows_the_setting(api, engine, world, now):
    with Session(engine) as s:
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome=Outcome.attended, now=now + STARTED, staff_id=None)
        attendance.mark_many(s, appointment_ids=[world.internship.id], outcome=Outcome.absent_with_notice,
                             now=now + STARTED, staff_id=None)
        s.commit()
    caseworker, _ = _token(engine, now, Role.caseworker, "birte")
    url = f"/api/v1/citizens/{world.citizen.id}/attendance?from=2026-11-01&to=2026-11-30"
    report = api.get(url, headers=caseworker).json()
    assert (report["percent"], report["band"], report["basis"]) == (50.0, "40_59", "physical_attendance")
    assert report["counted_against"] == ["absent_with_notice", "absent_with_late_notice", "absent_without_notice"]
    assert {b["outcome"]: (b["count"], b["counts"]) for b in report["breakdown"]} == {
        "attended": (1, "present"), "absent_with_notice": (1, "absent"), "absent_with_late_notice": (0, "absent"),
        "absent_without_notice": (0, "absent"), "cancelled_by_municipality": (0, "not_counted"),
        "excused_by_staff": (0, "not_counted")}
    with Session(engine) as s:
        lead = Staff(name="lead", email="lead@kommune.dk", role=Role.team_lead)
        s.add(lead)
        s.flush()
        preferences.set_preference(s, setting=attendance.COUNTS_AGAINST, value=[], acting_staff=lead, now=now)
        s.commit()
    report = api.get(url, headers=caseworker).json()
    assert (report["percent"], report["band"], report["basis"]) == (100.0, "100", "custom")
    assert report["counted_against"] == ["absent_without_notice"]
