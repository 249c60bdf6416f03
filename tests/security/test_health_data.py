"""Health data reaches the same roles through every door, derived from one role matrix.

What a citizen wrote (message bodies, the text of a sick notice, a cancellation's reason) is
health data: the consultant of that citizen, caseworkers and team leads read it; the benefits
department and admins do not, neither through the API nor in the panel; another consultant's
citizen is simply not found.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.api.auth import issue_token
from bot.app import create_app
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Citizen, Role, Staff
from bot.reminders.models import Appointment, AppointmentKind
from bot.sick_notices import cancellations, service
from tests.admin.conftest import password_hash, sign_in

# Who reads the health data of a citizen whose consultant is "own".
MATRIX = {
    "own consultant": True,
    "other consultant": False,
    Role.caseworker.value: True,
    Role.team_lead.value: True,
    Role.benefits.value: False,
    Role.admin.value: False,
}
PHONE = "+4520123456"


@pytest.fixture
def world(engine, now):  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as s:
        staff = {}
        for who in MATRIX:
            role = Role.consultant if "consultant" in who else Role(who)
            person = Staff(name=who, email=f"{who.replace(' ', '.')}@kommune.dk", role=role,
                           password_hash=password_hash())
            s.add(person)
            s.flush()
            staff[who] = person
        citizen = Citizen(name="Amal Hassan", phone=PHONE, language="ar", consultant_id=staff["own consultant"].id)
        s.add(citizen)
        s.flush()
        s.add(Message(direction=Direction.inbound, phone=PHONE, body="migræne igen", provider_sid="SMh1",
                      status=MessageStatus.processed, created_at=now))
        klass = Appointment(citizen_id=citizen.id, kind=AppointmentKind.class_, starts_at=now + timedelta(days=1))
        s.add(klass)
        s.flush()
        service.record_sick_notice(s, citizen_id=citizen.id, starts_on=now.date(), ends_on=None,
                                   text="migræne igen", now=now)
        cancellations.record(s, citizen_id=citizen.id, appointment=klass, received_at=now, now=now,
                             tz="Europe/Copenhagen", reason="lægen siger hvile")
        tokens = {who: issue_token(s, staff_id=p.id, now=now) for who, p in staff.items()}
        s.commit()
        return {"staff": staff, "citizen": citizen, "tokens": tokens}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_api_gives_health_data_to_the_matrix_roles_only(engine, settings, now, world, who):
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    headers = {"Authorization": f"Bearer {world['tokens'][who]}"}
    with TestClient(app) as client:
        messages = client.get("/api/v1/messages", params={"phone": PHONE}, headers=headers)
        absences = client.get(f"/api/v1/absences?citizen_id={world['citizen'].id}", headers=headers)
    if MATRIX[who]:
        assert messages.status_code == 200
        assert "migræne igen" in [m["body"] for m in messages.json()]
        assert absences.json()["sick_notices"][0]["text"] == "migræne igen"
        assert absences.json()["cancellations"][0]["reason"] == "lægen siger hvile"
        return
    assert messages.status_code == 404  # not "forbidden": the same answer as for a stranger's number
    if absences.status_code == 200:  # may read the record (a case system), never the health data
        assert absences.json()["sick_notices"][0]["text"] is None
        assert absences.json()["cancellations"][0]["reason"] is None
    else:
        assert absences.status_code == 404


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_panel_shows_the_conversation_to_the_matrix_roles_only(engine, settings, now, world, who):
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    sign_in(client, world["staff"][who].email)
    page = client.get(f"/admin/conversations/{PHONE}")
    if MATRIX[who]:
        assert page.status_code == 200 and "migræne igen" in page.text
    else:
        assert page.status_code == 404 and "migræne igen" not in page.text
