"""A caseworker marks a whole class or day at once in the panel; other roles cannot."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.audit.models import AuditEntry
from bot.reminders.models import Appointment, AppointmentKind
from tests.admin.conftest import csrf_of


def _class_day(db: Session, world, now: datetime) -> dict[str, int]:  # type: ignore[no-untyped-def]
    start = now + timedelta(hours=1, minutes=30)  # 09:30 local
    rows = {
        "amal_class": Appointment(
            citizen_id=world["amal"].id, kind=AppointmentKind.class_, starts_at=start, title="Dansk 2"
        ),
        "bashir_class": Appointment(
            citizen_id=world["bashir"].id, kind=AppointmentKind.class_, starts_at=start, title="Dansk 2"
        ),
        "amal_work": Appointment(
            citizen_id=world["amal"].id,
            kind=AppointmentKind.internship_day,
            starts_at=now + timedelta(hours=5),
            title="Bageriet",
        ),
        "tomorrow": Appointment(
            citizen_id=world["amal"].id,
            kind=AppointmentKind.class_,
            starts_at=start + timedelta(days=1),
            title="Dansk 2",
        ),
    }
    db.add_all(rows.values())
    db.commit()
    ids = {key: row.id for key, row in rows.items()}
    db.expunge_all()
    return ids  # type: ignore[return-value]


def test_caseworker_marks_a_class_with_one_exception(world, login, db, now, clock) -> None:  # type: ignore[no-untyped-def]
    ids = _class_day(db, world, now)
    clock.move_to(now + timedelta(hours=2))  # 10:00: the class has started, the internship not yet
    caseworker = login(world["caseworker"])
    page = caseworker.get("/admin/attendance?day=2026-11-24")
    assert page.status_code == 200
    assert "Amal Hassan" in page.text and "Bashir Ahmadi" in page.text
    assert "Bageriet" in page.text and "09:30 Dansk 2 (2)" in page.text
    class_page = caseworker.get("/admin/attendance", params={"day": "2026-11-24", "group": "09:30 Dansk 2"})
    assert f'value="{ids["amal_work"]}"' not in class_page.text  # only the class has rows
    assert f'value="{ids["bashir_class"]}" checked' in class_page.text  # no outcome yet: preselected
    done = caseworker.post(
        "/admin/attendance",
        data={
            "csrf_token": csrf_of(class_page.text),
            "day": "2026-11-24",
            "group": "09:30 Dansk 2",
            "outcome": "attended",
            "appointment_ids": [ids["amal_class"], ids["bashir_class"]],
            "outcome_for": [
                "",
                f"{ids['bashir_class']}:absent_without_notice",
                f"{ids['amal_work']}:attended",
            ],
        },
    )
    assert done.status_code == 303 and "marked=2" in done.headers["location"]
    outcomes = {a.appointment_id: a for a in db.exec(select(Attendance)).all()}
    assert set(outcomes) == {ids["amal_class"], ids["bashir_class"]}  # an unselected row is untouched
    assert outcomes[ids["amal_class"]].outcome == Outcome.attended
    assert outcomes[ids["bashir_class"]].outcome == Outcome.absent_without_notice
    assert outcomes[ids["amal_class"]].source == OutcomeSource.staff
    assert outcomes[ids["amal_class"]].recorded_by_id == world["caseworker"].id
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "mark_attendance")).one()
    assert entry.staff_id == world["caseworker"].id and entry.subject == "attendance:2026-11-24"
    assert sorted(entry.details["appointment_ids"]) == sorted([ids["amal_class"], ids["bashir_class"]])
    db.rollback()
    after = caseworker.get(done.headers["location"]).text
    assert "2 udfald registreret." in after and "Mødt" in after


def test_marking_needs_a_selection_and_a_real_outcome(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    ids = _class_day(db, world, now)
    caseworker = login(world["caseworker"])
    token = csrf_of(caseworker.get("/admin/attendance?day=2026-11-24").text)
    none_chosen = caseworker.post(
        "/admin/attendance", data={"csrf_token": token, "day": "2026-11-24", "outcome": "attended"}
    )
    assert none_chosen.status_code == 422 and "Vælg mindst én aftale." in none_chosen.text
    wrong = caseworker.post(
        "/admin/attendance",
        data={
            "csrf_token": token,
            "day": "2026-11-24",
            "outcome": "present",
            "appointment_ids": [ids["amal_work"]],
        },
    )
    assert wrong.status_code == 422 and "Vælg et udfald." in wrong.text
    assert db.exec(select(Attendance)).all() == []
    db.rollback()  # the in-memory database has one connection: end the read before the next request
    bad_day = caseworker.get("/admin/attendance?day=0001-01-01")
    assert bad_day.status_code == 422


def test_only_caseworkers_and_leads_mark_attendance(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    ids = _class_day(db, world, now)
    for who in ("anna", "benefits", "admin"):
        client = login(world[who])
        assert client.get("/admin/attendance").status_code == 404
        token = csrf_of(client.get("/admin/").text)
        refused = client.post(
            "/admin/attendance",
            data={
                "csrf_token": token,
                "day": "2026-11-24",
                "outcome": "attended",
                "appointment_ids": [ids["amal_class"]],
            },
        )
        assert refused.status_code == 404
    assert db.exec(select(Attendance)).all() == []
    db.rollback()
    lead = login(world["lead"])
    assert lead.get("/admin/attendance?day=2026-11-24").status_code == 200
    missing_token = lead.post(
        "/admin/attendance",
        data={"day": "2026-11-24", "outcome": "attended", "appointment_ids": [ids["amal_class"]]},
    )
    assert missing_token.status_code == 403
