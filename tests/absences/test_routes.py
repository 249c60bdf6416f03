import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.api.auth import issue_token
from bot.app import create_app
from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.audit.models import AuditEntry
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Role, Staff
from bot.hearings.guidance_routes import public_router
from tests.absences.conftest import STARTED


@pytest.fixture
def api(engine, settings, now):
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    app.include_router(public_router)
    with time_machine.travel(now + timedelta(hours=10), tick=False), TestClient(app) as client:
        yield client


@pytest.fixture
def token(engine, now, world):
    def make(role: Role, name: str, staff_id: int | None = None) -> dict[str, str]:
        with Session(engine) as s:
            if staff_id is None:
                staff = Staff(name=name, email=f"{name}@kommune.dk", role=role)
                s.add(staff)
                s.flush()
                staff_id = staff.id
            value = issue_token(s, staff_id=staff_id, now=now)
            s.commit()
        return {"Authorization": f"Bearer {value}"}

    return make


def test_sick_notice_free_text_is_for_consultant_and_caseworkers_and_every_view_is_audited(api, token, world, engine):
    consultant = token(Role.consultant, "karen", staff_id=world.consultant.id)
    benefits = token(Role.benefits, "yrsa")
    created = api.post(f"/api/v1/citizens/{world.citizen.id}/sick-notices", headers=consultant,
                       json={"starts_on": "2026-11-24", "text": "migraine"})
    assert created.status_code == 201, created.text
    assert created.json()["reference"] == "S-2026-000001"
    assert created.json()["receipt_status"] == "queued"
    seen = api.get(f"/api/v1/absences?citizen_id={world.citizen.id}", headers=consultant).json()
    assert seen["sick_notices"][0]["text"] == "migraine"
    # Phoned in at 18:00: the morning class had ended (not covered), the internship day had not.
    assert [(a["appointment_id"], a["outcome"]) for a in seen["absences"]] == [
        (world.internship.id, "absent_with_late_notice")]
    hidden = api.get(f"/api/v1/absences?citizen_id={world.citizen.id}", headers=benefits).json()
    assert hidden["sick_notices"][0]["text"] is None
    with Session(engine) as s:
        views = s.exec(select(AuditEntry).where(AuditEntry.subject == f"absences:{world.citizen.id}",
                                                AuditEntry.action == "view")).all()
        assert len(views) == 2


def test_another_consultants_citizen_is_not_found(api, token, world):
    other = token(Role.consultant, "ole")
    assert api.get(f"/api/v1/absences?citizen_id={world.citizen.id}", headers=other).status_code == 404


def test_put_attendance_and_the_rate_with_its_band(api, token, world):
    caseworker = token(Role.caseworker, "birte")
    r = api.put(f"/api/v1/appointments/{world.klass.id}/attendance", headers=caseworker,
                json={"outcome": "attended"})
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "attended"
    r = api.put(f"/api/v1/appointments/{world.internship.id}/attendance", headers=caseworker,
                json={"outcome": "absent_without_notice"})
    report = api.get(f"/api/v1/citizens/{world.citizen.id}/attendance?from=2026-11-01&to=2026-11-30",
                     headers=caseworker).json()
    assert (report["present"], report["absent"], report["percent"], report["band"]) == (1, 1, 50.0, "40_59")
    assert report["band_label"] == "40-59 %"
    assert len(report["lines"]) == 3  # wednesday's class is still to come and does not count


def test_bad_input_names_the_field(api, token, world):
    caseworker = token(Role.caseworker, "birte")
    r = api.put(f"/api/v1/appointments/{world.klass.id}/attendance", headers=caseworker, json={"outcome": "nap"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "outcome"
    r = api.get(f"/api/v1/citizens/{world.citizen.id}/attendance?from=2026-11-30&to=2026-11-01", headers=caseworker)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "to"
    r = api.get(f"/api/v1/citizens/{world.citizen.id}/attendance?to=2026-11-01", headers=caseworker)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "from"
    r = api.get(f"/api/v1/citizens/{world.citizen.id}/attendance?from=0001-01-01&to=9999-12-31", headers=caseworker)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "from"
    r = api.post(f"/api/v1/citizens/{world.citizen.id}/sick-notices", headers=caseworker,
                 json={"starts_on": "2026-11-24", "ends_on": "9999-12-31"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "ends_on"
    assert api.get("/api/v1/hearings/99999999999999999999999", headers=caseworker).status_code in (404, 422)


def test_the_benefits_department_cannot_mark_attendance(api, token, world):
    benefits = token(Role.benefits, "yrsa")
    r = api.put(f"/api/v1/appointments/{world.klass.id}/attendance", headers=benefits, json={"outcome": "attended"})
    assert r.status_code == 403


def test_import_dry_run_then_import(api, token, world):
    caseworker = token(Role.caseworker, "birte")
    csv_text = f"appointment_id;outcome\n{world.klass.id};mødt\n{world.internship.id};udeblevet\n"
    files = {"file": ("centre.csv", csv_text.encode(), "text/csv")}
    dry = api.post("/api/v1/attendance/import", headers=caseworker, files=files).json()
    assert dry["ok"] and dry["dry_run"] and dry["imported"] == 0
    done = api.post("/api/v1/attendance/import?dry_run=false", headers=caseworker, files=files).json()
    assert done["imported"] == 2


def test_a_hearing_end_to_end(api, token, world, engine, now):
    caseworker = token(Role.caseworker, "birte")
    benefits = token(Role.benefits, "yrsa")
    with Session(engine) as s:
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome=Outcome.absent_without_notice,
                             now=now + STARTED, staff_id=None)
        s.commit()
    r = api.post("/api/v1/hearings", headers=caseworker,
                 json={"citizen_id": world.citizen.id, "appointment_ids": [world.klass.id]})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["status"] == "awaiting_remarks" and case["appointment_ids"] == [world.klass.id]
    r = api.post(f"/api/v1/hearings/{case['id']}/documents", headers=caseworker,
                 json={"source": "doctor", "description": "Doctor's note received by post",
                       "received_at": "2026-11-26T10:00:00"})
    assert r.status_code == 201, r.text
    r = api.post(f"/api/v1/hearings/{case['id']}/remarks", headers=caseworker,
                 json={"text": "Called: the bus did not come", "received_at": "2026-11-26T11:00:00"})
    assert r.status_code == 201
    letter = api.get(f"/api/v1/hearings/{case['id']}/letter", headers=caseworker)
    assert letter.status_code == 200 and "Partshøring" in letter.text
    r = api.put(f"/api/v1/hearings/{case['id']}/assessment", headers=caseworker,
                json={"outcome": "sanction", "reasons": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "recommendation"
    r = api.put(f"/api/v1/hearings/{case['id']}/assessment", headers=caseworker,
                json={"outcome": "no_sanction", "reasons": "Bus did not come; doctor's note"})
    assert r.json()["status"] == "assessed"
    assert api.put(f"/api/v1/hearings/{case['id']}/decision", headers=caseworker,
                   json={"outcome": "no_sanction", "reasons": "x"}).status_code == 403
    r = api.put(f"/api/v1/hearings/{case['id']}/decision", headers=benefits,
                json={"outcome": "no_sanction", "reasons": "Agreed"})
    assert r.json()["status"] == "decided" and r.json()["decision"] == "no_sanction"
    exported = api.get(f"/api/v1/hearings/{case['id']}/export", headers=caseworker)
    assert exported.headers["content-type"] == "application/zip"
    assert "manifest.sha256" in zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    summary = zipfile.ZipFile(io.BytesIO(exported.content)).read("summary.txt").decode()
    assert summary.startswith("Partshøringssag ")  # Danish unless an English reader asks
    english = api.get(f"/api/v1/hearings/{case['id']}/export?language=en", headers=caseworker)
    assert zipfile.ZipFile(io.BytesIO(english.content)).read("summary.txt").decode().startswith("Hearing case ")
    assert api.get(f"/api/v1/hearings/{case['id']}/export?language=ar", headers=caseworker).status_code == 422


def test_guidance_is_sent_and_its_page_is_public(api, token, world):
    consultant = token(Role.consultant, "karen", staff_id=world.consultant.id)
    r = api.post(f"/api/v1/citizens/{world.citizen.id}/guidance", headers=consultant)
    assert r.status_code == 201 and r.json()["language"] == "en"
    page = api.get("/guidance/da")
    assert page.status_code == 200 and "partshøring" in page.text
    assert api.get("/guidance/xx").status_code == 404


def test_language_centres(api, token, world):
    lead = token(Role.team_lead, "tina")
    r = api.post("/api/v1/language-centres", headers=lead, json={"name": "Sprogcenter Nord"})
    assert r.status_code == 201
    r = api.post(f"/api/v1/language-centres/{r.json()['id']}/contacts", headers=lead,
                 json={"name": "Mette", "phone": "+4520123456"})
    assert r.status_code == 409 and r.json()["detail"][0]["field"] == "phone"


def test_an_outcome_before_the_appointment_starts_is_refused_by_name(api, token, world):
    caseworker = token(Role.caseworker, "birte")
    r = api.put(f"/api/v1/appointments/{world.wednesday_class.id}/attendance", headers=caseworker,
                json={"outcome": "absent_without_notice"})
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["field"] == "appointment_ids"
    assert f"appointment {world.wednesday_class.id} (starts 2026-11-25T08:00:00+00:00) has not started yet" in (
        problem["message"])
    r = api.post("/api/v1/attendance/mark", headers=caseworker,
                 json={"appointment_ids": [world.klass.id, world.wednesday_class.id], "outcome": "attended"})
    assert r.status_code == 422  # all or nothing: today's class is not recorded either
    r = api.get(f"/api/v1/citizens/{world.citizen.id}/attendance?from=2026-11-01&to=2026-11-30",
                headers=caseworker).json()
    assert r["by_outcome"] == {}
