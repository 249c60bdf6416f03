"""A cancellation's reason is health data: the appointments API gives it only to those who may read it."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.contacts import service as contacts
from bot.contacts.models import Role
from bot.db import session_scope
from bot.reminders import service as appointments
from bot.reminders.models import AppointmentKind
from bot.reminders.policy import Policy

REASON = "ondt i ryggen efter operationen"


def test_a_cancellation_reason_reaches_the_consultant_and_not_the_admin_or_benefits(
    client: TestClient, engine: Engine, now: datetime, make_user, consultant, admin
) -> None:
    benefits = make_user(Role.benefits, "ydelse@kommune.dk")
    with session_scope(engine) as session:
        citizen = contacts.create_citizen(session=session, name="Amal Hassan", phone="+4520000001",
                                          consultant_id=consultant.id, now=now)
        assert citizen.id is not None
        data = appointments.AppointmentInput(citizen_id=citizen.id, kind=AppointmentKind.health,
                                             starts_at=now + timedelta(days=2))
        appointment = appointments.create_appointment(session, data, policy=Policy(), now=now)
        appointments.cancel_appointment(session, appointment.id, policy=Policy(), now=now, reason=REASON,
                                        notify=False)
        path = f"/api/v1/appointments/{appointment.id}"

    def reason(user) -> str | None:
        one = client.get(path, headers=user.headers)
        listed = client.get("/api/v1/appointments", headers=user.headers)
        assert one.status_code == 200 and listed.status_code == 200
        assert [a["cancel_reason"] for a in listed.json()] == [one.json()["cancel_reason"]]
        return one.json()["cancel_reason"]

    assert reason(consultant) == REASON
    assert reason(admin) is None
    assert reason(benefits) is None
