"""A caseworker finds the absences without notice of a month in the panel and opens a hearing
from the list; an outcome for an appointment that has not started is refused beside its row."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.audit.models import AuditEntry
from bot.reminders.models import Appointment, AppointmentKind
from tests.admin.conftest import csrf_of


def _absence(db: Session, citizen_id: int, starts_at: datetime, title: str, *, pending: bool = False) -> int:
    appointment = Appointment(citizen_id=citizen_id, kind=AppointmentKind.class_, starts_at=starts_at, title=title)
    db.add(appointment)
    db.commit()
    assert appointment.id is not None
    db.add(Attendance(
        appointment_id=appointment.id, citizen_id=citizen_id, outcome=Outcome.absent_without_notice,
        source=OutcomeSource.employer_sms if pending else OutcomeSource.staff, pending_check=pending,
        recorded_at=starts_at + timedelta(hours=3),
    ))
    db.commit()
    appointment_id = appointment.id
    db.expunge_all()
    return appointment_id


def test_the_month_of_absences_without_notice_links_each_citizen_and_a_hearing(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    amal, bashir = world["amal"].id, world["bashir"].id
    first = _absence(db, amal, now - timedelta(days=20), "Dansk 2, uge 45")
    second = _absence(db, amal, now - timedelta(days=6), "Dansk 2, uge 47")
    pending = _absence(db, bashir, now - timedelta(days=2), "Praktik hos Havnen", pending=True)
    too_old = _absence(db, bashir, now - timedelta(days=45), "Dansk 1, uge 40")
    caseworker = login(world["caseworker"])
    page = caseworker.get("/admin/absences")
    assert page.status_code == 200
    text = page.text
    assert "Fravær uden afbud" in text and 'value="2026-10-24"' in text and 'value="2026-11-24"' in text
    assert "3 aftaler med fravær uden afbud fra 24. oktober 2026 til 24. november 2026, 2 borgere." in text
    assert f'href="/admin/citizens/{amal}#section-absences-h"' in text
    assert f'href="/admin/citizens/{bashir}#section-absences-h"' in text
    assert "Dansk 2, uge 45" in text and "Dansk 1, uge 40" not in text
    assert f"/admin/citizens/{amal}/hearings/new?absence={first}&amp;absence={second}" in text
    assert "hearings/new?absence=" + str(pending) not in text  # the employer's report is checked first
    assert "bekræft først udfaldet på siden for fremmøde" in text
    older = caseworker.get("/admin/absences", params={"from": "2026-10-01", "to": "2026-11-24"}).text
    assert "Dansk 1, uge 40" in older and f"absence={too_old}" in older
    opened = caseworker.get(f"/admin/citizens/{amal}/hearings/new?absence={first}&absence={second}").text
    assert re.search(f'value="{first}"\\s+checked', opened) and re.search(f'value="{second}"\\s+checked', opened)
    entry = db.exec(select(AuditEntry).where(AuditEntry.subject == "absences:without_notice")).first()
    assert entry is not None and entry.staff_id == world["caseworker"].id
    assert entry.details["citizen_ids"] == sorted([amal, bashir])


def test_one_absence_of_one_citizen_is_counted_in_the_singular(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _absence(db, world["amal"].id, now - timedelta(days=6), "Dansk 2, uge 47")
    caseworker = login(world["caseworker"])
    text = caseworker.get("/admin/absences").text
    assert "1 aftale med fravær uden afbud fra 24. oktober 2026 til 24. november 2026, 1 borger." in text
    caseworker.cookies.set("admin_lang", "en")
    english = caseworker.get("/admin/absences").text
    assert "1 absence without notice from October 24, 2026 to November 24, 2026, 1 citizen." in english


def test_a_period_that_cannot_be_listed_is_said_beside_the_field_and_kept(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    caseworker = login(world["caseworker"])
    page = caseworker.get("/admin/absences", params={"from": "2026-11-24", "to": "2026-11-01"})
    assert page.status_code == 422
    assert 'id="period-to-error"' in page.text and "Angiv en sidste dag" in page.text
    assert 'value="2026-11-24"' in page.text and 'value="2026-11-01"' in page.text
    assert caseworker.get("/admin/absences", params={"from": "not a day"}).status_code == 422


def test_only_caseworkers_and_team_leads_see_the_list(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _absence(db, world["amal"].id, now - timedelta(days=3), "Dansk 2")
    for who in ("anna", "benefits", "admin"):
        assert login(world[who]).get("/admin/absences").status_code == 404
    lead = login(world["lead"]).get("/admin/absences")
    assert lead.status_code == 200 and "Amal Hassan" in lead.text
    cases = login(world["caseworker"]).get("/admin/hearings").text
    assert 'href="/admin/absences"' in cases and "Find fravær uden afbud i en periode" in cases
    assert 'href="/admin/absences"' not in login(world["benefits"]).get("/admin/hearings").text


def test_tomorrows_class_cannot_be_marked_absent_today(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    tomorrow = Appointment(citizen_id=world["amal"].id, kind=AppointmentKind.class_,
                           starts_at=now + timedelta(days=1, hours=1), title="Dansk 2")
    today = Appointment(citizen_id=world["bashir"].id, kind=AppointmentKind.class_,
                        starts_at=now - timedelta(hours=1), title="Dansk 2")
    db.add_all([tomorrow, today])
    db.commit()
    ids = {"tomorrow": tomorrow.id, "today": today.id}
    db.expunge_all()
    caseworker = login(world["caseworker"])
    page = caseworker.get("/admin/attendance?day=2026-11-25")
    assert f'value="{ids["tomorrow"]}" checked' not in page.text  # not started: not ticked
    assert "ikke begyndt endnu" in page.text
    refused = caseworker.post("/admin/attendance", data={
        "csrf_token": csrf_of(page.text), "day": "2026-11-25", "outcome": "absent_without_notice",
        "appointment_ids": [ids["tomorrow"]], "outcome_for": [f"{ids['tomorrow']}:absent_with_notice"],
    })
    assert refused.status_code == 422
    text = refused.text
    assert "Intet blev registreret" in text
    assert f'id="pick-{ids["tomorrow"]}-error"' in text and "25.11.2026 09:00" in text
    assert f'value="{ids["tomorrow"]}" checked' in text  # what was typed comes back
    assert 'value="absent_without_notice" selected' in text
    assert f'value="{ids["tomorrow"]}:absent_with_notice" selected' in text
    assert db.exec(select(Attendance)).all() == []
    db.rollback()
    caseworker.cookies.set("admin_lang", "en")
    english = caseworker.post("/admin/attendance", data={
        "csrf_token": csrf_of(page.text), "day": "2026-11-25", "outcome": "attended",
        "appointment_ids": [ids["tomorrow"]],
    })
    assert english.status_code == 422 and "Has not started yet (starts 25/11/2026 09:00)" in english.text
    done = caseworker.post("/admin/attendance", data={
        "csrf_token": csrf_of(page.text), "day": "2026-11-24", "outcome": "absent_without_notice",
        "appointment_ids": [ids["today"]],
    })
    assert done.status_code == 303


def test_a_class_without_a_title_is_named_in_words_not_by_its_code(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    db.add(Appointment(citizen_id=world["amal"].id, kind=AppointmentKind.class_, starts_at=now - timedelta(hours=1)))
    db.commit()
    db.expunge_all()
    page = login(world["caseworker"]).get("/admin/attendance?day=2026-11-24").text
    assert "07:00 Danskundervisning (1)" in page
    assert "class" not in re.sub(r'class="[^"]*"|<[^>]*>', "", page)
