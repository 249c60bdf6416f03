"""Service actions behind the attendance API: outcomes recorded, a class marked, a file imported,
a citizen's rate read. Each writes the staff member's audit entry itself, so the routes only
check who may see the citizen and shape the answer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlmodel import Session

from bot.access import Viewer
from bot.attendance import attendance, importer
from bot.attendance.bands import AttendanceSummary
from bot.attendance.models import Attendance, Outcome
from bot.audit import service as audit


def _subject(citizen_id: int) -> str:
    return f"absences:{citizen_id}"


def record_outcome(
    *,
    session: Session,
    acting_staff: Viewer,
    appointment_id: int,
    citizen_id: int,
    outcome: Outcome,
    note: str | None,
    now: datetime,
    address: str | None = None,
) -> Attendance:
    """What happened at one appointment, refused while it has not started."""
    row = attendance.mark_many(session, appointment_ids=[appointment_id], outcome=outcome, now=now,
                               staff_id=acting_staff.staff_id, note=note)[0]
    audit.record(session, staff_id=acting_staff.staff_id, action="update", subject=_subject(citizen_id),
                 details={"appointment_id": appointment_id, "outcome": outcome.value},
                 address=address, now=now)
    return row


def mark_many(
    *,
    session: Session,
    acting_staff: Viewer,
    appointment_ids: list[int],
    outcome: Outcome,
    exceptions: Mapping[int, Outcome],
    note: str | None,
    now: datetime,
    address: str | None = None,
) -> list[Attendance]:
    """A whole class or day at once, the appointments that differ given in ``exceptions``."""
    rows = attendance.mark_many(session, appointment_ids=appointment_ids, outcome=outcome, now=now,
                                staff_id=acting_staff.staff_id, exceptions=exceptions, note=note)
    audit.record(session, staff_id=acting_staff.staff_id, action="update", subject="attendance",
                 details={"appointment_ids": [r.appointment_id for r in rows]}, address=address, now=now)
    return rows


def import_file(
    *,
    session: Session,
    acting_staff: Viewer,
    content: bytes,
    name: str,
    dry_run: bool,
    now: datetime,
    tz: str,
    region: str,
    address: str | None = None,
) -> importer.ImportReport:
    """A language centre's or a company's CSV: checked whole; a file with a bad row imports nothing."""
    report = importer.import_attendance(session, content=content, name=name, dry_run=dry_run, now=now, tz=tz,
                                        staff_id=acting_staff.staff_id, region=region)
    audit.record(session, staff_id=acting_staff.staff_id, action="import", subject="attendance",
                 details={"name": report.name, "dry_run": dry_run, "rows": len(report.rows),
                          "errors": len(report.errors), "imported": report.imported},
                 address=address, now=now)
    return report


def report(
    *,
    session: Session,
    acting_staff: Viewer,
    citizen_id: int,
    first: date,
    last: date,
    tz: str,
    now: datetime,
    address: str | None = None,
) -> tuple[list[attendance.AttendanceLine], AttendanceSummary]:
    """A citizen's appointments of the local days ``first`` to ``last`` and their rate; the view is
    on record with its period."""
    start, _ = attendance.local_day_bounds(first, tz)
    _, end = attendance.local_day_bounds(last, tz)
    lines = attendance.attendance_lines(session, citizen_id=citizen_id, start=start, end=end)
    summary = attendance.summary_for(lines, now=now, policy=attendance.counting_policy(session))
    audit.record(session, staff_id=acting_staff.staff_id, action="view", subject=_subject(citizen_id),
                 details={"period": [first.isoformat(), last.isoformat()]}, address=address, now=now)
    return lines, summary
