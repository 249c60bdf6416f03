"""The evidence a caseworker downloads from the panel reads in her language: Danish, or English."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.hearings import hearings
from bot.reminders.models import Appointment, AppointmentKind


def _case(db, world, now) -> int:  # type: ignore[no-untyped-def]
    starts_at = now - timedelta(days=6)
    appointment = Appointment(
        citizen_id=world["amal"].id, kind=AppointmentKind.class_, starts_at=starts_at, title="Dansk 2"
    )
    db.add(appointment)
    db.commit()
    db.add(
        Attendance(
            appointment_id=appointment.id,
            citizen_id=world["amal"].id,
            outcome=Outcome.absent_without_notice,
            source=OutcomeSource.staff,
            recorded_at=starts_at + timedelta(hours=4),
        )
    )
    db.commit()
    case = hearings.open_case(
        db,
        citizen_id=world["amal"].id,
        appointment_ids=[appointment.id],
        staff_id=world["caseworker"].id,
        now=now,
        tz="Europe/Copenhagen",
    )
    db.commit()
    case_id = case.id
    db.expunge_all()
    assert case_id is not None
    return case_id


def _summary(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content)).read("summary.txt").decode()


def test_the_evidence_summary_is_danish_in_local_time_or_english_for_an_english_reader(
    world, login, db, now
) -> None:  # type: ignore[no-untyped-def]
    case_id = _case(db, world, now)
    caseworker = login(world["caseworker"])
    danish = _summary(caseworker.get(f"/admin/hearings/{case_id}/export"))
    assert danish.startswith("Partshøringssag H-2026-")
    assert "  - 18. november 2026 kl. 08:00 danskundervisning (Dansk 2)" in danish
    assert "Alle tidspunkter er lokal tid (Europe/Copenhagen)." in danish
    caseworker.cookies.set("admin_lang", "en")
    english = _summary(caseworker.get(f"/admin/hearings/{case_id}/export"))
    assert english.startswith("Hearing case H-2026-")
    assert "  - 18 November 2026 08:00 Danish class (Dansk 2)" in english
